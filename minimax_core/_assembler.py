"""Turning MiniMax chunks (or one whole completion) into deltas and a final :class:`ChatResult`.

One code path for both: a non-streamed completion is fed as a single "whole" document, so the
streamed and the non-streamed answer are the same by construction. Handles every stream quirk of
``docs/protocol-notes.md`` §4: reasoning as ``reasoning_details`` (incremental or cumulative), as
``reasoning_content`` or inline ``<think>``; tool-call fragments by ``index``; usage from the
usage-only chunk (all-zero usage on ordinary chunks ignored); the native route's final summary used
for usage only; a stream that ends without a ``finish_reason`` is an error, never a silently
truncated answer.
"""

from __future__ import annotations

import warnings
from typing import Any

from minimax_core._forcing import ForcedTool, recover_call
from minimax_core._reasoning import ReasoningDetailsAccumulator, SnapshotAccumulator
from minimax_core._stops import StopMatcher
from minimax_core._think import ThinkSplitter
from minimax_core._toolcalls import ToolCallAssembler
from minimax_core._types import (
    AssistantMessage,
    ChatDelta,
    ChatResult,
    Reasoning,
    TokenUsage,
    ToolCallChunk,
)
from minimax_core._wire import ChatCompletion, Usage
from minimax_core.errors import StreamInterruptedError

__all__ = ["ChatAssembler", "EmptyAnswerWarning", "token_usage"]


class EmptyAnswerWarning(UserWarning):
    """The model used its whole output budget on reasoning and gave no visible answer."""


def token_usage(usage: Usage) -> TokenUsage:
    details = usage.completion_tokens_details
    prompt_details = usage.prompt_tokens_details
    total = usage.total_tokens or usage.prompt_tokens + usage.completion_tokens
    return TokenUsage(
        input_tokens=usage.prompt_tokens,
        output_tokens=usage.completion_tokens,
        total_tokens=total,
        reasoning_tokens=details.reasoning_tokens if details is not None else None,
        cached_tokens=prompt_details.cached_tokens if prompt_details is not None else None,
        cache_creation_tokens=(
            prompt_details.cache_creation_tokens if prompt_details is not None else None
        ),
    )


