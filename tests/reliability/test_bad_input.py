"""Bad input is refused with a clear error before anything is sent: the cases the adapters' own
suites leave open.

Covered there: LangChain's unknown message types, images for a text-only model, invalid tool
schemas and names, ``thinking`` a model cannot honour, zero/negative ``max_tokens``, orphan tool
results (``tests/langchain_minimax/test_errors.py::test_bad_input_is_refused_…`` and
``test_bad_tools_are_refused_…``); LlamaIndex's tool results without a call or an id, audio,
``thinking`` and ``max_tokens`` over the limit (``tests/llama_index_minimax/test_errors.py``) and
images for a text-only model (``test_convert.py``).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from llama_index.core.llms import ChatMessage
from llama_index.core.tools import FunctionTool

from minimax_emulator.testing import EmulatorServer
from tests.reliability._support import ADAPTERS, MODES, chat_model
from tests.support import json_body


def weather(city: str) -> str:
    """The weather in a city."""
    return f"Sunny in {city}"


def send(model: Any, mode: str, **kwargs: Any) -> Any:
    """One chat call with extra call arguments, through either adapter."""
    if type(model).__module__.startswith("langchain_minimax"):
        if mode == "sync":
            return model.invoke("What is the weather in Paris?", **kwargs)
        return asyncio.run(model.ainvoke("What is the weather in Paris?", **kwargs))
    messages = [ChatMessage(role="user", content="What is the weather in Paris?")]
    if mode == "sync":
        return model.chat(messages, **kwargs)
    return asyncio.run(model.achat(messages, **kwargs))


NOT_TOOLS = [
    pytest.param(["get the weather"], id="a-string"),
    pytest.param([42], id="a-number"),
    pytest.param(
        [{"type": "function", "function": {"name": "f", "parameters": {"type": "array"}}}],
        id="a-non-object-schema",
    ),
]


@pytest.mark.parametrize("tools", NOT_TOOLS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("adapter", ADAPTERS)
def test_tools_passed_with_the_call_that_are_not_tools_are_refused(
    emulator: EmulatorServer, adapter: str, mode: str, tools: list[Any]
) -> None:
    """``invoke(..., tools=[...])`` / ``chat(..., tools=[...])``: a clear ``ValueError`` (not an
    ``AttributeError`` from deep inside), and nothing sent."""
    model = chat_model(adapter, emulator.base_url)
    with pytest.raises(ValueError, match=r"(?i)tool|function") as caught:
        send(model, mode, tools=tools)
    assert not isinstance(caught.value, AttributeError | KeyError | TypeError)
    assert emulator.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_langchain_tools_passed_with_the_call_are_converted_like_bound_ones(
    emulator: EmulatorServer, mode: str
) -> None:
    model = chat_model("langchain", emulator.base_url)
    anthropic_style = {
        "name": "forecast",
        "description": "The forecast.",
        "input_schema": {"type": "object", "properties": {"days": {"type": "integer"}}},
    }
    send(model, mode, tools=[weather, anthropic_style])
    (request,) = emulator.requests
    sent = {t["function"]["name"]: t["function"]["parameters"] for t in json_body(request)["tools"]}
    assert sent["weather"]["properties"] == {"city": {"type": "string"}}
    assert sent["forecast"]["properties"] == {"days": {"type": "integer"}}


@pytest.mark.parametrize("max_tokens", [0, -5])
@pytest.mark.parametrize("mode", MODES)
def test_llamaindex_max_tokens_must_be_positive(
    emulator: EmulatorServer, mode: str, max_tokens: int
) -> None:
    model = chat_model("llamaindex", emulator.base_url, max_tokens=max_tokens)
    with pytest.raises(ValueError, match="max_tokens must be a positive integer"):
        send(model, mode)
    assert emulator.requests == []


@pytest.mark.parametrize(
    ("name", "says"),
    [("get weather!", "not valid"), ("w" * 65, "at most 64 characters")],
    ids=["invalid-characters", "too-long"],
)
@pytest.mark.parametrize("mode", MODES)
def test_llamaindex_tools_with_names_minimax_rejects_are_refused(
    emulator: EmulatorServer, mode: str, name: str, says: str
) -> None:
    model = chat_model("llamaindex", emulator.base_url)
    tool = FunctionTool.from_defaults(fn=weather, name=name)

    def call() -> Any:
        if mode == "sync":
            return model.chat_with_tools([tool], user_msg="Weather in Paris?")
        return asyncio.run(model.achat_with_tools([tool], user_msg="Weather in Paris?"))

    with pytest.raises(ValueError, match=says):
        call()
    assert emulator.requests == []
