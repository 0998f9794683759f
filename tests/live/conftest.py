"""Live tests use the developer's real MiniMax settings."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def hermetic_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Overrides the suite-wide fixture: the environment is left as it is."""
    return monkeypatch
