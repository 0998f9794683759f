"""DashScope native API framing (``…/api/v1/services/aigc/text-generation/generation``).

Reply: ``{"output":{"choices":[{"finish_reason","message":{"role","content","reasoning_content",
"tool_calls"?}}],"search_info"?},"usage":{"input_tokens","output_tokens","output_tokens_details":
{"reasoning_tokens"},"prompt_tokens_details":{"cached_tokens"},"total_tokens"},"request_id"}``.

Streams are SSE events ``id:<n>\\nevent:result\\n:HTTP_STATUS/200\\ndata:<reply>\\n\\n`` with
``finish_reason`` the string ``"null"`` until the last event and no ``[DONE]``. With
``incremental_output`` each event's message carries only the new reasoning / answer / tool-call
fragment; without it (the default) it carries everything so far. Usage rides on every event and
counts what was sent so far. Assumed where no capture shows it (modelled on DashScope's qwen
streams): every message carries ``role``, ``content`` and ``reasoning_content`` (``""`` when
empty); a tool call's first fragment has its ``id``, ``type`` and ``function.name``, later ones
``"id":""``, ``type`` and ``function.arguments`` only; the last event is a separate one with the
real ``finish_reason`` (incremental: empty texts; cumulative: the whole message); ``search_info``
rides on every event of a searched answer. An error inside a stream is ``id:<n>\\nevent:error\\n
:HTTP_STATUS/<status>\\ndata:{"code","message","request_id"}\\n\\n``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .brain import Reply
from .errors import ApiError, dashscope_native_payload
from .frame_minimax import Exchange
from .sse import dumps, split_coarse
from .tokens import tokens_of_size, utf8_size


def uuid_form(hex32: str) -> str:
    """DashScope's request ids are UUIDs (the handler makes 32 hex digits)."""
    h = hex32
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


@dataclass
class _Sent:
    """What a stream has sent so far: the cumulative view, and its sizes for the usage."""

    reasoning: list[str] = field(default_factory=list)
    content: list[str] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)  # id, type, index, name per call
    arguments: list[list[str]] = field(default_factory=list)  # per call
    sizes: dict[str, int] = field(default_factory=lambda: {"reasoning": 0, "content": 0})
    call_sizes: list[int] = field(default_factory=list)  # UTF-8 bytes of name, of arguments

    def add(self, kind: str, piece: str) -> None:
        (self.reasoning if kind == "reasoning" else self.content).append(piece)
        self.sizes[kind] += utf8_size(piece)

    def add_arguments(self, index: int, piece: str) -> None:
        self.arguments[index].append(piece)
        self.call_sizes[2 * index + 1] += utf8_size(piece)

    def start_call(self, call: dict[str, Any]) -> None:
        self.calls.append(call)
        self.arguments.append([])
        self.call_sizes += [utf8_size(call["function"]["name"]), 0]

    def reasoning_tokens(self) -> int:
        return tokens_of_size(self.sizes["reasoning"])

    def output_tokens(self) -> int:
        sizes = [self.sizes["reasoning"], self.sizes["content"], *self.call_sizes]
        return sum(tokens_of_size(size) for size in sizes)

    def message(self) -> dict[str, Any]:
        message: dict[str, Any] = {
            "role": "assistant",
            "content": "".join(self.content),
            "reasoning_content": "".join(self.reasoning),
        }
        if self.calls:
            message["tool_calls"] = [
                {**call, "function": {**call["function"], "arguments": "".join(arguments)}}
                for call, arguments in zip(self.calls, self.arguments, strict=True)
            ]
        return message


def _usage(ex: Exchange, output_tokens: int, reasoning_tokens: int) -> dict[str, Any]:
    prompt = ex.req.prompt_tokens
    return {
        "input_tokens": prompt,
        "output_tokens": output_tokens,
        "output_tokens_details": {"reasoning_tokens": reasoning_tokens},
        "prompt_tokens_details": {"cached_tokens": ex.cached_tokens},
        "total_tokens": prompt + output_tokens,
    }


