"""Reasoning sent back: the tool loop, per route, with the request bodies the emulator received.

MiniMax requires the previous turn's reasoning back in multi-turn tool use, and rejects tool results
that do not follow their call (error 2013, ``docs/protocol-notes.md`` §9.2). Replay rules
(``docs/protocol-notes.md`` §12.3): OpenAI route ``reasoning_details`` verbatim (content clean),
native route the original ``<think>…</think>`` content verbatim, DashScope ``reasoning_content``,
Anthropic route the signed ``thinking`` blocks verbatim ahead of the turn's text and ``tool_use``.
The reference for "verbatim" is the bytes the server sent
(:class:`~tests.langchain_minimax._support.Tee`), read with a parser independent of ours. Messages
from other chat models replay correctly too.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage
from langchain_core.tools import tool

from tests.langchain_minimax._support import (
    CALLS,
    MODES,
    ROUTES,
    Tee,
    anthropic_turn,
    as_message,
    bodies,
    chat,
    invoke,
    is_stream,
    reasoning_of,
    run,
    run_stream,
    sent_tool_calls,
    server_view,
    tool_results,
    user_text,
)

QUESTION = "What is the weather in Paris?"


@tool
def get_weather(city: str) -> str:
    """Get the current weather for a city."""
    return f"Sunny in {city}"


def _assert_replayed_as_received(route: str, replayed: dict[str, Any], sent: dict[str, Any]):
    """``replayed``: the assistant message of the next request; ``sent``: the server's reply."""
    if route == "anthropic":  # the thinking blocks as sent, signature included, first
        assert sent["thinking"]
        assert all(block["signature"] for block in sent["thinking"])
        parts = anthropic_turn(replayed)  # also: no reasoning_* fields, blocks in order
        assert parts["thinking"] == sent["thinking"]
        assert parts["text"] == sent["content"]
        assert "<think>" not in parts["text"]
    elif route == "openai":
        assert replayed["reasoning_details"] == sent["reasoning_details"]
        assert "<think>" not in replayed["content"]
        assert replayed["content"].strip() == sent["content"].strip()
        assert "reasoning_content" not in replayed
    elif route == "native":
        assert sent["content"].startswith("<think>\n")
        assert replayed["content"] == sent["content"]  # the <think> block, byte for byte
        assert "reasoning_details" not in replayed
        assert "reasoning_content" not in replayed
    else:
        assert sent["reasoning_content"]
        assert replayed["reasoning_content"] == sent["reasoning_content"]
        assert "reasoning_details" not in replayed
        assert "<think>" not in replayed["content"]


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("route", ROUTES)
async def test_tool_loop_replays_the_reasoning_the_route_requires(emulator, route, call):
    tee = Tee()
    llm = chat(emulator, route, http_client=tee.client(), http_async_client=tee.async_client())
    with_tools = llm.bind_tools([get_weather])

    if is_stream(call):
        chunks = await run_stream(with_tools, QUESTION, "sync" if call == "stream" else "async")
        fragments = [f for c in chunks for f in c.tool_call_chunks]
        assert fragments[0]["id"]
        assert fragments[0]["name"] == "get_weather"
        assert len(fragments) >= 2, "arguments arrive in several fragments"
        assert all(f["index"] == 0 for f in fragments)
        first: AIMessage | AIMessageChunk = sum(chunks[1:], chunks[0])
    else:
        first = await run(with_tools, QUESTION, call)
    (tool_call,) = first.tool_calls
    assert tool_call["name"] == "get_weather"
    assert tool_call["args"] == {"city": "Paris"}  # the emulator fills strings with proper names
    sent = server_view(tee.raw[0])
    (sent_call,) = sent["tool_calls"]
    assert tool_call["id"] == sent_call["id"]

    result = get_weather.invoke(tool_call)
    assert isinstance(result, ToolMessage)
    final = await run(with_tools, [HumanMessage(QUESTION), first, result], call)

    assert as_message(final).content == f"Based on the tool results: {result.content}."
    assert not as_message(final).tool_calls
    second = bodies(emulator)[1]
    user, assistant, tool_result = second["messages"]
    assert user_text(route, user) == QUESTION
    assert assistant["role"] == "assistant"
    _assert_replayed_as_received(route, assistant, sent)
    (replayed_call,) = sent_tool_calls(route, assistant)
    assert replayed_call == {
        "id": sent_call["id"],
        "name": "get_weather",
        "args": json.loads(sent_call["arguments"]),
    }
    assert tool_results(route, tool_result) == [
        {"tool_call_id": sent_call["id"], "content": "Sunny in Paris"}
    ]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("route", ROUTES)
