"""Reasoning replay per route (``docs/protocol-notes.md`` §3.3, §12.3)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from minimax_core import (
    AssistantMessage,
    ChatParams,
    Reasoning,
    ToolCall,
    ToolDefinition,
    ToolMessage,
    UserMessage,
)
from minimax_core._dialects import DIALECTS
from minimax_core._protocol import interpret_chat
from minimax_core._request import prepare_chat
from minimax_core._types import ChatMessage

from .support import decode, detail, meta, stream_fixture

DETAILS = [detail("The user asks for Paris.")]
INLINE = "<think>\nThe user asks for Paris.\n</think>\n\nParis."


def assistant_turn(
    api: str, message: AssistantMessage, model: str = "MiniMax-M2.5"
) -> dict[str, Any]:
    """The assistant message as sent back on the next request."""
    messages: list[ChatMessage] = [UserMessage("q"), message]
    tools = None
    if message.tool_calls:
        messages += [ToolMessage(c.id, "result") for c in message.tool_calls]
        tools = [ToolDefinition(c.name) for c in message.tool_calls]
    prepared = prepare_chat(messages, ChatParams(model=model, tools=tools), api=api, stream=False)
    sent: dict[str, Any] = json.loads(prepared.body)["messages"][1]
    return sent


@pytest.mark.parametrize(
    ("api", "reasoning", "expected"),
    [
        # Produced by this package on the split route: reasoning_details verbatim.
        (
            "openai",
            Reasoning("The user asks for Paris.", details=DETAILS),
            {"content": "Paris.", "reasoning_details": DETAILS},
        ),
        # Arrived inline: the original content, <think> and all.
        ("openai", Reasoning("The user asks for Paris.", inline=INLINE), {"content": INLINE}),
        # Plain reasoning text from elsewhere: one reasoning.text item.
        (
            "openai",
            Reasoning("The user asks for Paris."),
            {"content": "Paris.", "reasoning_details": DETAILS},
        ),
        ("native", Reasoning("The user asks for Paris.", inline=INLINE), {"content": INLINE}),
        ("native", Reasoning("The user asks for Paris."), {"content": INLINE}),
        (
            "dashscope",
            Reasoning("The user asks for Paris.", details=DETAILS),
            {"content": "Paris.", "reasoning_content": "The user asks for Paris."},
        ),
        (
            "dashscope",
            Reasoning("The user asks for Paris."),
            {"content": "Paris.", "reasoning_content": "The user asks for Paris."},
        ),
    ],
)
def test_replay_per_route(api: str, reasoning: Reasoning, expected: dict[str, Any]) -> None:
    sent = assistant_turn(api, AssistantMessage("Paris.", reasoning=reasoning))
    assert sent == {"role": "assistant", **expected}


@pytest.mark.parametrize("api", ["openai", "native", "dashscope"])
@pytest.mark.parametrize("reasoning", [None, Reasoning()])
def test_no_reasoning_sends_none(api: str, reasoning: Reasoning | None) -> None:
    sent = assistant_turn(api, AssistantMessage("Paris.", reasoning=reasoning))
    assert sent == {"role": "assistant", "content": "Paris."}


def test_dialect_fields() -> None:
    assert DIALECTS["openai"].split_reasoning
    assert not DIALECTS["native"].split_reasoning
    assert DIALECTS["dashscope"].token_field == "max_tokens"
    assert not DIALECTS["dashscope"].thinking
    assert DIALECTS["native"].inline_reasoning


# --- round trips: an answer read by this package goes back exactly as it came ---------------


@pytest.mark.parametrize("streamed", [False, True], ids=["whole", "stream"])
@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("openai-split-incremental", "reasoning_details"),
        ("openai-split-cumulative", "reasoning_details"),
        ("openai-unsplit-think", "content"),
        ("openai-toolcall-split", "reasoning_details"),
        ("openai-parallel-toolcalls", "content"),
        ("native-inline-think", "content"),
        ("native-m1-reasoning-content", "content"),
        ("dashscope-reasoning-content", "reasoning_content"),
    ],
)
def test_an_answer_is_replayed_as_received(name: str, field: str, streamed: bool) -> None:
    fx = stream_fixture(name)
    if streamed:
        result = decode(fx.prepared(stream=True), [fx.sse])[1]
    else:
        result = interpret_chat(fx.prepared(stream=False), meta(), fx.whole)
    received = json.loads(fx.whole)["choices"][0]["message"]
    sent = assistant_turn(fx.api, result.message, model=fx.model)
    if field == "reasoning_details":
        assert sent["reasoning_details"] == received["reasoning_details"]
    elif field == "reasoning_content":
        assert sent["reasoning_content"] == received["reasoning_content"]
    elif name == "native-m1-reasoning-content":
        # M1 reasoning came as reasoning_content; the native route takes it back inline.
        assert sent["content"] == (
            f"<think>\n{received['reasoning_content']}\n</think>\n\n{received['content']}"
        )
    else:
        assert sent["content"] == received["content"]
    # Tool calls go back with their ids and their arguments exactly as produced.
    assert [
        (c["id"], c["function"]["name"], c["function"]["arguments"])
        for c in sent.get("tool_calls", [])
    ] == [
        (c["id"], c["function"]["name"], c["function"]["arguments"])
        for c in received.get("tool_calls") or []
    ]


def test_replayed_tool_call_without_raw_arguments_is_serialised() -> None:
    call = ToolCall("call_function_7_1", "get_weather", {"city": "Zürich"})
    sent = assistant_turn("openai", AssistantMessage("", tool_calls=[call]))
    assert json.loads(sent["tool_calls"][0]["function"]["arguments"]) == {"city": "Zürich"}
