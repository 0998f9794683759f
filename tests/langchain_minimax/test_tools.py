"""Tool calling: streamed fragments, parallel calls, every ``tool_choice`` form, forcing and its
recovery, unparsable arguments, and the request shaping MiniMax needs
(``docs/protocol-notes.md`` §9.3: no-argument tools, ``strict``, ``tool_choice`` "required"
silently ignored)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.exceptions import OutputParserException
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import tool
from pydantic import BaseModel, Field

import minimax_core
from langchain_minimax.errors import ToolChoiceError
from tests.langchain_minimax._support import (
    CALLS,
    MODES,
    ROUTES,
    Scripted,
    as_message,
    bodies,
    chat,
    completion,
    invoke,
    is_stream,
    run,
    run_stream,
    system_text,
    tool_schemas,
)


@tool
def get_weather(city: str) -> str:
    """Get the current weather for a city."""
    return f"Sunny in {city}"


@tool
def get_time(city: str) -> str:
    """Get the local time in a city."""
    return f"Noon in {city}"


@tool
def current_date() -> str:
    """Today's date (takes no arguments)."""
    return "2026-11-22"


class multiply(BaseModel):
    """Multiply two integers."""

    a: int = Field(description="First factor")
    b: int = Field(description="Second factor")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("route", ROUTES)
async def test_streamed_tool_call_chunks_assemble_into_the_invoked_call(emulator, route, mode):
    llm = chat(emulator, route).bind_tools([multiply])
    prompt = "What is multiply of 6 and 7?"

    chunks = await run_stream(llm, prompt, mode)
    whole = await invoke(llm, prompt, mode)

    fragments = [f for c in chunks for f in c.tool_call_chunks]
    assert [f["name"] for f in fragments if f["name"]] == ["multiply"]
    assert fragments[0]["id"] == whole.tool_calls[0]["id"]
    assert len(fragments) >= 2
    assert "".join(f["args"] for f in fragments) == '{"a": 6, "b": 7}'
    total = sum(chunks[1:], chunks[0])
    assert total.tool_calls == whole.tool_calls
    assert whole.tool_calls[0]["args"] == {"a": 6, "b": 7}
    assert whole.tool_calls[0]["id"].startswith("call_function_")


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("route", ROUTES)
async def test_parallel_tool_calls(emulator, route, call):
    llm = chat(emulator, route).bind_tools([get_weather, get_time])

    message = as_message(await run(llm, "Use get_weather and get_time for Paris", call))

    assert [c["name"] for c in message.tool_calls] == ["get_weather", "get_time"]
    ids = [c["id"] for c in message.tool_calls]
    assert len(set(ids)) == 2
    assert ids[0] is not None
    assert ids[1] is not None
    assert ids[0].endswith("_1")
    assert ids[1].endswith("_2")
    assert not message.invalid_tool_calls


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("route", ROUTES)
async def test_parallel_tool_calls_false_keeps_one_call(emulator, route, call):
    llm = chat(emulator, route).bind_tools([get_weather, get_time], parallel_tool_calls=False)

    message = as_message(await run(llm, "Use get_weather and get_time for Paris", call))

    assert [c["name"] for c in message.tool_calls] == ["get_weather"]
    (body,) = bodies(emulator)
    assert "Call at most one tool per reply." in system_text(route, body)
    assert "parallel_tool_calls" not in body  # MiniMax has no such field
    if route == "anthropic":  # the route's own switch is sent as well
        assert body["tool_choice"] == {"type": "auto", "disable_parallel_tool_use": True}


