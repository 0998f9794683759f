"""Bodies and SSE events of the Anthropic-compatible route ``POST …/anthropic/v1/messages``.

Known (docs/protocol-notes.md §6; MiniMax's Anthropic API reference examples; a real M2.7 stream
recorded in 2026-04, held back from the repository):

* A reply is ``{id, type:"message", role:"assistant", model, content:[thinking{thinking,
  signature} | text{text} | tool_use{id, name, input}], stop_reason, usage{input_tokens,
  output_tokens, cache_creation_input_tokens, cache_read_input_tokens}}``. The examples' ``id`` is
  32 hex digits (the request id), not Anthropic's ``msg_…``; tool ids are MiniMax's
  ``call_function_<digits>_<n>``; signatures are 64 hex digits.
* The examples add a non-Anthropic ``base_resp`` on success: ``status_msg`` is "success" in the
  route's reference example and "" in the function-call guide's; the emulator sends "success".
* Streams: ``message_start`` (usage with the cache fields and ``service_tier``) → ``ping`` → per
  block ``content_block_start`` / deltas / ``content_block_stop``, a thinking block ending with
  exactly one ``signature_delta`` → ``message_delta`` (stop reason and the full usage again) →
  ``message_stop``; no ``[DONE]``. Errors inside a stream are ``event: error`` with the error body.

Assumed: ``stop_sequence`` is always present (null unless a stop sequence matched); tool input
streams as ``input_json_delta`` pieces (Anthropic's shape; unrecorded for MiniMax);
``service_tier`` is "standard"; message_start's ``output_tokens`` is 1. ``done=true`` appends
``data: [DONE]``, as one third-party report saw M3 streams end
(https://github.com/decolua/9router/pull/2231).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .brain import Reply
from .errors import ApiError, anthropic_error_payload
from .frame_minimax import Exchange
from .signatures import sign_thinking
from .sse import DONE_EVENT, dumps, split_coarse

OK_BASE_RESP: dict[str, Any] = {"status_code": 0, "status_msg": "success"}
SERVICE_TIER = "standard"
_STOP_REASONS = {"stop": "end_turn", "tool_calls": "tool_use", "length": "max_tokens"}


@dataclass
class Turn:
    """One successful reply on this route: the exchange and the stop sequence that ended it."""

    ex: Exchange
    stop_sequence: str | None = None

    @property
    def stop_reason(self) -> str:
        if self.stop_sequence is not None:
            return "stop_sequence"
        return _STOP_REASONS.get(self.ex.reply.finish_reason, "end_turn")


def finish_reply(reply: Reply, stop_sequences: list[str]) -> str | None:
    """Shape the brain's reply for this route; returns the stop sequence that cut the answer.

    A tool call carries no text block (the brain's "\\n" placeholder is for the OpenAI route). The
    answer is cut before the earliest stop sequence it contains; reasoning is not cut.
    """
    if reply.tool_calls:
        if not reply.content.strip():
            reply.content = ""
            reply.content_pieces = None
        return None
    found: tuple[int, str] | None = None
    for stop in stop_sequences:
        at = reply.content.find(stop)
        if at != -1 and (found is None or at < found[0]):
            found = (at, stop)
    if found is None:
        return None
    reply.content = reply.content[: found[0]]
    reply.content_pieces = None
    return found[1]


def usage(ex: Exchange) -> dict[str, Any]:
    """Token usage; ``input_tokens`` is the uncached part only (as recorded)."""
    return {
        "input_tokens": ex.req.prompt_tokens - ex.cached_tokens,
        "output_tokens": ex.reply.completion_tokens,
        "cache_creation_input_tokens": 0,  # explicit cache_control writes are not emulated
        "cache_read_input_tokens": ex.cached_tokens,
    }


def content_blocks(reply: Reply) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    if reply.reasoning:
        signature = sign_thinking(reply.reasoning)
        blocks.append({"type": "thinking", "thinking": reply.reasoning, "signature": signature})
    if reply.content:
        blocks.append({"type": "text", "text": reply.content})
    for call in reply.tool_calls:
        arguments = json.loads(call.arguments)
        blocks.append({"type": "tool_use", "id": call.id, "name": call.name, "input": arguments})
    return blocks


def _message(turn: Turn, content: list[dict[str, Any]], stop_reason: str | None) -> dict[str, Any]:
    ex = turn.ex
    return {
        "id": ex.request_id,
        "type": "message",
        "role": "assistant",
        "model": ex.req.model_id,
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": turn.stop_sequence if stop_reason else None,
        "usage": usage(ex),
    }


def message_body(turn: Turn) -> bytes:
    payload = _message(turn, content_blocks(turn.ex.reply), turn.stop_reason)
    payload["base_resp"] = OK_BASE_RESP
    return dumps(payload)


def _event(kind: str, payload: dict[str, Any]) -> bytes:
    return b"event: " + kind.encode() + b"\ndata: " + dumps(payload) + b"\n\n"


def _block(index: int, start: dict[str, Any], deltas: list[dict[str, Any]]) -> list[bytes]:
    events = [_event("content_block_start", {"type": "content_block_start", "index": index,
                                             "content_block": start})]  # fmt: skip
    for delta in deltas:
        body = {"type": "content_block_delta", "index": index, "delta": delta}
        events.append(_event("content_block_delta", body))
    events.append(_event("content_block_stop", {"type": "content_block_stop", "index": index}))
    return events


def _block_events(reply: Reply) -> list[bytes]:
    events: list[bytes] = []
    index = 0
    if reply.reasoning:
        pieces = reply.reasoning_pieces or split_coarse(reply.reasoning)
        deltas = [{"type": "thinking_delta", "thinking": piece} for piece in pieces]
        deltas.append({"type": "signature_delta", "signature": sign_thinking(reply.reasoning)})
        events += _block(index, {"type": "thinking", "thinking": "", "signature": ""}, deltas)
        index += 1
    if reply.content:
        pieces = reply.content_pieces or split_coarse(reply.content)
        deltas = [{"type": "text_delta", "text": piece} for piece in pieces]
        events += _block(index, {"type": "text", "text": ""}, deltas)
        index += 1
    for call in reply.tool_calls:
        # coarse pieces, the first cut inside the first key: '{"i' | 'nput": 3}'
        fragments = split_coarse(call.arguments, forced=(3,), minimum=2)
        deltas = [{"type": "input_json_delta", "partial_json": part} for part in fragments]
        opening = {"type": "tool_use", "id": call.id, "name": call.name, "input": {}}
        events += _block(index, opening, deltas)
        index += 1
    return events


def stream_events(turn: Turn) -> list[bytes]:
    """Every SSE event of a successful streamed reply, in order."""
    ex = turn.ex
    opening = _message(turn, [], None)
    opening["usage"] = {
        **opening["usage"],
        "output_tokens": min(1, ex.reply.completion_tokens),
        "service_tier": SERVICE_TIER,
    }
    events = [
        _event("message_start", {"type": "message_start", "message": opening}),
        _event("ping", {"type": "ping"}),
        *_block_events(ex.reply),
        _event(
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": turn.stop_reason, "stop_sequence": turn.stop_sequence},
                "usage": usage(ex),
            },
        ),
        _event("message_stop", {"type": "message_stop"}),
    ]
    if ex.faults.done:
        events.append(DONE_EVENT)
    return events


def error_event(err: ApiError, request_id: str) -> bytes:
    """An error inside a stream: ``event: error`` with the body an HTTP error would carry."""
    return _event("error", anthropic_error_payload(err, request_id)[1])
