"""Helpers for the ChatMiniMax / MiniMaxEmbeddings behaviour tests.

* :func:`chat` builds a ``ChatMiniMax`` on one of the four routes against the shared emulator.
* :func:`run` / :func:`run_stream` call a runnable the four ways LangChain offers (``invoke``,
  ``ainvoke``, ``stream``, ``astream``) and return what a user would hold afterwards.
* :class:`Tee` records the bytes the server really sent (the client still reads them over the
  socket, unchanged), and :func:`server_view` reads them with a parser independent of ours, so
  "replayed exactly as received" is checked against the wire, not against our own decoding.
* :func:`system_text`, :func:`tool_schemas`, :func:`assistant_turns`, :func:`sent_tool_calls`,
  :func:`tool_results` and :func:`anthropic_turn` read a recorded request body the same way on
  every route (OpenAI-shaped ``messages``, or the Anthropic route's top-level ``system`` and
  content blocks), each checking the route's own wire shape strictly as it reads.
* :class:`Scripted` is an ``httpx.MockTransport`` handler answering with scripted MiniMax replies
  (OpenAI-route shapes, streamed or not), for byte-exact edge cases the emulator never produces.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any, Literal

import httpx
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    message_chunk_to_message,
)

from langchain_minimax import ChatMiniMax
from minimax_emulator.testing import EmulatorServer
from tests.support import API_KEY, Route, json_body

#: The route under test → the model it serves.
ROUTES: dict[Route, str] = {
    "openai": "MiniMax-M2.7",
    "native": "MiniMax-M2.7",
    "dashscope": "MiniMax-M2.5",
    "anthropic": "MiniMax-M2.7",
}
CALLS = ("invoke", "ainvoke", "stream", "astream")
MODES = ("sync", "async")
Call = Literal["invoke", "ainvoke", "stream", "astream"]


def chat(
    emulator: EmulatorServer,
    route: Route = "openai",
    *,
    spec: str | None = None,
    **kwargs: Any,
) -> ChatMiniMax:
    """``ChatMiniMax`` on ``route`` against the emulator; ``spec`` is the ``X-Emulator`` header."""
    kwargs.setdefault("model", ROUTES[route])
    kwargs.setdefault("api_key", API_KEY)
    kwargs.setdefault("base_url", emulator.base_url)
    if spec:
        kwargs["default_headers"] = {"X-Emulator": spec}
    return ChatMiniMax(api=route, **kwargs)


def aggregate(chunks: list[AIMessageChunk]) -> AIMessageChunk:
    assert chunks, "the stream yielded nothing"
    total = chunks[0]
    for chunk in chunks[1:]:
        total = total + chunk
    return total


async def run_stream(runnable: Any, value: Any, mode: str, **kwargs: Any) -> list[Any]:
    """Every item ``stream`` (``mode="sync"``) or ``astream`` (``"async"``) yields."""
    if mode == "sync":
        return list(runnable.stream(value, **kwargs))
    return [item async for item in runnable.astream(value, **kwargs)]


async def run(runnable: Any, value: Any, call: str, **kwargs: Any) -> Any:
    """The result of one call: ``invoke``/``ainvoke`` as is, streams aggregated.

    A streamed chat reply is returned as the ``AIMessageChunk`` sum of its chunks (what
    ``langchain`` hands to the next step of a chain or agent).
    """
    if call == "invoke":
        return runnable.invoke(value, **kwargs)
    if call == "ainvoke":
        return await runnable.ainvoke(value, **kwargs)
    items = await run_stream(runnable, value, "sync" if call == "stream" else "async", **kwargs)
    if items and isinstance(items[0], AIMessageChunk):
        return aggregate(items)
    return items


async def invoke(runnable: Any, value: Any, mode: str, **kwargs: Any) -> Any:
    return await run(runnable, value, "invoke" if mode == "sync" else "ainvoke", **kwargs)


def is_stream(call: str) -> bool:
    return call in ("stream", "astream")


def bodies(emulator: EmulatorServer) -> list[dict[str, Any]]:
    """The JSON bodies of the chat requests the emulator received, in order."""
    return [json_body(r) for r in emulator.requests]


def reasoning_of(message: BaseMessage) -> str:
    value = message.additional_kwargs.get("reasoning_content", "")
    assert isinstance(value, str)
    return value


# ---------------------------------------------------------------------------------------------
# Request bodies, read the same way on every route
# ---------------------------------------------------------------------------------------------


def system_text(route: Route, body: dict[str, Any]) -> str:
    """The system instructions a request carries (``""``: none), sent the route's way.

    OpenAI-shaped routes: one system message, first in ``messages``. The Anthropic route: the
    top-level ``system`` string, and no ``system`` role anywhere in ``messages`` (MiniMax answers
    one with 400/2013, ``docs/protocol-notes.md`` §6).
    """
    roles = [m["role"] for m in body["messages"]]
    if route == "anthropic":
        assert set(roles) <= {"user", "assistant"}, roles
        system = body.get("system", "")
        assert isinstance(system, str), system
        assert system or "system" not in body, "an empty system field is not sent"
        return system
    assert "system" not in roles[1:], roles
    if roles and roles[0] == "system":
        content = body["messages"][0]["content"]
        assert isinstance(content, str)
        return content
    return ""


def tool_schemas(route: Route, body: dict[str, Any]) -> list[dict[str, Any]]:
    """The tools a request offers, in order, as ``{"name", "description", "parameters"}``.

    Checks the route's wire shape: ``{"type": "function", "function": {...}}`` on the OpenAI-shaped
    routes, ``{"name", "description"?, "input_schema"}`` (nothing else) on the Anthropic route.
    ``description`` is ``None`` when none was sent.
    """
    schemas: list[dict[str, Any]] = []
    for tool in body["tools"]:
        if route == "anthropic":
            assert set(tool) <= {"name", "description", "input_schema"}, tool
            schemas.append(
                {
                    "name": tool["name"],
                    "description": tool.get("description"),
                    "parameters": tool["input_schema"],
                }
            )
        else:
            assert tool["type"] == "function", tool
            function = tool["function"]
            schemas.append(
                {
                    "name": function["name"],
                    "description": function.get("description"),
                    "parameters": function["parameters"],
                }
            )
    return schemas


def assistant_turns(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The assistant turns of a request's ``messages``, in order (same key on every route)."""
    return [m for m in body["messages"] if m["role"] == "assistant"]