async def test_a_plain_follow_up_turn_replays_the_reasoning_too(emulator, route, mode):
    tee = Tee()
    llm = chat(emulator, route, http_client=tee.client(), http_async_client=tee.async_client())
    first = await invoke(llm, "Is 9.11 larger than 9.9?", mode)

    await invoke(llm, ["Is 9.11 larger than 9.9?", first, "Why?"], mode)

    assistant = bodies(emulator)[1]["messages"][1]
    sent = server_view(tee.raw[0])
    _assert_replayed_as_received(route, assistant, sent)
    if route == "anthropic":
        assert anthropic_turn(assistant)["text"] == "Echo: Is 9.11 larger than 9.9?"
    elif route != "native":
        assert assistant["content"] == "Echo: Is 9.11 larger than 9.9?"


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("route", ROUTES)
async def test_v1_output_messages_replay_the_same_way(emulator, route, call):
    tee = Tee()
    llm = chat(
        emulator,
        route,
        output_version="v1",
        http_client=tee.client(),
        http_async_client=tee.async_client(),
    ).bind_tools([get_weather])
    first = await run(llm, QUESTION, call)
    assert isinstance(first.content, list)
    assert [b["type"] for b in first.content] == ["reasoning", "tool_call"]

    result = get_weather.invoke(first.tool_calls[0])
    await run(llm, [HumanMessage(QUESTION), first, result], call)

    assistant = bodies(emulator)[1]["messages"][1]
    _assert_replayed_as_received(route, assistant, server_view(tee.raw[0]))
    assert sent_tool_calls(route, assistant)[0]["id"] == first.tool_calls[0]["id"]


# ---------------------------------------------------------------------------------------------
# Messages produced by other chat models
# ---------------------------------------------------------------------------------------------

