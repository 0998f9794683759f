"""A record-and-replay HTTP/1.1 server in front of the MiniMax emulator: the emulator's exact bytes,
served at memcpy speed.

Why it exists: a sequential call's latency is client CPU + server CPU + two loopback hops. The
emulator is a full ASGI application (uvicorn, request validation, the rule-based "model", the
journal); measured on this 2-core machine it spends several hundred microseconds per request,
about as long as a whole raw-httpx round trip, and that constant would be added to every client
alike, pulling every ratio towards 1. For streams it re-generates and re-serialises thousands of
events per request. This server asks the emulator once per distinct request (the first call of each
client, made during warm-up) and afterwards replays the recorded response byte for byte: the same
status line, headers, chunked framing, SSE events (``reasoning_content`` + ``reasoning_details``
chunks, content chunks, ``finish_reason``, the usage chunk, ``[DONE]``), native-route summary
object and, on the Anthropic route (``/anthropic/v1/messages``), the ``event:``/``data:`` grammar
(``message_start`` … ``message_stop``). Only the server's cost changes, so what is left to measure
is the client.

Requests are matched on method, path (with query), the ``X-Emulator`` header and the exact body
bytes, so every client gets the answer to *its own* request (e.g. ``reasoning_split`` or not).
On a miss the credentials and content headers are forwarded (``Authorization``, and the
Anthropic route's ``x-api-key`` / ``anthropic-version`` / ``anthropic-beta``), so the recorded
answer is the one the emulator gives that client.
``GET /_replay/stats`` reports hits and misses; the benchmark checks that measured calls are hits.

Run: ``python -m benchmarks.replay_server --upstream http://127.0.0.1:PORT [--port 0]``; the first
line printed is ``replay-server listening on http://HOST:PORT``. Loopback only; no dependencies
beyond ``httptools`` (and ``uvloop`` when installed), both part of the emulator extra.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import socket
import sys
from urllib.parse import urlsplit

import httptools

_DROP_HEADERS = (b"connection:", b"keep-alive:")
_FORWARD_HEADERS = (
    b"authorization",
    b"content-type",
    b"x-emulator",
    b"accept",
    b"x-api-key",
    b"anthropic-version",
    b"anthropic-beta",
)


def fetch_raw(
    upstream: tuple[str, int], method: bytes, path: bytes, headers: list[bytes], body: bytes
) -> bytes:
    """One request to the upstream with ``Connection: close``; the raw response, re-headed for
    keep-alive (the upstream's ``connection`` header dropped). Blocking: used on misses only."""
    head = [
        method + b" " + path + b" HTTP/1.1",
        b"Host: upstream",
        b"Connection: close",
        b"Content-Length: " + str(len(body)).encode(),
    ]
    head.extend(headers)
    with socket.create_connection(upstream, timeout=60) as sock:
        sock.sendall(b"\r\n".join(head) + b"\r\n\r\n" + body)
        parts = []
        while data := sock.recv(1 << 20):
            parts.append(data)
    raw = b"".join(parts)
    header_block, sep, payload = raw.partition(b"\r\n\r\n")
    if not sep:
        raise RuntimeError(f"upstream answered without a header block: {raw[:200]!r}")
    lines = [
        line for line in header_block.split(b"\r\n") if not line.lower().startswith(_DROP_HEADERS)
    ]
    if not any(
        line.lower().startswith((b"content-length:", b"transfer-encoding:")) for line in lines[1:]
    ):
        lines.append(b"content-length: " + str(len(payload)).encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + payload


class Replay:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.cache: dict[tuple[bytes, bytes, bytes, bytes], bytes] = {}
        self.hits = 0
        self.misses = 0

    def answer(self, method: bytes, path: bytes, headers: dict[bytes, bytes], body: bytes) -> bytes:
        if path == b"/_replay/stats":
            payload = json.dumps(
                {"hits": self.hits, "misses": self.misses, "entries": len(self.cache)}
            ).encode()
            return (
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
                + str(len(payload)).encode()
                + b"\r\n\r\n"
                + payload
            )
        key = (method, path, headers.get(b"x-emulator", b""), body)
        cached = self.cache.get(key)
        if cached is not None:
            self.hits += 1
            return cached
        self.misses += 1
        forward = [
            name + b": " + value for name, value in headers.items() if name in _FORWARD_HEADERS
        ]
        response = fetch_raw(self.upstream, method, path, forward, body)
        self.cache[key] = response
        return response


class ReplayProtocol(asyncio.Protocol):
    def __init__(self, replay: Replay) -> None:
        self.replay = replay
        self.parser = httptools.HttpRequestParser(self)
        self.transport: asyncio.Transport | None = None
        self.url = b""
        self.headers: dict[bytes, bytes] = {}
        self.body: list[bytes] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's is not a subclass
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            assert self.transport is not None
            self.transport.write(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
            self.transport.close()

    # httptools callbacks
    def on_message_begin(self) -> None:
        self.url, self.headers, self.body = b"", {}, []

    def on_url(self, url: bytes) -> None:
        self.url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers[name.lower()] = value

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        assert self.transport is not None
        method = self.parser.get_method()
        try:
            response = self.replay.answer(method, self.url, self.headers, b"".join(self.body))
        except Exception as exc:  # an upstream failure must be visible, not a hang
            message = repr(exc).encode()
            response = (
                b"HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\ncontent-length: "
                + str(len(message)).encode()
                + b"\r\n\r\n"
                + message
            )
        self.transport.write(response)
        if not self.parser.should_keep_alive():
            self.transport.close()


async def serve(host: str, port: int, upstream: str) -> None:
    parts = urlsplit(upstream)
    replay = Replay((parts.hostname or "127.0.0.1", parts.port or 80))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: ReplayProtocol(replay), host, port, backlog=2048)
    bound = server.sockets[0].getsockname()
    print(f"replay-server listening on http://{bound[0]}:{bound[1]}", flush=True)
    async with server:
        await server.serve_forever()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--upstream", required=True, help="the emulator's base URL")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is optional
        runner = asyncio.run
    else:
        runner = uvloop.run
    with contextlib.suppress(KeyboardInterrupt):  # interactive stop
        runner(serve(args.host, args.port, args.upstream))
    return 0


if __name__ == "__main__":
    sys.exit(main())