def anthropic_turn(turn: dict[str, Any]) -> dict[str, Any]:
    """An assistant turn of an Anthropic-route request, split into its parts.

    Checks the turn is ``{"role": "assistant", "content": [blocks]}`` with nothing else on it
    (no OpenAI-style ``tool_calls`` / ``reasoning_*`` fields), and its blocks in the order the
    route requires: thinking blocks first, then at most one text block, then ``tool_use`` blocks.
    Returns ``{"thinking": [blocks as sent], "text": str, "tool_use": [blocks as sent]}``.
    """
    assert set(turn) == {"role", "content"}, turn
    assert turn["role"] == "assistant"
    blocks = turn["content"]
    assert isinstance(blocks, list), blocks
    rank = {"thinking": 0, "redacted_thinking": 0, "text": 1, "tool_use": 2}
    kinds = [block["type"] for block in blocks]
    assert all(kind in rank for kind in kinds), kinds
    assert kinds == sorted(kinds, key=rank.__getitem__), f"out of order: {kinds}"
    assert kinds.count("text") <= 1, kinds
    return {
        "thinking": [b for b in blocks if rank[b["type"]] == 0],
        "text": "".join(b["text"] for b in blocks if b["type"] == "text"),
        "tool_use": [b for b in blocks if b["type"] == "tool_use"],
    }


def sent_tool_calls(route: Route, turn: dict[str, Any]) -> list[dict[str, Any]]:
    """The tool calls an assistant turn of a request carries: ``{"id", "name", "args"}`` each.

    OpenAI-shaped routes: ``tool_calls`` (``type`` function, arguments a JSON object text); the
    Anthropic route: ``tool_use`` blocks (``input`` an object).
    """
    if route == "anthropic":
        return [
            {"id": b["id"], "name": b["name"], "args": b["input"]}
            for b in anthropic_turn(turn)["tool_use"]
        ]
    calls: list[dict[str, Any]] = []
    for call in turn.get("tool_calls") or []:
        assert call["type"] == "function", call
        arguments = json.loads(call["function"]["arguments"])
        assert isinstance(arguments, dict), arguments
        calls.append({"id": call["id"], "name": call["function"]["name"], "args": arguments})
    return calls


