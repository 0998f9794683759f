"""The request builder of the OpenAI-shaped routes (``openai``, ``native``, ``dashscope``): a
validated :class:`~minimax_core._request.ChatPlan` → the JSON body those routes accept.

All three take OpenAI's chat-completions shape with MiniMax's differences, which the dialect
table states (token-limit field, ``reasoning_split``, how reasoning is replayed). Building the
strict :class:`~minimax_core._wire.ChatRequest` model catches a mistake of ours before sending.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from minimax_core._types import (
    AssistantMessage,
    SystemMessage,
    TextPart,
    ToolDefinition,
    ToolMessage,
    UserMessage,
)
from minimax_core._wire import ChatRequest, ToolSpec, WireMessage, WireToolCall
from minimax_core.errors import InvalidInputError

if TYPE_CHECKING:
    from minimax_core._request import ChatPlan

__all__ = ["openai_body", "wire_messages", "wire_tools"]


def openai_body(plan: ChatPlan) -> bytes:
    """The body of one chat request on an OpenAI-shaped route."""
    dialect = plan.dialect
    fields: dict[str, Any] = {
        "model": plan.params.model,
        "messages": wire_messages(plan),
        "temperature": plan.temperature,
        "top_p": plan.top_p,
        "stop": plan.stop,
        "tools": wire_tools(plan) or None,
        "tool_choice": "none" if plan.tools and plan.params.tool_choice == "none" else None,
        "response_format": plan.response_format,
        "thinking": {"type": plan.thinking} if plan.thinking else None,
        dialect.token_field: plan.params.max_tokens,
    }
    if dialect.split_reasoning:
        fields["reasoning_split"] = True
    if plan.search:
        fields.update(plan.search)
    if plan.stream:
        fields["stream"] = True
        if plan.params.stream_usage:
            fields["stream_options"] = {"include_usage": True}
    fields.update(plan.params.extra)
    try:
        return ChatRequest.model_validate(fields).to_json()
    except ValidationError as exc:
        raise InvalidInputError(f"Invalid request: {exc}") from None


def wire_tools(plan: ChatPlan) -> list[ToolSpec]:
    """The plan's tools in OpenAI's shape."""
    return [_tool_spec(t) for t in plan.tools]


def _tool_spec(tool: ToolDefinition) -> ToolSpec:
    try:
        return ToolSpec.model_validate(
            {
                "type": "function",
                "function": {
                    "name": tool.name,
                    "description": tool.description or None,
                    "parameters": tool.parameters,
                },
            }
        )
    except ValidationError as exc:
        raise InvalidInputError(
            f"Tool {tool.name!r} is not valid for MiniMax: {exc.errors()[0]['msg']} (names: "
            "1-64 characters of letters, digits, '_', '-', '.')"
        ) from None


def _user_content(message: UserMessage) -> str | list[dict[str, Any]]:
    if isinstance(message.content, str):
        return message.content
    if all(isinstance(p, TextPart) for p in message.content):
        return "".join(p.text for p in message.content if isinstance(p, TextPart))
    parts: list[dict[str, Any]] = []
    for part in message.content:
        if isinstance(part, TextPart):
            parts.append({"type": "text", "text": part.text})
        else:
            image: dict[str, Any] = {"url": part.url}
            if part.detail:
                image["detail"] = part.detail
            parts.append({"type": "image_url", "image_url": image})
    return parts


def _assistant(plan: ChatPlan, message: AssistantMessage) -> WireMessage:
    replay = plan.dialect.replay(message.content, message.reasoning)
    calls = [
        WireToolCall.model_validate(
            {
                "id": call.id,
                "type": "function",
                "function": {
                    "name": call.name,
                    "arguments": call.raw_arguments
                    if call.raw_arguments is not None
                    else json.dumps(call.arguments, ensure_ascii=False),
                },
            }
        )
        for call in message.tool_calls
    ]
    return WireMessage(
        role="assistant",
        content=replay.content,
        name=message.name,
        tool_calls=calls or None,
        reasoning_details=replay.reasoning_details,
        reasoning_content=replay.reasoning_content,
    )


def wire_messages(plan: ChatPlan) -> list[WireMessage]:
    """The conversation in OpenAI's shape, reasoning replayed the dialect's way."""
    out: list[WireMessage] = []
    if plan.system:
        out.append(WireMessage(role="system", content=plan.system))
    for message in plan.messages:
        if isinstance(message, UserMessage):
            out.append(WireMessage(role="user", content=_user_content(message), name=message.name))
        elif isinstance(message, AssistantMessage):
            out.append(_assistant(plan, message))
        elif isinstance(message, ToolMessage):
            out.append(
                WireMessage(role="tool", tool_call_id=message.tool_call_id, content=message.content)
            )
        else:  # pragma: no cover - the plan holds no system message (merged into plan.system)
            assert isinstance(message, SystemMessage)
    return out
