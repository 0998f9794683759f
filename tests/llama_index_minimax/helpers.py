"""Shared helpers for the LlamaIndex adapter tests: routes, sync/async callers, wire truths.

Request bodies and raw replies are read the same way on every route by the ``wire_*`` and
``*_of`` helpers below, each checking the route's own shape as it reads: OpenAI-shaped
``messages`` (openai, native, dashscope), or the Anthropic route's top-level ``system`` and
content blocks (``thinking`` with its ``signature``, ``text``, ``tool_use``, ``tool_result``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import takewhile
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

#: (api, model): the four routes, each with a reasoning model it serves.
ROUTES = [
    pytest.param("openai", "MiniMax-M2.7", id="openai"),
    pytest.param("native", "MiniMax-M2.7", id="native"),
    pytest.param("dashscope", "MiniMax-M2.5", id="dashscope"),
    pytest.param("anthropic", "MiniMax-M2.7", id="anthropic"),
]
PATHS = {
    "openai": "/v1/chat/completions",
    "native": "/v1/text/chatcompletion_v2",
    "dashscope": "/compatible-mode/v1/chat/completions",
    "anthropic": "/anthropic/v1/messages",
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

    The emulator is deterministic, so this is exactly what an earlier identical request got. On
    the Anthropic route the reply is itself the message (``{"type": "message", "role":
    "assistant", "content": [blocks], "stop_reason", "usage"}``); elsewhere it is
    ``choices[0].message``.
    """
    body = {k: v for k, v in body.items() if k not in ("stream", "stream_options")}
    reply = httpx.post(
        emulator.base_url + PATHS[api],
        json=body,
        headers={"Authorization": f"Bearer {API_KEY}", PROBE: "1"},
        timeout=10,
    )
    reply.raise_for_status()
    if api == "anthropic":
        document: dict[str, Any] = reply.json()
        assert (document["type"], document["role"]) == ("message", "assistant"), document
        return document
    message: dict[str, Any] = reply.json()["choices"][0]["message"]
    return message


def wire_reasoning(api: str, message: dict[str, Any]) -> str:
    """The reasoning of a raw reply (:func:`wire_message`), read by hand for each route."""
    if api == "openai":
        return str(message["reasoning_details"][0]["text"])
    if api == "dashscope":
        return str(message["reasoning_content"])
    if api == "anthropic":
        return "".join(b["thinking"] for b in message["content"] if b["type"] == "thinking")
    content = message["content"]
    assert content.startswith("<think>"), "the native route sends its reasoning inline"
    return str(content).removeprefix("<think>").partition("</think>")[0].strip()


def wire_answer(api: str, message: dict[str, Any]) -> str:
    """The visible answer of a raw reply (:func:`wire_message`), read by hand for each route."""
    if api == "anthropic":
        return "".join(b["text"] for b in message["content"] if b["type"] == "text")
    content = str(message["content"])
    if api == "native":
        return content.partition("</think>")[2].strip()
    return content


