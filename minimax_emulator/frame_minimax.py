"""Bodies and SSE events of MiniMax's own routes: OpenAI-compatible and native chatcompletion_v2.

Both share MiniMax's envelope (``name``, ``audio_content``, sensitivity fields, ``base_resp``,
``usage.total_characters``). Differences: the native route puts M1 reasoning in
``reasoning_content``, ends streams with the complete ``chat.completion`` summary object and sends
no ``[DONE]`` by default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .brain import Reply
from .errors import ApiError, native_error_payload, openai_error
from .options import Faults
from .sse import DONE_EVENT, dumps, event, jstr, split_coarse
from .validation import ChatRequest

SENSITIVE: dict[str, Any] = {
    "input_sensitive": False,
    "output_sensitive": False,
    "input_sensitive_type": 0,
    "output_sensitive_type": 0,
    "output_sensitive_int": 0,
}
_SENSITIVE_TAIL = (
    b',"input_sensitive":false,"output_sensitive":false,"input_sensitive_type":0,'
    b'"output_sensitive_type":0,"output_sensitive_int":0'
)
_ROLE = b'"role":"assistant","name":"MiniMax AI","audio_content":""'
_EMPTY_ROLE = b'"role":"","name":"MiniMax AI","audio_content":""'
_DETAIL_HEAD = (
    b'"reasoning_details":[{"type":"reasoning.text","id":"reasoning-text-1",'
    b'"format":"MiniMax-response-v1","index":0,"text":'
)
OK_BASE_RESP: dict[str, Any] = {"status_code": 0, "status_msg": ""}


@dataclass
class Exchange:
    """Everything a framer needs to render one successful reply."""

    req: ChatRequest
    reply: Reply
    request_id: str
    created: int
    cached_tokens: int
    faults: Faults

    def usage(self) -> dict[str, Any]:
        completion = self.reply.completion_tokens
        usage: dict[str, Any] = {
            "total_tokens": self.req.prompt_tokens + completion,
            "total_characters": 0,
            "prompt_tokens": self.req.prompt_tokens,
            "completion_tokens": completion,
            "completion_tokens_details": {"reasoning_tokens": self.reply.reasoning_tokens},
        }
        if self.cached_tokens:
            usage["prompt_tokens_details"] = {"cached_tokens": self.cached_tokens}
        return usage


def reasoning_details(text: str) -> list[dict[str, Any]]:
    return [
        {
            "type": "reasoning.text",
            "id": "reasoning-text-1",
            "format": "MiniMax-response-v1",
            "index": 0,
            "text": text,
        }
    ]


def inline_content(reply: Reply) -> str:
    if not reply.reasoning:
        return reply.content
    if not reply.reasoning_complete:
        return "<think>\n" + reply.reasoning
    return "<think>\n" + reply.reasoning + "\n</think>\n\n" + reply.content


def _mode(ex: Exchange) -> str:
    if not ex.reply.reasoning:
        return "none"
    if ex.req.route == "native" and ex.req.model.reasoning_field:
        return "field"
    return "split" if ex.req.reasoning_split else "inline"


def tool_calls_payload(reply: Reply) -> list[dict[str, Any]]:
    return [
        {
            "id": call.id,
            "type": "function",
            "function": {"name": call.name, "arguments": call.arguments},
            "index": index,
        }
        for index, call in enumerate(reply.tool_calls)
    ]


def message_payload(ex: Exchange) -> dict[str, Any]:
    mode, reply = _mode(ex), ex.reply
    message: dict[str, Any] = {
        "content": inline_content(reply) if mode == "inline" else reply.content,
        "role": "assistant",
        "name": "MiniMax AI",
        "audio_content": "",
    }
    if mode == "split":
        message["reasoning_content"] = reply.reasoning
        message["reasoning_details"] = reasoning_details(reply.reasoning)
    elif mode == "field":
        message["reasoning_content"] = reply.reasoning
    if reply.tool_calls:
        message["tool_calls"] = tool_calls_payload(reply)
    return message


def completion_payload(ex: Exchange) -> dict[str, Any]:
    return {
        "id": ex.request_id,
        "choices": [
            {"finish_reason": ex.reply.finish_reason, "index": 0, "message": message_payload(ex)}
        ],
        "created": ex.created,
        "model": ex.req.model_id,
        "object": "chat.completion",
        "usage": ex.usage(),
        **SENSITIVE,
        "base_resp": OK_BASE_RESP,
    }


def completion_body(ex: Exchange) -> bytes:
    return dumps(completion_payload(ex))


def _inline_pieces(reply: Reply) -> list[str]:
    if reply.reasoning_pieces is None and reply.content_pieces is None:
        text = inline_content(reply)
        close = text.find("</think>")
        # tags cut across chunk boundaries: "<thi" | "nk>\n…" and "…</th" | "ink>\n\n…"
        return split_coarse(text, forced=(4, close + 4) if close != -1 else (4,))
    reasoning = list(reply.reasoning_pieces or split_coarse(reply.reasoning))
    reasoning[0] = "<think>\n" + reasoning[0]
    if not reply.reasoning_complete:
        return reasoning
    reasoning[-1] += "\n</th"
    content = list(reply.content_pieces or split_coarse(reply.content)) or [""]
    content[0] = "ink>\n\n" + content[0]
    return reasoning + content


def _deltas(ex: Exchange) -> list[bytes]:
    reply, faults, mode = ex.reply, ex.faults, _mode(ex)
    out: list[bytes] = []

    def role() -> bytes:
        return _EMPTY_ROLE if faults.empty_role and len(out) % 2 == 1 else _ROLE

    if mode == "inline":
        for piece in _inline_pieces(reply):
            out.append(b'{"content":' + jstr(piece) + b"," + role() + b"}")
    else:
        if mode in {"split", "field"}:
            cumulative = faults.reasoning == "cumulative"
            so_far = ""
            for piece in reply.reasoning_pieces or split_coarse(reply.reasoning):
                delta = b"{" + role() + b',"reasoning_content":' + jstr(piece)
                if mode == "split":
                    so_far += piece
                    delta += b"," + _DETAIL_HEAD + jstr(so_far if cumulative else piece) + b"}]"
                out.append(delta + b"}")
        content = reply.content_pieces or (split_coarse(reply.content) if reply.content else [])
        for piece in content:
            out.append(b'{"content":' + jstr(piece) + b"," + role() + b"}")
    for index, call in enumerate(reply.tool_calls):
        fragments = split_coarse(call.arguments, minimum=2)
        head = b'"tool_calls":[{"index":' + str(index).encode()
        first = (
            head + b',"id":' + jstr(call.id) + b',"type":"function","function":{"name":'
            + jstr(call.name) + b',"arguments":' + jstr(fragments[0]) + b"}}]"
        )  # fmt: skip
        out.append(b"{" + role() + b"," + first + b"}")
        for fragment in fragments[1:]:
            rest = head + b',"function":{"arguments":' + jstr(fragment) + b"}}]"
            out.append(b"{" + role() + b"," + rest + b"}")
    if not out:
        out.append(b'{"content":"",' + role() + b"}")
    return out


def stream_events(ex: Exchange) -> list[bytes]:
    """Every SSE event of a successful streamed reply, in order."""
    native = ex.req.route == "native"
    usage_field = (
        b'{"total_tokens":0,"total_characters":0}' if ex.faults.usage_zero_chunks else b"null"
    )
    head = b'data: {"id":' + jstr(ex.request_id) + b',"choices":[{"index":0,"delta":'
    common = (
        b',"created":' + str(ex.created).encode() + b',"model":' + jstr(ex.req.model_id)
        + b',"object":"chat.completion.chunk","usage":' + usage_field + _SENSITIVE_TAIL
        + b"}\n\n"
    )  # fmt: skip
    tail = b"}]" + common
    final_tail = b',"finish_reason":' + jstr(ex.reply.finish_reason) + b"}]" + common
    deltas = _deltas(ex)
    events = [head + delta + tail for delta in deltas[:-1]]
    events.append(head + deltas[-1] + final_tail)
    if ex.req.include_usage:
        usage_chunk = {
            "id": ex.request_id,
            "choices": [],
            "created": ex.created,
            "model": ex.req.model_id,
            "object": "chat.completion.chunk",
            "usage": ex.usage(),
            "base_resp": OK_BASE_RESP,
        }
        events.append(event(dumps(usage_chunk)))
    if native and ex.faults.summary:
        events.append(event(completion_body(ex)))
    done = ex.faults.done if ex.faults.done is not None else not native
    if done:
        events.append(DONE_EVENT)
    return events


def error_event(err: ApiError, route: str, request_id: str, model: str) -> bytes:
    """An error arriving inside a stream, in the route's carrier."""
    if route == "native":
        return event(dumps(native_error_payload(err, request_id, model)))
    return event(openai_error(err, request_id)[1])
