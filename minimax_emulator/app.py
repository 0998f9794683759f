"""A thin ASGI dispatcher (no framework on the hot path). Routes match by path suffix, so any
prefix works (``/some/prefix/v1/chat/completions``)."""

from __future__ import annotations

import json

from .catalog import MODELS_LIST_BODY
from .errors import ApiError, openai_error
from .handlers import UNPARSED, Handlers, Incoming, new_request_id
from .journal import Journal, RecordedRequest
from .options import NO_FAULTS, EmulatorOptions
from .transport import (
    Receive,
    Scope,
    Send,
    id_headers,
    quiet_disconnect_logs,
    send_plain,
)
from .validation import parse_body

_ROUTES: tuple[tuple[str, str], ...] = (
    ("/compatible-mode/v1/chat/completions", "dashscope"),
    ("/api/v1/services/aigc/text-generation/generation", "dashscope_native"),
    ("/v1/chat/completions", "openai"),
    ("/anthropic/v1/messages", "anthropic"),
    ("/v1/text/chatcompletion_v2", "native"),
    ("/v1/embeddings", "embeddings"),
    ("/v1/models", "models"),
    ("/_emulator/requests", "journal"),
    ("/_emulator/health", "health"),
)
_METHODS = {
    "dashscope": {"POST"},
    "dashscope_native": {"POST"},
    "openai": {"POST"},
    "native": {"POST"},
    "anthropic": {"POST"},
    "embeddings": {"POST"},
    "models": {"GET"},
    "journal": {"GET", "DELETE"},
    "health": {"GET"},
}
_TEXT = (b"content-type", b"text/plain; charset=utf-8")


def match_route(path: str) -> str | None:
    trimmed = path.rstrip("/")
    for suffix, route in _ROUTES:
        if trimmed.endswith(suffix):
            return route
    return None


async def _read_body(receive: Receive) -> bytes:
    message = await receive()
    body: bytes = message.get("body", b"")
    if not message.get("more_body"):
        return body
    parts = [body]
    while message.get("more_body"):
        message = await receive()
        parts.append(message.get("body", b""))
    return b"".join(parts)


def _request_headers(headers: list[tuple[bytes, bytes]]) -> tuple[str, str, str, bool]:
    """(Authorization, X-Emulator, x-api-key, DashScope streaming asked) from the raw headers."""
    authorization, spec, x_api_key, sse = "", "", "", False
    for name, value in headers:
        lowered = name.lower()
        if lowered == b"authorization":
            authorization = value.decode("latin-1")
        elif lowered == b"x-emulator":
            spec = value.decode("latin-1")
        elif lowered == b"x-api-key":
            x_api_key = value.decode("latin-1")
        elif lowered == b"x-dashscope-sse":  # DashScope native: streaming is asked by header
            sse = sse or value.strip().lower() == b"enable"
        elif lowered == b"accept":
            sse = sse or b"text/event-stream" in value.lower()
    return authorization, spec, x_api_key, sse


class EmulatorApp:
    """The ASGI application. ``journal`` records requests; ``clear()`` resets journal and faults."""

    def __init__(self, options: EmulatorOptions | None = None) -> None:
        self.options = options or EmulatorOptions()
        self.journal = Journal(self.options.journal_limit)
        self.handlers = Handlers(self.options)
        quiet_disconnect_logs()

    @property
    def requests(self) -> list[RecordedRequest]:
        return self.journal.snapshot()

    def clear(self) -> None:
        self.journal.clear()
        self.handlers.clear()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            await self._lifespan(receive, send)
            return
        if kind != "http":
            return
        path: str = scope["path"]
        method: str = scope["method"]
        route = match_route(path)
        body = await _read_body(receive)
        if route is None:
            await send_plain(send, 404, b"404 page not found", [], NO_FAULTS, _TEXT)
            return
        if method not in _METHODS[route]:
            await send_plain(send, 405, b"405 method not allowed", [], NO_FAULTS, _TEXT)
            return
        if route == "health":
            await send_plain(send, 200, b'{"status":"ok"}', [], NO_FAULTS)
            return
        if route == "journal":
            await self._journal_endpoint(method, send)
            return
        parsed: object = UNPARSED
        parse_error: ApiError | None = None
        if method == "POST":
            try:
                parsed = parse_body(body)
            except ApiError as exc:
                parse_error = exc
        authorization, spec, x_api_key, sse = _request_headers(scope["headers"])
        query: bytes = scope.get("query_string", b"")
        self.journal.record(
            method,
            path,
            list(scope["headers"]),
            None if parsed is UNPARSED else parsed,
            query.decode("latin-1"),
        )
        if route == "models":
            await self._models(authorization, send)
            return
        incoming = Incoming(route, body, parsed, authorization, spec, x_api_key, sse)
        await self.handlers.handle(incoming, send, parse_error)

    async def _models(self, authorization: str, send: Send) -> None:
        request_id = new_request_id()
        try:
            self.handlers.check_key(authorization)
        except ApiError as err:
            status, body = openai_error(err, request_id)
            await send_plain(send, status, body, id_headers(request_id), NO_FAULTS)
            return
        await send_plain(send, 200, MODELS_LIST_BODY, id_headers(request_id), NO_FAULTS)

    async def _journal_endpoint(self, method: str, send: Send) -> None:
        if method == "DELETE":
            self.clear()
            await send_plain(send, 200, b'{"cleared":true}', [], NO_FAULTS)
            return
        items = [item.to_dict() for item in self.journal.snapshot()]
        body = json.dumps({"requests": items}, ensure_ascii=False).encode()
        await send_plain(send, 200, body, [], NO_FAULTS)

    @staticmethod
    async def _lifespan(receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return


def create_app(options: EmulatorOptions | None = None) -> EmulatorApp:
    """Build the emulator's ASGI application (use with uvicorn or ``httpx.ASGITransport``)."""
    return EmulatorApp(options)