def wire_calls(api: str, message: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(id, name, arguments exactly as sent) of the tool calls in an assistant message, raw reply
    or request turn alike: ``tool_calls`` with their JSON-text arguments, or on the Anthropic
    route ``tool_use`` blocks with their ``input`` object."""
    if api == "anthropic":
        return [
            (b["id"], b["name"], b["input"]) for b in message["content"] if b["type"] == "tool_use"
        ]
    return [
        (c["id"], c["function"]["name"], c["function"]["arguments"])
        for c in message.get("tool_calls") or ()
    ]


def anthropic_details(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``reasoning_details`` a ThinkingBlock must keep for an Anthropic-route reply: one item
    per thinking block (its index among the content blocks, its text, its signature)."""
    return [
        {
            "type": "thinking",
            "format": "anthropic-thinking",
            "index": index,
            "text": block["thinking"],
            "signature": block["signature"],
        }
        for index, block in enumerate(message["content"])
        if block["type"] == "thinking"
    ]


def anthropic_replay(message: dict[str, Any]) -> dict[str, Any]:
    """The assistant turn the Anthropic route must send back for an earlier raw reply: its content
    blocks verbatim, so its thinking block(s) first, each with its exact text and signature, then
    its text and ``tool_use`` blocks."""
    blocks = message["content"]
    kinds = [b["type"] for b in blocks]
    assert kinds[0] == "thinking", kinds
    rank = {"thinking": 0, "text": 1, "tool_use": 2}
    assert kinds == sorted(kinds, key=rank.__getitem__), kinds
    for block in blocks:
        if block["type"] == "thinking":
            assert set(block) == {"type", "thinking", "signature"}, block
            assert len(block["signature"]) == 64, block  # MiniMax signs with 64 hex digits
    return {"role": "assistant", "content": blocks}


# -- request bodies, read the same way on every route -----------------------------------------


def user_turn(api: str, text: str) -> dict[str, Any]:
    """A plain user message as the route's request carries it."""
    if api == "anthropic":
        return {"role": "user", "content": [{"type": "text", "text": text}]}
    return {"role": "user", "content": text}


def system_of(api: str, body: dict[str, Any]) -> str | None:
    """The system prompt of a request (``None``: none), checked to be in the route's one place.

    The Anthropic route: the top-level ``system`` string, never a ``system`` role in ``messages``
    (MiniMax answers that with 400/2013). Elsewhere: one system message, first in ``messages``.
    """
    messages = body["messages"]
    systems = [m for m in messages if m["role"] == "system"]
    if api == "anthropic":
        assert systems == [], systems
        system = body.get("system")
        assert system is None or (isinstance(system, str) and system), system
        return system
    assert "system" not in body
    if not systems:
        return None
    assert len(systems) == 1, systems  # MiniMax accepts one system message: merged, first
    assert messages[0] is systems[0]
    return str(systems[0]["content"])


def turns(api: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    """The conversation of a request without its system prompt (see :func:`system_of`)."""
    messages: list[dict[str, Any]] = body["messages"]
    if system_of(api, body) is not None and api != "anthropic":
        return messages[1:]
    return messages


def tool_specs(api: str, body: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(name, JSON schema) of each tool a request offers, in order: ``{"type": "function",
    "function": {name, parameters}}`` elsewhere, ``{name, description?, input_schema}`` on the
    Anthropic route."""
    if api == "anthropic":
        assert all(set(t) <= {"name", "description", "input_schema"} for t in body["tools"])
        return [(t["name"], t["input_schema"]) for t in body["tools"]]
    return [(t["function"]["name"], t["function"]["parameters"]) for t in body["tools"]]


def tool_results(api: str, results: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    """The messages that carry tool results ((call id, content) each) after their calls: one
    ``tool`` message each, or on the Anthropic route one user turn of ``tool_result`` blocks."""
    if api == "anthropic":
        blocks = [{"type": "tool_result", "tool_use_id": i, "content": c} for i, c in results]
        return [{"role": "user", "content": blocks}]
    return [{"role": "tool", "tool_call_id": i, "content": c} for i, c in results]


def results_after(
    api: str, messages: Sequence[dict[str, Any]], position: int
) -> list[tuple[str, str]]:
    """(call id, content) of the tool results right after the assistant turn at ``position``:
    the ``tool`` messages that follow it, or on the Anthropic route the ``tool_result`` blocks
    that open the user turn after it."""
    following = messages[position + 1 :]
    if api == "anthropic":
        if not following:
            return []
        assert following[0]["role"] == "user", following[0]  # turns alternate on this route
        blocks = takewhile(lambda b: b["type"] == "tool_result", following[0]["content"])
        return [(b["tool_use_id"], b["content"]) for b in blocks]
    answers = takewhile(lambda m: m["role"] == "tool", following)
    return [(m["tool_call_id"], m["content"]) for m in answers]


def trailing_results(api: str, body: dict[str, Any]) -> list[str]:
    """The contents of the tool results a request ends with, in the order they were sent."""
    messages = body["messages"]
    if api == "anthropic":
        last = messages[-1]
        kinds = {b["type"] for b in last["content"]} if last["role"] == "user" else set()
        if kinds != {"tool_result"}:
            return []
        return [b["content"] for b in last["content"]]
    results: list[str] = []
    for message in reversed(messages):
        if message["role"] != "tool":
            break
        results.insert(0, message["content"])
    return results


#: Events the Anthropic route's stream sends before the first piece of the answer
#: (``message_start``, ``ping``, the first ``content_block_start``); the other routes' first
#: event already carries some.
_PREAMBLE = {"anthropic": 3}


def answer_events(api: str, count: int) -> int:
    """The ``X-Emulator`` event count (``stream_error=K``, ``disconnect_after=K``) that lets
    ``count`` events carrying the answer through on the route."""
    return _PREAMBLE.get(api, 0) + count


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
