"""Shared helpers: fixture loading, wire builders, a scripted fake server, a sync/async runner.

Everything the tests fake sits at the HTTP transport (``httpx.MockTransport``); the code under
test runs its real path from ``MiniMaxClient`` down to the bytes.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from minimax_core import ChatDelta, ChatParams, ChatResult, MiniMaxClient, MiniMaxError
from minimax_core._http import ResponseMeta
from minimax_core._protocol import ChatStreamDecoder
from minimax_core._request import PreparedChat, prepare_chat
from minimax_core._types import ChatMessage, UserMessage

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
STREAMS = FIXTURES / "streams"
CAPTURES = FIXTURES / "captures"

#: A key that must never show up in any error, repr or log line.
KEY = "sk-api-UNITTEST-9f8e7d6c5b4a-SECRET"

OK_RESP = {"status_code": 0, "status_msg": ""}


# ------------------------------------------------------------------------------------------
# Fixtures on disk
# ------------------------------------------------------------------------------------------


MANIFEST: list[dict[str, Any]] = json.loads((STREAMS / "manifest.json").read_text("utf-8"))
STREAM_NAMES = [entry["name"] for entry in MANIFEST]


@dataclass(frozen=True)
class StreamFixture:
    name: str
    api: str
    model: str
    extra: dict[str, Any]
    done: bool
    expect: dict[str, Any]
    sse: bytes
    whole: bytes

    def prepared(self, *, stream: bool, **params: Any) -> PreparedChat:
        return prepare_chat(
            [UserMessage("hi")],
            ChatParams(model=self.model, extra=dict(self.extra), **params),
            api=self.api,
            stream=stream,
        )


def stream_fixture(name: str) -> StreamFixture:
    entry = next(e for e in MANIFEST if e["name"] == name)
    return StreamFixture(
        name=name,
        api=entry["api"],
        model=entry["model"],
        extra=entry["extra"],
        done=entry["done"],
        expect=entry["expect"],
        sse=(STREAMS / f"{name}.sse").read_bytes(),
        whole=(STREAMS / f"{name}.json").read_bytes(),
    )


def capture(name: str) -> tuple[int | None, dict[str, str], bytes]:
    """A recorded reply: (HTTP status or None if unknown, headers, body bytes)."""
    data = json.loads((CAPTURES / name).read_text("utf-8"))
    meta = data.get("_meta") if isinstance(data, dict) else None
    if meta is None:
        return None, {}, json.dumps(data).encode()
    return (
        meta["http_status"],
        dict(meta["response_headers"]),
        json.dumps(meta["response_body_json"]).encode(),
    )


# ------------------------------------------------------------------------------------------
# Wire builders (shapes from ``docs/protocol-notes.md`` §2-§4)
# ------------------------------------------------------------------------------------------


def chunk(
    content: str | None = None,
    *,
    reasoning: str | None = None,
    details: list[dict[str, Any]] | None = None,
    tool_calls: list[dict[str, Any]] | None = None,
    finish: str | None = None,
    usage: Any = None,
    role: str = "assistant",
    id: str = "chatcmpl-unit",
    model: str = "MiniMax-M2.7",
    index: int = 0,
) -> dict[str, Any]:
    delta: dict[str, Any] = {"role": role, "name": "MiniMax AI", "audio_content": ""}
    if content is not None:
        delta["content"] = content
    if reasoning is not None:
        delta["reasoning_content"] = reasoning
    if details is not None:
        delta["reasoning_details"] = details
    if tool_calls is not None:
        delta["tool_calls"] = tool_calls
    choice: dict[str, Any] = {"index": index, "delta": delta}
    if finish is not None:
        choice["finish_reason"] = finish
    return {
        "id": id,
        "choices": [choice],
        "created": 1777421217,
        "model": model,
        "object": "chat.completion.chunk",
        "usage": usage,
    }


def usage(prompt: int, completion: int, reasoning: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "total_tokens": prompt + completion,
        "total_characters": 0,
        "prompt_tokens": prompt,
        "completion_tokens": completion,
    }
    if reasoning is not None:
        out["completion_tokens_details"] = {"reasoning_tokens": reasoning}
    return out


def usage_chunk(prompt: int, completion: int, reasoning: int | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-unit",
        "choices": [],
        "object": "chat.completion.chunk",
        "usage": usage(prompt, completion, reasoning),
        "base_resp": OK_RESP,
    }


def detail(text: str, index: int = 0, **extra: Any) -> dict[str, Any]:
    return {
        "type": "reasoning.text",
        "id": f"reasoning-text-{index + 1}",
        "format": "MiniMax-response-v1",
        "index": index,
        "text": text,
        **extra,
    }


def completion(
    content: str | None = "",
    *,
    reasoning: str | None = None,
    details: list[dict[str, Any]] | None = None,
    tool_calls: list[dict[str, Any]] | None = None,
    finish: str = "stop",
    usage_: dict[str, Any] | None = None,
    model: str = "MiniMax-M2.7",
    id: str = "chatcmpl-unit",
) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "name": "MiniMax AI", "content": content}
    if reasoning is not None:
        message["reasoning_content"] = reasoning
    if details is not None:
        message["reasoning_details"] = details
    if tool_calls is not None:
        message["tool_calls"] = tool_calls
    return {
        "id": id,
        "object": "chat.completion",
        "model": model,
        "choices": [{"index": 0, "finish_reason": finish, "message": message}],
        "usage": usage_ if usage_ is not None else usage(10, 5),
        "base_resp": OK_RESP,
    }


def tool_call(call_id: str, name: str, arguments: str, index: int = 0) -> dict[str, Any]:
    return {
        "id": call_id,
        "type": "function",
        "function": {"name": name, "arguments": arguments},
        "index": index,
    }


def sse(*events: Any, done: bool = True) -> bytes:
    """``data: {json}\\n\\n`` events (a ``str`` event is sent verbatim as the data)."""
    out = []
    for event in events:
        data = event if isinstance(event, str) else json.dumps(event, ensure_ascii=False)
        out.append(f"data: {data}\n\n")
    if done:
        out.append("data: [DONE]\n\n")
    return "".join(out).encode()


def mm_error(message: str, type_: str, http_code: int) -> dict[str, Any]:
    """The OpenAI route's error body (``docs/protocol-notes.md`` §8.2)."""
    return {
        "type": "error",
        "error": {"type": type_, "message": message, "http_code": str(http_code)},
        "request_id": "0640ba8300000000000000000000beef",
    }


