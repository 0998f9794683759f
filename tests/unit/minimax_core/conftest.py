from __future__ import annotations

import asyncio
import threading
import time

import pytest

from .support import Runner


@pytest.fixture(autouse=True)
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retry back-off never really waits; the requested delays are recorded instead.

    Only the standard library's ``time.sleep`` / ``asyncio.sleep`` (which the drivers in
    ``minimax_core._io`` call) are replaced; no function of ours is patched.
    """
    recorded: list[float] = []
    real_sleep, real_async_sleep = time.sleep, asyncio.sleep
    test_thread = threading.current_thread()

    # The patch is process-wide (it is the stdlib's function): other threads of the process,
    # such as an emulator serving another test folder under xdist, keep sleeping for real.
    def fake_sleep(seconds: float) -> None:
        if threading.current_thread() is not test_thread:
            real_sleep(seconds)
            return
        recorded.append(seconds)

    async def fake_async_sleep(seconds: float, result: object = None) -> object:
        if threading.current_thread() is not test_thread:
            return await real_async_sleep(seconds, result)
        recorded.append(seconds)
        return result

    monkeypatch.setattr(time, "sleep", fake_sleep)
    monkeypatch.setattr(asyncio, "sleep", fake_async_sleep)
    return recorded


@pytest.fixture(params=["sync", "async"])
def runner(request: pytest.FixtureRequest) -> Runner:
    """Runs the same client call through the sync or the async driver."""
    return Runner(request.param)
