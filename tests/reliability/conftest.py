"""Fixtures of the reliability tests."""

from __future__ import annotations

import pytest

_ENV = (
    "MINIMAX_API_KEY",
    "MINIMAX_BASE_URL",
    "MINIMAX_REGION",
    "MINIMAX_GROUP_ID",
    "DASHSCOPE_API_KEY",
    "DASHSCOPE_BASE_URL",
)


@pytest.fixture(autouse=True)
def _hermetic_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's real MiniMax settings must not leak into these tests (nor into workers)."""
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
