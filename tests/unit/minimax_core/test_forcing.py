"""Forcing a tool on a service that ignores ``tool_choice`` "required"/named.

MiniMax's behaviour: ``docs/protocol-notes.md`` §5; what we do about it: §12.5.
"""

from __future__ import annotations

from typing import Any

import pytest

from minimax_core import ChatParams, ToolDefinition
from minimax_core._forcing import ForcedTool, forcing_instruction, recover_call, tool_choice_name

from .support import (
    FakeServer,
    Runner,
    chunk,
    completion,
    hi,
    json_reply,
    make_client,
    sse,
    sse_reply,
    tool_call,
)

WEATHER = ToolDefinition(
    "get_weather",
    "Weather",
    {
        "type": "object",
        "properties": {"city": {"type": "string"}, "unit": {"type": "string"}},
        "required": ["city"],
    },
)
TIME = ToolDefinition("get_time", "Time", {"type": "object", "properties": {"tz": {}}})
NOW = ToolDefinition("now", "No arguments", {})


def test_instruction_names_the_required_tool() -> None:
    named = forcing_instruction(ForcedTool((WEATHER, TIME), "get_time"))
    assert "`get_time`" in named
    assert "get_weather" not in named
    anyone = forcing_instruction(ForcedTool((WEATHER, TIME)))
    assert "`get_weather`" in anyone
    assert "`get_time`" in anyone


@pytest.mark.parametrize(
    "text",
    [
        '{"city": "Paris"}',
        'Sure! Here it is: {"city": "Paris"} -- done.',
        '```json\n{\n  "city": "Paris"\n}\n```',
        '{"name": "get_weather", "arguments": {"city": "Paris"}}',
        '{"name": "get_weather", "parameters": {"city": "Paris"}}',
        'Not this {broken, but this: {"city": "Paris"}',
    ],
    ids=["bare", "in-prose", "fenced", "name-arguments", "name-parameters", "after-junk"],
)
def test_a_call_is_recovered_from_json_in_the_text(text: str) -> None:
    call = recover_call(text, ForcedTool((WEATHER, TIME), "get_weather"))
    assert call is not None
    assert (call.name, call.arguments) == ("get_weather", {"city": "Paris"})
    assert call.id.startswith("call_recovered_")
    # The same answer always gives the same id.
    assert recover_call(text, ForcedTool((WEATHER, TIME), "get_weather")) == call


@pytest.mark.parametrize(
    "text",
    [
        "It is sunny in Paris.",
        '{"unit": "celsius"}',
        '{"city": "Paris", "country": "FR"}',
        '["Paris"]',
        '{"name": "get_stock", "arguments": {"ticker": "X"}}',
    ],
    ids=["prose", "missing-required", "unknown-key", "array", "other-tool"],
)
def test_nothing_is_recovered_when_no_json_fits(text: str) -> None:
    assert recover_call(text, ForcedTool((WEATHER,), "get_weather")) is None


def test_any_tool_picks_the_one_the_json_fits() -> None:
    call = recover_call('{"tz": "Asia/Tokyo"}', ForcedTool((WEATHER, TIME)))
    assert call is not None
    assert call.name == "get_time"


def test_a_tool_without_arguments_accepts_an_empty_object() -> None:
    call = recover_call("{}", ForcedTool((NOW,), "now"))
    assert call is not None
    assert (call.name, call.arguments) == ("now", {})


def test_a_named_tool_that_is_not_bound_recovers_nothing() -> None:
    assert recover_call('{"city": "Paris"}', ForcedTool((WEATHER,), "missing")) is None


# --- through the client --------------------------------------------------------------------

FORCED = ChatParams(model="MiniMax-M2.7", tools=[WEATHER, TIME], tool_choice="get_weather")
TEXT_WITH_JSON = 'I will use the tool: ```json\n{"city": "Paris"}\n```'


def assert_recovered(result: Any) -> None:
    assert result.tool_call_recovered
    assert not result.tool_call_missing
    assert [(c.name, c.arguments) for c in result.message.tool_calls] == [
        ("get_weather", {"city": "Paris"})
    ]


def test_forced_call_answered_in_text_is_recovered(runner: Runner) -> None:
    server = FakeServer(json_reply(completion(TEXT_WITH_JSON)))
    assert_recovered(runner.chat(make_client(server), hi(), FORCED))
    assert "`get_weather`" in server.bodies()[0]["messages"][0]["content"]


