"""Validation of DashScope's native text-generation bodies
(``POST …/api/v1/services/aigc/text-generation/generation``, what the ``dashscope`` SDK's
``Generation.call`` sends), and their mapping onto the brain's input.

The body is ``{"model", "input": {"messages": [...]}, "parameters": {...}}``; messages are
OpenAI-shaped. ``parameters`` map onto the fields the compatible-mode route validates
(temperature in [0, 2), top_p in (0, 1], max_tokens up to the model's reasoning+answer limit,
stop, tools, tool_choice), so both routes of Model Studio check them alike. Streaming is chosen by
the request headers (``X-DashScope-SSE: enable`` or ``Accept: text/event-stream``), never by
``parameters.stream``. Unset sampling parameters default to temperature 1.0, top_p 0.95 and
presence_penalty 0.0 on the service (Model Studio's MiniMax page); the deterministic brain does
not sample, so they change nothing here.

Facts from Model Studio's MiniMax page: thinking is always on and cannot be configured
(``enable_thinking`` / ``thinking_budget`` are rejected), there is no structured output
(``response_format`` is rejected) and no partial mode (a trailing assistant message with
``"partial": true`` is rejected). Every rejection is a 400 ``InvalidParameter``; the wording of
the messages is assumed (modelled on the service's ``InvalidParameter`` texts), except the
unknown model's "Model not exist." (404 ``ModelNotFound``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .catalog import DASHSCOPE_MODELS, DASHSCOPE_SEARCH_MODELS
from .errors import ApiError, invalid
from .validation import ChatRequest, validate_chat

ROUTE = "dashscope_native"

#: ``parameters`` passed on to the compatible-mode checks under the same name.
_MAPPED = ("temperature", "top_p", "max_tokens", "stop", "tools", "tool_choice")
#: ``parameters`` MiniMax models on Model Studio do not take.
_UNSUPPORTED = {
    "enable_thinking": "thinking is always on and cannot be configured",
    "thinking_budget": "thinking is always on and cannot be configured",
    "response_format": "structured output is not supported",
}


@dataclass
class NativeRequest:
    """A validated native request: the brain's view plus what only this route has."""

    chat: ChatRequest
    incremental: bool  # parameters.incremental_output: each event carries only the new text


def _field(value: Any, path: str, kind: type, type_name: str) -> None:
    if value is not None and not isinstance(value, kind):
        raise invalid(f"Input should be a valid {type_name}: {path}")


def _messages(body: dict[str, Any]) -> list[Any]:
    payload = body.get("input")
    if payload is None:
        raise invalid("Field required: input")
    _field(payload, "input", dict, "dictionary")
    messages = payload.get("messages")
    prompt = payload.get("prompt")
    if messages is None and isinstance(prompt, str) and prompt:
        # ``Generation.call(prompt=…)`` sends ``input.prompt``: a single user turn (assumed)
        return [{"role": "user", "content": prompt}]
    if messages is None or messages == []:
        raise invalid("Field required: input.messages")
    _field(messages, "input.messages", list, "list")
    last = messages[-1]
    if isinstance(last, dict) and last.get("role") == "assistant" and last.get("partial"):
        raise invalid("partial mode is not supported by this model")
    return list(messages)


def _parameters(body: dict[str, Any], model_id: str) -> dict[str, Any]:
    parameters = body.get("parameters")
    if parameters is None:
        return {}
    if not isinstance(parameters, dict):
        raise invalid("Input should be a valid dictionary: parameters")
    for name, reason in _UNSUPPORTED.items():
        if name in parameters:
            raise invalid(f"The parameter {name} is not supported by model {model_id}: {reason}")
    result_format = parameters.get("result_format")
    if result_format == "text":
        # thinking models answer in the message format only (assumed for MiniMax, as for qwen3)
        raise invalid(f"result_format text is not supported by model {model_id}; use message")
    if result_format is not None and result_format != "message":
        raise invalid("result_format should be one of [text, message]")
    for name in ("incremental_output", "enable_search"):
        _field(parameters.get(name), f"parameters.{name}", bool, "boolean")
    _field(parameters.get("search_options"), "parameters.search_options", dict, "dictionary")
    penalty = parameters.get("presence_penalty")
    if penalty is not None and (
        isinstance(penalty, bool) or not isinstance(penalty, (int, float)) or abs(penalty) > 2
    ):
        raise invalid("Range of presence_penalty should be [-2.0, 2.0]")
    return parameters


def _search_mode(parameters: dict[str, Any], model_id: str) -> str:
    """The search mode: "off", "auto" (when the prompt asks something) or "forced"."""
    if not parameters.get("enable_search") or model_id not in DASHSCOPE_SEARCH_MODELS:
        return "off"
    options = parameters.get("search_options") or {}
    return "forced" if options.get("forced_search") is True else "auto"


def validate_native(body: Any, stream: bool) -> NativeRequest:
    """Validate a native body; ``stream`` comes from the request headers."""
    if not isinstance(body, dict):
        raise invalid("Input should be a valid dictionary: body")
    model_id = body.get("model")
    if model_id is None or model_id == "":
        raise invalid("Field required: model")
    _field(model_id, "model", str, "string")
    if model_id not in DASHSCOPE_MODELS:
        raise ApiError(404, "Model not exist.", 404)
    messages = _messages(body)
    parameters = _parameters(body, model_id)
    mapped = {name: parameters[name] for name in _MAPPED if name in parameters}
    chat = validate_chat({"model": model_id, "messages": messages, **mapped}, ROUTE)
    chat.stream = stream
    chat.search = _search_mode(parameters, model_id)
    return NativeRequest(chat, incremental=parameters.get("incremental_output") is True)