FORCED_ANY = [
    pytest.param("any", id="any"),
    pytest.param("required", id="required"),
    pytest.param(True, id="True"),
    pytest.param({"type": "any"}, id="anthropic_any"),
    pytest.param({"type": "required"}, id="openai_typed_required"),
]
FORCED_NAMED = [
    pytest.param("get_time", id="name"),
    pytest.param({"type": "function", "function": {"name": "get_time"}}, id="openai_dict"),
    pytest.param({"type": "tool", "name": "get_time"}, id="anthropic_dict"),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("route", ROUTES)
async def test_tool_choice_auto_lets_the_model_choose(emulator, route, mode):
    llm = chat(emulator, route).bind_tools([get_weather, get_time], tool_choice="auto")

    message = await invoke(llm, "What is the weather in Paris?", mode)

    assert [c["name"] for c in message.tool_calls] == ["get_weather"]
    (body,) = bodies(emulator)
    if route == "anthropic":  # the route's tool_choice object, "auto" its default anyway
        assert body["tool_choice"] == {"type": "auto"}
    else:
        assert "tool_choice" not in body
    assert "must call" not in system_text(route, body)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("route", ROUTES)
async def test_tool_choice_none_is_sent_and_no_tool_is_called(emulator, route, mode):
    llm = chat(emulator, route).bind_tools([get_weather], tool_choice="none")

    message = await invoke(llm, "What is the weather in Paris?", mode)

    assert message.tool_calls == []
    assert message.content == "Echo: What is the weather in Paris?"
    (body,) = bodies(emulator)
    assert body["tool_choice"] == ({"type": "none"} if route == "anthropic" else "none")
    assert "must call" not in system_text(route, body)


def _forcing_cases(forms: list[Any]) -> list[Any]:
    """Every form on the OpenAI route; the first form on the other routes."""
    cases = [pytest.param("openai", form.values[0], id=f"openai-{form.id}") for form in forms]
    first = forms[0]
    cases += [
        pytest.param(r, first.values[0], id=f"{r}-{first.id}") for r in ROUTES if r != "openai"
    ]
    return cases


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("route", "choice"), _forcing_cases(FORCED_ANY))
async def test_forcing_any_tool_is_asked_for_in_the_system_message(emulator, route, choice, mode):
    llm = chat(emulator, route).bind_tools([get_weather, get_time], tool_choice=choice)

    message = await invoke(
        llm, [("system", "Be brief."), ("human", "Hello there, how are you?")], mode
    )

    assert [c["name"] for c in message.tool_calls] == ["get_weather"]
    (body,) = bodies(emulator)
    if route == "anthropic":  # the route's "any"; MiniMax is not known to enforce it either
        assert body["tool_choice"] == {"type": "any"}
        assert [m["role"] for m in body["messages"]] == ["user"]
    else:
        assert "tool_choice" not in body  # "required" is never sent: MiniMax ignores it
        assert [m["role"] for m in body["messages"]] == ["system", "user"]
    system = system_text(route, body)
    assert system.startswith("Be brief.")
    assert "You must call one of the provided tools (`get_weather`, `get_time`)" in system


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("route", "choice"), _forcing_cases(FORCED_NAMED))
async def test_forcing_a_named_tool_overrides_the_models_pick(emulator, route, choice, mode):
    llm = chat(emulator, route).bind_tools([get_weather, get_time], tool_choice=choice)

    # without forcing, the emulator would pick the first tool, get_weather
    message = await invoke(llm, "What is going on in Paris?", mode)

    assert [c["name"] for c in message.tool_calls] == ["get_time"]
    (body,) = bodies(emulator)
    if route == "anthropic":  # the route's named choice; the instruction is sent as well
        assert body["tool_choice"] == {"type": "tool", "name": "get_time"}
    else:
        assert "tool_choice" not in body
    assert "You must call the tool `get_time` now." in system_text(route, body)


