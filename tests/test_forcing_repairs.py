"""Repair round trips when MiniMax ignores a forced tool choice entirely.

The emulator's ``ignore_forcing=true`` fault makes the model answer in text on every chat route,
even when ``tool_choice`` forces a tool. The clients then send ``tool_choice_repairs`` more
requests (each ending with an explicit instruction) and raise ``ToolChoiceError`` after that.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.tools import tool

import langchain_minimax
import llama_index_minimax
from minimax_emulator.cli import build_parser
from minimax_emulator.options import SpecError, faults_from_spec
from minimax_emulator.testing import EmulatorServer
from tests.langchain_minimax._support import CALLS, run
from tests.support import API_KEY, json_body

SPEC = "ignore_forcing=true"
INSTRUCTION = "a tool call is required"
PROMPT = "What is the weather in Paris?"

#: Every chat route the clients speak → (its model, the path suffix of its chat endpoint).
CHAT_ROUTES: dict[str, tuple[str, str]] = {
    "openai": ("MiniMax-M2.7", "/v1/chat/completions"),
    "native": ("MiniMax-M2.7", "/v1/text/chatcompletion_v2"),
    "dashscope": ("MiniMax-M2.5", "/compatible-mode/v1/chat/completions"),
    "dashscope-native": ("MiniMax-M2.5", "/api/v1/services/aigc/text-generation/generation"),
    "anthropic": ("MiniMax-M2.7", "/anthropic/v1/messages"),
}


@tool
def get_weather(city: str) -> str:
    """The current weather in a city."""
    return f"Sunny in {city}"


def chat(emulator: EmulatorServer, route: str, **kwargs: Any) -> langchain_minimax.ChatMiniMax:
    """Like ``_support.chat`` (whose routes are four), on any of the five chat routes."""
    return langchain_minimax.ChatMiniMax(
        api=route,  # type: ignore[arg-type]  # a str from CHAT_ROUTES, one of the five values
        model=CHAT_ROUTES[route][0],
        api_key=API_KEY,  # type: ignore[arg-type]
        base_url=emulator.base_url,
        **kwargs,
    )


def chat_bodies(emulator: EmulatorServer, route: str) -> list[dict[str, Any]]:
    """The journal's request bodies, checking each went to the route's chat endpoint."""
    requests = emulator.requests
    suffix = CHAT_ROUTES[route][1]
    assert all(r.method == "POST" and r.path.endswith(suffix) for r in requests), [
        r.path for r in requests
    ]
    return [json_body(r) for r in requests]


def messages_of(route: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    """The conversation in the route's own shape (DashScope native nests it under ``input``)."""
    messages = body["input"]["messages"] if route == "dashscope-native" else body["messages"]
    assert isinstance(messages, list)
    return messages


def text_of(content: Any) -> str:
    """A message's text: a string, or (Anthropic, OpenAI parts) a list of text blocks."""
    if isinstance(content, str):
        return content
    assert isinstance(content, list), content
    return "".join(block["text"] for block in content if block.get("type") == "text")


def assert_repairs(route: str, bodies: list[dict[str, Any]], repairs: int) -> None:
    assert len(bodies) == 1 + repairs
    first = messages_of(route, bodies[0])
    assert first[-1]["role"] == "user"
    assert INSTRUCTION not in json.dumps(bodies[0])
    for body in bodies[1:]:
        last = messages_of(route, body)[-1]
        assert last["role"] == "user"
        assert INSTRUCTION in text_of(last["content"])
        # the model's text answer went back before the instruction
        assert messages_of(route, body)[-2]["role"] == "assistant"


@pytest.mark.parametrize("repairs", [0, 1, 2])
@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("route", CHAT_ROUTES)
async def test_langchain_raises_after_the_configured_repairs(emulator, route, call, repairs):
    llm = chat(
        emulator, route, default_headers={"X-Emulator": SPEC}, tool_choice_repairs=repairs
    ).bind_tools([get_weather], tool_choice="any")

    with pytest.raises(langchain_minimax.ToolChoiceError) as caught:
        await run(llm, PROMPT, call)

    assert "answered in text" in str(caught.value)
    assert_repairs(route, chat_bodies(emulator, route), repairs)


@pytest.mark.parametrize("repairs", [0, 1, 2])
def test_llama_index_raises_after_the_configured_repairs(emulator, repairs):
    from llama_index.core.tools import FunctionTool

    def get_time(city: str) -> str:
        """The time in a city."""
        return f"Noon in {city}"

    llm = llama_index_minimax.MiniMax(
        model="MiniMax-M2.7",
        api="openai",
        api_key=API_KEY,  # type: ignore[arg-type]
        base_url=emulator.base_url,
        default_headers={"X-Emulator": SPEC},
        tool_choice_repairs=repairs,
    )

    response = llm.chat_with_tools(
        [FunctionTool.from_defaults(fn=get_time)],
        user_msg="What time is it in Paris?",
        tool_required=True,
    )
    assert response.raw is not None
    assert response.raw["tool_choice_repairs"] == repairs
    with pytest.raises(llama_index_minimax.ToolChoiceError):
        llm.get_tool_calls_from_response(response)

    assert_repairs("openai", chat_bodies(emulator, "openai"), repairs)


@pytest.mark.parametrize("route", CHAT_ROUTES)
async def test_without_the_fault_the_forced_call_arrives_at_once(emulator, route):
    llm = chat(emulator, route)
    message = await run(llm.bind_tools([get_weather], tool_choice="any"), PROMPT, "invoke")

    assert [c["name"] for c in message.tool_calls] == ["get_weather"]
    assert len(chat_bodies(emulator, route)) == 1


def test_the_spec_is_a_boolean_documented_in_help() -> None:
    assert faults_from_spec(SPEC).ignore_forcing is True
    assert faults_from_spec("ignore_forcing=false").ignore_forcing is False
    assert faults_from_spec(None).ignore_forcing is False
    with pytest.raises(SpecError):
        faults_from_spec("ignore_forcing=sometimes")
    assert "ignore_forcing=true" in build_parser().format_help()


def test_a_server_wide_fault_applies_to_every_request() -> None:
    server = EmulatorServer(api_keys=[API_KEY], fault=SPEC)
    server.start()
    try:
        llm = langchain_minimax.ChatMiniMax(
            model="MiniMax-M2.7",
            api_key=API_KEY,  # type: ignore[arg-type]
            base_url=server.base_url,
            tool_choice_repairs=1,
        ).bind_tools([get_weather], tool_choice="any")
        with pytest.raises(langchain_minimax.ToolChoiceError):
            llm.invoke(PROMPT)
        assert len(server.requests) == 2
    finally:
        server.stop()
