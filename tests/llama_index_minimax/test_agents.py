"""FunctionAgent and AgentWorkflow: multi-tool loops to a final answer, reasoning replayed on
every turn exactly as each route wants it (checked in the request bodies the emulator received)."""

from __future__ import annotations

from typing import Any

import pytest
from llama_index.core.agent.workflow import (
    AgentStream,
    AgentWorkflow,
    FunctionAgent,
    ToolCallResult,
)
from llama_index.core.memory import Memory

from minimax_emulator.testing import EmulatorServer
from tests.llama_index_minimax.helpers import (
    ROUTES,
    add,
    anthropic_replay,
    chat_bodies,
    multiply,
    results_after,
    system_of,
    tool_specs,
    trailing_results,
    wire_calls,
    wire_message,
    wire_reasoning,
)

BOTH = "Use add on 2 and 3, and multiply 4 and 5."
STREAMING = pytest.mark.parametrize("streaming", [True, False], ids=["streaming", "not-streaming"])


async def run(agent: Any, text: str, memory: Memory | None = None) -> tuple[Any, list[Any]]:
    handler = agent.run(text, memory=memory)
    events = [event async for event in handler.stream_events()]
    return await handler, events


def wire_replies(emulator: EmulatorServer, api: str) -> tuple[list[dict[str, Any]], list[Any]]:
    """The chat bodies received so far and the emulator's raw reply to each."""
    bodies = chat_bodies(emulator)
    return bodies, [wire_message(emulator, api, body) for body in bodies]


def assert_history_replayed(api: str, sent: list[dict[str, Any]], replies: list[Any]) -> None:
    """Every assistant turn in ``sent`` is the matching earlier reply, reasoning included, and
    each tool result follows the call it answers."""
    assistants = [i for i, m in enumerate(sent) if m["role"] == "assistant"]
    assert len(assistants) == len(replies)
    for position, wire in zip(assistants, replies, strict=True):
        turn = sent[position]
        if api == "openai":
            assert turn["reasoning_details"] == wire["reasoning_details"]  # verbatim
            assert turn["content"].strip() == wire["content"].strip()
        elif api == "native":
            assert turn["content"] == wire["content"]  # the original <think>…</think> content
            assert turn["content"].startswith("<think>")
            assert "reasoning_details" not in turn
        elif api == "anthropic":
            # the reply's blocks verbatim: thinking first (text and signature), then the calls
            assert turn == anthropic_replay(wire)
        else:
            assert turn["reasoning_content"] == wire["reasoning_content"]
            assert turn["content"].strip() == wire["content"].strip()
        calls = wire_calls(api, wire)
        assert wire_calls(api, turn) == calls
        # the results come right after their turn (parallel tools finish in any order)
        answers = results_after(api, sent, position)
        assert sorted(i for i, _ in answers) == sorted(i for i, _, _ in calls)


def final_answer(api: str, body: dict[str, Any]) -> str:
    """The emulator's answer to a request ending with tool results (in the order they were sent)."""
    results = trailing_results(api, body)
    assert sorted(results, key=int) == ["5", "20"] or results == ["42"]
    return f"Based on the tool results: {'; '.join(results)}."


