"""Tool calling: chat_with_tools (+ async, + streamed), partial JSON, forcing, parallel calls,
predict_and_call."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from llama_index.core.tools import FunctionTool

from minimax_emulator.testing import EmulatorServer
from tests.llama_index_minimax.helpers import (
    MODES,
    ROUTES,
    add,
    block_kinds,
    chat_bodies,
    chat_with_tools,
    completion_json,
    mock_client,
    multiply,
    predict_and_call,
    stream_chat_with_tools,
    tool_blocks,
    tool_specs,
    wire_calls,
    wire_message,
)

TOOLS = [FunctionTool.from_defaults(add), FunctionTool.from_defaults(multiply)]
BOTH = "Use add on 2 and 3, and multiply 4 and 5."


def selections(llm: Any, response: Any) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (s.tool_id, s.tool_name, s.tool_kwargs)
        for s in llm.get_tool_calls_from_response(response, error_on_no_tool_call=False)
    ]


def system_text(body: dict[str, Any]) -> str:
    first = body["messages"][0]
    return str(first["content"]) if first["role"] == "system" else ""


@pytest.mark.parametrize(("api", "model"), ROUTES)
@MODES
async def test_chat_with_tools_returns_the_call_with_its_reasoning(
    make_llm: Any, emulator: EmulatorServer, api: str, model: str, mode: str
) -> None:
    llm = make_llm(api, model)
    response = await chat_with_tools(llm, TOOLS, mode, user_msg="Please add 2 and 3.")

    (body,) = chat_bodies(emulator)
    assert [name for name, _ in tool_specs(api, body)] == ["add", "multiply"]
    assert tool_specs(api, body)[0][1]["required"] == ["a", "b"]
    wire = wire_message(emulator, api, body)
    ((call_id, _, _),) = wire_calls(api, wire)
    assert block_kinds(response.message) == ["thinking", "text", "tool_call"]
    assert response.message.content is not None
    assert "<think>" not in response.message.content
    assert selections(llm, response) == [(call_id, "add", {"a": 2, "b": 3})]
    # also where older llama-index-core code looks (streamed structured output, chat engines)
    (legacy,) = response.message.additional_kwargs["tool_calls"]
    if api == "anthropic":  # the call came as a tool_use block: the same call, OpenAI-shaped
        assert set(legacy) == {"id", "type", "function"}
        assert (legacy["id"], legacy["type"], legacy["function"]["name"]) == (
            call_id,
            "function",
            "add",
        )
        assert json.loads(legacy["function"]["arguments"]) == {"a": 2, "b": 3}
    else:
        (wire_call,) = wire["tool_calls"]
        assert legacy == {k: wire_call[k] for k in ("id", "type", "function")}


@pytest.mark.parametrize(("api", "model"), ROUTES)
@MODES
async def test_streamed_tool_calls_parse_at_every_step(
    make_llm: Any, api: str, model: str, mode: str
) -> None:
    llm = make_llm(api, model)
    responses = await stream_chat_with_tools(llm, TOOLS, mode, user_msg="Please add 2 and 3.")
    whole = await chat_with_tools(llm, TOOLS, mode, user_msg="Please add 2 and 3.")

    partial_json_seen = False
    for response in responses:
        # FunctionAgent calls this on every streamed response, mid-JSON included: never raises
        picked = llm.get_tool_calls_from_response(response, error_on_no_tool_call=False)
        for block in tool_blocks(response.message):
            if isinstance(block.tool_kwargs, str):
                try:
                    json.loads(block.tool_kwargs)
                except ValueError:
                    partial_json_seen = True
        assert all(s.tool_name in ("", "add") for s in picked)
    assert partial_json_seen, "the arguments should have arrived in pieces"
    assert selections(llm, responses[-1]) == selections(llm, whole)
    assert selections(llm, responses[-1])[0][1:] == ("add", {"a": 2, "b": 3})
    assert responses[-1].message.blocks == whole.message.blocks


@MODES
async def test_parallel_calls_are_kept_only_when_allowed(
    make_llm: Any, emulator: EmulatorServer, mode: str
) -> None:
    llm = make_llm()
    both = await chat_with_tools(llm, TOOLS, mode, user_msg=BOTH, allow_parallel_tool_calls=True)
    one = await chat_with_tools(llm, TOOLS, mode, user_msg=BOTH, allow_parallel_tool_calls=False)
    streamed = await stream_chat_with_tools(
        llm, TOOLS, mode, user_msg=BOTH, allow_parallel_tool_calls=False
    )

    assert [s[1:] for s in selections(llm, both)] == [
        ("add", {"a": 2, "b": 3}),
        ("multiply", {"a": 4, "b": 5}),
    ]
    assert [s[1:] for s in selections(llm, one)] == [("add", {"a": 2, "b": 3})]
    assert all(len(tool_blocks(r.message)) <= 1 for r in streamed)
    assert selections(llm, streamed[-1]) == selections(llm, one)
    bodies = chat_bodies(emulator)
    assert "at most one tool" not in system_text(bodies[0])
    assert "Call at most one tool per reply." in system_text(bodies[1])
    assert "parallel_tool_calls" not in bodies[1]  # MiniMax ignores it: asked in the prompt


@MODES
async def test_tool_required_asks_for_a_call_in_the_system_message(
    make_llm: Any, emulator: EmulatorServer, mode: str
) -> None:
    llm = make_llm()
    response = await chat_with_tools(
        llm, TOOLS, mode, user_msg="Please add 2 and 3.", tool_required=True
    )
    assert selections(llm, response)[0][1] == "add"
    (body,) = chat_bodies(emulator)
    assert "You must call one of the provided tools (`add`, `multiply`)" in system_text(body)
    assert body["messages"][-1] == {"role": "user", "content": "Please add 2 and 3."}


@MODES
async def test_a_named_tool_choice_is_forced_through_the_prompt(
    make_llm: Any, emulator: EmulatorServer, mode: str
) -> None:
    llm = make_llm()
    response = await chat_with_tools(
        llm, TOOLS, mode, user_msg="Combine 4 and 5.", tool_choice="multiply"
    )
    assert [s[1:] for s in selections(llm, response)] == [("multiply", {"a": 4, "b": 5})]
    assert "You must call the tool `multiply`" in system_text(chat_bodies(emulator)[0])


@MODES
async def test_tool_choice_none_gets_a_text_answer(
    make_llm: Any, emulator: EmulatorServer, mode: str
) -> None:
    llm = make_llm()
    response = await chat_with_tools(
        llm, TOOLS, mode, user_msg="Please add 2 and 3.", tool_choice="none"
    )
    assert response.message.content == "Echo: Please add 2 and 3."
    assert selections(llm, response) == []
    with pytest.raises(ValueError, match="tool call"):
        llm.get_tool_calls_from_response(response)
    assert chat_bodies(emulator)[0]["tool_choice"] == "none"


@pytest.mark.parametrize(("api", "model"), ROUTES)
@MODES
async def test_predict_and_call_runs_the_tool(
    make_llm: Any, api: str, model: str, mode: str
) -> None:
    llm = make_llm(api, model)
    result = await predict_and_call(llm, TOOLS, mode, user_msg="Please multiply 6 and 7.")
    assert result.response == "42"
    (source,) = result.sources
    assert (source.tool_name, source.raw_input["kwargs"], source.raw_output) == (
        "multiply",
        {"a": 6, "b": 7},
        42,
    )


@MODES
async def test_predict_and_call_runs_parallel_calls(make_llm: Any, mode: str) -> None:
    result = await predict_and_call(
        make_llm(), TOOLS, mode, user_msg=BOTH, allow_parallel_tool_calls=True
    )
    assert result.response == "5\n\n20"
    assert [s.tool_name for s in result.sources] == ["add", "multiply"]


# -- a model that answers a forced call in text (byte-exact replies through MockTransport) ----


class TextAnswers:
    """A MiniMax stand-in that answers every request with ``content`` and records the bodies."""

    def __init__(self, content: str, tool_calls: list[dict[str, Any]] | None = None) -> None:
        self.content = content
        self.tool_calls = tool_calls
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(json.loads(request.content))
        return httpx.Response(200, json=completion_json(self.content, tool_calls=self.tool_calls))

    def llm(self, make_llm: Any) -> Any:
        sync_client, async_client = mock_client(self)
        return make_llm(
            base_url="https://api.minimax.io",
            http_client=sync_client,
            http_async_client=async_client,
        )


@MODES
async def test_a_forced_call_answered_as_json_text_is_recovered(make_llm: Any, mode: str) -> None:
    server = TextAnswers('Sure! Here is the call: {"a": 2, "b": 3}')
    llm = server.llm(make_llm)
    tools = [FunctionTool.from_defaults(add)]

    response = await chat_with_tools(llm, tools, mode, user_msg="add 2 and 3", tool_required=True)
    assert [s[1:] for s in selections(llm, response)] == [("add", {"a": 2, "b": 3})]
    assert response.raw is not None
    assert response.raw["tool_call_recovered"] is True
    result = await predict_and_call(llm, tools, mode, user_msg="add 2 and 3", tool_required=True)
    assert result.response == "5"
    assert "You must call the tool `add`" in system_text(server.bodies[0])


@MODES
async def test_a_forced_call_answered_with_plain_text_is_a_clear_error(
    make_llm: Any, mode: str
) -> None:
    server = TextAnswers("I would rather chat about the weather.")
    llm = server.llm(make_llm)
    tools = [FunctionTool.from_defaults(add)]
    with pytest.raises(ValueError, match=r"tool call.*rather chat about the weather"):
        await predict_and_call(llm, tools, mode, user_msg="add 2 and 3", tool_required=True)
    # not forced, no error wanted: the text answer is returned
    result = await predict_and_call(
        llm, tools, mode, user_msg="add 2 and 3", error_on_no_tool_call=False
    )
    assert result.response == "I would rather chat about the weather."
    assert result.sources == []


@MODES
async def test_a_call_of_another_tool_than_the_named_one_is_a_clear_error(
    make_llm: Any, mode: str
) -> None:
    """MiniMax does not enforce a named tool_choice: a call of another tool is not the answer."""
    call = {
        "id": "call_function_3_1",
        "type": "function",
        "function": {"name": "add", "arguments": '{"a": 2, "b": 3}'},
    }
    server = TextAnswers("", tool_calls=[call])
    llm = server.llm(make_llm)
    response = await chat_with_tools(llm, TOOLS, mode, user_msg="2, 3", tool_choice="multiply")
    assert response.raw is not None
    assert response.raw["tool_call_missing"] is True
    with pytest.raises(ValueError, match=r"called `add` instead of the required tool `multiply`"):
        llm.get_tool_calls_from_response(response)
    # asked not to raise: the call the model made is returned as it is
    assert [s[1:] for s in selections(llm, response)] == [("add", {"a": 2, "b": 3})]


@pytest.mark.parametrize(("api", "model"), ROUTES)
@pytest.mark.parametrize("mode", ["chat", "achat", "stream_chat"])
def test_a_required_tool_answered_in_text_is_repaired(
    make_llm: Any, emulator: Any, api: str, model: str, mode: str
) -> None:
    """``tool_required=True`` after a tool result: MiniMax (and the emulator) answer in text; one
    more round trip with only the unused tool offered gets the call; ``raw`` says so."""
    import asyncio

    from llama_index.core.base.llms.types import ChatMessage as LIMessage
    from llama_index.core.tools import FunctionTool

    def get_weather(city: str) -> str:
        """The weather in a city."""
        return f"Sunny in {city}"

    def get_time(city: str) -> str:
        """The time in a city."""
        return f"Noon in {city}"

    llm = make_llm(api=api, model=model)
    tools = [FunctionTool.from_defaults(fn=get_weather), FunctionTool.from_defaults(fn=get_time)]
    history = [
        LIMessage(role="user", content="What is the weather in Paris?"),
        LIMessage(
            role="assistant",
            content="",
            additional_kwargs={
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                    }
                ]
            },
        ),
        LIMessage(role="tool", content="Sunny", additional_kwargs={"tool_call_id": "call_1"}),
    ]
    kwargs: dict[str, Any] = {"chat_history": history, "tool_required": True}
    if mode == "chat":
        response = llm.chat_with_tools(tools, **kwargs)
    elif mode == "achat":
        response = asyncio.run(llm.achat_with_tools(tools, **kwargs))
    else:
        *_, response = llm.stream_chat_with_tools(tools, **kwargs)
    calls = llm.get_tool_calls_from_response(response)
    assert [c.tool_name for c in calls] == ["get_time"]
    assert response.raw["tool_choice_repairs"] == 1
    assert len(emulator.requests) == 2
