"""Validating a chat request and shaping it the way MiniMax accepts, before anything is sent.

MiniMax rejects much of what OpenAI accepts (``docs/protocol-notes.md`` §3.1, §9.3): more
than one system message, temperature 0, tools without ``parameters``, tool results that do not
follow their call. :func:`prepare_chat` checks the input (raising :class:`InvalidInputError` for
what cannot be sent) and shapes a route-neutral :class:`ChatPlan` — system messages merged,
sampling kept in range, no-argument tools given an empty object schema, ``strict`` dropped,
``thinking`` only where the model can switch it, forcing instructions added — which the route's
request builder (the dialect's ``body``) turns into bytes.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from minimax_core._catalog import ModelInfo, model_info
from minimax_core._dialects import Dialect, Reader
from minimax_core._forcing import ForcedTool, forcing_instruction
from minimax_core._schema import harden
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
from minimax_core.errors import InvalidInputError

__all__ = ["AnswerPlan", "ChatPlan", "PreparedChat", "normalise_thinking", "prepare_chat"]

logger = logging.getLogger("minimax_core")

ThinkingMode = Literal["adaptive", "disabled"]
_RESERVED = frozenset({"model", "messages", "stream"})
_TOOL_NAME = re.compile(r"^[A-Za-z0-9_\-.]{1,64}$")


@dataclass(frozen=True, slots=True)
class AnswerPlan:
    """How to read the answer to a request (what the response reader and assembler need)."""

    expect_inline_reasoning: bool
    stop: list[str] | None
    forced: ForcedTool | None
    max_tool_calls: int | None
    #: The route streams reasoning as increments by its grammar (no snapshot detection).
    incremental_reasoning: bool = False


@dataclass(frozen=True, slots=True)
class ChatPlan:
    """A validated request, shaped for MiniMax but for no route in particular."""

    params: ChatParams
    model: ModelInfo
    dialect: Dialect
    stream: bool
    #: The merged system prompt (the user's system messages, then our instructions).
    system: str
    #: The conversation without its system messages.
    messages: list[ChatMessage]
    tools: list[ToolDefinition]
    temperature: float | None
    top_p: float | None
    stop: list[str] | None
    thinking: ThinkingMode | None
    response_format: dict[str, Any] | None
    #: ``enable_search`` and its options, validated (Model Studio routes only).
    search: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class PreparedChat:
    """A request body ready to send, and how to read its answer."""

    body: bytes
    model: ModelInfo
    stream: bool
    answer: AnswerPlan
    #: The route's response reader, one per answer: a JSON document → a checked chunk (or
    #: ``None``: the document adds nothing).
    reader: Callable[[], Reader]

    @property
    def expect_inline_reasoning(self) -> bool:
        return self.answer.expect_inline_reasoning


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


def _thinking(mode: ThinkingMode | None, info: ModelInfo, dialect: Dialect) -> ThinkingMode | None:
    if mode is None:
        return None
    if not dialect.thinking:
        # Model Studio: thinking only, no switch and no budget (its MiniMax page).
        raise InvalidInputError(
            f"The {dialect.name!r} route cannot switch thinking (its models always think); leave "
            "thinking unset, or use api='openai', 'native' or 'anthropic'."
        )
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
            f"The {dialect.name!r} route cannot switch thinking; use api='openai', 'native' or "
            "'anthropic'."
        )
    return mode


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


def _tool(tool: object) -> ToolDefinition:
    """A tool as MiniMax accepts it: an object schema (no ``strict``), a name it allows."""
    if not isinstance(tool, ToolDefinition):
        raise InvalidInputError(
            f"A tool must be a ToolDefinition, got {type(tool).__name__} {tool!r:.80}: bind "
            "tools the framework's way (LangChain: bind_tools; LlamaIndex: chat_with_tools)."
        )
    if not isinstance(tool.parameters, dict):
        raise InvalidInputError(f"Tool {tool.name!r}: parameters must be a JSON schema object")
    params = harden(tool.parameters, tool.name)
    if params.get("type", "object") != "object":
        raise InvalidInputError(
            f"Tool {tool.name!r}: parameters must be a JSON schema of type 'object', "
            f"got type {params.get('type')!r}"
        )
    params["type"] = "object"
    params.setdefault("properties", {})
    if not isinstance(tool.name, str) or not _TOOL_NAME.match(tool.name):
        length = len(tool.name) if isinstance(tool.name, str) else 0
        problem = (
            f"its name has {length} characters, MiniMax allows at most 64 characters"
            if length > 64
            else "its name must be 1-64 characters of letters, digits, '_', '-', '.'"
        )
        raise InvalidInputError(f"Tool {tool.name!r} is not valid for MiniMax: {problem}")
    return ToolDefinition(tool.name, tool.description, params)


def _tools(params: ChatParams) -> list[ToolDefinition]:
    tools = [_tool(t) for t in params.tools or ()]
    if len({t.name for t in tools}) != len(tools):
        raise InvalidInputError(f"Tool names must be unique: {[t.name for t in tools]}")
    return tools


def _check_parts(message: UserMessage, info: ModelInfo) -> None:
    if isinstance(message.content, str):
        return
    for part in message.content:
        if isinstance(part, ImagePart):
            if info.known and not info.vision:
                raise InvalidInputError(
                    f"{info.id} does not read images; MiniMax-M3 and MiniMax-Text-01 do."
                )
        elif not isinstance(part, TextPart):
            raise InvalidInputError(f"Unsupported content part: {type(part).__name__}")


def _conversation(
    messages: Sequence[ChatMessage], info: ModelInfo
) -> tuple[list[str], list[ChatMessage]]:
    """(the system prompts, the rest), checked: each tool result right after its call."""
    if not messages:
        raise InvalidInputError("messages must not be empty")
    system: list[str] = []
    rest: list[ChatMessage] = []
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
        elif isinstance(message, UserMessage):
            _check_parts(message, info)
            open_calls = set()
        elif isinstance(message, AssistantMessage):
            open_calls = {call.id for call in message.tool_calls}
        else:
            raise InvalidInputError(f"Unsupported message type: {type(message).__name__}")
        rest.append(message)
    return system, rest


def _response_format(
    value: dict[str, Any] | None, info: ModelInfo, dialect: Dialect, system_extra: list[str]
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
    if not dialect.response_format:
        raise InvalidInputError(
            f"The {dialect.title} route has no response_format json_schema; use tool calling "
            "(method='function_calling') for structured output."
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


def _search(params: ChatParams, info: ModelInfo, dialect: Dialect) -> dict[str, Any] | None:
    """Model Studio's web search, where the route and the model have it; else a clear error."""
    if params.search_options and not params.enable_search:
        raise InvalidInputError("search_options needs enable_search=True")
    if not params.enable_search:
        return None
    if not dialect.web_search:
        raise InvalidInputError(
            f"Web search (enable_search) is a Model Studio feature; the {dialect.title} route "
            "has none. Use api='dashscope' or api='dashscope-native'."
        )
    if info.known and not info.web_search:
        raise InvalidInputError(
            f"{info.id} has no web search on Model Studio (MiniMax-M2.5 and "
            "MiniMax/MiniMax-M2.5 do)."
        )
    search: dict[str, Any] = {"enable_search": True}
    if params.search_options:
        search["search_options"] = dict(params.search_options)
    return search


