"""The reason the Anthropic-compatible route exists: interleaved thinking survives a tool loop.

A three-turn tool loop through each adapter (sync, async, streamed), against the emulator; the
request bodies read back from the emulator's journal must carry every earlier thinking block with
its signature, verbatim and first in its assistant turn, then the turn's ``tool_use`` blocks, then
the ``tool_result`` in the next user turn. A conversation that switches routes mid-way still
replays: reasoning from another route goes back as an unsigned thinking block (and this route's
signed blocks never leak to another route).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    ToolMessage,
    message_chunk_to_message,
)
from langchain_core.tools import tool
from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.tools import FunctionTool

from langchain_minimax import ChatMiniMax
from llama_index_minimax import MiniMax
from minimax_emulator.testing import EmulatorServer
from tests.support import API_KEY

PROMPT = "What is the weather in Paris? Use the tool."
FOLLOW_UP = "And what is the weather in Rome? Use the tool again."


def get_weather(city: str) -> str:
    """The weather in a city."""
    return f"Sunny in {city}"


def anthropic_bodies(emulator: EmulatorServer) -> list[dict[str, Any]]:
    return [
        r.json
        for r in emulator.requests
        if r.path.endswith("/anthropic/v1/messages") and isinstance(r.json, dict)
    ]


def thinking_blocks(turn: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for b in turn["content"] if b.get("type") == "thinking"]


def assert_replayed_verbatim(bodies: list[dict[str, Any]]) -> None:
    """Every request after the first repeats each earlier assistant turn as the server sent it."""
    assert len(bodies) >= 3, len(bodies)
    for later in bodies[1:]:
        assistants = [m for m in later["messages"] if m["role"] == "assistant"]
        assert assistants, later["messages"]
        for turn in assistants:
            blocks = thinking_blocks(turn)
            assert blocks, turn
            # thinking first, signed, then the calls
            kinds = [b["type"] for b in turn["content"]]
            assert kinds[0] == "thinking", kinds
            assert all(len(b.get("signature", "")) == 64 for b in blocks), blocks
            if "tool_use" in kinds:
                last_thinking = max(i for i, k in enumerate(kinds) if k == "thinking")
                assert kinds.index("tool_use") > last_thinking, kinds
        # each tool_use is answered by a tool_result in the very next (user) turn
        messages = later["messages"]
        for i, turn in enumerate(messages):
            calls = [b["id"] for b in turn["content"] if b.get("type") == "tool_use"]
            if calls and i + 1 < len(messages):
                results = [
                    b["tool_use_id"]
                    for b in messages[i + 1]["content"]
                    if isinstance(b, dict) and b.get("type") == "tool_result"
                ]
                assert messages[i + 1]["role"] == "user"
                assert results == calls
    # and the blocks are the very ones an earlier request's answer carried: the same thinking
    # text and signature reappear unchanged in every later request
    first = [
        b for m in bodies[1]["messages"] if m["role"] == "assistant" for b in thinking_blocks(m)
    ]
    for later in bodies[2:]:
        again = [
            b for m in later["messages"] if m["role"] == "assistant" for b in thinking_blocks(m)
        ]
        assert again[: len(first)] == first


def langchain_answer(bound: Any, history: list[BaseMessage], mode: str) -> AIMessage:
    if mode in ("invoke", "ainvoke"):
        call = bound.invoke(history) if mode == "invoke" else asyncio.run(bound.ainvoke(history))
        assert isinstance(call, AIMessage)
        return call
    chunks = list(bound.stream(history))
    total: Any = chunks[0]
    for chunk in chunks[1:]:
        total = total + chunk
    whole = message_chunk_to_message(total)
    assert isinstance(whole, AIMessage)
    return whole


def langchain_loop(llm: ChatMiniMax, mode: str) -> list[BaseMessage]:
    """Two questions, each answered through a tool call: four requests, three with history."""
    bound = llm.bind_tools([tool(get_weather)])
    history: list[BaseMessage] = []
    for prompt in (PROMPT, FOLLOW_UP):
        history.append(HumanMessage(prompt))
        for _ in range(3):
            answer = langchain_answer(bound, history, mode)
            history.append(answer)
            if not answer.tool_calls:
                break
            for call in answer.tool_calls:
                history.append(ToolMessage(get_weather(**call["args"]), tool_call_id=call["id"]))
    return history


@pytest.mark.parametrize("mode", ["invoke", "ainvoke", "stream"])
def test_langchain_tool_loop_replays_signed_thinking(emulator: EmulatorServer, mode: str) -> None:
    llm = ChatMiniMax(
        model="MiniMax-M2.7",
        api="anthropic",
        api_key=API_KEY,  # type: ignore[arg-type]
        base_url=emulator.base_url,
    )
    history = langchain_loop(llm, mode)
    assert len([m for m in history if isinstance(m, ToolMessage)]) >= 2
    assert_replayed_verbatim(anthropic_bodies(emulator))


def llama_answer(llm: MiniMax, tools: list[Any], history: list[ChatMessage], mode: str) -> Any:
    if mode == "chat":
        return llm.chat_with_tools(tools, chat_history=history)
    if mode == "achat":
        return asyncio.run(llm.achat_with_tools(tools, chat_history=history))
    *_, response = llm.stream_chat_with_tools(tools, chat_history=history)
    return response


def llama_loop(llm: MiniMax, mode: str) -> None:
    tools: list[Any] = [FunctionTool.from_defaults(fn=get_weather)]
    history: list[ChatMessage] = []
    for prompt in (PROMPT, FOLLOW_UP):
        history.append(ChatMessage(role=MessageRole.USER, content=prompt))
        for _ in range(3):
            response = llama_answer(llm, tools, history, mode)
            history.append(response.message)
            calls = llm.get_tool_calls_from_response(response, error_on_no_tool_call=False)
            if not calls:
                break
            for call in calls:
                history.append(
                    ChatMessage(
                        role=MessageRole.TOOL,
                        content=get_weather(**call.tool_kwargs),
                        additional_kwargs={"tool_call_id": call.tool_id},
                    )
                )


@pytest.mark.parametrize("mode", ["chat", "achat", "stream_chat"])
def test_llamaindex_tool_loop_replays_signed_thinking(emulator: EmulatorServer, mode: str) -> None:
    llm = MiniMax(
        model="MiniMax-M2.7",
        api="anthropic",
        api_key=API_KEY,  # type: ignore[arg-type]
        base_url=emulator.base_url,
    )
    llama_loop(llm, mode)
    assert_replayed_verbatim(anthropic_bodies(emulator))


def test_a_conversation_can_switch_routes_and_still_replays(emulator: EmulatorServer) -> None:
    common: dict[str, Any] = {"api_key": API_KEY, "base_url": emulator.base_url}
    openai = ChatMiniMax(model="MiniMax-M2.7", api="openai", **common).bind_tools([get_weather])
    anthropic = ChatMiniMax(model="MiniMax-M2.7", api="anthropic", **common).bind_tools(
        [get_weather]
    )
    history: list[BaseMessage] = [HumanMessage(PROMPT)]
    first = openai.invoke(history)  # reasoning from the OpenAI route
    assert first.tool_calls
    history += [first, ToolMessage("Sunny in Paris", tool_call_id=first.tool_calls[0]["id"])]
    second = anthropic.invoke(history)  # … continued on the Anthropic route
    body = anthropic_bodies(emulator)[-1]
    turn = next(m for m in body["messages"] if m["role"] == "assistant")
    (block,) = thinking_blocks(turn)
    assert "signature" not in block  # foreign reasoning goes back unsigned
    assert block["thinking"] == first.additional_kwargs["reasoning_content"]
    assert second.tool_calls or second.content
    # … and back: the Anthropic turn's signed block is not sent to the OpenAI route as such
    history += [second]
    if second.tool_calls:
        history.append(ToolMessage("Sunny in Rome", tool_call_id=second.tool_calls[0]["id"]))
    else:
        history.append(HumanMessage("Thanks. And tomorrow?"))
    openai.invoke(history)
    sent = [r.json for r in emulator.requests if r.path.endswith("/v1/chat/completions")][-1]
    assert isinstance(sent, dict)
    replayed = [m for m in sent["messages"] if m["role"] == "assistant"][-1]
    assert all("signature" not in item for item in replayed["reasoning_details"])
    assert [item["type"] for item in replayed["reasoning_details"]] == ["reasoning.text"]
    assert replayed["reasoning_details"][0]["text"] == second.additional_kwargs["reasoning_content"]
