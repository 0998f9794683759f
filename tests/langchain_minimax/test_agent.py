"""A ``langchain.agents.create_agent`` loop (LangGraph underneath) with two tools, on every route.

The agent runs to a final answer, and every request after the first carries each earlier
assistant turn with its reasoning in the route's form — the multi-turn case where MiniMax
integrations fail today (``docs/protocol-notes.md`` §9.2).
"""

from __future__ import annotations

from typing import Any, cast

import pytest
from langchain.agents import create_agent
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    ToolMessage,
)
from langchain_core.tools import tool

from tests.langchain_minimax._support import (
    MODES,
    ROUTES,
    anthropic_turn,
    assistant_turns,
    bodies,
    chat,
    reasoning_of,
    sent_tool_calls,
    system_text,
)
from tests.support import Route


@tool
def get_weather(city: str) -> str:
    """Get the current weather for a city."""
    return "Sunny, 24°C"


@tool
def get_time(city: str) -> str:
    """Get the local time in a city."""
    return "12:00"


def _agent(emulator: Any, route: Route) -> Any:
    return create_agent(
        chat(emulator, route), [get_weather, get_time], system_prompt="You are a travel helper."
    )


def _assert_history_replayed(route: Route, body: dict[str, Any], ai_turns: list[AIMessage]) -> None:
    """Each assistant message in ``body`` is the matching AI turn, reasoning included."""
    sent = assistant_turns(body)
    assert len(sent) == len(ai_turns)
    for wire, turn in zip(sent, ai_turns, strict=True):
        assert [c["id"] for c in sent_tool_calls(route, wire)] == [c["id"] for c in turn.tool_calls]
        if route == "anthropic":  # the turn's own signed thinking blocks, verbatim, first
            parts = anthropic_turn(wire)
            assert parts["thinking"] == [
                {"type": "thinking", "thinking": item["text"], "signature": item["signature"]}
                for item in turn.additional_kwargs["reasoning_details"]
            ]
            assert "".join(b["thinking"] for b in parts["thinking"]) == reasoning_of(turn)
            assert parts["text"] == turn.content
            assert [(b["name"], b["input"]) for b in parts["tool_use"]] == [
                (c["name"], c["args"]) for c in turn.tool_calls
            ]
        elif route == "openai":
            assert wire["reasoning_details"] == turn.additional_kwargs["reasoning_details"]
            assert wire["content"] == turn.content
        elif route == "native":
            assert wire["content"] == turn.additional_kwargs["raw_content"]
            assert wire["content"].startswith(f"<think>\n{reasoning_of(turn)}\n</think>")
        else:
            assert wire["reasoning_content"] == reasoning_of(turn)
            assert wire["content"] == turn.content
    assert system_text(route, body) == "You are a travel helper."


async def _run(agent: Any, messages: list[Any], mode: str) -> list[BaseMessage]:
    state = {"messages": messages}
    if mode == "sync":
        return cast("list[BaseMessage]", agent.invoke(state)["messages"])
    return cast("list[BaseMessage]", (await agent.ainvoke(state))["messages"])


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("route", ROUTES)
async def test_agent_runs_two_tools_to_a_final_answer_replaying_reasoning(emulator, route, mode):
    agent = _agent(emulator, route)

    messages = await _run(agent, [HumanMessage("Use get_weather and get_time for Paris")], mode)

    assert [m.type for m in messages] == ["human", "ai", "tool", "tool", "ai"]
    reply, results = messages[1], cast("list[ToolMessage]", messages[2:4])  # types asserted above
    assert isinstance(reply, AIMessage)
    calls = reply.tool_calls
    assert [c["name"] for c in calls] == ["get_weather", "get_time"]
    assert [m.tool_call_id for m in results] == [c["id"] for c in calls]
    assert messages[-1].content == "Based on the tool results: Sunny, 24°C; 12:00."
    assert all(reasoning_of(m) for m in messages if isinstance(m, AIMessage))

    # a follow-up question: the whole history, both earlier AI turns with their reasoning
    more = await _run(agent, [*messages, HumanMessage("And get_weather for Rome?")], mode)

    assert more[-1].content == "Based on the tool results: Sunny, 24°C."
    sent = bodies(emulator)
    assert len(sent) == 4
    ai_turns = [m for m in more if isinstance(m, AIMessage)]
    _assert_history_replayed(route, sent[1], ai_turns[:1])
    _assert_history_replayed(route, sent[2], ai_turns[:2])
    _assert_history_replayed(route, sent[3], ai_turns[:3])
    assert sent[0]["tools"] == sent[3]["tools"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("route", ROUTES)
async def test_streaming_agent_streams_reasoning_and_replays_it(emulator, route, mode):
    agent = _agent(emulator, route)
    state = {"messages": [HumanMessage("Use get_weather for Paris")]}

    if mode == "sync":
        parts = list(agent.stream(state, stream_mode=["messages", "values"]))
    else:
        parts = [p async for p in agent.astream(state, stream_mode=["messages", "values"])]

    chunks = [p[1][0] for p in parts if p[0] == "messages"]
    ai_chunks = [c for c in chunks if isinstance(c, AIMessageChunk)]
    assert any(reasoning_of(c) for c in ai_chunks)
    assert all("<think>" not in c.content for c in ai_chunks)
    final_state = [p[1] for p in parts if p[0] == "values"][-1]["messages"]
    assert final_state[-1].content == "Based on the tool results: Sunny, 24°C."
    sent = bodies(emulator)
    assert [b.get("stream") for b in sent] == [True, True]
    _assert_history_replayed(route, sent[1], [final_state[1]])
