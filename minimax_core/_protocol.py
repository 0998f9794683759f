"""Reading MiniMax's answers: pure interpreters for whole replies and a decoder for streams.

Both end in the same :class:`~minimax_core._assembler.ChatAssembler`, and every error carrier (an
HTTP error status, an HTTP-200 ``base_resp`` failure, a JSON error answering a stream request, an
error object inside a stream) goes through the one error path in ``_failures``.
"""

from __future__ import annotations

from dataclasses import replace

from minimax_core._assembler import ChatAssembler
from minimax_core._failures import check_status, malformed, parse_embeddings
from minimax_core._http import ResponseMeta
from minimax_core._request import PreparedChat
from minimax_core._sse import SSEDecoder, SSEEvent
from minimax_core._types import ChatDelta, ChatResult
from minimax_core.errors import (
    APITimeoutError,
    MalformedResponseError,
    MiniMaxError,
    StreamInterruptedError,
)

__all__ = ["ChatStreamDecoder", "interpret_chat", "interpret_embeddings"]


def _assembler(prepared: PreparedChat) -> ChatAssembler:
    answer = prepared.answer
    return ChatAssembler(
        expect_inline_reasoning=answer.expect_inline_reasoning,
        stop=answer.stop,
        forced=answer.forced,
        max_tool_calls=answer.max_tool_calls,
        incremental_reasoning=answer.incremental_reasoning,
    )


def interpret_chat(prepared: PreparedChat, meta: ResponseMeta, body: bytes) -> ChatResult:
    """A whole (non-streamed) chat reply → :class:`ChatResult`, or the error it reports."""
    check_status(meta, body)
    assembler = _assembler(prepared)
    chunk = prepared.reader()(body, meta)
    if chunk is None:
        raise malformed(f"MiniMax sent a reply that holds no answer: {body[:200]!r}", meta)
    assembler.feed(chunk)
    assembler.close(streamed=False)
    return assembler.result(meta.request_id)


def interpret_embeddings(expected: int, meta: ResponseMeta, body: bytes) -> list[list[float]]:
    vectors = parse_embeddings(body, meta).vectors
    if vectors is None or len(vectors) != expected:
        got = "no vectors" if vectors is None else f"{len(vectors)} vectors"
        raise malformed(f"Asked for {expected} embeddings, got {got}", meta)
    return vectors


class ChatStreamDecoder:
    """SSE bytes → :class:`ChatDelta` items; ``result()`` once the stream is over.

    One per streamed call: :meth:`begin` starts each attempt afresh (a retried attempt's answer
    replaces the failed one's), so the stream object that owns this decoder always reports the
    answer of the attempt that was read.
    """

    __slots__ = ("_assembler", "_done", "_event_meta", "_meta", "_prepared", "_read", "_sse")

    def __init__(self, prepared: PreparedChat) -> None:
        self._prepared = prepared
        self._sse = SSEDecoder()
        self._assembler = _assembler(prepared)
        self._read = prepared.reader()
        self._meta: ResponseMeta | None = None
        self._event_meta: ResponseMeta | None = None
        self._done = False

    def begin(self, meta: ResponseMeta) -> None:
        if self._meta is not None:  # a retry: forget the failed attempt
            self._sse = SSEDecoder()
            self._assembler = _assembler(self._prepared)
            self._read = self._prepared.reader()
            self._done = False
        self._meta = meta
        # An event's status is the stream's 200, whatever its headers said at the start.
        self._event_meta = replace(meta, status=200)

    @property
    def started(self) -> bool:
        return self._meta is not None

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
        chunk = self._read(data, self._event_meta)
        return None if chunk is None else self._assembler.feed(chunk)

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
            check_status(meta, body)
        if body.lstrip().startswith((b"data:", b"event:", b":")):
            # An event stream with the wrong content-type (some proxies): decode it as one.
            return [*self.feed(body), *self.close()]
        chunk = self._read(body, meta)
        if chunk is None:
            raise malformed(f"MiniMax sent a reply that holds no answer: {body[:200]!r}", meta)
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
