"""Validation of ``POST …/anthropic/v1/messages`` bodies, and their mapping onto the brain's input.

Every rejection is a 2013 :class:`~.errors.ApiError` ("invalid params, …"), rendered by the route
as HTTP 400 ``invalid_request_error`` (docs/protocol-notes.md §8.2). The conversation is mapped to
the OpenAI-shaped messages the brain reads: ``system`` → a system message; an assistant turn →
``{"role":"assistant","content":<its text>,"tool_calls":[…]}`` (thinking left out: replayed
reasoning is not billed, as on the other routes); a user turn → a user message with its text, then
one ``{"role":"tool"}`` message per ``tool_result`` block (so the brain answers from the results
when the turn carries them).

Facts (docs/protocol-notes.md §6 and §8; MiniMax's Anthropic API reference) and the choices made
where sources are silent or disagree are noted at each check.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .catalog import MODELS, ModelInfo
from .errors import ApiError, invalid
from .signatures import signature_matches
from .tokens import PROMPT_OVERHEAD, content_text, message_tokens, tools_tokens
from .validation import ChatRequest, Tool

#: The route's documented model enum (M3-era API reference). M1, Text-01 and abab models, which
#: the other routes serve, are not in it: the emulator answers them "unknown model" here
#: (assumed; an unknown Claude id was once answered by M2.7 for a plan key, a single report).
ROUTE_MODELS = frozenset(
    {
        "MiniMax-M3",
        "MiniMax-M2.7",
        "MiniMax-M2.7-highspeed",
        "MiniMax-M2.5",
        "MiniMax-M2.5-highspeed",
        "MiniMax-M2.1",
        "MiniMax-M2.1-highspeed",
        "MiniMax-M2",
    }
)
_TEXT_PARTS = frozenset({"text", "image", "video"})
_ASSISTANT_ONLY = frozenset({"thinking", "redacted_thinking", "tool_use"})


@dataclass
class MessagesRequest:
    """A validated Messages request: the brain's view plus what only this route has."""

    chat: ChatRequest
    stop_sequences: list[str] = field(default_factory=list)


def _missing(path: str) -> ApiError:
    return invalid(f"binding: expr_path={path}, cause=missing required parameter")


def _mismatch(go_type: str, value: Any) -> ApiError:
    kinds = {bool: "bool", int: "number", float: "number", str: "string", list: "array"}
    kind = "null" if value is None else kinds.get(type(value), "object")
    return invalid(f"Mismatch type {go_type} with value {kind}")


def _string(value: Any, path: str, required: bool = True) -> str:
    if value is None and required:
        raise _missing(path)
    if value is not None and not isinstance(value, str):
        raise _mismatch("string", value)
    return value or ""


def _model(body: dict[str, Any]) -> tuple[str, ModelInfo]:
    model_id = _string(body.get("model"), "model")
    if not model_id:
        raise _missing("model")
    model = MODELS.get(model_id)
    if model is None or model_id not in ROUTE_MODELS:
        raise invalid(f"unknown model '{model_id}'")
    return model_id, model


def _max_tokens(body: dict[str, Any], model: ModelInfo) -> int:
    # Required, as in Anthropic's Messages API (MiniMax's reference lists it; whether MiniMax
    # rejects its absence is not recorded: assumed so). Limits: M3 524,288, M2.x 204,800.
    value = body.get("max_tokens")
    if value is None:
        raise _missing("max_tokens")
    if isinstance(value, bool) or not isinstance(value, int):
        raise _mismatch("int64", value)
    if value < 1:
        raise invalid("max tokens must be greater than 0")
    if value > model.max_output:
        raise invalid(f"model[{model.id}] does not support max tokens > {model.max_output}")
    return value


def _number(body: dict[str, Any], key: str) -> float | None:
    value = body.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise _mismatch("float64", value)
    return None if value is None else float(value)