def test_forced_call_answered_in_a_streamed_text_is_recovered(runner: Runner) -> None:
    half = len(TEXT_WITH_JSON) // 2
    body = sse(chunk(TEXT_WITH_JSON[:half]), chunk(TEXT_WITH_JSON[half:], finish="stop"))
    outcome = runner.stream(make_client(FakeServer(sse_reply(body))), hi(), FORCED)
    assert outcome.result is not None
    assert_recovered(outcome.result)
    pieces = [p for d in outcome.deltas for p in d.tool_call_chunks]
    assert [(p.name, p.arguments) for p in pieces] == [("get_weather", '{"city": "Paris"}')]


def test_unrecoverable_text_is_reported_as_a_missing_call(runner: Runner) -> None:
    """The core reports it; the adapters raise ToolChoiceError / OutputParserException."""
    server = FakeServer(json_reply(completion("It is sunny in Paris.")))
    result = runner.chat(make_client(server), hi(), FORCED)
    assert result.tool_call_missing
    assert not result.tool_call_recovered
    assert result.message.tool_calls == []
    assert result.message.content == "It is sunny in Paris."


def test_a_call_of_another_tool_is_not_the_named_forced_call(runner: Runner) -> None:
    """MiniMax does not enforce a named choice: the call stays, and the forced one is missing."""
    reply = completion(
        "\n",
        tool_calls=[tool_call("call_function_1_1", "get_time", '{"tz": "Europe/Paris"}')],
        finish="tool_calls",
    )
    result = runner.chat(make_client(FakeServer(json_reply(reply))), hi(), FORCED)
    assert result.tool_call_missing
    assert result.required_tool == "get_weather"
    assert [c.name for c in result.message.tool_calls] == ["get_time"]


def test_a_named_call_recovered_next_to_another_tools_call_gets_its_own_index(
    runner: Runner,
) -> None:
    body = sse(
        chunk(
            TEXT_WITH_JSON,
            tool_calls=[tool_call("call_function_1_1", "get_time", '{"tz": "Europe/Paris"}')],
            finish="tool_calls",
        )
    )
    outcome = runner.stream(make_client(FakeServer(sse_reply(body))), hi(), FORCED)
    assert outcome.result is not None
    assert outcome.result.tool_call_recovered
    assert not outcome.result.tool_call_missing
    assert [c.name for c in outcome.result.message.tool_calls] == ["get_time", "get_weather"]
    pieces = [p for d in outcome.deltas for p in d.tool_call_chunks]
    assert [(p.index, p.name) for p in pieces if p.name] == [(0, "get_time"), (1, "get_weather")]


def test_any_call_satisfies_a_forced_any(runner: Runner) -> None:
    reply = completion(
        "\n",
        tool_calls=[tool_call("call_function_1_1", "get_time", '{"tz": "Europe/Paris"}')],
        finish="tool_calls",
    )
    params = ChatParams(model="MiniMax-M2.7", tools=[WEATHER, TIME], tool_choice="any")
    result = runner.chat(make_client(FakeServer(json_reply(reply))), hi(), params)
    assert not result.tool_call_missing
    assert not result.tool_call_recovered


def test_a_real_call_needs_no_recovery(runner: Runner) -> None:
    reply = completion(
        "\n",
        tool_calls=[tool_call("call_function_1_1", "get_weather", '{"city": "Paris"}')],
        finish="tool_calls",
    )
    result = runner.chat(make_client(FakeServer(json_reply(reply))), hi(), FORCED)
    assert not result.tool_call_recovered
    assert not result.tool_call_missing
    assert result.message.tool_calls[0].id == "call_function_1_1"


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        (None, None),
        (False, None),
        (True, "any"),
        ("any", "any"),
        ("required", "any"),
        ("auto", "auto"),
        ("none", "none"),
        ("get_weather", "get_weather"),
        ({"type": "function", "function": {"name": "get_weather"}}, "get_weather"),
        ({"name": "get_weather"}, "get_weather"),
        # OpenAI's typed dicts
        ({"type": "required"}, "any"),
        ({"type": "auto"}, "auto"),
        ({"type": "none"}, "none"),
        # Anthropic's forms (ChatAnthropic users pass them to bind_tools)
        ({"type": "any"}, "any"),
        ({"type": "tool", "name": "get_weather"}, "get_weather"),
        ({"type": "auto", "disable_parallel_tool_use": True}, "auto"),
    ],
)
def test_every_frameworks_tool_choice_form_is_understood(choice: object, expected: str) -> None:
    assert tool_choice_name(choice) == expected


@pytest.mark.parametrize(
    "choice",
    [{"type": "function"}, {"type": "tool"}, {"type": "sometimes"}, 3, ["a"], ""],
)
def test_an_unreadable_tool_choice_is_a_clear_error(choice: object) -> None:
    with pytest.raises(ValueError, match=r"Unrecognised tool_choice|must not be an empty"):
        tool_choice_name(choice)