def tool_results(route: Route, message: dict[str, Any]) -> list[dict[str, Any]]:
    """The tool results one request message carries: ``{"tool_call_id", "content"}`` each.

    OpenAI-shaped routes: the message is ``{"role": "tool", "tool_call_id", "content"}`` (exactly);
    the Anthropic route: a user turn made of ``tool_result`` blocks (exactly
    ``{"type", "tool_use_id", "content"}`` each) and nothing else.
    """
    if route == "anthropic":
        assert message["role"] == "user", message
        assert set(message) == {"role", "content"}, message
        results = []
        for block in message["content"]:
            assert set(block) == {"type", "tool_use_id", "content"}, block
            assert block["type"] == "tool_result", block
            results.append({"tool_call_id": block["tool_use_id"], "content": block["content"]})
        return results
    assert set(message) == {"role", "tool_call_id", "content"}, message
    assert message["role"] == "tool", message
    return [{"tool_call_id": message["tool_call_id"], "content": message["content"]}]


def user_text(route: Route, message: dict[str, Any]) -> str:
    """The text of a plain user message of a request (a string; on the Anthropic route, text
    blocks and nothing else)."""
    assert message["role"] == "user", message
    assert set(message) == {"role", "content"}, message
    content = message["content"]
    if route == "anthropic":
        assert all(set(b) == {"type", "text"} and b["type"] == "text" for b in content), content
        return "".join(b["text"] for b in content)
    assert isinstance(content, str), content
    return content


# ---------------------------------------------------------------------------------------------
# What the server sent, read independently of minimax_core
# ---------------------------------------------------------------------------------------------


class Tee:
    """Transports that pass every response through unchanged while keeping a copy of its bytes.

    ``ChatMiniMax(http_client=tee.client(), http_async_client=tee.async_client())`` still talks
    to the emulator over a real socket; ``tee.raw[i]`` is the i-th response body as sent.
    """

    def __init__(self) -> None:
        self.raw: list[bytearray] = []

    def client(self) -> httpx.Client:
        return httpx.Client(transport=_SyncTee(self.raw), timeout=30)

    def async_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=_AsyncTee(self.raw), timeout=30)


class _SyncTee(httpx.BaseTransport):
    def __init__(self, sink: list[bytearray]) -> None:
        self._inner = httpx.HTTPTransport(verify=False)  # loopback: no TLS context to build
        self._sink = sink

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        copy = bytearray()
        self._sink.append(copy)
        stream = response.stream
        assert isinstance(stream, httpx.SyncByteStream)
        inner = stream  # typed as narrowed: mypy's narrowing does not reach into the class below

        class Stream(httpx.SyncByteStream):
            def __iter__(self) -> Iterator[bytes]:
                for part in inner:
                    copy.extend(part)
                    yield part

            def close(self) -> None:
                inner.close()

        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=Stream(),
            extensions=response.extensions,
        )


class _AsyncTee(httpx.AsyncBaseTransport):
    def __init__(self, sink: list[bytearray]) -> None:
        self._inner = httpx.AsyncHTTPTransport(verify=False)
        self._sink = sink

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        copy = bytearray()
        self._sink.append(copy)
        stream = response.stream
        assert isinstance(stream, httpx.AsyncByteStream)
        inner = stream  # typed as narrowed: mypy's narrowing does not reach into the class below

        class Stream(httpx.AsyncByteStream):
            async def __aiter__(self) -> AsyncIterator[bytes]:
                async for part in inner:
                    copy.extend(part)
                    yield part

            async def aclose(self) -> None:
                await inner.aclose()

        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=Stream(),
            extensions=response.extensions,
        )


