"""Reading MiniMax's answers: pure interpreters for whole replies and a decoder for streams.

Both end in the same :class:`~minimax_core._assembler.ChatAssembler`, and both check every error
carrier through :func:`~minimax_core._wire.error_from_body`: an HTTP error status, an HTTP-200
``base_resp`` failure, a JSON error answering a stream request, an error object inside a stream.
"""

from __future__ import annotations

from minimax_core._request import PreparedChat
from minimax_core._sse import SSEDecoder, SSEEvent
from minimax_core._transport import ResponseMeta
from minimax_core._types import ChatDelta, ChatResult
from minimax_core._wire import ChatCompletion, EmbeddingsResponse, error_from_body, parse_chunk
from minimax_core.errors import (
    APITimeoutError,
    MalformedResponseError,
    MiniMaxError,
    StreamInterruptedError,
)

__all__ = ["ChatStreamDecoder", "interpret_chat", "interpret_embeddings"]


def _fail(error: Exception, meta: ResponseMeta | None) -> Exception:
    if isinstance(error, MiniMaxError) and meta is not None:
        error.headers = meta.headers
        error.request_id = error.request_id or meta.request_id
    return error


def _check(chunk: ChatCompletion | EmbeddingsResponse, meta: ResponseMeta | None) -> None:
    base = chunk.base_resp
    if (
        (meta is None or meta.status < 400)
        and getattr(chunk, "error", None) is None
        and (base is None or base.status_code == 0)
    ):
        # Nothing to report (every ordinary stream chunk): skip the request-id header lookups.
        return
    error = error_from_body(
        status_code=meta.status if meta else None,
        body=chunk,
        request_id=meta.request_id if meta else None,
    )
    if error is not None:
        raise _fail(error, meta)


def _check_status(meta: ResponseMeta, body: bytes) -> None:
    if meta.status >= 400:
        error = error_from_body(status_code=meta.status, body=body, request_id=meta.request_id)
        raise _fail(error or MalformedResponseError(f"HTTP {meta.status}"), meta)


def interpret_chat(prepared: PreparedChat, meta: ResponseMeta, body: bytes) -> ChatResult:
    """A whole (non-streamed) chat reply → :class:`ChatResult`, or the error it reports."""
    _check_status(meta, body)
    chunk = parse_chunk(body)
    _check(chunk, meta)
    assembler = prepared.assembler()
    assembler.feed(chunk)
    assembler.close(streamed=False)
    return assembler.result(meta.request_id)


def interpret_embeddings(expected: int, meta: ResponseMeta, body: bytes) -> list[list[float]]:
    _check_status(meta, body)
    try:
        reply = EmbeddingsResponse.model_validate_json(body)
    except ValueError:
        raise _fail(
            MalformedResponseError(
                f"MiniMax sent an embeddings reply that is not JSON: {body[:200]!r}"
            ),
            meta,
        ) from None
    _check(reply, meta)
    if reply.vectors is None or len(reply.vectors) != expected:
        got = "no vectors" if reply.vectors is None else f"{len(reply.vectors)} vectors"
        raise _fail(MalformedResponseError(f"Asked for {expected} embeddings, got {got}"), meta)
    return reply.vectors


class ChatStreamDecoder:
    """SSE bytes → :class:`ChatDelta` items; ``result()`` once the stream is over."""

    __slots__ = ("_assembler", "_done", "_meta", "_sse")

    def __init__(self, prepared: PreparedChat) -> None:
        self._sse = SSEDecoder()
        self._assembler = prepared.assembler()
        self._meta: ResponseMeta | None = None
        self._done = False

    def begin(self, meta: ResponseMeta) -> None:
        self._meta = meta

    def feed(self, data: bytes) -> list[ChatDelta]:
        out: list[ChatDelta] = []
        for event in self._sse.feed(data):
            delta = self._event(event)
            if delta:
                out.append(delta)
        return out

    def _event(self, event: SSEEvent) -> ChatDelta | None:
        if self._done:
            return None
        data = event.data
        if data == "[DONE]":
            self._done = True
            return None
        if not data or data.isspace():  # an empty `data:` line ("empty [DONE]"): nothing in it
            return None
        chunk = parse_chunk(data)
        _check(chunk, None if self._meta is None else ResponseMeta(200, self._meta.headers))
        return self._assembler.feed(chunk)

    def close(self) -> list[ChatDelta]:
        out: list[ChatDelta] = []
        for event in self._sse.close():
            try:
                delta = self._event(event)
            except MalformedResponseError:
                # An unterminated, cut-off last event: the finish check below reports it.
                continue
            if delta:
                out.append(delta)
        # `[DONE]` is the server saying the answer is complete, finish_reason or not; without it,
        # an answer that never got a finish_reason was cut off.
        final = self._assembler.close(streamed=not self._done)
        if final:
            out.append(final)
        return out

    def whole(self, body: bytes) -> list[ChatDelta]:
        meta = self._meta
        if meta is not None:
            _check_status(meta, body)
        if body.lstrip()[:5] == b"data:":
            # An event stream with the wrong content-type (some proxies): decode it as one.
            return [*self.feed(body), *self.close()]
        chunk = parse_chunk(body)
        _check(chunk, meta)
        first = self._assembler.feed(chunk)
        final = self._assembler.close(streamed=False)
        return [d for d in (first, final) if d]

    def interrupted(self, cause: MiniMaxError, *, delivered: bool = True) -> MiniMaxError:
        if delivered:
            what = "went silent" if isinstance(cause, APITimeoutError) else "broke"
            message = (
                f"The connection to MiniMax {what} in the middle of the answer ({cause}). The "
                "partial answer is in `partial_text`; it is not retried, to avoid duplicated text."
            )
        else:
            message = (
                f"The connection to MiniMax broke before any of the answer arrived ({cause}); "
                "every attempt (1 + max_retries) failed the same way."
            )
        return StreamInterruptedError(
            message,
            partial_text=self._assembler.partial_text,
            request_id=self._meta.request_id if self._meta else None,
        )

    def result(self) -> ChatResult:
        return self._assembler.result(self._meta.request_id if self._meta else None)
