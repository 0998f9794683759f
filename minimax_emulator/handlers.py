"""The API routes: auth → rate limit → injected faults → validation → brain → framing → send."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any

from . import embeddings, frame_anthropic, frame_dashscope, frame_dashscope_native, frame_minimax
from .anthropic_request import validate_messages
from .brain import respond
from .dashscope_request import validate_native
from .errors import (
    AUTH_MESSAGE,
    ApiError,
    anthropic_error,
    dashscope_error,
    dashscope_native_error,
    embeddings_error,
    fault_error,
    native_error,
    openai_error,
    tutorial_error_body,
)
from .faults import FaultState
from .frame_minimax import Exchange
from .options import TUTORIAL_ERRORS, EmulatorOptions, Faults, SpecError, merge, parse_spec
from .sse import apply_event_faults, dumps
from .tokens import PrefixCache
from .transport import Headers, Send, id_headers, send_plain, send_stream
from .validation import ChatRequest, validate_chat

UNPARSED = object()


def new_request_id() -> str:
    return os.urandom(16).hex()


@dataclass
class Incoming:
    """One API request as the dispatcher hands it over."""

    route: str  # "openai" | "native" | "dashscope" | "dashscope_native" | "anthropic" | …
    body: bytes
    parsed: Any  # the JSON body, or UNPARSED when it is not valid JSON
    authorization: str
    spec: str  # raw X-Emulator header ("" when absent)
    x_api_key: str = ""  # the x-api-key header (read on the Anthropic route only)
    sse: bool = False  # X-DashScope-SSE: enable / Accept: text/event-stream (DashScope native)


def carrier(route: str, err: ApiError, request_id: str, model: str) -> tuple[int, bytes]:
    """Render ``err`` the way ``route`` reports errors."""
    if route == "native":
        return native_error(err, request_id, model)
    if route == "embeddings":
        return embeddings_error(err)
    if route == "dashscope":
        return dashscope_error(err, request_id)
    if route == "dashscope_native":
        return dashscope_native_error(err, request_id)
    if route == "anthropic":
        return anthropic_error(err, request_id)
    return openai_error(err, request_id)


def bearer_key(authorization: str) -> str:
    scheme, _, key = authorization.strip().partition(" ")
    return key.strip() if scheme.lower() == "bearer" else ""


def spec_error_body(message: str, request_id: str) -> bytes:
    error = {"type": "emulator_error", "message": f"X-Emulator: {message}", "http_code": "400"}
    return dumps({"type": "error", "error": error, "request_id": request_id})


class Handlers:
    def __init__(self, options: EmulatorOptions) -> None:
        self.options = options
        self.state = FaultState()
        self.cache = PrefixCache()

    def clear(self) -> None:
        self.state.clear()
        self.cache.clear()

    def check_key(self, authorization: str) -> str:
        key = bearer_key(authorization)
        if not key or (self.options.api_keys and key not in self.options.api_keys):
            raise ApiError(1004, AUTH_MESSAGE)
        return key

    def anthropic_key(self, incoming: Incoming) -> str:
        """The Anthropic route takes ``x-api-key`` or ``Authorization: Bearer`` (both documented;
        docs/protocol-notes.md §1.2). Neither → 1004 with the recorded "login fail" text; a key
        that is not accepted → 2049 "invalid api key" (401 on this route, §8.2). When both are
        sent, either accepted key will do (assumed: clients such as Mini-Agent send both)."""
        sent = [
            key for key in (incoming.x_api_key.strip(), bearer_key(incoming.authorization)) if key
        ]
        if not sent:
            raise ApiError(1004, AUTH_MESSAGE)
        for key in sent:
            if not self.options.api_keys or key in self.options.api_keys:
                return key
        raise ApiError(2049, "invalid api key")

    async def handle(self, incoming: Incoming, send: Send, parse_error: ApiError | None) -> None:
        request_id = new_request_id()
        if incoming.route == "dashscope_native":
            request_id = frame_dashscope_native.uuid_form(request_id)
        headers: Headers = id_headers(request_id)
        if incoming.route in {"dashscope", "dashscope_native"}:
            headers = [(b"x-request-id", request_id.encode())]
        faults = self.options.faults
        if incoming.spec:
            try:
                faults = merge(faults, parse_spec(incoming.spec))
            except SpecError as exc:
                body = spec_error_body(str(exc), request_id)
                await send_plain(send, 400, body, headers, Faults())
                return
        parsed = incoming.parsed
        model = parsed.get("model") if isinstance(parsed, dict) else None
        model_id = model if isinstance(model, str) else ""
        try:
            await self._serve(incoming, send, parse_error, faults, request_id, headers, model_id)
        except ApiError as err:
            status, body = carrier(incoming.route, err, request_id, model_id)
            await send_plain(send, status, body, headers, faults)

    async def _serve(
        self,
        incoming: Incoming,
        send: Send,
        parse_error: ApiError | None,
        faults: Faults,
        request_id: str,
        headers: Headers,
        model_id: str,
    ) -> None:
        if incoming.route == "anthropic":
            api_key = self.anthropic_key(incoming)
        else:
            api_key = self.check_key(incoming.authorization)
        if await self._faulted(incoming, send, faults, headers, api_key, model_id):
            return
        if parse_error is not None:
            raise parse_error
        if incoming.route == "embeddings":
            await send_plain(send, 200, embeddings.handle(incoming.parsed), headers, faults)
            return
        if incoming.route == "anthropic":
            await self._anthropic(incoming, send, faults, request_id, headers, api_key)
            return
        if incoming.route == "dashscope_native":
            await self._dashscope_native(incoming, send, faults, request_id, headers, api_key)
            return
        req = validate_chat(incoming.parsed, incoming.route)
        if req.stream and faults.json_error_on_stream:
            raise fault_error(faults.json_error_on_stream, model_id)
        exchange = Exchange(
            req=req,
            reply=respond(req, faults),
            request_id=request_id,
            created=int(time.time()),
            cached_tokens=self._cached(api_key, req),
            faults=faults,
        )
        dashscope = req.route == "dashscope"
        if not req.stream:
            framer = frame_dashscope if dashscope else frame_minimax
            await send_plain(send, 200, framer.completion_body(exchange), headers, faults)
            return
        if dashscope:
            events = frame_dashscope.stream_events(exchange)
        else:
            events = frame_minimax.stream_events(exchange)

        def error_event(kind: str) -> bytes:
            err = fault_error(kind, model_id)
            if dashscope:
                return frame_dashscope.error_event(err, request_id)
            return frame_minimax.error_event(err, req.route, request_id, model_id)

        events, abort = apply_event_faults(events, faults, error_event)
        await send_stream(send, events, headers, faults, abort)

    async def _faulted(
        self,
        incoming: Incoming,
        send: Send,
        faults: Faults,
        headers: Headers,
        api_key: str,
        model_id: str,
    ) -> bool:
        """The rate limit and the injected ``fail=`` (raised) and ``tutorial_error=`` (answered
        here: True) faults, counted per (key, body, header) like every retried request."""
        if self.options.rpm is not None and self.state.over_rpm(
            api_key, self.options.rpm, window_s=self.options.rpm_window_s
        ):
            raise fault_error("429")
        fail = faults.fail
        if fail and self.state.should_fail(fail, api_key, incoming.body, incoming.spec):
            raise fault_error(fail.kind, model_id, fail.status)
        tutorial = faults.tutorial_error
        if tutorial and self.state.should_fail(  # counted apart from fail=
            tutorial, api_key, incoming.body, incoming.spec + "\0tutorial"
        ):
            body = tutorial_error_body(tutorial.kind, TUTORIAL_ERRORS[tutorial.kind])
            await send_plain(send, 200, body, headers, faults)
            return True
        return False

    async def _dashscope_native(
        self,
        incoming: Incoming,
        send: Send,
        faults: Faults,
        request_id: str,
        headers: Headers,
        api_key: str,
    ) -> None:
        native = validate_native(incoming.parsed, incoming.sse)
        req = native.chat
        if req.stream and faults.json_error_on_stream:
            raise fault_error(faults.json_error_on_stream, req.model_id)
        reply = respond(req, faults)
        exchange = Exchange(
            req, reply, request_id, int(time.time()), self._cached(api_key, req), faults
        )
        if not req.stream:
            body = frame_dashscope_native.completion_body(exchange)
            await send_plain(send, 200, body, headers, faults)
            return
        events = frame_dashscope_native.stream_events(exchange, native.incremental)
        after = faults.stream_error[0] if faults.stream_error else 0

        def error_event(kind: str) -> bytes:
            err = fault_error(kind, req.model_id)
            return frame_dashscope_native.error_event(err, request_id, min(after, len(events)) + 1)

        events, abort = apply_event_faults(events, faults, error_event)
        await send_stream(send, events, headers, faults, abort)

    async def _anthropic(
        self,
        incoming: Incoming,
        send: Send,
        faults: Faults,
        request_id: str,
        headers: Headers,
        api_key: str,
    ) -> None:
        parsed = validate_messages(incoming.parsed)
        req = parsed.chat
        if req.stream and faults.json_error_on_stream:
            raise fault_error(faults.json_error_on_stream, req.model_id)
        reply = respond(req, faults)
        stop_sequence = frame_anthropic.finish_reply(reply, parsed.stop_sequences)
        # Passive prompt caching (>= 512 tokens) reads as cache_read_input_tokens; M3 is reported
        # to get no cache reads on this route (https://github.com/earendil-works/pi/issues/5605).
        cached = 0 if req.model.thinking_switchable else self._cached(api_key, req)
        exchange = Exchange(req, reply, request_id, int(time.time()), cached, faults)
        turn = frame_anthropic.Turn(exchange, stop_sequence)
        if not req.stream:
            await send_plain(send, 200, frame_anthropic.message_body(turn), headers, faults)
            return

        def error_event(kind: str) -> bytes:
            return frame_anthropic.error_event(fault_error(kind, req.model_id), request_id)

        events, abort = apply_event_faults(frame_anthropic.stream_events(turn), faults, error_event)
        await send_stream(send, events, headers, faults, abort)

    def _cached(self, api_key: str, req: ChatRequest) -> int:
        return self.cache.cached_tokens(
            f"{api_key}\0{req.model_id}",
            req.tools_json,
            req.messages,
            req.per_message_tokens,
            req.prompt_tokens - sum(req.per_message_tokens),
        )
