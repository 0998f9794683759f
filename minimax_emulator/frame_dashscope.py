"""Alibaba Model Studio (DashScope) compatible-mode framing.

Plain OpenAI shapes: reasoning only in ``reasoning_content`` (never ``<think>``), no MiniMax
envelope extras (no ``base_resp``, ``name``, ``audio_content`` or sensitivity fields), ``role``
only on the first chunk, ``[DONE]`` at the end.
"""

from __future__ import annotations

from typing import Any

from .errors import ApiError, dashscope_error
from .frame_minimax import Exchange
from .sse import DONE_EVENT, dumps, event, jstr, split_coarse


def completion_id(request_id: str) -> str:
    r = request_id
    return f"chatcmpl-{r[:8]}-{r[8:12]}-{r[12:16]}-{r[16:20]}-{r[20:32]}"


def _usage(ex: Exchange) -> dict[str, Any]:
    completion = ex.reply.completion_tokens
    return {
        "prompt_tokens": ex.req.prompt_tokens,
        "completion_tokens": completion,
        "total_tokens": ex.req.prompt_tokens + completion,
        "completion_tokens_details": {"reasoning_tokens": ex.reply.reasoning_tokens},
        "prompt_tokens_details": {"cached_tokens": ex.cached_tokens},
    }


def _tool_calls(ex: Exchange) -> list[dict[str, Any]]:
    return [
        {
            "index": index,
            "id": call.id,
            "type": "function",
            "function": {"name": call.name, "arguments": call.arguments},
        }
        for index, call in enumerate(ex.reply.tool_calls)
    ]


def completion_body(ex: Exchange) -> bytes:
    message: dict[str, Any] = {"content": ex.reply.content, "role": "assistant"}
    if ex.reply.reasoning:
        message["reasoning_content"] = ex.reply.reasoning
    if ex.reply.tool_calls:
        message["tool_calls"] = _tool_calls(ex)
    payload = {
        "choices": [
            {
                "message": message,
                "finish_reason": ex.reply.finish_reason,
                "index": 0,
                "logprobs": None,
            }
        ],
        "object": "chat.completion",
        "usage": _usage(ex),
        "created": ex.created,
        "system_fingerprint": None,
        "model": ex.req.model_id,
        "id": completion_id(ex.request_id),
    }
    return dumps(payload)


def _deltas(ex: Exchange) -> list[bytes]:
    reply = ex.reply
    out: list[bytes] = []
    for piece in reply.reasoning_pieces or (
        split_coarse(reply.reasoning) if reply.reasoning else []
    ):
        out.append(b'{"content":null,"reasoning_content":' + jstr(piece) + b"}")
    for piece in reply.content_pieces or (split_coarse(reply.content) if reply.content else []):
        out.append(b'{"content":' + jstr(piece) + b',"reasoning_content":null}')
    for index, call in enumerate(reply.tool_calls):
        fragments = split_coarse(call.arguments, minimum=2)
        head = b'{"content":null,"tool_calls":[{"index":' + str(index).encode()
        out.append(
            head + b',"id":' + jstr(call.id) + b',"type":"function","function":{"name":'
            + jstr(call.name) + b',"arguments":' + jstr(fragments[0]) + b"}}]}"
        )  # fmt: skip
        for fragment in fragments[1:]:
            out.append(head + b',"function":{"arguments":' + jstr(fragment) + b"}}]}")
    if not out:
        out.append(b'{"content":""}')
    out[0] = b'{"role":"assistant",' + out[0][1:]
    return out


def stream_events(ex: Exchange) -> list[bytes]:
    cid = jstr(completion_id(ex.request_id))
    common = (
        b'"object":"chat.completion.chunk","usage":null,"created":' + str(ex.created).encode()
        + b',"system_fingerprint":null,"model":' + jstr(ex.req.model_id) + b',"id":' + cid
        + b"}\n\n"
    )  # fmt: skip
    head = b'data: {"choices":[{"delta":'
    tail = b',"finish_reason":null,"index":0,"logprobs":null}],' + common
    final = b',"finish_reason":' + jstr(ex.reply.finish_reason) + b',"index":0,"logprobs":null}],'
    deltas = _deltas(ex)
    events = [head + delta + tail for delta in deltas[:-1]]
    events.append(head + deltas[-1] + final + common)
    if ex.req.include_usage:
        usage_chunk = {
            "choices": [],
            "object": "chat.completion.chunk",
            "usage": _usage(ex),
            "created": ex.created,
            "system_fingerprint": None,
            "model": ex.req.model_id,
            "id": completion_id(ex.request_id),
        }
        events.append(event(dumps(usage_chunk)))
    if ex.faults.done is not False:
        events.append(DONE_EVENT)
    return events


def error_event(err: ApiError, request_id: str) -> bytes:
    return event(dashscope_error(err, request_id)[1])
