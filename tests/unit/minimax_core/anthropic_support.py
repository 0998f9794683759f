"""Wire builders for the Anthropic-compatible route (``POST {host}/anthropic/v1/messages``).

Shapes as MiniMax sends them (``docs/protocol-notes.md`` §6, and MiniMax's recorded Anthropic-route
replies, whose shapes are reproduced here): a whole
Messages document with ``thinking`` (64-hex ``signature``) / ``text`` / ``tool_use`` blocks and a
``base_resp``, and Anthropic SSE with ``event:`` lines — ``message_start`` (usage with the cache
fields) → ``ping`` → per block ``content_block_start`` / deltas (``thinking_delta`` ×N, one
``signature_delta``; ``text_delta``; ``input_json_delta``) / ``content_block_stop`` →
``message_delta`` (``stop_reason``, the whole usage repeated) → ``message_stop``.
"""

from __future__ import annotations

import json
from typing import Any

from minimax_core import ChatParams, UserMessage
from minimax_core._request import PreparedChat, prepare_chat

#: Signatures as the route sends them: 64 hex digits (from the recorded documents).
SIG = "cfa12f9d651953943c7a33278051b61f586e2eae016258ad6b824836778406bd"
SIG2 = "1c3a0ae890922669e9815a201f9b645abdaafe8d8b5a65a5e48f90830c6e0750"

THINKING = (
    'The user asks about the weather in San Francisco. I have a "get_weather" tool; '
    "the location should be given as city and country: San Francisco, US."
)
ANSWER = "It is 15 °C and sunny in San Francisco — a good day for a walk."
WEATHER_ID = "call_function_3679004591_1"
WEATHER_INPUT = {"location": "San Francisco, US", "unit": "celsius"}

#: The usage of the recorded M2.7 document (cache fields present and zero).
USAGE = {
    "input_tokens": 39,
    "output_tokens": 40,
    "cache_creation_input_tokens": 0,
    "cache_read_input_tokens": 0,
}

SSE_HEADERS = {"content-type": "text/event-stream"}


# ------------------------------------------------------------------------------------------
# Whole documents
# ------------------------------------------------------------------------------------------


def thinking(text: str = THINKING, signature: str = SIG) -> dict[str, Any]:
    return {"thinking": text, "signature": signature, "type": "thinking"}


def text(value: str = ANSWER) -> dict[str, Any]:
    return {"text": value, "type": "text"}


def tool_use(
    call_id: str = WEATHER_ID, name: str = "get_weather", input: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "type": "tool_use",
        "id": call_id,
        "name": name,
        "input": dict(WEATHER_INPUT) if input is None else input,
    }


def message(
    *content: dict[str, Any],
    stop_reason: str = "end_turn",
    usage: dict[str, Any] | None = None,
    model: str = "MiniMax-M2.7",
    id: str = "06379fa1dfdd9047604b8abc088ea75c",
) -> dict[str, Any]:
    """A non-streamed answer, as the route sends it (with MiniMax's ``base_resp``)."""
    return {
        "id": id,
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": list(content),
        "usage": dict(USAGE) if usage is None else usage,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "base_resp": {"status_code": 0, "status_msg": "success"},
    }


def ant_error(type_: str, message_: str, request_id: str = "r") -> dict[str, Any]:
    """The route's error body (also the data of a mid-stream ``event: error``)."""
    return {
        "type": "error",
        "error": {"type": type_, "message": message_},
        "request_id": request_id,
    }


# ------------------------------------------------------------------------------------------
# Streams
# ------------------------------------------------------------------------------------------


def event(data: dict[str, Any], name: str | None = None) -> str:
    """One SSE event: ``event: <type>`` then ``data: <json>``."""
    body = json.dumps(data, ensure_ascii=False)
    return f"event: {name or data.get('type', 'message')}\ndata: {body}\n\n"


def events(*items: dict[str, Any] | str) -> bytes:
    """SSE bytes of the given events (a ``str`` item is sent verbatim)."""
    return "".join(item if isinstance(item, str) else event(item) for item in items).encode()


def pieces(value: str, count: int) -> list[str]:
    """``value`` cut into ``count`` non-empty pieces (fewer if it is shorter)."""
    if not value:
        return [""]
    size = -(-len(value) // max(1, min(count, len(value))))
    return [value[i : i + size] for i in range(0, len(value), size)]


def block_events(index: int, block: dict[str, Any], count: int = 3) -> list[dict[str, Any]]:
    """A whole content block as the stream sends it: start, deltas, stop."""
    kind = block["type"]
    out: list[dict[str, Any]] = []
    if kind == "thinking":
        start: dict[str, Any] = {"type": "thinking", "thinking": "", "signature": ""}
        deltas = [
            {"type": "thinking_delta", "thinking": p} for p in pieces(block["thinking"], count)
        ]
        deltas.append({"type": "signature_delta", "signature": block["signature"]})
    elif kind == "text":
        start = {"type": "text", "text": ""}
        deltas = [{"type": "text_delta", "text": p} for p in pieces(block["text"], count)]
    elif kind == "tool_use":
        start = {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}
        raw = json.dumps(block["input"], ensure_ascii=False) if block["input"] else ""
        deltas = [{"type": "input_json_delta", "partial_json": p} for p in pieces(raw, count)]
    else:
        start, deltas = block, []
    out.append({"type": "content_block_start", "index": index, "content_block": start})
    out.extend({"type": "content_block_delta", "index": index, "delta": d} for d in deltas)
    out.append({"type": "content_block_stop", "index": index})
    return out


def stream_events(
    whole: dict[str, Any], *, count: int = 3, full_usage: bool = True
) -> list[dict[str, Any]]:
    """The events that stream the answer ``whole`` (a :func:`message`).

    ``full_usage``: ``message_delta`` repeats the whole usage (MiniMax); otherwise only the
    output count (Anthropic's own service).
    """
    usage = whole["usage"]
    start_usage = {**usage, "output_tokens": 1}
    out: list[dict[str, Any]] = [
        {
            "type": "message_start",
            "message": {
                "id": whole["id"],
                "type": "message",
                "role": "assistant",
                "model": whole["model"],
                "content": [],
                "stop_reason": None,
                "stop_sequence": None,
                "usage": {**start_usage, "service_tier": "standard"},
            },
        },
        {"type": "ping"},
    ]
    for index, block in enumerate(whole["content"]):
        out.extend(block_events(index, block, count))
    final_usage = usage if full_usage else {"output_tokens": usage["output_tokens"]}
    out.append(
        {
            "type": "message_delta",
            "delta": {"stop_reason": whole["stop_reason"], "stop_sequence": None},
            "usage": final_usage,
        }
    )
    out.append({"type": "message_stop"})
    return out


def stream_of(whole: dict[str, Any], *, count: int = 3, full_usage: bool = True) -> bytes:
    return events(*stream_events(whole, count=count, full_usage=full_usage))


# ------------------------------------------------------------------------------------------
# The pure reader's input
# ------------------------------------------------------------------------------------------


def prepared(*, stream: bool, model: str = "MiniMax-M2.7", **params: Any) -> PreparedChat:
    return prepare_chat(
        [UserMessage("hi")], ChatParams(model=model, **params), api="anthropic", stream=stream
    )