def _payload(
    ex: Exchange, message: dict[str, Any], finish: str, sent: _Sent | None = None
) -> dict[str, Any]:
    reply = ex.reply
    output: dict[str, Any] = {"choices": [{"finish_reason": finish, "message": message}]}
    if reply.search_results:
        output["search_info"] = {"search_results": reply.search_results}
    if sent is None:
        usage = _usage(ex, reply.completion_tokens, reply.reasoning_tokens)
    else:
        usage = _usage(ex, sent.output_tokens(), sent.reasoning_tokens())
    return {"output": output, "usage": usage, "request_id": ex.request_id}


def _message(reply: Reply) -> dict[str, Any]:
    message: dict[str, Any] = {
        "role": "assistant",
        "content": reply.content,
        "reasoning_content": reply.reasoning,
    }
    if reply.tool_calls:
        message["tool_calls"] = [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": call.arguments},
                "index": index,
            }
            for index, call in enumerate(reply.tool_calls)
        ]
    return message


def completion_body(ex: Exchange) -> bytes:
    return dumps(_payload(ex, _message(ex.reply), ex.reply.finish_reason))


def _steps(reply: Reply) -> list[tuple[str, int, str]]:
    """The stream's pieces in order: ("reasoning" | "content" | "tool", call index, text)."""
    steps: list[tuple[str, int, str]] = []
    reasoning = reply.reasoning_pieces or (split_coarse(reply.reasoning) if reply.reasoning else [])
    steps.extend(("reasoning", 0, piece) for piece in reasoning)
    content = reply.content_pieces or (split_coarse(reply.content) if reply.content else [])
    steps.extend(("content", 0, piece) for piece in content)
    for index, call in enumerate(reply.tool_calls):
        pieces = split_coarse(call.arguments, minimum=2) or [""]
        steps.extend(("tool", index, piece) for piece in pieces)
    return steps


def _advance(sent: _Sent, reply: Reply, kind: str, index: int, piece: str) -> dict[str, Any]:
    """Add one step to ``sent``; return the incremental message for it."""
    delta: dict[str, Any] = {"role": "assistant", "content": "", "reasoning_content": ""}
    if kind != "tool":
        sent.add(kind, piece)
        delta["reasoning_content" if kind == "reasoning" else "content"] = piece
        return delta
    fragment: dict[str, Any] = {"index": index, "id": "", "type": "function"}
    if index == len(sent.calls):  # the call's first fragment
        call = reply.tool_calls[index]
        fragment["id"] = call.id
        fragment["function"] = {"name": call.name, "arguments": piece}
        sent.start_call({**fragment, "function": {"name": call.name}})
    else:
        fragment["function"] = {"arguments": piece}
    sent.add_arguments(index, piece)
    delta["tool_calls"] = [fragment]
    return delta


def _event(number: int, kind: str, status: int, payload: dict[str, Any]) -> bytes:
    head = f"id:{number}\nevent:{kind}\n:HTTP_STATUS/{status}\ndata:".encode()
    return head + dumps(payload) + b"\n\n"


def stream_events(ex: Exchange, incremental: bool) -> list[bytes]:
    """Every SSE event of a successful streamed reply, in order."""
    reply, sent = ex.reply, _Sent()
    events: list[bytes] = []
    for kind, index, piece in _steps(reply):
        delta = _advance(sent, reply, kind, index, piece)
        message = delta if incremental else sent.message()
        events.append(_event(len(events) + 1, "result", 200, _payload(ex, message, "null", sent)))
    last = {"role": "assistant", "content": "", "reasoning_content": ""}
    message = last if incremental else sent.message()
    events.append(
        _event(len(events) + 1, "result", 200, _payload(ex, message, reply.finish_reason, sent))
    )
    if ex.faults.done:  # only when asked for (done=true): the native API sends no [DONE]
        events.append(b"data:[DONE]\n\n")
    return events


def error_event(err: ApiError, request_id: str, number: int) -> bytes:
    """An error arriving inside a stream as event ``number``."""
    status, payload = dashscope_native_payload(err, request_id)
    return _event(number, "error", status, payload)
