"""uvicorn wiring shared by the command and :class:`~minimax_emulator.testing.EmulatorServer`.

``HeaderCoalescingProtocol`` is uvicorn's httptools protocol with one change: the status line and
headers of a response that has a ``content-length`` are held back and written together with its
body, so a non-streamed reply is one ``send()`` (one TCP segment) instead of two. That saves the
client a wake-up per request. Streamed responses (chunked) are untouched, so their headers still
leave before ``latency_ms``/``chunk_ms`` pauses.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any, cast

import uvicorn

from .app import EmulatorApp

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover - httptools not installed
    HttpToolsProtocol = None  # type: ignore[assignment,misc]


class _HeaderHoldingTransport:
    """Delegates to a real transport; holds a content-length header block until the body."""

    def __init__(self, transport: asyncio.Transport) -> None:
        self._transport = transport
        self._held = b""

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self._held:
            data, self._held = self._held + bytes(data), b""
        elif (
            data[:9] == b"HTTP/1.1 "
            and data[-4:] == b"\r\n\r\n"
            and b"\r\ncontent-length: " in data
            and b"\r\ncontent-length: 0\r\n" not in data
        ):
            self._held = bytes(data)
            return
        self._transport.write(data)

    def close(self) -> None:
        if self._held:
            self._transport.write(self._held)
            self._held = b""
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


if HttpToolsProtocol is not None:

    class HeaderCoalescingProtocol(HttpToolsProtocol):
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self.transport = cast(asyncio.Transport, _HeaderHoldingTransport(transport))


def bind_socket(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening TCP socket (``port=0``: a free port)."""
    # proto=IPPROTO_TCP: asyncio only sets TCP_NODELAY on accepted sockets that say so
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def uvicorn_config(
    app: EmulatorApp, log_level: str = "warning", http: str = "auto", loop: str = "auto"
) -> uvicorn.Config:
    protocol: Any = http
    if http == "auto" and HttpToolsProtocol is not None:
        protocol = HeaderCoalescingProtocol
    return uvicorn.Config(
        app,
        log_level=log_level,
        access_log=False,
        lifespan="off",
        http=protocol,
        loop=loop,
        timeout_keep_alive=30,
        timeout_graceful_shutdown=2,
        backlog=2048,
        server_header=False,
        date_header=False,
    )