def _sampling(body: dict[str, Any], model: ModelInfo) -> None:
    # ⚠ The M2.7-era page documents temperature (0, 1], the M3-era reference [0, 2]; live M2.7
    # accepted 0 on the OpenAI route (docs/protocol-notes.md §3.1). Assumed: the same range as the
    # emulator's other routes, (0, 1] (M3: (0, 2]), so clients that send 0 are caught in tests.
    temperature = _number(body, "temperature")
    if temperature is not None and not 0 < temperature <= model.max_temperature:
        raise invalid(f"temperature must be in (0, {model.max_temperature:g}]")
    top_p = _number(body, "top_p")
    if top_p is not None and not 0 < top_p <= 1:
        raise invalid("top_p must be in (0, 1]")
    top_k = body.get("top_k")  # documented as ignored; only its type is checked (assumed)
    if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int)):
        raise _mismatch("int64", top_k)
    for key in ("metadata", "output_config"):  # accepted and ignored (output_config.effort is
        value = body.get(key)  # honoured only by M3.1-Flash-Preview, not in this catalog)
        if value is not None and not isinstance(value, dict):
            raise _mismatch("map[string]interface {}", value)


def _stop_sequences(value: Any) -> list[str]:
    # The old parameter table says stop_sequences is ignored; the emulator honours them (as it
    # honours ``stop`` on the other routes), with stop_reason "stop_sequence" (older docs list it).
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise _mismatch("[]string", value)
    return [s for s in value if s]


def _thinks(body: dict[str, Any], model: ModelInfo) -> bool:
    """Whether the reply reasons. M2.x always think; M3: omitted → off on this route.

    ``{"type":"adaptive"}`` and ``{"type":"enabled","budget_tokens":N}`` both turn M3's thinking
    on (the reference documents adaptive; a live probe found enabled works too, 3/3 runs). ⚠ One
    report (2026-07) says the route rejected adaptive ("must be enabled or disabled"): not
    reproduced. ``budget_tokens`` is type-checked and otherwise ignored (reported ignored).
    """
    raw = body.get("thinking")
    if raw is None:
        return model.thinks and not model.thinking_switchable
    if not isinstance(raw, dict):
        raise _mismatch("anthropic.ThinkingConfig", raw)
    kind = raw.get("type")
    if kind not in {"enabled", "adaptive", "disabled"}:
        raise invalid(f"invalid thinking type: {kind}")
    budget = raw.get("budget_tokens")
    if budget is not None and (isinstance(budget, bool) or not isinstance(budget, int)):
        raise _mismatch("int64", budget)
    if not model.thinking_switchable:
        return model.thinks
    return bool(kind != "disabled")


