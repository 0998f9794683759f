"""Fixtures shared by every test folder."""

from __future__ import annotations

import pytest

from minimax_emulator.testing import EmulatorServer
from tests.support import API_KEY, shared_emulator


@pytest.fixture
def emulator() -> EmulatorServer:
    """The shared emulator with an empty request journal and fresh fault counters."""
    server = shared_emulator()
    server.clear()
    return server


@pytest.fixture
def api_key() -> str:
    return API_KEY