THOUGHT = "The user wants the weather; I should call get_weather for Paris."
CALL = {"name": "get_weather", "args": {"city": "Paris"}, "id": "toolu_01", "type": "tool_call"}
TOOL_USE = {"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {"city": "Paris"}}

FOREIGN: dict[str, tuple[AIMessage, str | None, str]] = {
    # name: (message, the reasoning it carries, its visible text)
    "plain_tool_calls": (AIMessage(content="", tool_calls=[CALL]), None, ""),
    "anthropic_blocks": (
        AIMessage(
            content=[
                {"type": "thinking", "thinking": THOUGHT, "signature": "c2lnbmF0dXJl"},
                {"type": "text", "text": "Let me check."},
                TOOL_USE,
            ],
            tool_calls=[CALL],
            response_metadata={"model_provider": "anthropic"},
        ),
        THOUGHT,
        "Let me check.",
    ),
    "anthropic_blocks_without_tool_calls_field": (
        AIMessage(
            content=[
                {"type": "thinking", "thinking": THOUGHT, "signature": "c2lnbmF0dXJl"},
                TOOL_USE,
            ]
        ),
        THOUGHT,
        "",
    ),
    "openai_additional_kwargs_only": (
        AIMessage(
            content="",
            additional_kwargs={
                "tool_calls": [
                    {
                        "id": "toolu_01",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                    }
                ]
            },
        ),
        None,
        "",
    ),
    "deepseek_reasoning_content": (
        AIMessage(
            content="",
            additional_kwargs={"reasoning_content": THOUGHT},
            tool_calls=[CALL],
            response_metadata={"model_provider": "deepseek"},
        ),
        THOUGHT,
        "",
    ),
    "openrouter_foreign_reasoning_details": (
        AIMessage(
            content="",
            additional_kwargs={
                "reasoning_content": THOUGHT,
                "reasoning_details": [
                    {"type": "reasoning.encrypted", "data": "opaque", "format": "openai-v1"}
                ],
            },
            tool_calls=[CALL],
            response_metadata={"model_provider": "openrouter"},
        ),
        THOUGHT,
        "",
    ),
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind", FOREIGN)
@pytest.mark.parametrize("route", ROUTES)
async def test_messages_from_other_chat_models_replay_correctly(emulator, route, kind, mode):
    message, thought, text = FOREIGN[kind]
    llm = chat(emulator, route).bind_tools([get_weather])
    history = [
        HumanMessage("What is the weather in Paris?"),
        message,
        ToolMessage("Sunny, 24°C", tool_call_id="toolu_01"),
    ]

    answer = await invoke(llm, history, mode)

    assert answer.content == "Based on the tool results: Sunny, 24°C."
    (body,) = bodies(emulator)
    assistant = body["messages"][1]
    if route == "anthropic":
        assert anthropic_turn(assistant)["tool_use"] == [TOOL_USE]
    else:
        assert assistant["tool_calls"] == [
            {
                "id": "toolu_01",
                "type": "function",
                "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
            }
        ]
    assert tool_results(route, body["messages"][2]) == [
        {"tool_call_id": "toolu_01", "content": "Sunny, 24°C"}
    ]
    if route == "anthropic":
        # reasoning from elsewhere → one unsigned thinking block (another provider's signature
        # would not verify); no reasoning → no block invented
        parts = anthropic_turn(assistant)
        assert parts["text"] == text
        unsigned = [{"type": "thinking", "thinking": thought}] if thought is not None else []
        assert parts["thinking"] == unsigned
    elif thought is None:  # no reasoning: none is invented
        assert assistant["content"] == text
        assert "reasoning_details" not in assistant
        assert "reasoning_content" not in assistant
    elif route == "openai":  # plain reasoning → one reasoning.text item; others' formats dropped
        assert assistant["content"] == text
        assert assistant["reasoning_details"] == [
            {
                "type": "reasoning.text",
                "id": "reasoning-text-1",
                "format": "MiniMax-response-v1",
                "index": 0,
                "text": thought,
            }
        ]
    elif route == "native":  # re-inlined the way MiniMax writes it
        assert assistant["content"] == f"<think>\n{thought}\n</think>\n\n{text}"
    else:
        assert assistant["content"] == text
        assert assistant["reasoning_content"] == thought


@pytest.mark.parametrize("mode", MODES)
async def test_our_reasoning_replayed_on_another_route_is_converted(emulator, mode):
    """A turn taken on the OpenAI route, continued on the native one: ``<think>`` re-inlined."""
    openai = chat(emulator, "openai").bind_tools([get_weather])
    first = await invoke(openai, QUESTION, mode)
    result = get_weather.invoke(first.tool_calls[0])

    await invoke(
        chat(emulator, "native").bind_tools([get_weather]), [QUESTION, first, result], mode
    )

    assistant = bodies(emulator)[1]["messages"][1]
    assert assistant["content"] == f"<think>\n{reasoning_of(first)}\n</think>\n\n"
    assert assistant["tool_calls"][0]["id"] == first.tool_calls[0]["id"]


@pytest.mark.parametrize("mode", MODES)
async def test_openai_route_reasoning_goes_to_the_anthropic_route_as_one_unsigned_block(
    emulator, mode
):
    openai = chat(emulator, "openai").bind_tools([get_weather])
    first = await invoke(openai, QUESTION, mode)
    result = get_weather.invoke(first.tool_calls[0])

    answer = await invoke(
        chat(emulator, "anthropic").bind_tools([get_weather]), [QUESTION, first, result], mode
    )

    assert answer.content == f"Based on the tool results: {result.content}."
    parts = anthropic_turn(bodies(emulator)[1]["messages"][1])
    assert parts["thinking"] == [{"type": "thinking", "thinking": reasoning_of(first)}]
    assert [b["id"] for b in parts["tool_use"]] == [first.tool_calls[0]["id"]]


@pytest.mark.parametrize("mode", MODES)
async def test_anthropic_route_reasoning_goes_to_the_openai_route_as_reasoning_text(emulator, mode):
    anthropic = chat(emulator, "anthropic").bind_tools([get_weather])
    first = await invoke(anthropic, QUESTION, mode)
    result = get_weather.invoke(first.tool_calls[0])

    answer = await invoke(
        chat(emulator, "openai").bind_tools([get_weather]), [QUESTION, first, result], mode
    )

    assert answer.content == f"Based on the tool results: {result.content}."
    assistant = bodies(emulator)[1]["messages"][1]
    assert assistant["reasoning_details"] == [  # thinking blocks and signatures do not go there
        {
            "type": "reasoning.text",
            "id": "reasoning-text-1",
            "format": "MiniMax-response-v1",
            "index": 0,
            "text": reasoning_of(first),
        }
    ]
    assert assistant["tool_calls"][0]["id"] == first.tool_calls[0]["id"]
