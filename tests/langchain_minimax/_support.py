"""Helpers for the ChatMiniMax / MiniMaxEmbeddings behaviour tests.

* :func:`chat` builds a ``ChatMiniMax`` on one of the three routes against the shared emulator.
* :func:`run` / :func:`run_stream` call a runnable the four ways LangChain offers (``invoke``,
  ``ainvoke``, ``stream``, ``astream``) and return what a user would hold afterwards.
* :class:`Tee` records the bytes the server really sent (the client still reads them over the
  socket, unchanged), and :func:`server_view` reads them with a parser independent of ours, so
  "replayed exactly as received" is checked against the wire, not against our own decoding.
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
    """
    text = bytes(raw).decode()
    if not text.lstrip().startswith("data:"):
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