def server_view(raw: bytes | bytearray) -> dict[str, Any]:
    """The assistant message a response body carries (a JSON completion or an SSE stream).

    Streams are merged the plain way (text fields concatenated, ``reasoning_details`` items and
    tool calls by ``index``); the native route's closing ``chat.completion`` summary is ignored.
    Anthropic-route bodies are read by :func:`anthropic_view` (same keys, plus ``thinking``).
    """
    text = bytes(raw).decode()
    stripped = text.lstrip()
    if stripped.startswith("event:") or (
        stripped.startswith("{") and json.loads(text).get("type") == "message"
    ):
        return anthropic_view(text)
    if not stripped.startswith("data:"):
        message = json.loads(text)["choices"][0]["message"]
        calls = [
            {"id": c["id"], "name": c["function"]["name"], "arguments": c["function"]["arguments"]}
            for c in message.get("tool_calls") or []
        ]
        return {
            "content": message.get("content") or "",
            "reasoning_content": message.get("reasoning_content") or "",
            "reasoning_details": message.get("reasoning_details"),
            "tool_calls": calls,
            "usage": json.loads(text).get("usage"),
        }
    content = reasoning = ""
    usage = None
    details: dict[int, dict[str, Any]] = {}
    tool_calls: dict[int, dict[str, Any]] = {}
    for block in text.split("\n\n"):
        line = block.strip()
        if not line.startswith("data:"):
            continue
        data = line[len("data:") :].strip()
        if data == "[DONE]":
            break
        event = json.loads(data)
        if event.get("object") == "chat.completion":
            continue
        usage = event.get("usage") or usage
        for choice in event.get("choices") or []:
            delta = choice.get("delta") or {}
            content += delta.get("content") or ""
            reasoning += delta.get("reasoning_content") or ""
            for item in delta.get("reasoning_details") or []:
                if item["index"] in details:
                    details[item["index"]]["text"] += item["text"]
                else:
                    details[item["index"]] = dict(item)
            for call in delta.get("tool_calls") or []:
                entry = tool_calls.setdefault(call["index"], {"arguments": ""})
                function = call.get("function") or {}
                if call.get("id"):
                    entry["id"] = call["id"]
                if function.get("name"):
                    entry["name"] = function["name"]
                entry["arguments"] += function.get("arguments") or ""
    return {
        "content": content,
        "reasoning_content": reasoning,
        "reasoning_details": [details[i] for i in sorted(details)] or None,
        "tool_calls": [tool_calls[i] for i in sorted(tool_calls)],
        "usage": usage,
    }


def anthropic_view(text: str) -> dict[str, Any]:
    """An Anthropic-route reply (a ``message`` document or its SSE stream), read plainly.

    The keys of :func:`server_view`: ``content`` (the text blocks), ``reasoning_content`` (the
    thinking text), ``reasoning_details`` (``None``: the route has none), ``tool_calls`` (``id``,
    ``name``, ``arguments`` as JSON text), ``usage`` (the route's own fields, a stream's
    ``message_start`` usage overlaid by ``message_delta``'s), plus ``thinking``: the thinking
    blocks exactly as a replay must carry them (``{"type", "thinking", "signature"}``).
    """
    blocks: dict[int, dict[str, Any]] = {}
    usage: dict[str, Any] = {}
    if text.lstrip().startswith("{"):
        document = json.loads(text)
        blocks = dict(enumerate(document["content"]))
        usage = document["usage"]
    else:
        partial: dict[int, str] = {}
        for event in text.split("\n\n"):
            lines = dict(line.split(": ", 1) for line in event.strip().splitlines() if line)
            if "data" not in lines or lines["data"] == "[DONE]":
                continue
            data = json.loads(lines["data"])
            kind = data["type"]
            assert lines.get("event") == kind, event
            if kind == "message_start":
                usage.update(data["message"]["usage"])
            elif kind == "message_delta":
                usage.update(data.get("usage") or {})
            elif kind == "content_block_start":
                blocks[data["index"]] = dict(data["content_block"])
            elif kind == "content_block_delta":
                block, delta = blocks[data["index"]], data["delta"]
                if delta["type"] == "thinking_delta":
                    block["thinking"] += delta["thinking"]
                elif delta["type"] == "signature_delta":
                    block["signature"] += delta["signature"]
                elif delta["type"] == "text_delta":
                    block["text"] += delta["text"]
                elif delta["type"] == "input_json_delta":
                    partial[data["index"]] = partial.get(data["index"], "") + delta["partial_json"]
        for index, arguments in partial.items():
            blocks[index]["input"] = json.loads(arguments)
        usage.pop("service_tier", None)
    ordered = [blocks[i] for i in sorted(blocks)]
    thinking = [
        {"type": "thinking", "thinking": b["thinking"], "signature": b["signature"]}
        for b in ordered
        if b["type"] == "thinking"
    ]
    return {
        "content": "".join(b["text"] for b in ordered if b["type"] == "text"),
        "reasoning_content": "".join(b["thinking"] for b in thinking),
        "reasoning_details": None,
        "tool_calls": [
            {"id": b["id"], "name": b["name"], "arguments": json.dumps(b["input"])}
            for b in ordered
            if b["type"] == "tool_use"
        ],
        "usage": usage,
        "thinking": thinking,
    }


# ---------------------------------------------------------------------------------------------
# Scripted replies (httpx.MockTransport)
# ---------------------------------------------------------------------------------------------


