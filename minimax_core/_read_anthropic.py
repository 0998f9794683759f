"""The response reader of the Anthropic-compatible route: Messages API documents → the chunks the
assembler reads (the vocabulary of the OpenAI-shaped routes), so everything downstream — reasoning
and answer apart, tool-call fragments, usage, stop sequences, forced-call recovery — is shared.

One reader per answer (it remembers which content block is which). Mapping:

==========================================  ===================================================
Anthropic                                   chunk
==========================================  ===================================================
``thinking`` block / ``thinking_delta``     ``reasoning_details`` item (``type`` thinking,
                                            ``format`` :data:`ANTHROPIC_FORMAT`, ``index`` = the
                                            block's index, ``text``); ``signature_delta`` adds
                                            ``signature`` to the same item (kept for replay)
``redacted_thinking`` block                 ``reasoning_details`` item with its ``data``
``text`` block / ``text_delta``             ``content``
``tool_use`` block / ``input_json_delta``   ``tool_calls`` fragments (index = the call's ordinal)
``stop_reason``                             ``finish_reason`` (end_turn/stop_sequence → stop,
                                            max_tokens → length, tool_use → tool_calls,
                                            refusal → content_filter)
``usage`` (``message_start`` and the        ``usage``: prompt tokens = ``input_tokens`` (the
cumulative one in ``message_delta``)        uncached part) + cache reads + cache writes
``event: error``, a ``base_resp`` failure   the typed error (``_failures``)
``ping``, ``message_stop``, unknown types   nothing
==========================================  ===================================================
"""

from __future__ import annotations

import json
from typing import Any

from minimax_core._failures import raise_reported, validated
from minimax_core._http import ResponseMeta
from minimax_core._reasoning import ANTHROPIC_FORMAT
from minimax_core._wire import (
    AnthropicBlock,
    AnthropicDelta,
    AnthropicDoc,
    AnthropicUsage,
    ChatCompletion,
    Choice,
    FunctionDelta,
    Message,
    PromptTokensDetails,
    ToolCallDelta,
    Usage,
)

__all__ = ["FINISH_REASONS", "AnthropicReader"]

#: What one content block adds: (text, reasoning items, tool-call fragments).
Parts = tuple[str | None, list[dict[str, Any]] | None, list[ToolCallDelta] | None]

FINISH_REASONS = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "pause_turn": "stop",
    "max_tokens": "length",
    "tool_use": "tool_calls",
    "refusal": "content_filter",
}


#: The HTTP status each of the route's error types stands for (``docs/protocol-notes.md`` §8.2):
#: an error inside a stream (or in an HTTP-200 body) has no error status of its own, so its type
#: says what failed. A MiniMax code in the message (``(NNNN)``) still decides over it.
ERROR_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "overloaded_error": 529,
}


def _finish(stop_reason: str | None) -> str | None:
    return FINISH_REASONS.get(stop_reason, stop_reason) if stop_reason else None


