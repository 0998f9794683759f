"""Fixtures shared by every test folder."""

from __future__ import annotations

import pytest

from minimax_emulator.testing import EmulatorServer
from tests.support import API_KEY, shared_emulator

#: Settings read from the environment: a developer's real ones must not leak into offline tests.
MINIMAX_ENV = (
    "MINIMAX_API_KEY",
    "MINIMAX_BASE_URL",
    "MINIMAX_REGION",
    "MINIMAX_GROUP_ID",
    "DASHSCOPE_API_KEY",
    "DASHSCOPE_BASE_URL",
)


@pytest.fixture(autouse=True)
def hermetic_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No MINIMAX_* / DASHSCOPE_* variable from the shell reaches a test (tests/live opts out)."""
    for name in MINIMAX_ENV:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def emulator() -> EmulatorServer:
    """The shared emulator with an empty request journal and fresh fault counters."""
    server = shared_emulator()
    server.clear()
    return server


@pytest.fixture
def api_key() -> str:
    return API_KEY
