"""The pooled async client (httpx on aiohttp) over real loopback sockets to the emulator."""

from __future__ import annotations

import asyncio
import gc
import logging
import warnings

import pytest

from minimax_core import (
    APIConnectionError,
    APITimeoutError,
    ChatParams,
    MiniMaxClient,
    StreamInterruptedError,
    UserMessage,
)
from minimax_core._io import async_pool
from minimax_emulator.testing import EmulatorServer

PARAMS = ChatParams(model="MiniMax-M2.7")
HI = [UserMessage("Hello")]


def client(server: EmulatorServer, api_key: str, **config: object) -> MiniMaxClient:
    return MiniMaxClient(api_key=api_key, base_url=server.base_url, **config)  # type: ignore[arg-type]


def test_each_event_loop_gets_its_own_pool_and_both_work(
    emulator: EmulatorServer, api_key: str, caplog: pytest.LogCaptureFixture
) -> None:
    """asyncio.run twice with one client: no "Event loop is closed", nothing left unclosed."""
    mm = client(emulator, api_key)

    async def call() -> tuple[str, int]:
        result = await mm.achat(HI, PARAMS)
        return result.message.content, id(async_pool((300.0, 10.0)))

    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.ERROR):
        warnings.simplefilter("always")
        first = asyncio.run(call())
        second = asyncio.run(call())
        gc.collect()
    assert first[0] == second[0] == "Echo: Hello"
    assert first[1] != second[1]
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]
    assert "Unclosed" not in caplog.text
    assert len(emulator.requests) == 2


def test_hundreds_of_concurrent_calls_and_streams_on_one_loop(
    emulator: EmulatorServer, api_key: str
) -> None:
    mm = client(emulator, api_key)

    async def burst() -> tuple[list[str], list[str]]:
        calls = [mm.achat([UserMessage(f"call {i}")], PARAMS) for i in range(300)]

        async def stream(i: int) -> str:
            pieces = [delta.text async for delta in mm.astream([UserMessage(f"s {i}")], PARAMS)]
            return "".join(pieces)

        answers = await asyncio.gather(*calls)
        streamed = await asyncio.gather(*(stream(i) for i in range(100)))
        return [a.message.content for a in answers], streamed

    answers, streamed = asyncio.run(burst())
    assert answers == [f"Echo: call {i}" for i in range(300)]
    assert streamed == [f"Echo: s {i}" for i in range(100)]


def test_connection_refused_is_a_connection_error(api_key: str) -> None:
    server = EmulatorServer()
    server.start()
    url = server.base_url
    server.stop()
    mm = MiniMaxClient(api_key=api_key, base_url=url, max_retries=0)
    with pytest.raises(APIConnectionError) as info:
        asyncio.run(mm.achat(HI, PARAMS))
    assert not isinstance(info.value, APITimeoutError)


def test_a_slow_first_byte_is_a_timeout(emulator: EmulatorServer, api_key: str) -> None:
    mm = client(
        emulator,
        api_key,
        timeout=0.3,
        max_retries=0,
        default_headers={"X-Emulator": "first_byte_ms=1500"},
    )
    with pytest.raises(APITimeoutError):
        asyncio.run(mm.achat(HI, PARAMS))


def test_a_connection_dropped_mid_stream_is_an_interrupted_stream(
    emulator: EmulatorServer, api_key: str
) -> None:
    mm = client(emulator, api_key, default_headers={"X-Emulator": "disconnect_after=3; chunk_ms=5"})

    async def read() -> list[str]:
        texts: list[str] = []
        async for delta in mm.astream(HI, PARAMS):
            texts.append(delta.text + delta.reasoning)
        return texts

    with pytest.raises(StreamInterruptedError):
        asyncio.run(read())
    assert len(emulator.requests) == 1


def test_repeated_asyncio_run_does_not_accumulate_sessions(
    emulator: EmulatorServer, api_key: str
) -> None:
    """Sync wrappers that call asyncio.run per call (LlamaIndex does) must not leak pools."""
    import aiohttp

    mm = client(emulator, api_key)
    for _ in range(15):
        assert asyncio.run(mm.achat(HI, PARAMS)).message.content == "Echo: Hello"
    gc.collect()
    alive = [o for o in gc.get_objects() if isinstance(o, aiohttp.ClientSession)]
    assert len(alive) <= 1
    assert all(session.closed for session in alive)
