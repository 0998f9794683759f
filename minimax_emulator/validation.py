"""Request validation: every rejection is a 2013 ``ApiError`` (DashScope: its own vocabulary)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from . import jsonfast
from .catalog import DASHSCOPE_MODELS, MODELS, ModelInfo
from .errors import ApiError, dashscope_model_not_found, invalid
from .tokens import PROMPT_OVERHEAD, message_tokens, tools_tokens

ROLES = frozenset(
    {"system", "user", "assistant", "tool", "user_system", "group", "sample_message_user",
     "sample_message_ai"}
)  # fmt: skip


#: Alibaba Model Studio's two APIs: compatible mode and the native DashScope API.
DASHSCOPE_ROUTES = frozenset({"dashscope", "dashscope_native"})


@dataclass
class Tool:
    name: str
    description: str
    parameters: dict[str, Any]


@dataclass
class ChatRequest:
    route: str  # "openai" | "native" | "dashscope" | "dashscope_native"
    model: ModelInfo
    model_id: str  # echoed verbatim in replies
    messages: list[dict[str, Any]]
    tools: list[Tool] = field(default_factory=list)
    tool_choice: Any = None
    stream: bool = False
    include_usage: bool = False
    reasoning_split: bool = False
    thinks: bool = False
    max_tokens: int | None = None
    stop: list[str] = field(default_factory=list)
    response_format: dict[str, Any] | None = None
    prompt_tokens: int = 0
    per_message_tokens: list[int] = field(default_factory=list)
    tools_json: str = ""
    search: str = "off"  # DashScope native web search: "off" | "auto" | "forced"


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if value is None:
        return "null"
    return "object"


def syntax_error_message(raw: bytes, pos: int) -> str:
    """The server's JSON syntax error text (a Go JSON decoder's description, quoted)."""
    size = len(raw)
    if pos >= size or pos < 0:
        lo, hi, left, right, reason = 0, size, 0, 0, "eof"
        pos = max(pos, size) if pos >= 0 else pos
    else:
        reason = "invalid char"
        width = 16
        lo, hi = pos - width, pos + width
        if lo < 0:
            lo, hi, width = 0, hi - lo, width + lo
        if hi > size:
            over = hi - size
            hi = size
            if lo > over:
                width += over
                lo -= over
        left = max(width, 0)
        right = max(hi - lo - width - 1, 0)
    source = raw[lo:hi].decode("utf-8", "replace")
    detail = f"Syntax error at index {pos}: {reason}\n\n\t{source}\n\t{'.' * left}^{'.' * right}\n"
    return "invalid params, " + json.dumps(detail, ensure_ascii=False)


def parse_body(raw: bytes) -> Any:
    try:
        return jsonfast.loads(raw)
    except UnicodeDecodeError as exc:
        raise ApiError(2013, syntax_error_message(raw, exc.start)) from None
    except json.JSONDecodeError as exc:
        pos = len(exc.doc[: exc.pos].encode("utf-8"))
        raise ApiError(2013, syntax_error_message(raw, pos)) from None


def _missing(path: str) -> ApiError:
    return invalid(f"binding: expr_path={path}, cause=missing required parameter")


def _mismatch(go_type: str, value: Any) -> ApiError:
    return invalid(f"Mismatch type {go_type} with value {_json_type(value)}")


def _number(body: dict[str, Any], key: str) -> float | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _mismatch("float64", value)
    return float(value)


def _check_sampling(body: dict[str, Any], model: ModelInfo, route: str) -> None:
    temperature = _number(body, "temperature")
    top_p = _number(body, "top_p")
    if route in DASHSCOPE_ROUTES:
        if temperature is not None and not 0 <= temperature < 2:
            raise invalid("Range of temperature should be [0.0, 2.0)")
        if top_p is not None and not 0 < top_p <= 1:
            raise invalid("Range of top_p should be (0.0, 1.0]")
        return
    if temperature is not None and not 0 < temperature <= model.max_temperature:
        raise invalid(f"temperature must be in (0, {model.max_temperature:g}]")
    if top_p is not None and not 0 < top_p <= 1:
        raise invalid("top_p must be in (0, 1]")


def _check_max_tokens(body: dict[str, Any], model: ModelInfo, route: str) -> int | None:
    value = body.get("max_completion_tokens")
    if value is None:
        value = body.get("max_tokens")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _mismatch("int64", value)
    if route in DASHSCOPE_ROUTES and not 1 <= value <= model.max_output:
        raise invalid(f"Range of max_tokens should be [1, {model.max_output}]")
    if value < 1:
        raise invalid("max tokens must be greater than 0")
    if value > model.max_output:
        raise invalid(f"model[{model.id}] does not support max tokens > {model.max_output}")
    return value


def _check_messages(messages: list[Any]) -> None:
    system_seen = False
    # ids of the assistant tool_calls that the current run of tool messages answers
    open_ids: set[str] | None = None
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            raise _mismatch("open_platform_oai.Message", message)
        role = message.get("role")
        if not isinstance(role, str) or role not in ROLES:
            raise invalid(f"chat content has invalid message role: {role}")
        content = message.get("content")
        if content is not None and not isinstance(content, (str, list)):
            raise _mismatch("string", content)
        if role == "system":
            if system_seen or index != 0:
                raise invalid("invalid chat setting")
            system_seen = True
        if role == "tool":
            if open_ids is None:
                raise invalid("tool call result does not follow tool call")
            call_id = message.get("tool_call_id")
            if not isinstance(call_id, str) or call_id not in open_ids:
                raise invalid(f"tool result's tool id({call_id or ''}) not found")
            continue
        open_ids = None
        calls = message.get("tool_calls") if role == "assistant" else None
        if isinstance(calls, list) and calls:
            open_ids = {
                c["id"] for c in calls if isinstance(c, dict) and isinstance(c.get("id"), str)
            }


def _check_tools(raw_tools: Any) -> list[Tool]:
    if raw_tools is None:
        return []
    if not isinstance(raw_tools, list):
        raise _mismatch("[]*open_platform_oai.Tool", raw_tools)
    tools: list[Tool] = []
    for index, item in enumerate(raw_tools):
        if not isinstance(item, dict):
            raise _mismatch("open_platform_oai.Tool", item)
        kind = item.get("type", "function")
        if kind == "web_search":
            raise invalid("web_search is not support")
        if kind != "function":
            raise invalid(f"invalid tool type: {kind}")
        function = item.get("function")
        if not isinstance(function, dict):
            raise _missing(f"tools[{index}].function")
        name = function.get("name")
        if not isinstance(name, str) or not name:
            raise _missing(f"tools[{index}].function.name")
        parameters = function.get("parameters")
        if isinstance(parameters, str):  # legacy clients send the schema JSON-encoded
            try:
                parameters = json.loads(parameters)
            except json.JSONDecodeError:
                raise _mismatch("map[string]interface {}", parameters) from None
        if parameters is None:
            raise _missing(f"tools[{index}].function.parameters")
        if not isinstance(parameters, dict):
            raise _mismatch("map[string]interface {}", parameters)
        description = function.get("description")
        tools.append(Tool(name, description if isinstance(description, str) else "", parameters))
    return tools


def _thinking_enabled(body: dict[str, Any], model: ModelInfo, route: str) -> bool:
    thinking = body.get("thinking")
    if thinking is None or route in DASHSCOPE_ROUTES:
        return model.thinks
    if not isinstance(thinking, dict):
        raise _mismatch("open_platform_oai.ThinkingConfig", thinking)
    kind = thinking.get("type", "adaptive")
    if kind not in {"adaptive", "enabled", "disabled"}:
        raise invalid(f"invalid thinking type: {kind}")
    if kind == "disabled" and model.thinking_switchable:
        return False
    return model.thinks


def _stop(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list) and all(isinstance(s, str) for s in value):
        return [s for s in value if s]
    raise _mismatch("[]string", value)


def _check_prompt_length(prompt_tokens: int, model: ModelInfo, route: str) -> None:
    if route == "dashscope_native":
        limit = model.max_input or model.context_window
        if prompt_tokens > limit:
            # the native API's wording in Model Studio's (qwen) examples; assumed for MiniMax
            raise invalid(f"Range of input length should be [1, {limit}]")
    if prompt_tokens > model.context_window:
        raise invalid("context window exceeds limit")


def validate_chat(body: Any, route: str) -> ChatRequest:
    """Validate a chat request body for ``route`` ("openai", "native", "dashscope", or
    "dashscope_native" with the body already mapped to these OpenAI-shaped fields)."""
    if not isinstance(body, dict):
        raise _mismatch("open_platform_oai.ChatCompletionReq", body)
    model_id = body.get("model")
    if model_id is None or model_id == "":
        raise _missing("model")
    if not isinstance(model_id, str):
        raise _mismatch("string", model_id)
    messages = body.get("messages")
    if messages is None or messages == []:
        raise _missing("messages")
    if not isinstance(messages, list):
        raise _mismatch("[]*open_platform_oai.Message", messages)
    dashscope = route in DASHSCOPE_ROUTES
    catalog = DASHSCOPE_MODELS if dashscope else MODELS
    model = catalog.get(model_id)
    if model is None:
        if dashscope:
            raise dashscope_model_not_found(model_id)
        raise invalid(f"unknown model '{model_id}'")
    _check_messages(messages)
    tools = _check_tools(body.get("tools"))
    _check_sampling(body, model, route)
    max_tokens = _check_max_tokens(body, model, route)
    thinks = _thinking_enabled(body, model, route)
    stream_options = body.get("stream_options")
    include_usage = isinstance(stream_options, dict) and bool(stream_options.get("include_usage"))
    response_format = body.get("response_format")
    per_message = [message_tokens(m) for m in messages]
    tools_json = json.dumps(body.get("tools"), ensure_ascii=False) if tools else ""
    prompt_tokens = PROMPT_OVERHEAD + sum(per_message) + tools_tokens(body.get("tools"))
    _check_prompt_length(prompt_tokens, model, route)
    return ChatRequest(
        route=route,
        model=model,
        model_id=model_id,
        messages=messages,
        tools=tools,
        tool_choice=body.get("tool_choice"),
        stream=bool(body.get("stream")),
        include_usage=include_usage,
        reasoning_split=bool(body.get("reasoning_split")) and not dashscope,
        thinks=thinks,
        max_tokens=max_tokens,
        stop=_stop(body.get("stop")),
        response_format=response_format if isinstance(response_format, dict) else None,
        prompt_tokens=prompt_tokens,
        per_message_tokens=per_message,
        tools_json=tools_json,
    )
