"""Building a chat request MiniMax accepts, and refusing bad input before anything is sent.

MiniMax rejects much of what OpenAI accepts (``docs/protocol-notes.md`` §3.1, §9.3): more
than one system message, temperature 0, tools without ``parameters``, tool results that do not
follow their call. :func:`prepare_chat` shapes the request accordingly (system messages merged,
sampling kept in range, no-argument tools given an empty object schema, ``strict`` dropped,
``max_completion_tokens``, ``reasoning_split``, ``thinking`` only where the model can switch it) and
raises :class:`InvalidInputError` for input that cannot be sent.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from minimax_core._assembler import ChatAssembler
from minimax_core._catalog import ModelInfo, model_info
from minimax_core._dialects import DIALECTS, Dialect
from minimax_core._forcing import ForcedTool, forcing_instruction
from minimax_core._types import (
    AssistantMessage,
    ChatMessage,
    ChatParams,
    ImagePart,
    SystemMessage,
    TextPart,
    ToolDefinition,
    ToolMessage,
    UserMessage,
)
from minimax_core._wire import ChatRequest, ToolSpec, WireMessage, WireToolCall
from minimax_core.errors import InvalidInputError

__all__ = ["ChatParams", "InvalidInputError", "PreparedChat", "prepare_chat"]

logger = logging.getLogger("minimax_core")

ThinkingMode = Literal["adaptive", "disabled"]
_RESERVED = frozenset({"model", "messages", "stream"})


@dataclass(slots=True)
class PreparedChat:
    """A request body ready to send, and how to read its answer."""

    body: bytes
    model: ModelInfo
    stream: bool
    expect_inline_reasoning: bool
    stop: list[str] | None
    forced: ForcedTool | None
    max_tool_calls: int | None

    def assembler(self) -> ChatAssembler:
        return ChatAssembler(
            expect_inline_reasoning=self.expect_inline_reasoning,
            stop=self.stop,
            forced=self.forced,
            max_tool_calls=self.max_tool_calls,
        )


def normalise_thinking(value: Any) -> ThinkingMode | None:
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("type")
    if value is True or value in ("adaptive", "enabled", "on"):
        return "adaptive"
    if value is False or value in ("disabled", "off"):
        return "disabled"
    raise InvalidInputError(
        f"thinking must be 'adaptive', 'disabled' (or {{'type': ...}}, True/False), got {value!r}"
    )


def _thinking(
    mode: ThinkingMode | None, info: ModelInfo, dialect: Dialect
) -> dict[str, str] | None:
    if mode is None:
        return None
    if info.thinking == "always" and info.known:
        if mode == "disabled":
            raise InvalidInputError(
                f"{info.id} always thinks: thinking='disabled' cannot be honoured. MiniMax-M3 can "
                "switch thinking off; MiniMax-Text-01 does not think."
            )
        return None
    if info.thinking == "none" and info.known:
        if mode == "adaptive":
            raise InvalidInputError(
                f"{info.id} does not think: thinking='adaptive' is not possible."
            )
        return None
    if not dialect.thinking:
        raise InvalidInputError(
            f"The {dialect.name!r} route cannot switch thinking; use api='openai' or 'native'."
        )
    return {"type": mode}


def _sampling(name: str, value: float | None, upper: float) -> float | None:
    if value is None:
        return None
    value = float(value)
    if value < 0:
        raise InvalidInputError(f"{name} must be >= 0, got {value}")
    if value == 0:
        logger.debug("%s=0 is outside MiniMax's range (0, %s]; sending 0.01", name, upper)
        return 0.01
    if value > upper:
        logger.warning("%s=%s is above MiniMax's maximum %s; sending %s", name, value, upper, upper)
        return upper
    return value


def _tool_spec(tool: ToolDefinition) -> ToolSpec:
    if not isinstance(tool.parameters, dict):
        raise InvalidInputError(f"Tool {tool.name!r}: parameters must be a JSON schema object")
    params = dict(tool.parameters)
    params.pop("strict", None)
    if params.get("type", "object") != "object":
        raise InvalidInputError(
            f"Tool {tool.name!r}: parameters must be a JSON schema of type 'object', "
            f"got type {params.get('type')!r}"
        )
    params["type"] = "object"
    params.setdefault("properties", {})
    try:
        return ToolSpec.model_validate(
            {
                "type": "function",
                "function": {
                    "name": tool.name,
                    "description": tool.description or None,
                    "parameters": params,
                },
            }
        )
    except ValidationError as exc:
        raise InvalidInputError(
            f"Tool {tool.name!r} is not valid for MiniMax: {exc.errors()[0]['msg']} (names: "
            "1-64 characters of letters, digits, '_', '-', '.')"
        ) from None


def _user_content(message: UserMessage, info: ModelInfo) -> str | list[dict[str, Any]]:
    if isinstance(message.content, str):
        return message.content
    if all(isinstance(p, TextPart) for p in message.content):
        return "".join(p.text for p in message.content if isinstance(p, TextPart))
    parts: list[dict[str, Any]] = []
    for part in message.content:
        if isinstance(part, TextPart):
            parts.append({"type": "text", "text": part.text})
        elif isinstance(part, ImagePart):
            if info.known and not info.vision:
                raise InvalidInputError(
                    f"{info.id} does not read images; MiniMax-M3 and MiniMax-Text-01 do."
                )
            image: dict[str, Any] = {"url": part.url}
            if part.detail:
                image["detail"] = part.detail
            parts.append({"type": "image_url", "image_url": image})
        else:
            raise InvalidInputError(f"Unsupported content part: {type(part).__name__}")
    return parts


def _wire_messages(
    messages: Sequence[ChatMessage], info: ModelInfo, dialect: Dialect, system_extra: list[str]
) -> list[WireMessage]:
    if not messages:
        raise InvalidInputError("messages must not be empty")
    system: list[str] = []
    out: list[WireMessage] = []
    open_calls: set[str] = set()  # ids of the latest assistant turn's calls, while answerable
    for message in messages:
        if isinstance(message, SystemMessage):
            if message.content:
                system.append(message.content)
            continue
        if isinstance(message, ToolMessage):
            if message.tool_call_id not in open_calls:
                raise InvalidInputError(
                    f"Tool result for call {message.tool_call_id!r} does not follow an assistant "
                    "message with that tool call. MiniMax requires each tool result right after "
                    "the assistant turn that made the call (error 2013 otherwise)."
                )
            out.append(
                WireMessage(role="tool", tool_call_id=message.tool_call_id, content=message.content)
            )
            continue
        open_calls = set()
        if isinstance(message, UserMessage):
            content = _user_content(message, info)
            out.append(WireMessage(role="user", content=content, name=message.name))
        elif isinstance(message, AssistantMessage):
            replay = dialect.replay(message.content, message.reasoning)
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
            open_calls = {call.id for call in message.tool_calls}
            out.append(
                WireMessage(
                    role="assistant",
                    content=replay.content,
                    name=message.name,
                    tool_calls=calls or None,
                    reasoning_details=replay.reasoning_details,
                    reasoning_content=replay.reasoning_content,
                )
            )
        else:
            raise InvalidInputError(f"Unsupported message type: {type(message).__name__}")
    system.extend(system_extra)
    if system:
        out.insert(0, WireMessage(role="system", content="\n\n".join(system)))
    return out


def _response_format(
    value: dict[str, Any] | None, info: ModelInfo, system_extra: list[str]
) -> dict[str, Any] | None:
    """``json_schema`` is sent where the model enforces it; ``json_object`` becomes an instruction.

    MiniMax accepts ``response_format`` on every model but only MiniMax-Text-01 enforces it
    (``docs/protocol-notes.md`` §3.1), so JSON mode is asked for in the prompt (schema optional)
    and the answer is parsed leniently by the caller.
    """
    if value is None:
        return None
    kind = value.get("type")
    if kind == "json_object":
        instruction = "Reply with one JSON object and nothing else: no prose, no code fences."
        schema = value.get("schema")
        if schema:
            instruction += " It must match this JSON schema: " + json.dumps(schema)
        system_extra.append(instruction)
        return None
    if kind != "json_schema":
        raise InvalidInputError(
            f"response_format type must be 'json_schema' or 'json_object', got {kind!r}"
        )
    if info.known and not info.json_schema:
        raise InvalidInputError(
            f"{info.id} does not enforce response_format json_schema (only MiniMax-Text-01 "
            "does); use tool calling (method='function_calling') for structured output."
        )
    return value


def _forced(params: ChatParams, tools: Sequence[ToolDefinition]) -> ForcedTool | None:
    choice = params.tool_choice
    if not tools or choice in (None, "auto", "none"):
        return None
    if choice in ("any", "required"):
        return ForcedTool(tuple(tools), None if len(tools) > 1 else tools[0].name)
    if choice not in {t.name for t in tools}:
        raise InvalidInputError(
            f"tool_choice={choice!r} names no bound tool (tools: {[t.name for t in tools]})"
        )
    return ForcedTool(tuple(tools), choice)


def prepare_chat(
    messages: Sequence[ChatMessage], params: ChatParams, *, api: str, stream: bool
) -> PreparedChat:
    """Validate and shape one chat request. Raises :class:`InvalidInputError` on bad input."""
    info = model_info(params.model)
    dialect = DIALECTS[api]
    if params.max_tokens is not None and params.max_tokens <= 0:
        raise InvalidInputError(f"max_tokens must be a positive integer, got {params.max_tokens}")
    if params.max_tokens is not None and info.known and params.max_tokens > info.max_output_tokens:
        raise InvalidInputError(
            f"max_tokens={params.max_tokens} is above {info.id}'s limit of "
            f"{info.max_output_tokens} output tokens"
        )
    reserved = _RESERVED.intersection(params.extra)
    if reserved:
        raise InvalidInputError(f"model_kwargs may not set {sorted(reserved)}")
    tools = list(params.tools or ())
    for tool in tools:
        if not isinstance(tool, ToolDefinition):
            raise InvalidInputError(
                f"A tool must be a ToolDefinition, got {type(tool).__name__} {tool!r:.80}: bind "
                "tools the framework's way (LangChain: bind_tools; LlamaIndex: chat_with_tools)."
            )
    if len({t.name for t in tools}) != len(tools):
        raise InvalidInputError(f"Tool names must be unique: {[t.name for t in tools]}")
    specs = [_tool_spec(t) for t in tools]
    forced = _forced(params, tools)
    system_extra = [forcing_instruction(forced)] if forced else []
    single_call = params.parallel_tool_calls is False and bool(tools)
    if single_call:
        system_extra.append("Call at most one tool per reply.")
    response_format = _response_format(params.response_format, info, system_extra)
    thinking = _thinking(normalise_thinking(params.thinking), info, dialect)
    stop = [s for s in params.stop or () if s] or None
    fields: dict[str, Any] = {
        "model": params.model,
        "messages": _wire_messages(messages, info, dialect, system_extra),
        "temperature": _sampling("temperature", params.temperature, info.max_temperature),
        "top_p": _sampling("top_p", params.top_p, 1.0),
        "stop": stop,
        "tools": specs or None,
        "tool_choice": "none" if tools and params.tool_choice == "none" else None,
        "response_format": response_format,
        "thinking": thinking,
        dialect.token_field: params.max_tokens,
    }
    if dialect.split_reasoning:
        fields["reasoning_split"] = True
    if stream:
        fields["stream"] = True
        if params.stream_usage:
            fields["stream_options"] = {"include_usage": True}
    fields.update(params.extra)
    try:
        request = ChatRequest.model_validate(fields)
    except ValidationError as exc:
        raise InvalidInputError(f"Invalid request: {exc}") from None
    split = fields.get("reasoning_split") is True
    inline = (
        info.reasons
        and thinking != {"type": "disabled"}
        and (dialect.inline_reasoning or (dialect.name == "openai" and not split))
    )
    return PreparedChat(
        body=request.to_json(),
        model=info,
        stream=stream,
        expect_inline_reasoning=inline,
        stop=stop,
        forced=forced,
        max_tool_calls=1 if single_call else None,
    )
