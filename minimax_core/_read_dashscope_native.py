"""The response reader of Model Studio's native DashScope protocol: a reply or stream event
(``{"output": {"choices": [...]}, "usage": {...}, "request_id": ...}``) → the chunk the shared
assembler reads.

Streams are read as increments (the builder asks for ``incremental_output``); ``finish_reason``
is the string ``"null"`` until the last event; usage (``input_tokens``, ``output_tokens``,
``output_tokens_details.reasoning_tokens``, ``prompt_tokens_details.cached_tokens``) rides on
every event and the last one wins. Web search results (``output.search_info``) are kept for the
result's metadata. Errors (``{"code", "message", "request_id"}``, ``event:error`` mid-stream, a
``base_resp``) go through the one error path.
"""

from __future__ import annotations

from minimax_core._failures import raise_reported, validated
from minimax_core._http import ResponseMeta
from minimax_core._wire import ChatCompletion, DashScopeDoc, DashScopeUsage, Usage

__all__ = ["DashScopeNativeReader"]


class DashScopeNativeReader:
    __slots__ = ()

    def __call__(self, data: str | bytes, meta: ResponseMeta | None) -> ChatCompletion | None:
        doc = validated(
            DashScopeDoc, data, meta, "Model Studio sent data that is not a valid DashScope payload"
        )
        raise_reported(meta, doc)
        output = doc.output
        choices = output.choices if output is not None else None
        for choice in choices or ():
            if choice.finish_reason == "null":
                choice.finish_reason = None
        return ChatCompletion(
            id=doc.request_id,
            request_id=doc.request_id,
            choices=choices,
            usage=_usage(doc.usage),
            search_info=output.search_info if output is not None else None,
        )


def _usage(usage: DashScopeUsage | None) -> Usage | None:
    if usage is None:
        return None
    total = usage.total_tokens or usage.input_tokens + usage.output_tokens
    return Usage(
        prompt_tokens=usage.input_tokens,
        completion_tokens=usage.output_tokens,
        total_tokens=total,
        completion_tokens_details=usage.output_tokens_details,
        prompt_tokens_details=usage.prompt_tokens_details,
    )