def _system(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        raise _mismatch("string", value)
    texts: list[str] = []
    for index, block in enumerate(value):
        if not isinstance(block, dict) or block.get("type") != "text":
            raise invalid(f"system[{index}]: only text blocks are allowed")
        texts.append(_string(block.get("text"), f"system[{index}].text"))
    return "\n".join(texts)


def _tools(value: Any) -> list[Tool]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _mismatch("[]*anthropic.Tool", value)
    tools: list[Tool] = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise _mismatch("anthropic.Tool", item)
        kind = item.get("type")
        if kind not in (None, "custom"):  # server tools (web_search_…, bash_…): not offered
            raise invalid(f"invalid tool type: {kind}")
        name = _string(item.get("name"), f"tools[{index}].name")
        if not name:
            raise _missing(f"tools[{index}].name")
        schema = item.get("input_schema")
        if schema is None:
            raise _missing(f"tools[{index}].input_schema")
        if not isinstance(schema, dict):
            raise _mismatch("map[string]interface {}", schema)
        description = _string(item.get("description"), "", required=False)
        tools.append(Tool(name, description, schema))
    return tools


def _tool_choice(value: Any) -> str | None:
    """ "none" for the brain when tools are switched off, else the type (not enforced).

    The reference documents auto and none; any and tool (named) are accepted and, as on the
    OpenAI route, not enforced (assumed).
    """
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _mismatch("anthropic.ToolChoice", value)
    kind = value.get("type")
    if kind not in {"auto", "any", "none", "tool"}:
        raise invalid(f"invalid tool_choice type: {kind}")
    if kind == "tool" and not _string(value.get("name"), "tool_choice.name"):
        raise _missing("tool_choice.name")
    parallel = value.get("disable_parallel_tool_use")
    if parallel is not None and not isinstance(parallel, bool):
        raise _mismatch("bool", parallel)
    return str(kind)


def _check_text(block: dict[str, Any], where: str) -> None:
    _string(block.get("text"), f"{where}.text")


def _check_media(block: dict[str, Any], where: str) -> None:
    # image / video blocks (documented for M3) are accepted on every model and not looked at
    # (assumed: M2.x silently ignore images on the OpenAI route, docs/protocol-notes.md §3.1)
    source = block.get("source")
    if source is None:
        raise _missing(f"{where}.source")
    if not isinstance(source, dict):
        raise _mismatch("anthropic.Source", source)
    if source.get("type") not in {"base64", "url"}:
        raise invalid(f"{where}.source: invalid source type: {source.get('type')}")


def _check_thinking(block: dict[str, Any], where: str) -> None:
    thinking = _string(block.get("thinking"), f"{where}.thinking")
    signature = _string(block.get("signature"), f"{where}.signature", required=False)
    # Verified (the stricter reported behaviour, see .signatures); "" counts as unsigned, as a
    # streamed block's signature is "" until its signature_delta arrives.
    if signature and not signature_matches(thinking, signature):
        raise invalid(f"{where}: invalid signature in thinking block")


def _check_redacted(block: dict[str, Any], where: str) -> None:
    _string(block.get("data"), f"{where}.data")


def _check_tool_use(block: dict[str, Any], where: str) -> None:
    for key in ("id", "name"):
        if not _string(block.get(key), f"{where}.{key}"):
            raise _missing(f"{where}.{key}")
    arguments = block.get("input")
    if arguments is None:
        raise _missing(f"{where}.input")
    if not isinstance(arguments, dict):
        raise _mismatch("map[string]interface {}", arguments)


def _check_tool_result(block: dict[str, Any], where: str) -> None:
    if not _string(block.get("tool_use_id"), f"{where}.tool_use_id"):
        raise _missing(f"{where}.tool_use_id")
    content = block.get("content")
    if isinstance(content, list):
        for index, part in enumerate(content):
            if not isinstance(part, dict) or part.get("type") not in _TEXT_PARTS:
                raise invalid(f"{where}.content[{index}]: only text and image blocks are allowed")
            _BLOCK_CHECKS[part["type"]](part, f"{where}.content[{index}]")
    elif content is not None and not isinstance(content, str):
        raise _mismatch("string", content)
    is_error = block.get("is_error")
    if is_error is not None and not isinstance(is_error, bool):
        raise _mismatch("bool", is_error)


_BLOCK_CHECKS = {
    "text": _check_text,
    "image": _check_media,
    "video": _check_media,
    "thinking": _check_thinking,
    "redacted_thinking": _check_redacted,
    "tool_use": _check_tool_use,
    "tool_result": _check_tool_result,
}


def _blocks(content: Any, role: str, where: str) -> list[dict[str, Any]]:
    if content is None:
        raise _missing(f"{where}.content")
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    if not isinstance(content, list):
        raise _mismatch("string", content)
    for index, block in enumerate(content):
        path = f"{where}.content[{index}]"
        if not isinstance(block, dict):
            raise _mismatch("anthropic.ContentBlock", block)
        kind = block.get("type")
        wrong_role = (kind in _ASSISTANT_ONLY and role != "assistant") or (
            kind == "tool_result" and role != "user"
        )
        if wrong_role:
            raise invalid(f"{path}: content type {kind} is not allowed in a {role} message")
        check = _BLOCK_CHECKS.get(kind) if isinstance(kind, str) else None
        if check is None:
            raise invalid(f"{path}: invalid content type: {kind}")
        check(block, path)
    return content


def _text_of(blocks: list[dict[str, Any]]) -> str:
    return "\n".join(block["text"] for block in blocks if block.get("type") == "text")


def _assistant_turn(blocks: list[dict[str, Any]]) -> tuple[dict[str, Any], set[str]]:
    calls = [
        {
            "id": block["id"],
            "type": "function",
            "function": {
                "name": block["name"],
                "arguments": json.dumps(block["input"], ensure_ascii=False),
            },
        }
        for block in blocks
        if block.get("type") == "tool_use"
    ]
    message: dict[str, Any] = {"role": "assistant", "content": _text_of(blocks)}
    if calls:
        message["tool_calls"] = calls
    return message, {call["id"] for call in calls}


def _user_turn(blocks: list[dict[str, Any]], open_ids: set[str]) -> list[dict[str, Any]]:
    results = [block for block in blocks if block.get("type") == "tool_result"]
    out: list[dict[str, Any]] = []
    if len(results) < len(blocks) or not results:
        out.append({"role": "user", "content": _text_of(blocks)})
    for block in results:
        call_id = block["tool_use_id"]
        # A result must answer a tool_use of the assistant turn just before it; MiniMax answers
        # 2013 "tool id not found" otherwise (https://github.com/MiniMax-AI/MiniMax-M2/issues/76;
        # same wording as the OpenAI route's).
        if call_id not in open_ids:
            raise invalid(f"tool result's tool id({call_id}) not found")
        out.append(
            {"role": "tool", "tool_call_id": call_id, "content": content_text(block.get("content"))}
        )
    return out


def _conversation(raw: Any) -> list[dict[str, Any]]:
    if raw is None or raw == []:
        raise _missing("messages")
    if not isinstance(raw, list):
        raise _mismatch("[]*anthropic.Message", raw)
    mapped: list[dict[str, Any]] = []
    open_ids: set[str] = set()  # tool_use ids of the assistant turn just before
    for index, message in enumerate(raw):
        if not isinstance(message, dict):
            raise _mismatch("anthropic.Message", message)
        role = message.get("role")
        # user and assistant only: a "system" role here is 2013 (MiniMax-M2.7#43). The
        # role-play roles of the reference (user_system, group, …) are not emulated (assumed).
        if role not in {"user", "assistant"}:
            raise invalid(f"chat content has invalid message role: {role}")
        if index == 0 and role != "user":  # assumed, as in Anthropic's API
            raise invalid("messages: the first message must use the user role")
        blocks = _blocks(message.get("content"), role, f"messages[{index}]")
        if role == "user":
            mapped.extend(_user_turn(blocks, open_ids))
            open_ids = set()
        else:
            turn, open_ids = _assistant_turn(blocks)
            mapped.append(turn)
    return mapped


def validate_messages(body: Any) -> MessagesRequest:
    """Validate a Messages request body (every rejection is a 2013 ``ApiError``)."""
    if not isinstance(body, dict):
        raise _mismatch("anthropic.MessagesReq", body)
    model_id, model = _model(body)
    messages = _conversation(body.get("messages"))
    max_tokens = _max_tokens(body, model)
    system = _system(body.get("system"))
    if system is not None:
        messages.insert(0, {"role": "system", "content": system})
    raw_tools = body.get("tools")
    tools = _tools(raw_tools)
    tool_choice = _tool_choice(body.get("tool_choice"))
    _sampling(body, model)
    stop_sequences = _stop_sequences(body.get("stop_sequences"))
    thinks = _thinks(body, model)
    stream = body.get("stream")
    if stream is not None and not isinstance(stream, bool):
        raise _mismatch("bool", stream)
    per_message = [message_tokens(message) for message in messages]
    prompt_tokens = PROMPT_OVERHEAD + sum(per_message) + tools_tokens(raw_tools)
    if prompt_tokens > model.context_window:
        raise invalid("context window exceeds limit")
    chat = ChatRequest(
        route="anthropic",
        model=model,
        model_id=model_id,
        messages=messages,
        tools=tools,
        tool_choice=tool_choice,
        stream=bool(stream),
        thinks=thinks,
        max_tokens=max_tokens,
        prompt_tokens=prompt_tokens,
        per_message_tokens=per_message,
        tools_json=json.dumps(raw_tools, ensure_ascii=False) if tools else "",
    )
    return MessagesRequest(chat, stop_sequences)