def _answered_history(tool_output: str) -> list[Any]:
    """A turn the emulator answers in text even with tools bound: the last message is a result."""
    call = {"name": "get_weather", "args": {"city": "Paris"}, "id": "call_1", "type": "tool_call"}
    return [
        HumanMessage("What is the weather in Paris?"),
        AIMessage("", tool_calls=[call]),
        ToolMessage(tool_output, tool_call_id="call_1"),
    ]


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("route", ROUTES)
async def test_forced_call_answered_in_text_with_json_is_recovered(emulator, route, call):
    llm = chat(emulator, route).bind_tools([get_weather], tool_choice="get_weather")

    # the model's text answer quotes the tool result: '... {"city": "Lyon"}.'
    message = as_message(await run(llm, _answered_history('{"city": "Lyon"}'), call))

    (recovered,) = message.tool_calls
    assert recovered["name"] == "get_weather"
    assert recovered["args"] == {"city": "Lyon"}
    assert recovered["id"]
    assert message.response_metadata["tool_call_recovered"] is True
    assert "must call the tool `get_weather`" in system_text(route, bodies(emulator)[0])


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("route", ROUTES)
async def test_forced_call_answered_in_plain_text_raises_tool_choice_error(emulator, route, call):
    # with repairs switched off: the text answer is the failure
    llm = chat(emulator, route, tool_choice_repairs=0).bind_tools([get_weather], tool_choice="any")

    with pytest.raises(ToolChoiceError) as caught:
        await run(llm, _answered_history("Sunny"), call)

    error = caught.value
    assert isinstance(error, OutputParserException)
    assert isinstance(error, minimax_core.ToolChoiceError)
    assert error.text == "Based on the tool results: Sunny."
    assert error.llm_output == error.text
    assert "answered in text" in str(error)
    assert len(emulator.requests) == 1  # not retried


@pytest.mark.parametrize("call", CALLS)
async def test_a_call_of_another_tool_than_the_named_one_raises_tool_choice_error(call):
    """MiniMax does not enforce a named tool_choice: a call of another tool is not the answer."""
    script = Scripted(
        completion(tool_calls=[("call_function_5_1", "get_weather", '{"city": "Paris"}')]),
    )
    llm = script.chat(tool_choice_repairs=0).bind_tools(
        [get_weather, get_time], tool_choice="get_time"
    )

    with pytest.raises(ToolChoiceError) as caught:
        await run(llm, "What time is it in Paris?", call)

    assert "The model called `get_weather` instead of the required tool `get_time`." in str(
        caught.value
    )
    assert len(script.requests) == 1


@pytest.mark.parametrize("call", CALLS)
async def test_unparsable_arguments_become_invalid_tool_calls(call):
    script = Scripted(
        completion(tool_calls=[("call_function_9_1", "get_weather", '{"city": "Par')]),
    )
    llm = script.chat().bind_tools([get_weather])

    message = as_message(await run(llm, "Weather in Paris?", call))

    if is_stream(call):
        # LangChain re-parses streamed fragments with its partial-JSON parser, which completes
        # a cut-off string: the call survives with what was received.
        assert message.tool_calls[0]["args"] == {"city": "Par"}
        return
    assert message.tool_calls == []
    (invalid,) = message.invalid_tool_calls
    assert invalid["name"] == "get_weather"
    assert invalid["id"] == "call_function_9_1"
    assert invalid["args"] == '{"city": "Par'
    assert "invalid JSON" in (invalid["error"] or "")
    assert [b["type"] for b in message.content_blocks] == ["reasoning", "invalid_tool_call"]


