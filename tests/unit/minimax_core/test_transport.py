"""The drivers and the shared HTTP pools (``docs/protocol-notes.md`` §8.3).

The pooled sync client is a real ``httpx`` client; to keep it off the network, only httpx's own
transport class is replaced here (``handle_request``). The pooled async client runs on aiohttp
and is tested over real loopback sockets in ``tests/integration/test_async_transport.py``.
"""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

import httpx
import pytest
from pytest_socket import SocketBlockedError

from minimax_core import ChatParams, MiniMaxClient, __version__
from minimax_core._http import USER_AGENT
from minimax_core._io import async_pool, sync_pool

from .support import (
    KEY,
    ChunkStream,
    FakeServer,
    Runner,
    chunk,
    completion,
    hi,
    json_reply,
    make_client,
    sse,
    sse_reply,
)

PARAMS = ChatParams(model="MiniMax-M2.7")


class Recorder:
    """Stands in for httpx's network transports; records which transport sent what."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, httpx.Request, asyncio.AbstractEventLoop | None]] = []

    def reply(self, request: httpx.Request) -> httpx.Response:
        request.read()
        return httpx.Response(200, json=completion("pooled"), request=request)


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recorder = Recorder()

    def handle_request(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        recorder.calls.append((id(self), request, None))
        return recorder.reply(request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", handle_request)
    return recorder


@pytest.mark.filterwarnings("ignore:A test tried to use socket.socket")
def test_unit_tests_cannot_reach_the_network() -> None:
    with pytest.raises(SocketBlockedError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # asyncio's self-pipe still works.
    asyncio.run(asyncio.sleep(0))


def test_sync_pool_is_shared_per_configuration() -> None:
    assert sync_pool((300.0, 10.0)) is sync_pool((300.0, 10.0))
    assert sync_pool((300.0, 10.0)) is not sync_pool((60.0, 10.0))
    client = sync_pool((61.0, 7.0))
    assert client.timeout == httpx.Timeout(61.0, connect=7.0)
    assert client.headers["User-Agent"] == USER_AGENT == f"minimax-integrations/{__version__}"


def test_clients_with_the_same_configuration_share_one_connection_pool(network: Recorder) -> None:
    first = MiniMaxClient(api_key=KEY, base_url="https://api.minimax.io")
    second = MiniMaxClient(api_key=KEY, base_url="https://api.minimax.io")
    assert first.chat(hi(), PARAMS).message.content == "pooled"
    assert second.chat(hi(), PARAMS).message.content == "pooled"
    (one, request, _), (two, _, _) = network.calls
    assert one == two
    assert request.url == "https://api.minimax.io/v1/chat/completions"
    assert request.headers["User-Agent"] == USER_AGENT
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    # A different timeout is a different pool.
    MiniMaxClient(api_key=KEY, timeout=42.0).chat(hi(), PARAMS)
    assert network.calls[2][0] != one


def test_async_pool_is_per_event_loop() -> None:
    async def get() -> tuple[httpx.AsyncClient, httpx.AsyncClient]:
        return async_pool((300.0, 10.0)), async_pool((300.0, 10.0))

    a1, a2 = asyncio.run(get())
    b1, _ = asyncio.run(get())
    assert a1 is a2
    assert b1 is not a1
    assert b1.headers["User-Agent"] == USER_AGENT


def test_user_supplied_clients_are_used_and_not_closed(runner: Runner) -> None:
    server = FakeServer(json_reply(completion("mine")))
    client = make_client(server)
    assert runner.chat(client, hi(), PARAMS).message.content == "mine"
    server.replies = [sse_reply(sse(chunk("streamed", finish="stop")))]
    assert runner.stream(client, hi(), PARAMS).text == "streamed"
    assert client.http_client is not None
    assert client.http_async_client is not None
    assert not client.http_client.is_closed
    assert not client.http_async_client.is_closed
    assert server.count == 2
    # Still usable afterwards.
    server.replies = [json_reply(completion("again"))]
    assert runner.chat(client, hi(), PARAMS).message.content == "again"


def test_request_headers(runner: Runner) -> None:
    server = FakeServer(json_reply(completion("x")))
    client = make_client(server, default_headers={"MM-API-Source": "unit-tests"})
    runner.chat(client, hi(), PARAMS)
    server.replies = [sse_reply(sse(chunk("x", finish="stop")))]
    runner.stream(client, hi(), PARAMS)
    plain, streamed = server.requests
    assert plain.headers["Authorization"] == f"Bearer {KEY}"
    assert plain.headers["Content-Type"] == "application/json"
    assert plain.headers["Accept"] == "application/json"
    assert streamed.headers["Accept"] == "text/event-stream"
    assert plain.headers["MM-API-Source"] == "unit-tests"
    assert plain.method == "POST"


def test_a_bug_in_our_code_is_not_retried_or_wrapped(runner: Runner, sleeps: list[float]) -> None:
    def explode(request: httpx.Request) -> httpx.Response:
        raise RuntimeError("not a network problem")

    server = FakeServer(explode)
    with pytest.raises(RuntimeError, match="not a network problem"):
        runner.chat(make_client(server), hi(), PARAMS)
    with pytest.raises(RuntimeError):
        runner.stream(make_client(server), hi(), PARAMS)
    assert server.count == 2
    assert sleeps == []


def test_a_bug_after_items_were_delivered_propagates_unchanged(runner: Runner) -> None:
    server = FakeServer(
        sse_reply([sse(chunk("a"), done=False)], error=RuntimeError("not a network problem"))
    )
    with pytest.raises(RuntimeError):
        runner.stream(make_client(server), hi(), PARAMS)
    assert server.count == 1


def test_closing_an_async_stream_early_closes_the_response() -> None:
    ChunkStream.opened.clear()
    pieces = [sse(chunk(f"{i} "), done=False) for i in range(5)] + [sse(chunk(finish="stop"))]
    client = make_client(FakeServer(sse_reply(pieces)))

    async def first_only() -> str:
        stream = client.astream(hi(), PARAMS)
        first = await stream.__anext__()
        await stream.aclose()
        return first.text

    assert asyncio.run(first_only()) == "0 "
    (body,) = ChunkStream.opened
    assert body.closed
    assert body.sent < len(pieces)


def test_leaving_a_sync_stream_early_closes_the_response() -> None:
    ChunkStream.opened.clear()
    pieces = [sse(chunk(f"{i} "), done=False) for i in range(5)] + [sse(chunk(finish="stop"))]
    client = make_client(FakeServer(sse_reply(pieces)))
    stream = client.stream(hi(), PARAMS)
    assert next(stream).text == "0 "
    del stream
    (body,) = ChunkStream.opened
    assert body.closed


def test_a_json_reply_to_a_stream_request(runner: Runner) -> None:
    server = FakeServer(json_reply(completion("whole answer", reasoning="why")))
    outcome = runner.stream(make_client(server), hi(), PARAMS)
    assert outcome.error is None
    assert outcome.text == "whole answer"
    assert outcome.reasoning == "why"
    assert outcome.result is not None
    assert outcome.result.finish_reason == "stop"


def test_bodies_are_sent_as_json(runner: Runner) -> None:
    server = FakeServer(json_reply(completion("x")))
    runner.chat(make_client(server), hi(), PARAMS)
    body: dict[str, Any] = json.loads(server.requests[0].content)
    assert body["model"] == "MiniMax-M2.7"