class ChatAssembler:
    def __init__(
        self,
        *,
        expect_inline_reasoning: bool = False,
        stop: list[str] | None = None,
        forced: ForcedTool | None = None,
        max_tool_calls: int | None = None,
        incremental_reasoning: bool = False,
    ) -> None:
        self._splitter = ThinkSplitter(expect_inline_reasoning)
        self._stop = StopMatcher(stop) if stop else None
        self._forced = forced
        self._tools = ToolCallAssembler(max_tool_calls)
        self._details = ReasoningDetailsAccumulator(incremental=incremental_reasoning)
        self._reasoning_content = SnapshotAccumulator(incremental=incremental_reasoning)
        self._think: list[str] = []
        self._raw: list[str] = []
        self._text: list[str] = []
        self._structured = False
        self._content_seen = False
        self._seen_delta = False
        self.id: str | None = None
        self.model: str | None = None
        self.finish_reason: str | None = None
        self.usage: TokenUsage | None = None
        self.search_info: dict[str, Any] | None = None
        self.request_id: str | None = None
        self._recovered = False
        self._call_missing = False

    # ----------------------------------------------------------------------------------------

    def feed(self, chunk: ChatCompletion) -> ChatDelta:
        """Take one chunk (or a whole completion); return what it adds."""
        delta = ChatDelta(id=chunk.id, model=chunk.model)
        if self.id is None:
            self.id = chunk.id
        if self.model is None:
            self.model = chunk.model
        usage = chunk.usage
        if usage is not None and not usage.is_empty:
            # Reported once, on the closing delta: the native route repeats it in its summary.
            self.usage = token_usage(usage)
        if chunk.search_info:
            self.search_info = chunk.search_info
        if self.request_id is None and chunk.request_id:
            self.request_id = chunk.request_id  # a body's id (Model Studio's native protocol)
        for choice in chunk.choices or ():
            if choice.index != 0:
                continue
            message = choice.delta
            summary = False
            if message is None:
                message = choice.message
                if message is not None and self._seen_delta:
                    # The native stream's final summary repeats the whole message: its text is
                    # not new; only its usage, and a finish_reason the chunks did not carry.
                    message = None
                    summary = True
            else:
                self._seen_delta = True
            if message is not None:
                self._message(
                    message.content, message.reasoning_details, message.reasoning_content, delta
                )
                if message.tool_calls:
                    delta.tool_call_chunks = self._tools.add(message.tool_calls)
            if choice.finish_reason and not (summary and self.finish_reason):
                self.finish_reason = delta.finish_reason = choice.finish_reason
        return delta

    def _message(
        self,
        content: str | None,
        details: list[dict[str, Any]] | None,
        reasoning_content: str | None,
        delta: ChatDelta,
    ) -> None:
        if details:
            text, items = self._details.add(details)
            self._structured = True
            delta.reasoning += text
            if items:
                delta.reasoning_details = items
        if reasoning_content and not self._details:
            piece = self._reasoning_content.add(reasoning_content)
            if piece:
                self._structured = True
                delta.reasoning += piece
        if content:
            if not self._content_seen:
                self._content_seen = True
                if self._structured:
                    # The reasoning came in its own field (native M1): the content is the answer.
                    # Do not hold it back waiting for a "</think>" that will never come.
                    self._splitter = ThinkSplitter(expect_reasoning=False)
            splitter = self._splitter
            reasoning, answer = splitter.feed(content)
            # The raw content is kept only while it may have to be replayed with its <think>.
            if splitter.may_be_inline:
                self._raw.append(content)
            elif self._raw:
                self._raw.clear()
            self._emit(reasoning, answer, delta)

    def _emit(self, reasoning: str, answer: str, delta: ChatDelta) -> None:
        if reasoning:
            self._think.append(reasoning)
            if not self._structured:
                delta.reasoning += reasoning
        if answer and self._stop is not None:
            answer = self._stop.feed(answer)
        if answer:
            self._text.append(answer)
            delta.text += answer

    @property
    def partial_text(self) -> str:
        """The visible answer received so far."""
        return "".join(self._text)

    # ----------------------------------------------------------------------------------------

    def close(self, *, streamed: bool) -> ChatDelta:
        """End of input: flush held-back text, recover a forced call, check completeness.

        Raises :class:`StreamInterruptedError` for a stream that never sent a ``finish_reason``.
        A forced tool call that is missing and cannot be recovered from the text is reported as
        ``ChatResult.tool_call_missing`` (the adapters decide: an error, or a parsing failure).
        """
        delta = ChatDelta()
        reasoning, answer = self._splitter.close()
        self._emit(reasoning, answer, delta)
        if self._stop is not None:
            tail = self._stop.close()
            if tail:
                self._text.append(tail)
                delta.text += tail
            if self._stop.stopped and self.finish_reason in (None, "length"):
                self.finish_reason = "stop"
        if self._splitter.saw_tag:
            delta.raw_content = "".join(self._raw)
        delta.usage = self.usage
        if streamed and self.finish_reason is None:
            raise StreamInterruptedError(
                "The stream ended before MiniMax finished the answer (no finish_reason): the "
                "connection was closed or cut. The partial answer is in `partial_text`.",
                partial_text=self.partial_text,
            )
        if self._forced is not None and not self._holds_forced_call(self._forced):
            call = recover_call(self.partial_text, self._forced)
            if call is None:
                self._call_missing = True
            else:
                index = self._tools.add_call(call)
                self._recovered = True
                delta.tool_call_chunks = [
                    ToolCallChunk(
                        index=index, id=call.id, name=call.name, arguments=call.raw_arguments or ""
                    )
                ]
        return delta

    def _holds_forced_call(self, forced: ForcedTool) -> bool:
        """Any call, or for a named ``tool_choice`` a call of that tool (MiniMax does not enforce
        a named choice: a call of another tool does not count)."""
        if forced.name is None:
            return bool(self._tools)
        return forced.name in self._tools.names()

    def result(self, request_id: str | None = None) -> ChatResult:
        calls, invalid = self._tools.finish()
        text = "".join(self._text)
        reasoning = self._reasoning()
        empty = self.finish_reason == "length" and bool(reasoning) and not text and not calls
        if empty:
            warnings.warn(
                "MiniMax spent the whole output budget on reasoning and returned no visible "
                "answer (finish_reason='length'). Raise max_tokens: reasoning counts against it.",
                EmptyAnswerWarning,
                stacklevel=2,
            )
        return ChatResult(
            message=AssistantMessage(content=text, tool_calls=calls, reasoning=reasoning),
            finish_reason=self.finish_reason,
            usage=self.usage,
            id=self.id,
            model=self.model,
            request_id=request_id or self.request_id,
            invalid_tool_calls=invalid,
            empty_answer=empty,
            tool_call_recovered=self._recovered,
            tool_call_missing=self._call_missing,
            required_tool=self._forced.name if self._forced is not None else None,
            search_info=self.search_info,
        )

    def _reasoning(self) -> Reasoning | None:
        details = self._details.items() if self._details else None
        if details:
            text = self._details.text
        elif self._reasoning_content.text:
            text = self._reasoning_content.text
        else:
            text = "".join(self._think)
        inline = "".join(self._raw) if self._splitter.saw_tag else None
        reasoning = Reasoning(text=text, details=details, inline=inline)
        return reasoning if reasoning else None