def _check_prefill(params: ChatParams, dialect: Dialect) -> None:
    """Model Studio's "partial mode" (continue a trailing assistant message, asked for with
    ``partial: true``) is not offered for MiniMax models: refused instead of sent and ignored."""
    if not dialect.prefill and params.extra.get("partial"):
        raise InvalidInputError(
            f"The {dialect.title} route has no partial mode for MiniMax models (partial=True)."
        )


def _check_params(params: ChatParams, info: ModelInfo) -> None:
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


def plan_chat(
    messages: Sequence[ChatMessage], params: ChatParams, dialect: Dialect, *, stream: bool
) -> tuple[ChatPlan, AnswerPlan]:
    """Validate and shape one chat request (raises :class:`InvalidInputError` on bad input)."""
    info = model_info(params.model, dialect.name)
    _check_params(params, info)
    tools = _tools(params)
    forced = _forced(params, tools)
    instructions = [forcing_instruction(forced)] if forced else []
    single_call = params.parallel_tool_calls is False and bool(tools)
    if single_call:
        instructions.append("Call at most one tool per reply.")
    response_format = _response_format(params.response_format, info, dialect, instructions)
    thinking = _thinking(normalise_thinking(params.thinking), info, dialect)
    system, rest = _conversation(messages, info)
    _check_prefill(params, dialect)
    stop = [s for s in params.stop or () if s] or None
    temperature = params.temperature
    if temperature is None:
        temperature = info.default_temperature
    top_p = params.top_p if params.top_p is not None else info.default_top_p
    plan = ChatPlan(
        params=params,
        model=info,
        dialect=dialect,
        stream=stream,
        system="\n\n".join([*system, *instructions]),
        messages=rest,
        tools=tools,
        temperature=_sampling("temperature", temperature, info.max_temperature),
        top_p=_sampling("top_p", top_p, 1.0),
        stop=stop,
        thinking=thinking,
        response_format=response_format,
        search=_search(params, info, dialect),
    )
    split = dialect.split_reasoning and params.extra.get("reasoning_split", True) is True
    inline = (
        info.reasons
        and thinking != "disabled"
        and (dialect.inline_reasoning or (dialect.name == "openai" and not split))
    )
    answer = AnswerPlan(
        inline, stop, forced, 1 if single_call else None, dialect.incremental_reasoning
    )
    return plan, answer


def prepare_chat(
    messages: Sequence[ChatMessage], params: ChatParams, *, api: str, stream: bool
) -> PreparedChat:
    """Validate, shape and build one chat request for route ``api``."""
    from minimax_core._config import dialect as dialect_of

    dialect = dialect_of(api)
    plan, answer = plan_chat(messages, params, dialect, stream=stream)
    return PreparedChat(
        body=dialect.body(plan),
        model=plan.model,
        stream=stream,
        answer=answer,
        reader=dialect.reader,
    )
