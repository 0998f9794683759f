"""Shared helpers for the LlamaIndex adapter tests: routes, sync/async callers, wire truths."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import httpx
import pytest
from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    CompletionResponse,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
)

from minimax_emulator.testing import EmulatorServer
from tests.support import API_KEY, json_body

#: (api, model): the three routes, each with a reasoning model it serves.
ROUTES = [
    pytest.param("openai", "MiniMax-M2.7", id="openai"),
    pytest.param("native", "MiniMax-M2.7", id="native"),
    pytest.param("dashscope", "MiniMax-M2.5", id="dashscope"),
]
PATHS = {
    "openai": "/v1/chat/completions",
    "native": "/v1/text/chatcompletion_v2",
    "dashscope": "/compatible-mode/v1/chat/completions",
}
MODES = pytest.mark.parametrize("mode", ["sync", "async"])
#: Marks the tests' own ground-truth requests (:func:`wire_message`) in the emulator's journal.
PROBE = "x-test-probe"


def user(text: str) -> ChatMessage:
    return ChatMessage(role="user", content=text)


def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


def multiply(a: int, b: int) -> int:
    """Multiply two integers."""
    return a * b


# -- sync/async callers (one test body for both) ----------------------------------------------


async def chat(llm: Any, messages: Sequence[ChatMessage], mode: str, **kw: Any) -> ChatResponse:
    if mode == "sync":
        return llm.chat(messages, **kw)  # type: ignore[no-any-return]
    return await llm.achat(messages, **kw)  # type: ignore[no-any-return]


async def stream_chat(
    llm: Any, messages: Sequence[ChatMessage], mode: str, **kw: Any
) -> list[ChatResponse]:
    if mode == "sync":
        return list(llm.stream_chat(messages, **kw))
    return [r async for r in await llm.astream_chat(messages, **kw)]


async def complete(llm: Any, prompt: str, mode: str, **kw: Any) -> CompletionResponse:
    if mode == "sync":
        return llm.complete(prompt, **kw)  # type: ignore[no-any-return]
    return await llm.acomplete(prompt, **kw)  # type: ignore[no-any-return]


async def stream_complete(llm: Any, prompt: str, mode: str, **kw: Any) -> list[CompletionResponse]:
    if mode == "sync":
        return list(llm.stream_complete(prompt, **kw))
    return [r async for r in await llm.astream_complete(prompt, **kw)]


async def chat_with_tools(llm: Any, tools: Any, mode: str, **kw: Any) -> ChatResponse:
    if mode == "sync":
        return llm.chat_with_tools(tools, **kw)  # type: ignore[no-any-return]
    return await llm.achat_with_tools(tools, **kw)  # type: ignore[no-any-return]


async def stream_chat_with_tools(llm: Any, tools: Any, mode: str, **kw: Any) -> list[ChatResponse]:
    if mode == "sync":
        return list(llm.stream_chat_with_tools(tools, **kw))
    return [r async for r in await llm.astream_chat_with_tools(tools, **kw)]


async def predict_and_call(llm: Any, tools: Any, mode: str, **kw: Any) -> Any:
    if mode == "sync":
        return llm.predict_and_call(tools, **kw)
    return await llm.apredict_and_call(tools, **kw)


# -- reading messages -------------------------------------------------------------------------


def thinking(message: ChatMessage) -> list[ThinkingBlock]:
    return [b for b in message.blocks if isinstance(b, ThinkingBlock)]


def tool_blocks(message: ChatMessage) -> list[ToolCallBlock]:
    return [b for b in message.blocks if isinstance(b, ToolCallBlock)]


def block_kinds(message: ChatMessage) -> list[str]:
    return [b.block_type for b in message.blocks]


def text_of(message: ChatMessage) -> str:
    return "".join(b.text for b in message.blocks if isinstance(b, TextBlock))


# -- the emulator's own answer, read with plain httpx (ground truth for replay checks) --------


def wire_message(emulator: EmulatorServer, api: str, body: dict[str, Any]) -> dict[str, Any]:
    """The assistant message the emulator answers ``body`` with, as raw JSON (not streamed).

    The emulator is deterministic, so this is exactly what an earlier identical request got.
    """
    body = {k: v for k, v in body.items() if k not in ("stream", "stream_options")}
    reply = httpx.post(
        emulator.base_url + PATHS[api],
        json=body,
        headers={"Authorization": f"Bearer {API_KEY}", PROBE: "1"},
        timeout=10,
    )
    reply.raise_for_status()
    message: dict[str, Any] = reply.json()["choices"][0]["message"]
    return message


def chat_bodies(emulator: EmulatorServer) -> list[dict[str, Any]]:
    """Bodies of the chat requests the emulator received from the code under test, in order."""
    return [
        json_body(r)
        for r in emulator.requests
        if r.path in PATHS.values() and PROBE not in r.headers
    ]


def mock_client(
    handler: Callable[[httpx.Request], httpx.Response],
) -> tuple[httpx.Client, httpx.AsyncClient]:
    transport = httpx.MockTransport(handler)
    return httpx.Client(transport=transport), httpx.AsyncClient(transport=transport)


def completion_json(
    content: str, *, model: str = "MiniMax-M2.7", tool_calls: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A MiniMax OpenAI-route completion body (as the service sends it)."""
    message: dict[str, Any] = {"role": "assistant", "content": content, "name": "MiniMax AI"}
    if tool_calls:
        message["tool_calls"] = tool_calls
    return {
        "id": "0601a1b2c3d4e5f6",
        "object": "chat.completion",
        "created": 1780000000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "finish_reason": "tool_calls" if tool_calls else "stop",
                "message": message,
            }
        ],
        "usage": {"prompt_tokens": 20, "completion_tokens": 10, "total_tokens": 30},
        "base_resp": {"status_code": 0, "status_msg": ""},
    }
