"""Shared helpers for the emulator tests: an in-process ASGI client, a real server, SSE parsing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from minimax_emulator import EmulatorOptions, create_app
from minimax_emulator.testing import EmulatorServer

KEY = "sk-test"
AUTH = {"Authorization": f"Bearer {KEY}"}
MODEL = "MiniMax-M2.7"


def chat(content: str = "What is 7 times 8?", model: str = MODEL, **extra: Any) -> dict[str, Any]:
    return {"model": model, "messages": [{"role": "user", "content": content}], **extra}


def data_events(raw: bytes) -> list[str]:
    """The ``data:`` payloads of an SSE byte stream (text after ``data: ``)."""
    text = raw.decode("utf-8")
    events = [block for block in text.split("\n\n") if block.strip()]
    out = []
    for block in events:
        assert block.startswith("data: "), block
        out.append(block[len("data: ") :])
    return out


def json_events(raw: bytes) -> list[dict[str, Any]]:
    return [json.loads(item) for item in data_events(raw) if item != "[DONE]"]


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    writes: list[bytes] = field(default_factory=list)

    @property
    def body(self) -> bytes:
        return b"".join(self.writes)

    def json(self) -> Any:
        return json.loads(self.body)


def call_asgi(
    app: Any,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    method: str = "POST",
    raw_body: bytes | None = None,
    auth: bool = True,
) -> RawResponse:
    """Drive the ASGI app directly and keep every body write (to inspect ragged framing)."""
    payload = raw_body if raw_body is not None else json.dumps(body).encode()
    all_headers = {**(AUTH if auth else {}), "content-type": "application/json", **(headers or {})}
    path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": query.encode(),
        "headers": [(k.lower().encode(), v.encode()) for k, v in all_headers.items()],
    }
    sent = False
    response = RawResponse(0, {})

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": payload, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            response.status = message["status"]
            response.headers = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message.get("body"):
            response.writes.append(message["body"])

    asyncio.run(app(scope, receive, send))
    return response


@pytest.fixture
def app() -> Any:
    return create_app(EmulatorOptions())


@pytest.fixture
def client(app: Any) -> Iterator[httpx.Client]:
    """A synchronous httpx client bound to a fresh in-process app (no sockets)."""
    with httpx.Client(
        transport=_SyncASGI(app), base_url="http://emulator", headers=AUTH
    ) as http_client:
        yield http_client


class _SyncASGI(httpx.BaseTransport):
    """Run the ASGI app for each request on a private event loop (sync tests, no sockets)."""

    def __init__(self, app: Any) -> None:
        self._app = app

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raw = call_asgi(
            self._app,
            request.url.raw_path.decode(),
            headers={k: v for k, v in request.headers.items() if k.lower() != "content-length"},
            method=request.method,
            raw_body=request.read(),
            auth=False,
        )
        return httpx.Response(raw.status, headers=raw.headers, content=raw.body)


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer() as running:
        yield running


@pytest.fixture
def live(server: EmulatorServer) -> Iterator[EmulatorServer]:
    """The module's real server, with journal and fault counters cleared for this test."""
    server.clear()
    yield server
    server.clear()