@pytest.mark.parametrize("mode", MODES)
async def test_an_invalid_call_in_history_is_replayed_with_valid_json(emulator, mode):
    script = Scripted(
        completion(tool_calls=[("call_function_9_1", "get_weather", '{"city": "Par')]),
    )
    bad = await invoke(script.chat().bind_tools([get_weather]), "Weather in Paris?", mode)
    assert bad.invalid_tool_calls

    answer = await invoke(
        chat(emulator).bind_tools([get_weather]),
        [
            HumanMessage("Weather in Paris?"),
            bad,
            ToolMessage("Error: arguments were not valid JSON", tool_call_id="call_function_9_1"),
        ],
        mode,
    )

    assert answer.content == "Based on the tool results: Error: arguments were not valid JSON."
    assistant = bodies(emulator)[0]["messages"][1]
    assert assistant["tool_calls"] == [
        {
            "id": "call_function_9_1",
            "type": "function",
            "function": {"name": "get_weather", "arguments": "{}"},
        }
    ]
    assert assistant["reasoning_details"][0]["text"] == "I considered the request."


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("route", ROUTES)
async def test_tool_shapes_minimax_needs(emulator, route, mode):
    anthropic_style = {
        "name": "lookup",
        "description": "Look a word up.",
        "input_schema": {"type": "object", "properties": {"word": {"type": "string"}}},
    }
    llm = chat(emulator, route).bind_tools(
        [current_date, multiply, anthropic_style], strict=True, tool_choice="current_date"
    )

    message = await invoke(llm, "What is the date today?", mode)

    assert message.tool_calls[0]["name"] == "current_date"
    assert message.tool_calls[0]["args"] == {}
    (body,) = bodies(emulator)
    functions = {t["name"]: t for t in tool_schemas(route, body)}  # checks the route's shape
    assert list(functions) == ["current_date", "multiply", "lookup"]
    assert functions["current_date"]["parameters"] == {"type": "object", "properties": {}}
    assert set(functions["multiply"]["parameters"]["properties"]) == {"a", "b"}
    assert functions["lookup"]["parameters"]["properties"] == {"word": {"type": "string"}}
    assert functions["lookup"]["description"] == "Look a word up."
    assert "strict" not in str(body["tools"])
    if route == "anthropic":
        assert all(set(t) == {"name", "description", "input_schema"} for t in body["tools"])
    else:
        assert all(t["type"] == "function" for t in body["tools"])


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("route", ROUTES)
async def test_a_forced_call_answered_in_text_is_repaired_with_one_more_round_trip(
    emulator, route, call
):
    """MiniMax ignores a forced tool_choice (here: after a tool result the emulator, like the
    model, answers in text). The client asks once more — the conversation, the model's text, an
    explicit instruction, only the tools not yet used offered — and the call arrives."""
    llm = chat(emulator, route).bind_tools([get_weather, get_time], tool_choice="any")

    message = as_message(await run(llm, _answered_history("Sunny"), call))

    assert [c["name"] for c in message.tool_calls] == ["get_time"]
    assert message.response_metadata["tool_choice_repairs"] == 1
    first, second = bodies(emulator)
    assert [t["name"] for t in tool_schemas(route, first)] == ["get_weather", "get_time"]
    # the repair offers only the tool not called and answered yet, and says what is required
    assert [t["name"] for t in tool_schemas(route, second)] == ["get_time"]
    assert "a tool call is required. Call `get_time` now" in json.dumps(second)
    assert "Based on the tool results: Sunny." in json.dumps(second)  # the model's text went back


@pytest.mark.parametrize("call", ["invoke", "ainvoke"])
@pytest.mark.parametrize("route", ROUTES)
async def test_a_structured_agent_with_tools_finishes_on_every_route(emulator, route, call):
    """LangChain v1's ``create_agent(..., response_format=Schema)``: after the tool runs, the agent
    forces the schema's tool; MiniMax answers in text; the repair round trip gets the call."""
    from langchain.agents import create_agent
    from pydantic import BaseModel

    class Forecast(BaseModel):
        city: str
        summary: str

    agent = create_agent(chat(emulator, route), tools=[get_weather], response_format=Forecast)
    question: Any = {"messages": [{"role": "user", "content": "What is the weather in Paris?"}]}
    state = agent.invoke(question) if call == "invoke" else await agent.ainvoke(question)

    assert isinstance(state["structured_response"], Forecast)
    names = [t["name"] for body in bodies(emulator) for t in tool_schemas(route, body)]
    assert "get_weather" in names
    assert "Forecast" in names