def completion(
    content: str = "",
    *,
    reasoning: str | None = "I considered the request.",
    tool_calls: list[tuple[str, str, str]] | None = None,
    finish_reason: str | None = None,
    model: str = "MiniMax-M2.7",
) -> dict[str, Any]:
    """A MiniMax OpenAI-route completion (``reasoning_split`` shape).

    ``tool_calls`` are ``(id, name, arguments JSON text)`` triples, sent exactly as given.
    """
    message: dict[str, Any] = {"role": "assistant", "name": "MiniMax AI", "content": content}
    if reasoning:
        message["reasoning_content"] = reasoning
        message["reasoning_details"] = [
            {
                "type": "reasoning.text",
                "id": "reasoning-text-1",
                "format": "MiniMax-response-v1",
                "index": 0,
                "text": reasoning,
            }
        ]
    if tool_calls:
        message["tool_calls"] = [
            {"id": i, "type": "function", "function": {"name": n, "arguments": a}, "index": k}
            for k, (i, n, a) in enumerate(tool_calls)
        ]
    finish = finish_reason or ("tool_calls" if tool_calls else "stop")
    return {
        "id": "0640ba83000000000000000000000001",
        "object": "chat.completion",
        "model": model,
        "choices": [{"index": 0, "finish_reason": finish, "message": message}],
        "usage": {
            "prompt_tokens": 20,
            "completion_tokens": 10,
            "total_tokens": 30,
            "completion_tokens_details": {"reasoning_tokens": 4},
        },
        "base_resp": {"status_code": 0, "status_msg": ""},
    }


def as_sse(reply: dict[str, Any]) -> bytes:
    """The same completion as MiniMax would stream it (tool-call arguments in two fragments)."""
    message = reply["choices"][0]["message"]
    head = {"id": reply["id"], "object": "chat.completion.chunk", "model": reply["model"]}
    deltas: list[dict[str, Any]] = []
    if message.get("reasoning_details"):
        deltas.append(
            {
                "reasoning_content": message["reasoning_content"],
                "reasoning_details": message["reasoning_details"],
            }
        )
    if message.get("content"):
        deltas.append({"content": message["content"]})
    for k, call in enumerate(message.get("tool_calls") or []):
        args = call["function"]["arguments"]
        cut = len(args) // 2
        first = {"name": call["function"]["name"], "arguments": args[:cut]}
        deltas.append({"tool_calls": [{"index": k, "id": call["id"], "function": first}]})
        deltas.append({"tool_calls": [{"index": k, "function": {"arguments": args[cut:]}}]})
    deltas = deltas or [{"content": ""}]
    events = []
    for n, delta in enumerate(deltas):
        choice: dict[str, Any] = {"index": 0, "delta": {"role": "assistant", **delta}}
        if n == len(deltas) - 1:
            choice["finish_reason"] = reply["choices"][0]["finish_reason"]
        events.append({**head, "choices": [choice]})
    events.append({**head, "choices": [], "usage": reply["usage"]})
    text = "".join(f"data: {json.dumps(e, ensure_ascii=False)}\n\n" for e in events)
    return (text + "data: [DONE]\n\n").encode()


class Scripted:
    """A MockTransport handler: answers the n-th request with the n-th reply (the last repeats).

    A reply is a completion dict (streamed as SSE when the request asks for a stream) or a ready
    ``httpx.Response``. ``requests`` keeps what was sent.
    """

    def __init__(self, *replies: dict[str, Any] | httpx.Response) -> None:
        self.replies = list(replies)
        self.requests: list[httpx.Request] = []

    @property
    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(r.content) for r in self.requests]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        reply = self.replies[min(len(self.requests), len(self.replies)) - 1]
        if isinstance(reply, httpx.Response):
            return reply
        if request.content and json.loads(request.content).get("stream"):
            return httpx.Response(
                200, content=as_sse(reply), headers={"content-type": "text/event-stream"}
            )
        return httpx.Response(200, json=reply, headers={"minimax-request-id": "req-scripted"})

    def clients(self) -> dict[str, Any]:
        transport = httpx.MockTransport(self)
        return {
            "http_client": httpx.Client(transport=transport),
            "http_async_client": httpx.AsyncClient(transport=transport),
        }

    def chat(self, **kwargs: Any) -> ChatMiniMax:
        kwargs.setdefault("api_key", API_KEY)
        kwargs.setdefault("max_retries", 0)
        return ChatMiniMax(**self.clients(), **kwargs)


def as_message(result: Any) -> AIMessage:
    """An ``AIMessage`` (a streamed aggregate converted) for uniform assertions."""
    if isinstance(result, AIMessageChunk):
        result = message_chunk_to_message(result)
    assert isinstance(result, AIMessage)
    return result