@pytest.mark.parametrize(("api", "model"), ROUTES)
@STREAMING
async def test_function_agent_runs_a_two_tool_loop_with_reasoning_replayed(
    make_llm: Any, emulator: EmulatorServer, api: str, model: str, streaming: bool
) -> None:
    agent = FunctionAgent(tools=[add, multiply], llm=make_llm(api, model), streaming=streaming)
    # LlamaIndex's own persistent memory (messages stored as JSON in SQLite between turns)
    memory = Memory.from_defaults(session_id="agent-test", token_limit=100_000)

    result, events = await run(agent, BOTH, memory)
    results = [
        (e.tool_name, e.tool_kwargs, e.tool_output.raw_output)
        for e in events
        if isinstance(e, ToolCallResult)
    ]
    assert sorted(results) == [("add", {"a": 2, "b": 3}, 5), ("multiply", {"a": 4, "b": 5}, 20)]
    bodies, replies = wire_replies(emulator, api)
    assert len(bodies) == 2
    assert str(result) == final_answer(api, bodies[1])
    assert "<think>" not in str(result)
    assert_history_replayed(api, bodies[1]["messages"], replies[:1])

    thinking = "".join(e.thinking_delta or "" for e in events if isinstance(e, AgentStream))
    if streaming:  # the reasoning of both LLM calls, streamed as it arrived
        assert thinking == wire_reasoning(api, replies[0]) + wire_reasoning(api, replies[1])
        assert "<think>" not in "".join(e.delta for e in events if isinstance(e, AgentStream))

    # a second turn in the same conversation: every earlier turn comes back with its reasoning
    result, _ = await run(agent, "Now multiply 6 and 7.", memory)
    assert str(result) == "Based on the tool results: 42."
    bodies, replies = wire_replies(emulator, api)
    assert len(bodies) == 4
    last = bodies[3]["messages"]
    if api == "anthropic":  # turns alternate; tool results are tool_result blocks in user turns
        assert [(m["role"], [b["type"] for b in m["content"]]) for m in last] == [
            ("user", ["text"]),
            ("assistant", ["thinking", "tool_use", "tool_use"]),
            ("user", ["tool_result", "tool_result"]),
            ("assistant", ["thinking", "text"]),
            ("user", ["text"]),
            ("assistant", ["thinking", "tool_use"]),
            ("user", ["tool_result"]),
        ]
    else:
        assert [m["role"] for m in last] == [
            "user", "assistant", "tool", "tool", "assistant", "user", "assistant", "tool",
        ]  # fmt: skip
    assert_history_replayed(api, last, replies[:3])


@pytest.mark.parametrize(("api", "model"), ROUTES)
@STREAMING
async def test_agent_workflow_with_two_agents_reaches_a_final_answer(
    make_llm: Any, emulator: EmulatorServer, api: str, model: str, streaming: bool
) -> None:
    llm = make_llm(api, model)
    calculator = FunctionAgent(
        name="calculator",
        description="Does arithmetic with its tools.",
        system_prompt="You are a calculator. Always use your tools.",
        tools=[add, multiply],
        llm=llm,
        streaming=streaming,
        can_handoff_to=["writer"],
    )
    writer = FunctionAgent(
        name="writer",
        description="Writes prose.",
        system_prompt="You write short prose.",
        llm=llm,
        streaming=streaming,
    )
    workflow = AgentWorkflow(agents=[calculator, writer], root_agent="calculator")

    result, events = await run(workflow, BOTH)
    tools_run = sorted(e.tool_name for e in events if isinstance(e, ToolCallResult))
    assert tools_run == ["add", "multiply"]
    bodies, replies = wire_replies(emulator, api)
    assert len(bodies) == 2
    assert str(result) == final_answer(api, bodies[1])
    first = bodies[0]
    assert {name for name, _ in tool_specs(api, first)} == {"add", "multiply", "handoff"}
    system = system_of(api, first)  # one system prompt (merged), where the route wants it
    assert system is not None
    assert "You are a calculator." in system
    assert_history_replayed(api, bodies[1]["messages"], replies[:1])
    if streaming:
        assert any(e.thinking_delta for e in events if isinstance(e, AgentStream))


@pytest.mark.parametrize(("api", "model"), ROUTES)
async def test_function_agent_with_output_cls_returns_the_structured_response(
    make_llm: Any, emulator: EmulatorServer, api: str, model: str
) -> None:
    """``FunctionAgent(output_cls=...)``: after the tool turn, the structured answer is produced
    (through this package's tool-calling structured output) on every route."""
    from pydantic import BaseModel

    class Forecast(BaseModel):
        city: str
        summary: str

    def get_weather(city: str) -> str:
        """The weather in a city."""
        return f"Sunny in {city}"

    agent = FunctionAgent(
        tools=[get_weather], llm=make_llm(api=api, model=model), output_cls=Forecast
    )
    result: Any = await agent.run("What is the weather in Paris?")
    forecast = Forecast.model_validate(result.structured_response)
    assert forecast.city == "Paris"
    chat_requests = [r for r in emulator.requests if r.method == "POST"]
    assert len(chat_requests) >= 3  # the tool call, the answer after it, the structured answer
