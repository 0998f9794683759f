"""ASGI send helpers: plain JSON responses and ragged SSE streams, with delays and disconnects."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from .options import Faults
from .sse import ragged_writes

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Headers = list[tuple[bytes, bytes]]

JSON_TYPE = (b"content-type", b"application/json; charset=utf-8")
SSE_TYPE = (b"content-type", b"text/event-stream")


class EmulatorDisconnect(Exception):
    """Raised after a partial stream to make the server drop the connection abruptly."""


class _DropDisconnectLogs(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, EmulatorDisconnect)


_FILTER = _DropDisconnectLogs()


def quiet_disconnect_logs() -> None:
    """Keep uvicorn from printing a traceback for every injected disconnect."""
    logger = logging.getLogger("uvicorn.error")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)


def id_headers(request_id: str) -> Headers:
    rid = request_id.encode()
    return [(b"trace-id", rid), (b"minimax-request-id", rid)]


async def _pause(ms: int) -> None:
    if ms > 0:
        await asyncio.sleep(ms / 1000)


async def send_plain(
    send: Send,
    status: int,
    body: bytes,
    headers: Headers,
    faults: Faults,
    content_type: tuple[bytes, bytes] = JSON_TYPE,
) -> None:
    await _pause(faults.first_byte_ms + faults.latency_ms)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [content_type, (b"content-length", str(len(body)).encode()), *headers],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def send_stream(
    send: Send, events: list[bytes], headers: Headers, faults: Faults, abort: bool
) -> None:
    """Write ``events`` as raggedly cut writes; ``abort``: drop the connection at the end."""
    await _pause(faults.first_byte_ms)
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [SSE_TYPE, (b"cache-control", b"no-cache"), *headers],
        }
    )
    await _pause(faults.latency_ms)
    writes = ragged_writes(events, per_event=faults.chunk_ms > 0)
    last = len(writes) - 1
    for index, chunk in enumerate(writes):
        if index and faults.chunk_ms:
            await _pause(faults.chunk_ms)
        more = abort or index != last
        await send({"type": "http.response.body", "body": chunk, "more_body": more})
    if abort:
        raise EmulatorDisconnect("X-Emulator disconnect_after: connection dropped on purpose")
    if not writes:
        await send({"type": "http.response.body", "body": b"", "more_body": False})
