"""LlamaIndex ``ChatMessage`` ⇄ ``minimax_core`` values.

Reasoning travels as a :class:`ThinkingBlock`; what MiniMax needs to get it back verbatim
(``reasoning_details`` items, or the original ``<think>`` content) rides in the block's
``additional_information``. Tool calls are :class:`ToolCallBlock`\\ s (the llama-index-core 0.14
convention); calls only in ``additional_kwargs["tool_calls"]`` (older integrations) are read too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from llama_index.core.base.llms.types import (
    ChatMessage,
    ContentBlock,
    ImageBlock,
    MessageRole,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
)
from llama_index.core.llms.llm import ToolSelection
from llama_index.core.llms.utils import parse_partial_json

import minimax_core as core
from minimax_core import replayable_details

__all__ = [
    "PROVIDER",
    "openai_tool_calls",
    "response_blocks",
    "result_tool_calls",
    "to_core_messages",
    "tool_selections",
    "usage_kwargs",
]

PROVIDER = "minimax"
_SYSTEM_ROLES = {MessageRole.SYSTEM, MessageRole.DEVELOPER}
_ASSISTANT_ROLES = {MessageRole.ASSISTANT, MessageRole.CHATBOT, MessageRole.MODEL}


def _text(blocks: Sequence[Any]) -> str:
    return "".join(b.text for b in blocks if isinstance(b, TextBlock))


def _image_url(block: ImageBlock) -> str:
    if block.url is not None:
        return str(block.url)
    data = block.resolve_image(as_base64=True).read().decode("ascii")
    mime = block.image_mimetype or "image/png"
    return f"data:{mime};base64,{data}"


def _user(message: ChatMessage) -> core.UserMessage:
    parts: list[core.TextPart | core.ImagePart] = []
    for block in message.blocks:
        if isinstance(block, TextBlock):
            parts.append(core.TextPart(block.text))
        elif isinstance(block, ImageBlock):
            detail = block.detail if isinstance(block.detail, str) else None
            parts.append(core.ImagePart(_image_url(block), detail=detail))
        else:
            raise core.InvalidInputError(
                f"MiniMax chat does not accept {type(block).__name__} in a user message"
            )
    if all(isinstance(p, core.TextPart) for p in parts):
        return core.UserMessage("".join(p.text for p in parts if isinstance(p, core.TextPart)))
    return core.UserMessage(parts)


def _calls(message: ChatMessage) -> list[core.ToolCall]:
    calls = []
    for i, block in enumerate(message.blocks):
        if isinstance(block, ToolCallBlock):
            call_id = block.tool_call_id or f"call_{i}"
            calls.append(core.ToolCall.from_history(call_id, block.tool_name, block.tool_kwargs))
    if calls:
        return calls
    for i, raw_call in enumerate(message.additional_kwargs.get("tool_calls") or ()):
        data = raw_call if isinstance(raw_call, dict) else getattr(raw_call, "model_dump", dict)()
        function = data.get("function") or {}
        call_id = str(data.get("id") or f"call_{i}")
        name = str(function.get("name", ""))
        calls.append(core.ToolCall.from_history(call_id, name, function.get("arguments")))
    return calls


def _reasoning(message: ChatMessage) -> core.Reasoning | None:
    thinking = [b for b in message.blocks if isinstance(b, ThinkingBlock)]
    if not thinking:
        return None
    info: dict[str, Any] = {}
    for block in thinking:
        info.update(block.additional_information)
    ours = info.get("provider") == PROVIDER
    details = replayable_details(info.get("reasoning_details"), ours=ours)
    raw = info.get("raw_content")
    reasoning = core.Reasoning(
        text="".join(b.content or "" for b in thinking),
        details=details or None,
        inline=raw if ours and isinstance(raw, str) else None,
    )
    return reasoning if reasoning else None


def to_core_messages(messages: Sequence[ChatMessage]) -> list[core.ChatMessage]:
    out: list[core.ChatMessage] = []
    for message in messages:
        role = message.role
        if role in _SYSTEM_ROLES:
            out.append(core.SystemMessage(_text(message.blocks)))
        elif role == MessageRole.USER:
            out.append(_user(message))
        elif role in _ASSISTANT_ROLES:
            out.append(
                core.AssistantMessage(
                    content=_text(message.blocks),
                    tool_calls=_calls(message),
                    reasoning=_reasoning(message),
                )
            )
        elif role in (MessageRole.TOOL, MessageRole.FUNCTION):
            call_id = message.additional_kwargs.get("tool_call_id")
            if not call_id:
                raise core.InvalidInputError(
                    "A tool message needs additional_kwargs['tool_call_id'] (the id of the call "
                    "it answers)."
                )
            out.append(core.ToolMessage(str(call_id), message.content or ""))
        else:
            raise core.InvalidInputError(f"Unsupported message role {role!r}")
    return out


def thinking_block(
    text: str,
    details: list[dict[str, Any]] | None,
    raw: str | None,
    tokens: int | None,
) -> ThinkingBlock:
    info: dict[str, Any] = {"provider": PROVIDER}
    if details:
        info["reasoning_details"] = details
    if raw:
        info["raw_content"] = raw
    return ThinkingBlock(content=text, num_tokens=tokens, additional_information=info)


def response_blocks(result: core.ChatResult) -> list[ContentBlock]:
    """The blocks of a finished answer: thinking, text, tool calls."""
    message = result.message
    blocks: list[ContentBlock] = []
    reasoning = message.reasoning
    if reasoning:
        tokens = result.usage.reasoning_tokens if result.usage else None
        blocks.append(thinking_block(reasoning.text, reasoning.details, reasoning.inline, tokens))
    blocks.append(TextBlock(text=message.content))
    blocks.extend(
        ToolCallBlock(tool_call_id=c.id, tool_name=c.name, tool_kwargs=c.arguments)
        for c in message.tool_calls
    )
    blocks.extend(
        ToolCallBlock(tool_call_id=c.id, tool_name=c.name or "", tool_kwargs=c.raw_arguments)
        for c in result.invalid_tool_calls
    )
    return blocks


def openai_tool_calls(calls: Sequence[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """(id, name, raw arguments) → OpenAI-style dicts for ``message.additional_kwargs``.

    The calls are :class:`ToolCallBlock`\\ s first; this copy is for llama-index-core code that
    still looks in ``additional_kwargs["tool_calls"]`` (streamed structured output,
    ``process_streaming_objects``; chat engines' ``is_function``).
    """
    return [
        {"id": i, "type": "function", "function": {"name": n, "arguments": a}} for i, n, a in calls
    ]


def result_tool_calls(result: core.ChatResult) -> list[tuple[str, str, str]]:
    """(id, name, raw arguments) of every tool call of a finished answer, invalid ones included."""
    calls = [
        (c.id, c.name, c.raw_arguments or json.dumps(c.arguments, ensure_ascii=False))
        for c in result.message.tool_calls
    ]
    calls.extend((c.id or "", c.name or "", c.raw_arguments) for c in result.invalid_tool_calls)
    return calls


def usage_kwargs(usage: core.TokenUsage | None) -> dict[str, int]:
    """Token counts in LlamaIndex's convention (``ChatResponse.additional_kwargs``)."""
    if usage is None:
        return {}
    counts = {
        "prompt_tokens": usage.input_tokens,
        "completion_tokens": usage.output_tokens,
        "total_tokens": usage.total_tokens,
    }
    if usage.reasoning_tokens is not None:
        counts["reasoning_tokens"] = usage.reasoning_tokens
    if usage.cached_tokens is not None:
        counts["cached_tokens"] = usage.cached_tokens
    if usage.cache_creation_tokens is not None:
        counts["cache_creation_tokens"] = usage.cache_creation_tokens
    return counts


def tool_selections(message: ChatMessage) -> list[ToolSelection]:
    """Tool calls of a (possibly partial, while streaming) assistant message."""
    selections = []
    for block in message.blocks:
        if not isinstance(block, ToolCallBlock):
            continue
        kwargs = block.tool_kwargs
        if isinstance(kwargs, str):
            try:
                kwargs = parse_partial_json(kwargs) if kwargs.strip() else {}
            except (ValueError, TypeError):
                kwargs = {}
        selections.append(
            ToolSelection(
                tool_id=block.tool_call_id or "",
                tool_name=block.tool_name,
                tool_kwargs=kwargs if isinstance(kwargs, dict) else {},
            )
        )
    return selections
