"""What only the Anthropic-compatible route (``MiniMax(api="anthropic")``, ``POST
/anthropic/v1/messages``) does, through LlamaIndex, checked in the bodies the emulator received.

Signed ``thinking`` blocks sent back by a FunctionAgent and after a streamed answer, structured
output through ``tool_use``, the route's own request fields (top-level ``system``,
``stop_sequences``, ``max_tokens``, ``tool_choice`` objects, ``thinking``) and its errors as
typed exceptions. What every route shares is tested in the other modules, over ``ROUTES``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from llama_index.core.agent.workflow import AgentOutput, FunctionAgent, ToolCallResult
from llama_index.core.base.llms.types import ChatMessage
from llama_index.core.tools import FunctionTool
from pydantic import BaseModel

from minimax_core import (
    AuthenticationError,
    InsufficientBalanceError,
    RateLimitError,
    ServerError,
)
from minimax_emulator.signatures import sign_thinking
from minimax_emulator.testing import EmulatorServer
from tests.llama_index_minimax.helpers import (
    MODES,
    add,
    anthropic_details,
    anthropic_replay,
    block_kinds,
    chat,
    chat_bodies,
    chat_with_tools,
    multiply,
    stream_chat,
    system_of,
    thinking,
    tool_specs,
    user,
    user_turn,
    wire_answer,
    wire_message,
    wire_reasoning,
)

API = "anthropic"
BOTH = "Use add on 2 and 3, and multiply 4 and 5."
TOOLS = [FunctionTool.from_defaults(add), FunctionTool.from_defaults(multiply)]
STREAMING = pytest.mark.parametrize("streaming", [True, False], ids=["streaming", "not-streaming"])
KINDS = pytest.mark.parametrize("kind", ["achat", "astream_chat"])


class Song(BaseModel):
    """A song with its length."""

    title: str
    length_seconds: int


def thinking_blocks(turn: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for b in turn["content"] if b["type"] == "thinking"]


async def call(llm: Any, kind: str, messages: list[ChatMessage]) -> list[Any]:
    if kind == "achat":
        return [await llm.achat(messages)]
    return [r async for r in await llm.astream_chat(messages)]


# -- reasoning sent back: signed thinking blocks ------------------------------------------------


@STREAMING
async def test_function_agent_sends_back_each_thinking_block_with_its_signature(
    make_llm: Any, emulator: EmulatorServer, streaming: bool
) -> None:
    agent = FunctionAgent(tools=[add, multiply], llm=make_llm(API), streaming=streaming)
    handler = agent.run(BOTH)
    events = [event async for event in handler.stream_events()]
    result = await handler

    ran = sorted(
        (e.tool_name, e.tool_output.raw_output) for e in events if isinstance(e, ToolCallResult)
    )
    assert ran == [("add", 5), ("multiply", 20)]
    first, second = chat_bodies(emulator)
    reply = wire_message(emulator, API, first)
    (signed,) = thinking_blocks(reply)
    assert signed["signature"] == sign_thinking(signed["thinking"])  # as the route issued it

    # what the agent holds: the ThinkingBlock keeps the block's text and signature
    outputs = [e.response for e in events if isinstance(e, AgentOutput)]
    (block,) = thinking(outputs[0])
    assert block.content == signed["thinking"]
    assert block.additional_information["reasoning_details"] == anthropic_details(reply)

    # what goes back: the block verbatim and first, then the calls, then the results
    asked, assistant, results = second["messages"]
    assert asked == user_turn(API, BOTH)
    assert assistant == anthropic_replay(reply)
    assert assistant["content"][0] == signed
    calls = assistant["content"][1:]
    assert [(b["type"], b["name"], b["input"]) for b in calls] == [
        ("tool_use", "add", {"a": 2, "b": 3}),
        ("tool_use", "multiply", {"a": 4, "b": 5}),
    ]
    assert results["role"] == "user"
    assert all(set(b) == {"type", "tool_use_id", "content"} for b in results["content"])
    answered = {b["tool_use_id"]: b["content"] for b in results["content"]}
    assert answered == {calls[0]["id"]: "5", calls[1]["id"]: "20"}
    assert [b["type"] for b in results["content"]] == ["tool_result", "tool_result"]
    order = "; ".join(b["content"] for b in results["content"])
    assert str(result) == f"Based on the tool results: {order}."


async def test_a_streamed_answer_keeps_its_signature_and_is_sent_back_verbatim(
    make_llm: Any, emulator: EmulatorServer
) -> None:
    llm = make_llm(API)
    responses = await stream_chat(llm, [user("Hi")], "async")
    (body,) = chat_bodies(emulator)
    assert body["stream"] is True
    wire = wire_message(emulator, API, body)

    assert "".join(r.additional_kwargs.get("thinking_delta", "") for r in responses) == (
        wire_reasoning(API, wire)
    )
    assert "".join(r.delta or "" for r in responses) == wire_answer(API, wire) == "Echo: Hi"
    last = responses[-1].message
    assert block_kinds(last) == ["thinking", "text"]
    (block,) = thinking(last)
    # the signature came in its own signature_delta, after the thinking text
    assert block.additional_information == {
        "provider": "minimax",
        "reasoning_details": anthropic_details(wire),
    }

    again = await chat(llm, [user("Hi"), last, user("Again")], "async")
    assert again.message.content == "Echo: Again"
    replayed = chat_bodies(emulator)[1]["messages"]
    assert replayed == [user_turn(API, "Hi"), anthropic_replay(wire), user_turn(API, "Again")]


@MODES
async def test_an_assistant_turn_without_reasoning_sends_no_thinking_block(
    make_llm: Any, emulator: EmulatorServer, mode: str
) -> None:
    history = [user("Hi"), ChatMessage(role="assistant", content="Hello there"), user("Again")]
    await chat(make_llm(API), history, mode)
    assert chat_bodies(emulator)[0]["messages"][1] == {
        "role": "assistant",
        "content": [{"type": "text", "text": "Hello there"}],
    }


# -- structured output -----------------------------------------------------------------------


@MODES
async def test_as_structured_llm_chat_returns_the_object(
    make_llm: Any, emulator: EmulatorServer, mode: str
) -> None:
    structured = make_llm(API).as_structured_llm(Song)
    messages = [user("Write a song called Blue lasting 180 seconds.")]
    if mode == "sync":
        response = structured.chat(messages)
    else:
        response = await structured.achat(messages)
    assert response.raw == Song(title="Blue", length_seconds=180)
    assert json.loads(response.message.content) == {"title": "Blue", "length_seconds": 180}
    (body,) = chat_bodies(emulator)
    assert [name for name, _ in tool_specs(API, body)] == ["Song"]
    assert body["tool_choice"] == {"type": "any", "disable_parallel_tool_use": True}


@MODES
async def test_as_structured_llm_streams(
    make_llm: Any, emulator: EmulatorServer, mode: str
) -> None:
    structured = make_llm(API).as_structured_llm(Song)
    messages = [user("Write a song called Blue lasting 180 seconds.")]
    if mode == "sync":
        responses = list(structured.stream_chat(messages))
    else:
        responses = [r async for r in await structured.astream_chat(messages)]
    assert responses[-1].raw == Song(title="Blue", length_seconds=180)
    (body,) = chat_bodies(emulator)
    assert body["stream"] is True


# -- the route's request fields ----------------------------------------------------------------


async def test_settings_take_the_routes_field_names(
    make_llm: Any, emulator: EmulatorServer
) -> None:
    llm = make_llm(API, temperature=0.3, max_tokens=4000, stop=["STOP"])
    messages = [
        ChatMessage(role="system", content="You are terse."),
        ChatMessage(role="developer", content="Answer in English."),
        user("one two STOP three"),
    ]
    response = await chat(llm, messages, "async", temperature=0.9, top_p=0.5)
    assert response.message.content == "Echo: one two "
    (body,) = chat_bodies(emulator)
    assert system_of(API, body) == "You are terse.\n\nAnswer in English."
    assert body["messages"] == [user_turn(API, "one two STOP three")]
    assert (body["max_tokens"], body["temperature"], body["top_p"]) == (4000, 0.9, 0.5)
    assert body["stop_sequences"] == ["STOP"]
    assert "stop" not in body
    assert "max_completion_tokens" not in body


@MODES
async def test_tool_choice_is_sent_as_the_routes_objects(
    make_llm: Any, emulator: EmulatorServer, mode: str
) -> None:
    llm = make_llm(API)
    none = await chat_with_tools(
        llm, TOOLS, mode, user_msg="Please add 2 and 3.", tool_choice="none"
    )
    named = await chat_with_tools(
        llm, TOOLS, mode, user_msg="Combine 4 and 5.", tool_choice="multiply"
    )
    both = await chat_with_tools(llm, TOOLS, mode, user_msg=BOTH, allow_parallel_tool_calls=True)

    assert none.message.content == "Echo: Please add 2 and 3."
    assert [(s.tool_name, s.tool_kwargs) for s in llm.get_tool_calls_from_response(named)] == [
        ("multiply", {"a": 4, "b": 5})
    ]
    assert [s.tool_name for s in llm.get_tool_calls_from_response(both)] == ["add", "multiply"]
    first, second, third = chat_bodies(emulator)
    assert first["tool_choice"] == {"type": "none"}
    assert second["tool_choice"] == {
        "type": "tool",
        "name": "multiply",
        "disable_parallel_tool_use": True,
    }
    assert "tool_choice" not in third
    for body in (first, second, third):
        assert [name for name, _ in tool_specs(API, body)] == ["add", "multiply"]


@MODES
async def test_m3_thinking_is_switched_with_the_routes_thinking_object(
    make_llm: Any, emulator: EmulatorServer, mode: str
) -> None:
    thinks = await chat(make_llm(API, "MiniMax-M3", thinking="adaptive"), [user("Hi")], mode)
    quiet = await chat(make_llm(API, "MiniMax-M3", thinking="disabled"), [user("Hi")], mode)
    default = await chat(make_llm(API, "MiniMax-M3"), [user("Hi")], mode)

    asked, off, unset = chat_bodies(emulator)
    assert asked["thinking"]["type"] == "enabled"
    assert 0 < asked["thinking"]["budget_tokens"] < asked["max_tokens"]
    assert block_kinds(thinks.message) == ["thinking", "text"]
    (block,) = thinking(thinks.message)
    assert block.additional_information["reasoning_details"] == anthropic_details(
        wire_message(emulator, API, asked)
    )
    assert off["thinking"] == {"type": "disabled"}
    assert block_kinds(quiet.message) == ["text"]
    # omitted: the route's default, where M3 does not think (docs/protocol-notes.md §6)
    assert "thinking" not in unset
    assert block_kinds(default.message) == ["text"]


# -- errors ----------------------------------------------------------------------------------


@KINDS
async def test_a_wrong_key_is_an_authentication_error_sent_once(
    make_llm: Any, emulator: EmulatorServer, kind: str
) -> None:
    llm = make_llm(API, api_key="sk-wrong-key-0123456789abcdef")
    with pytest.raises(AuthenticationError) as caught:
        await call(llm, kind, [user("Hi")])
    assert caught.value.status_code == 401
    assert not caught.value.is_retryable
    (request,) = emulator.requests
    assert request.path == "/anthropic/v1/messages"
    assert len(chat_bodies(emulator)) == 1


@KINDS
async def test_rate_limits_are_retried_then_raise_a_rate_limit_error(
    make_llm: Any, emulator: EmulatorServer, kind: str
) -> None:
    llm = make_llm(API, max_retries=1, default_headers={"X-Emulator": "fail=429"})
    with pytest.raises(RateLimitError) as caught:
        await call(llm, kind, [user("Hi")])
    assert caught.value.status_code == 429
    assert caught.value.is_retryable
    first, second = chat_bodies(emulator)  # one attempt and one retry, the same request
    assert first == second


async def test_a_rate_limit_error_event_before_the_answer_is_retried(
    make_llm: Any, emulator: EmulatorServer
) -> None:
    # `event: error` (rate_limit_error) after message_start and ping: nothing reached the caller
    llm = make_llm(API, max_retries=1, default_headers={"X-Emulator": "stream_error=2:1039"})
    with pytest.raises(RateLimitError) as caught:
        await call(llm, "astream_chat", [user("Hi")])
    assert caught.value.code == 1039
    assert len(chat_bodies(emulator)) == 2


@KINDS
async def test_an_overloaded_server_is_a_retried_server_error(
    make_llm: Any, emulator: EmulatorServer, kind: str
) -> None:
    llm = make_llm(API, max_retries=1, default_headers={"X-Emulator": "fail=529"})
    with pytest.raises(ServerError) as caught:
        await call(llm, kind, [user("Hi")])
    assert caught.value.status_code == 529
    assert len(chat_bodies(emulator)) == 2


@KINDS
async def test_insufficient_balance_as_an_http_500_is_typed_by_its_code(
    make_llm: Any, emulator: EmulatorServer, kind: str
) -> None:
    # this route reports 1008 as HTTP 500 api_error (docs/protocol-notes.md §8.2): the code decides
    llm = make_llm(API, default_headers={"X-Emulator": "fail=1008"})
    with pytest.raises(InsufficientBalanceError) as caught:
        await call(llm, kind, [user("Hi")])
    assert (caught.value.status_code, caught.value.code) == (500, 1008)
    assert not caught.value.is_retryable
    assert len(chat_bodies(emulator)) == 1
