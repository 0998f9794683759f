"""LangChain messages ⇄ ``minimax_core`` values.

Inbound, every message form LangChain users produce is accepted: plain and list content, OpenAI,
Anthropic (``tool_use`` / ``tool_result`` / ``thinking`` blocks) and v1 standard blocks, tool calls
in ``.tool_calls`` or only in ``additional_kwargs`` — and reasoning is carried back so the core can
replay it (``reasoning_details`` verbatim for MiniMax's own turns, plain text from other models).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    ChatMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.messages.ai import InputTokenDetails, OutputTokenDetails, UsageMetadata
from langchain_core.messages.tool import invalid_tool_call, tool_call, tool_call_chunk

import minimax_core as core
from minimax_core import reasoning_text_of, replayable_details

__all__ = ["to_ai_message", "to_chunk", "to_core_messages", "to_core_tools", "usage_metadata"]

PROVIDER = "minimax"
_ROLE_ALIASES = {"human": "user", "ai": "assistant", "developer": "system"}


def _invalid(message: str) -> core.InvalidInputError:
    return core.InvalidInputError(message)


def _block_text(block: Any) -> str | None:
    if isinstance(block, str):
        return block
    if isinstance(block, dict) and block.get("type") == "text":
        text = block.get("text")
        return text if isinstance(text, str) else ""
    return None


def _plain_text(content: str | list[Any], what: str) -> str:
    if isinstance(content, str):
        return content
    parts: list[str] = []
    for block in content:
        text = _block_text(block)
        if text is not None:
            parts.append(text)
        elif isinstance(block, dict) and block.get("type") in ("reasoning", "thinking"):
            continue
        else:
            kind = block.get("type") if isinstance(block, dict) else type(block).__name__
            raise _invalid(f"{what} content blocks of type {kind!r} are not supported by MiniMax")
    return "".join(parts)


def _image_url(block: dict[str, Any]) -> str | None:
    kind = block.get("type")
    if kind == "image_url":
        image = block.get("image_url")
        url = image.get("url") if isinstance(image, dict) else image
        return url if isinstance(url, str) else None
    if kind != "image":
        return None
    source = block.get("source")
    if isinstance(source, dict):  # Anthropic
        if source.get("type") == "base64":
            return f"data:{source.get('media_type')};base64,{source.get('data')}"
        url = source.get("url")
        return url if isinstance(url, str) else None
    if isinstance(block.get("url"), str):
        return str(block["url"])
    data = block.get("base64") or block.get("data")
    if isinstance(data, str):
        return f"data:{block.get('mime_type', 'image/png')};base64,{data}"
    return None


def _tool_result_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [_block_text(b) for b in content]
        if all(p is not None for p in parts):
            return "".join(p for p in parts if p is not None)
    return json.dumps(content, ensure_ascii=False, default=str)


def _user(message: BaseMessage, out: list[core.ChatMessage]) -> None:
    content = message.content
    name = getattr(message, "name", None)
    if isinstance(content, str):
        out.append(core.UserMessage(content, name=name))
        return
    parts: list[core.TextPart | core.ImagePart] = []
    for block in content:
        text = _block_text(block)
        if text is not None:
            parts.append(core.TextPart(text))
            continue
        if isinstance(block, dict) and block.get("type") == "tool_result":  # Anthropic
            out.append(
                core.ToolMessage(
                    tool_call_id=str(block.get("tool_use_id")),
                    content=_tool_result_text(block.get("content", "")),
                )
            )
            continue
        url = _image_url(block) if isinstance(block, dict) else None
        if url is None:
            kind = block.get("type") if isinstance(block, dict) else type(block).__name__
            raise _invalid(f"MiniMax chat does not accept {kind!r} content in a user message")
        detail = block.get("image_url", {}).get("detail") if isinstance(block, dict) else None
        parts.append(core.ImagePart(url, detail=detail if isinstance(detail, str) else None))
    if parts:
        out.append(core.UserMessage(parts, name=name))


def _assistant_calls(message: AIMessage) -> list[core.ToolCall]:
    calls = [
        core.ToolCall(id=str(c.get("id") or f"call_{i}"), name=c["name"], arguments=c["args"])
        for i, c in enumerate(message.tool_calls)
    ]
    calls += [
        core.ToolCall.from_history(
            str(c.get("id") or f"call_invalid_{i}"), str(c.get("name") or ""), c.get("args")
        )
        for i, c in enumerate(message.invalid_tool_calls)
        if c.get("name")
    ]
    if calls:
        return calls
    raw_calls = message.additional_kwargs.get("tool_calls")
    if isinstance(raw_calls, list):  # OpenAI format only in additional_kwargs
        for i, raw in enumerate(raw_calls):
            function = raw.get("function", {}) if isinstance(raw, dict) else {}
            calls.append(
                core.ToolCall.from_history(
                    str(raw.get("id") or f"call_{i}"),
                    str(function.get("name", "")),
                    function.get("arguments"),
                )
            )
    if not calls and isinstance(message.content, list):  # Anthropic tool_use blocks
        for i, block in enumerate(message.content):
            if isinstance(block, dict) and block.get("type") == "tool_use":
                calls.append(
                    core.ToolCall(
                        id=str(block.get("id") or f"call_{i}"),
                        name=str(block.get("name", "")),
                        arguments=dict(block.get("input") or {}),
                    )
                )
    return calls


def _reasoning(message: AIMessage) -> core.Reasoning | None:
    kwargs = message.additional_kwargs
    ours = message.response_metadata.get("model_provider") == PROVIDER
    details = replayable_details(kwargs.get("reasoning_details"), ours=ours)
    text = kwargs.get("reasoning_content")
    if not isinstance(text, str) or not text:
        text = reasoning_text_of(details) if details else ""
    if not text and isinstance(message.content, list):
        pieces = []
        for block in message.content:
            if isinstance(block, dict) and block.get("type") == "reasoning":
                pieces.append(str(block.get("reasoning") or ""))
            elif isinstance(block, dict) and block.get("type") == "thinking":
                pieces.append(str(block.get("thinking") or ""))
        text = "".join(pieces)
    raw = kwargs.get("raw_content")
    inline = raw if ours and isinstance(raw, str) else None
    reasoning = core.Reasoning(text=text, details=details, inline=inline)
    return reasoning if reasoning else None


def _assistant(message: AIMessage) -> core.AssistantMessage:
    content = message.content
    if isinstance(content, list):
        content = "".join(
            t
            for t in (_block_text(b) for b in content)
            if t is not None  # tool_use / reasoning / thinking blocks are read elsewhere
        )
    return core.AssistantMessage(
        content=content,
        tool_calls=_assistant_calls(message),
        reasoning=_reasoning(message),
        name=message.name,
    )


def to_core_messages(messages: Sequence[BaseMessage]) -> list[core.ChatMessage]:
    out: list[core.ChatMessage] = []
    for message in messages:
        role = message.type
        if isinstance(message, ChatMessage):
            role = _ROLE_ALIASES.get(message.role, message.role)
        if isinstance(message, SystemMessage) or role == "system":
            out.append(core.SystemMessage(_plain_text(message.content, "System message")))
        elif isinstance(message, HumanMessage) or role == "user":
            _user(message, out)
        elif isinstance(message, AIMessage):
            out.append(_assistant(message))
        elif role == "assistant":
            out.append(core.AssistantMessage(_plain_text(message.content, "Assistant message")))
        elif isinstance(message, ToolMessage):
            out.append(core.ToolMessage(message.tool_call_id, _tool_result_text(message.content)))
        else:
            raise _invalid(
                f"Unsupported message type {type(message).__name__} (role {role!r}); use "
                "SystemMessage, HumanMessage, AIMessage or ToolMessage."
            )
    return out


def to_core_tools(tools: Sequence[dict[str, Any]]) -> list[core.ToolDefinition]:
    """OpenAI-format tool dicts (as produced by ``convert_to_openai_tool``) → core tools."""
    out = []
    for tool in tools:
        if not (isinstance(tool, dict) and isinstance(tool.get("function"), dict)):
            # passed to invoke(tools=...) as is: convert it as bind_tools does (or fail clearly)
            from langchain_core.utils.function_calling import convert_to_openai_tool

            tool = convert_to_openai_tool(tool)
        function = tool.get("function", tool)
        out.append(
            core.ToolDefinition(
                name=function["name"],
                description=function.get("description") or "",
                parameters=function.get("parameters") or {},
            )
        )
    return out


def usage_metadata(usage: core.TokenUsage) -> UsageMetadata:
    meta = UsageMetadata(
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        total_tokens=usage.total_tokens,
    )
    details = InputTokenDetails()
    if usage.cached_tokens is not None:
        details["cache_read"] = usage.cached_tokens
    if usage.cache_creation_tokens is not None:
        details["cache_creation"] = usage.cache_creation_tokens
    if details:
        meta["input_token_details"] = details
    if usage.reasoning_tokens is not None:
        meta["output_token_details"] = OutputTokenDetails(reasoning=usage.reasoning_tokens)
    return meta


def _reasoning_kwargs(
    text: str, details: list[dict[str, Any]] | None, raw: str | None
) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    if text:
        kwargs["reasoning_content"] = text
    if details:
        kwargs["reasoning_details"] = details
    if raw:
        kwargs["raw_content"] = raw
    return kwargs


def response_metadata(result: core.ChatResult, model_name: str) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "model_provider": PROVIDER,
        "model_name": result.model or model_name,
        "finish_reason": result.finish_reason,
        "id": result.id,
        "request_id": result.request_id,
    }
    if result.empty_answer:
        meta["empty_answer"] = True
    if result.tool_call_recovered:
        meta["tool_call_recovered"] = True
    if result.search_info:
        meta["search_info"] = result.search_info
    if result.tool_choice_repairs:
        # MiniMax answered a forced tool choice in text; this many extra round trips fixed it.
        meta["tool_choice_repairs"] = result.tool_choice_repairs
    return meta


def to_ai_message(result: core.ChatResult, model_name: str) -> AIMessage:
    message = result.message
    reasoning = message.reasoning
    return AIMessage(
        content=message.content,
        additional_kwargs=_reasoning_kwargs(reasoning.text, reasoning.details, reasoning.inline)
        if reasoning
        else {},
        tool_calls=[tool_call(name=c.name, args=c.arguments, id=c.id) for c in message.tool_calls],
        invalid_tool_calls=[
            invalid_tool_call(name=c.name, args=c.raw_arguments, id=c.id, error=c.error)
            for c in result.invalid_tool_calls
        ],
        usage_metadata=usage_metadata(result.usage) if result.usage else None,
        response_metadata=response_metadata(result, model_name),
        id=result.id,
    )


def to_chunk(delta: core.ChatDelta) -> AIMessageChunk:
    # Only fields that carry something are passed: LangChain keeps every chunk of a stream, and
    # each explicitly passed field costs memory in every one of them (pydantic's fields-set).
    fields: dict[str, Any] = {"response_metadata": {"model_provider": PROVIDER}}
    if delta.reasoning or delta.reasoning_details or delta.raw_content:
        fields["additional_kwargs"] = _reasoning_kwargs(
            delta.reasoning, delta.reasoning_details, delta.raw_content
        )
    if delta.tool_call_chunks:
        fields["tool_call_chunks"] = [
            tool_call_chunk(name=c.name, args=c.arguments, id=c.id, index=c.index)
            for c in delta.tool_call_chunks
        ]
    if delta.usage:
        fields["usage_metadata"] = usage_metadata(delta.usage)
    return AIMessageChunk(content=delta.text, **fields)