class AnthropicReader:
    """Reads one answer: call it with each JSON document (a whole message, or a stream event)."""

    __slots__ = ("_blocks", "_chunk", "_message", "_tools", "_usage")

    def __init__(self) -> None:
        self._blocks: dict[int, str] = {}  # content block index → its type
        self._tools: dict[int, int] = {}  # content block index → tool-call ordinal
        self._usage: dict[str, int] = {}
        # One chunk, refilled for every delta event: building three models per event cost
        # ~8 µs, a fifth of this route's per-event time (the assembler keeps no chunk).
        self._message = Message()
        self._chunk = ChatCompletion(choices=[Choice(delta=self._message)])

    def __call__(self, data: str | bytes, meta: ResponseMeta | None) -> ChatCompletion | None:
        doc = validated(
            AnthropicDoc,
            data,
            meta,
            "MiniMax sent data that is not a valid Anthropic-route payload",
        )
        reported = doc.error
        status = ERROR_STATUS.get(reported.type or "") if reported is not None else None
        if reported is not None and status is not None and reported.http_code is None:
            reported.http_code = status
        raise_reported(meta, doc)
        return self._read(doc)

    def _read(self, doc: AnthropicDoc) -> ChatCompletion | None:
        kind = doc.type
        if kind == "message" or (kind is None and doc.content is not None):
            return self._whole(doc)
        if kind == "message_start" and doc.message is not None:
            usage = self._add_usage(doc.message.usage)
            return ChatCompletion(id=doc.message.id, model=doc.message.model, usage=usage)
        if kind == "content_block_start" and doc.index is not None and doc.content_block:
            return self._delta(*self._start(doc.index, doc.content_block))
        if kind == "content_block_delta" and doc.index is not None and doc.delta is not None:
            return self._delta(*self._piece(doc.index, doc.delta.type, doc.delta))
        if kind == "message_delta":
            stop = doc.delta.stop_reason if doc.delta is not None else None
            usage = self._add_usage(doc.usage)
            return ChatCompletion(
                choices=[Choice(delta=Message(), finish_reason=_finish(stop))], usage=usage
            )
        return None  # ping, content_block_stop, message_stop, and what this reader does not know

    # -- whole messages -----------------------------------------------------------------------

    def _whole(self, doc: AnthropicDoc) -> ChatCompletion:
        text: list[str] = []
        details: list[dict[str, Any]] = []
        calls: list[ToolCallDelta] = []
        for index, block in enumerate(doc.content or ()):
            content, items, call = self._start(index, block)
            text.append(content or "")
            details.extend(items or ())
            calls.extend(call or ())
        message = Message(
            role="assistant",
            content="".join(text),
            reasoning_details=details or None,
            tool_calls=calls or None,
        )
        return ChatCompletion(
            id=doc.id,
            model=doc.model,
            choices=[Choice(message=message, finish_reason=_finish(doc.stop_reason))],
            usage=self._add_usage(doc.usage),
        )

    # -- blocks and deltas --------------------------------------------------------------------

    def _start(self, index: int, block: AnthropicBlock) -> Parts:
        """A content block as it starts (streamed) or whole (a complete message)."""
        self._blocks[index] = block.type
        if block.type == "thinking":
            item: dict[str, Any] = {
                "type": "thinking",
                "format": ANTHROPIC_FORMAT,
                "index": index,
                "text": block.thinking or "",
            }
            if block.signature:
                item["signature"] = block.signature
            return None, [item], None
        if block.type == "redacted_thinking":
            item = {"type": "redacted_thinking", "format": ANTHROPIC_FORMAT, "index": index}
            return None, [{**item, "text": "", "data": block.data or ""}], None
        if block.type == "text":
            return block.text or "", None, None
        if block.type == "tool_use":
            ordinal = self._tools.setdefault(index, len(self._tools))
            arguments = json.dumps(block.input, ensure_ascii=False) if block.input else ""
            function = FunctionDelta(name=block.name, arguments=arguments)
            return None, None, [ToolCallDelta(index=ordinal, id=block.id, function=function)]
        return None, None, None

    def _piece(self, index: int, kind: str | None, delta: AnthropicDelta) -> Parts:
        if kind == "text_delta":
            return delta.text or "", None, None
        if kind == "thinking_delta":
            return None, [{"index": index, "text": delta.thinking or ""}], None
        if kind == "signature_delta" and delta.signature:
            return None, [{"index": index, "signature": delta.signature}], None
        if kind == "input_json_delta" and index in self._tools:
            function = FunctionDelta(arguments=delta.partial_json or "")
            return None, None, [ToolCallDelta(index=self._tools[index], function=function)]
        return None, None, None

    def _delta(
        self,
        content: str | None,
        details: list[dict[str, Any]] | None,
        calls: list[ToolCallDelta] | None,
    ) -> ChatCompletion:
        message = self._message
        message.content = content
        message.reasoning_details = details
        message.tool_calls = calls
        return self._chunk

    # -- usage --------------------------------------------------------------------------------

    def _add_usage(self, usage: AnthropicUsage | None) -> Usage | None:
        """Usage so far: ``message_delta`` repeats the whole usage on MiniMax (and only the
        output count on Anthropic's own service), so later fields are merged over earlier ones."""
        if usage is None:
            return None
        for name in ("input_tokens", "output_tokens", "cache_creation_input_tokens"):
            value = getattr(usage, name)
            if value is not None:
                self._usage[name] = value
        if usage.cache_read_input_tokens is not None:
            self._usage["cache_read_input_tokens"] = usage.cache_read_input_tokens
        got = self._usage
        read = got.get("cache_read_input_tokens")
        written = got.get("cache_creation_input_tokens")
        prompt = got.get("input_tokens", 0) + (read or 0) + (written or 0)
        output = got.get("output_tokens", 0)
        details = None
        if read is not None or written is not None:
            details = PromptTokensDetails(cached_tokens=read, cache_creation_tokens=written)
        return Usage(
            prompt_tokens=prompt,
            completion_tokens=output,
            total_tokens=prompt + output,
            prompt_tokens_details=details,
        )