def base_resp(code: int, msg: str) -> dict[str, Any]:
    return {"base_resp": {"status_code": code, "status_msg": msg}}


# ------------------------------------------------------------------------------------------
# Driving the pure decoder
# ------------------------------------------------------------------------------------------


def meta(status: int = 200, headers: dict[str, str] | None = None) -> ResponseMeta:
    return ResponseMeta(status, httpx.Headers(headers or {}))


def split_at(data: bytes, cuts: Iterable[int]) -> list[bytes]:
    points = [0, *sorted(cuts), len(data)]
    return [data[a:b] for a, b in itertools.pairwise(points)]


def split_text(text: str, cuts: Iterable[int]) -> list[str]:
    points = [0, *sorted(cuts), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(points)]


def decode(
    prepared: PreparedChat, pieces: Iterable[bytes], response: ResponseMeta | None = None
) -> tuple[list[ChatDelta], ChatResult]:
    decoder = ChatStreamDecoder(prepared)
    decoder.begin(response or meta(200, {"content-type": "text/event-stream"}))
    deltas: list[ChatDelta] = []
    for piece in pieces:
        deltas.extend(decoder.feed(piece))
    deltas.extend(decoder.close())
    return deltas, decoder.result()


# ------------------------------------------------------------------------------------------
# A scripted server behind httpx.MockTransport
# ------------------------------------------------------------------------------------------


class ChunkStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body delivered in the given pieces, optionally breaking afterwards."""

    #: Every stream handed out, so tests can check that responses were closed.
    opened: list[ChunkStream] = []

    def __init__(self, pieces: Sequence[bytes], error: Exception | None = None) -> None:
        self._pieces = list(pieces)
        self._error = error
        self.sent = 0
        self.closed = False
        ChunkStream.opened.append(self)

    def __iter__(self) -> Iterator[bytes]:
        for piece in self._pieces:
            self.sent += 1
            yield piece
        if self._error is not None:
            raise self._error

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self._pieces:
            self.sent += 1
            yield piece
        if self._error is not None:
            raise self._error

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


Reply = Callable[[httpx.Request], httpx.Response]


def json_reply(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
    data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()

    def reply(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            status,
            headers={"content-type": "application/json; charset=utf-8", **(headers or {})},
            content=data,
        )

    return reply


def raw_reply(
    body: bytes, status: int, content_type: str, headers: dict[str, str] | None = None
) -> Reply:
    def reply(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            status, headers={"content-type": content_type, **(headers or {})}, content=body
        )

    return reply


def sse_reply(
    pieces: bytes | Sequence[bytes],
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
    error: Exception | None = None,
) -> Reply:
    chunks = [pieces] if isinstance(pieces, bytes) else list(pieces)

    def reply(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            status,
            headers={"content-type": "text/event-stream", **(headers or {})},
            stream=ChunkStream(chunks, error),
        )

    return reply


def fail(make: Callable[[httpx.Request], Exception]) -> Reply:
    """A reply that raises (connection refused, timeout ...) instead of answering."""

    def reply(request: httpx.Request) -> httpx.Response:
        raise make(request)

    return reply


@dataclass
class FakeServer:
    """Answers with the scripted replies in order; the last one repeats."""

    replies: list[Reply]
    requests: list[httpx.Request] = field(default_factory=list)

    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies)
        self.requests = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        position = min(len(self.requests), len(self.replies)) - 1
        return self.replies[position](request)

    def bodies(self) -> list[Any]:
        return [json.loads(r.content) for r in self.requests]

    @property
    def count(self) -> int:
        return len(self.requests)


def make_client(server: FakeServer, **config: Any) -> MiniMaxClient:
    config.setdefault("api_key", KEY)
    config.setdefault("base_url", "https://api.minimax.io")
    return MiniMaxClient(
        http_client=httpx.Client(transport=httpx.MockTransport(server.handler)),
        http_async_client=httpx.AsyncClient(transport=httpx.MockTransport(server.handler)),
        **config,
    )


# ------------------------------------------------------------------------------------------
# Running the same call sync or async
# ------------------------------------------------------------------------------------------


@dataclass
class StreamOutcome:
    deltas: list[ChatDelta]
    result: ChatResult | None
    error: MiniMaxError | None

    @property
    def text(self) -> str:
        return "".join(d.text for d in self.deltas)

    @property
    def reasoning(self) -> str:
        return "".join(d.reasoning for d in self.deltas)


class Runner:
    def __init__(self, mode: str) -> None:
        self.mode = mode

    def __repr__(self) -> str:
        return self.mode

    def chat(
        self, client: MiniMaxClient, messages: Sequence[ChatMessage], params: ChatParams
    ) -> ChatResult:
        if self.mode == "sync":
            return client.chat(messages, params)
        return asyncio.run(client.achat(messages, params))

    def stream(
        self, client: MiniMaxClient, messages: Sequence[ChatMessage], params: ChatParams
    ) -> StreamOutcome:
        deltas: list[ChatDelta] = []
        if self.mode == "sync":
            sync_stream = client.stream(messages, params)
            try:
                for delta in sync_stream:
                    deltas.append(delta)
            except MiniMaxError as exc:
                return StreamOutcome(deltas, None, exc)
            return StreamOutcome(deltas, sync_stream.result, None)

        async def go() -> StreamOutcome:
            async_stream = client.astream(messages, params)
            try:
                async for delta in async_stream:
                    deltas.append(delta)
            except MiniMaxError as exc:
                return StreamOutcome(deltas, None, exc)
            return StreamOutcome(deltas, async_stream.result, None)

        return asyncio.run(go())

    def embed(self, client: MiniMaxClient, texts: Sequence[str], **kwargs: Any) -> Any:
        if self.mode == "sync":
            kwargs.pop("max_concurrency", None)
            return client.embed(texts, **kwargs)
        return asyncio.run(client.aembed(texts, **kwargs))


def hi() -> list[ChatMessage]:
    return [UserMessage("hi")]
