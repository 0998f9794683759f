"""Request shaping: assert the JSON body MiniMax gets.

What MiniMax accepts: ``docs/protocol-notes.md`` §2.1, §3.1, §5; how requests are shaped: §12.4.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from minimax_core import (
    AssistantMessage,
    ChatParams,
    ImagePart,
    InvalidInputError,
    SystemMessage,
    TextPart,
    ToolCall,
    ToolDefinition,
    ToolMessage,
    UserMessage,
)
from minimax_core._request import normalise_thinking, prepare_chat
from minimax_core._types import ChatMessage

from .support import FakeServer, Runner, completion, json_reply, make_client

WEATHER = ToolDefinition(
    "get_weather",
    "Current weather in a city",
    {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)
TIME = ToolDefinition("get_time", "Time in a zone", {"type": "object", "properties": {"tz": {}}})


def body(
    messages: list[ChatMessage] | None = None,
    *,
    api: str = "openai",
    stream: bool = False,
    **params: Any,
) -> dict[str, Any]:
    params.setdefault("model", "MiniMax-M2.7")
    prepared = prepare_chat(
        [UserMessage("hi")] if messages is None else messages,
        ChatParams(**params),
        api=api,
        stream=stream,
    )
    body: dict[str, Any] = json.loads(prepared.body)
    return body


def system_of(request: dict[str, Any]) -> str:
    systems = [m for m in request["messages"] if m["role"] == "system"]
    assert len(systems) == 1
    assert request["messages"][0] is systems[0]
    content: str = systems[0]["content"]
    return content


def refused(messages: list[ChatMessage] | None = None, **params: Any) -> str:
    with pytest.raises(InvalidInputError) as info:
        body(messages, **params)
    return str(info.value)


def test_minimal_body() -> None:
    assert body() == {
        "model": "MiniMax-M2.7",
        "messages": [{"role": "user", "content": "hi"}],
        "reasoning_split": True,
    }


# --- messages ------------------------------------------------------------------------------


def test_several_system_messages_become_one_leading_one() -> None:
    request = body(
        [
            SystemMessage("You are terse."),
            UserMessage("hi"),
            SystemMessage(""),
            SystemMessage("Answer in French."),
        ]
    )
    assert request["messages"] == [
        {"role": "system", "content": "You are terse.\n\nAnswer in French."},
        {"role": "user", "content": "hi"},
    ]


def test_user_name_and_text_parts() -> None:
    request = body([UserMessage([TextPart("a"), TextPart("b")], name="ann")])
    assert request["messages"] == [{"role": "user", "content": "ab", "name": "ann"}]


def test_images_for_vision_models() -> None:
    message = UserMessage([TextPart("What is this?"), ImagePart("https://x/cat.png", "low")])
    for model in ("MiniMax-M3", "MiniMax-Text-01"):
        assert body([message], model=model)["messages"][0]["content"] == [
            {"type": "text", "text": "What is this?"},
            {"type": "image_url", "image_url": {"url": "https://x/cat.png", "detail": "low"}},
        ]
    data = UserMessage([ImagePart("data:image/png;base64,AAAA")])
    assert body([data], model="MiniMax-M3")["messages"][0]["content"] == [
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}
    ]


def test_image_for_a_text_only_model_is_refused() -> None:
    message = UserMessage([TextPart("What is this?"), ImagePart("https://x/cat.png")])
    assert "images" in refused([message], model="MiniMax-M2.7")


def test_tool_turns() -> None:
    calls = [
        ToolCall("call_function_1_1", "get_weather", {"city": "Zürich"}),
        ToolCall("call_function_1_2", "get_time", {"tz": "CET"}, raw_arguments='{"tz":"CET"}'),
    ]
    request = body(
        [
            UserMessage("weather and time?"),
            AssistantMessage("", tool_calls=calls),
            ToolMessage("call_function_1_1", "sunny"),
            ToolMessage("call_function_1_2", "10:00"),
        ],
        tools=[WEATHER, TIME],
    )
    assert request["messages"][1:] == [
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [
                {
                    "id": "call_function_1_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": "Zürich"}'},
                },
                {
                    "id": "call_function_1_2",
                    "type": "function",
                    # Arguments exactly as the model produced them.
                    "function": {"name": "get_time", "arguments": '{"tz":"CET"}'},
                },
            ],
        },
        {"role": "tool", "tool_call_id": "call_function_1_1", "content": "sunny"},
        {"role": "tool", "tool_call_id": "call_function_1_2", "content": "10:00"},
    ]


def test_a_tool_result_without_its_call_is_refused() -> None:
    assert "call_x" in refused([UserMessage("hi"), ToolMessage("call_x", "r")])


def test_a_tool_result_not_right_after_its_assistant_turn_is_refused() -> None:
    call = ToolCall("call_1", "get_weather", {"city": "Paris"})
    messages: list[ChatMessage] = [
        UserMessage("hi"),
        AssistantMessage("", tool_calls=[call]),
        UserMessage("never mind"),
        ToolMessage("call_1", "sunny"),
    ]
    assert "2013" in refused(messages)


def test_empty_messages_are_refused() -> None:
    assert "empty" in refused([])


def test_unsupported_message_or_part_is_refused() -> None:
    assert "Unsupported" in refused([object()])  # type: ignore[list-item]
    assert "Unsupported" in refused(
        [UserMessage([TextPart("a"), "raw"])],  # type: ignore[list-item]
        model="MiniMax-M3",
    )


# --- sampling and limits --------------------------------------------------------------------


def test_temperature_zero_becomes_a_small_positive_value_with_a_debug_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG, logger="minimax_core"):
        request = body(temperature=0)
    assert request["temperature"] == 0.01
    assert any(
        "temperature" in r.getMessage() and r.levelno == logging.DEBUG for r in caplog.records
    )


@pytest.mark.parametrize(
    ("model", "given", "sent"),
    [
        ("MiniMax-M2.7", 0.7, 0.7),
        ("MiniMax-M2.7", 1.0, 1.0),
        ("MiniMax-M2.7", 1.5, 1.0),
        ("MiniMax-M3", 1.5, 1.5),
        ("MiniMax-M3", 3.0, 2.0),
    ],
)
def test_temperature_is_kept_in_the_models_range(model: str, given: float, sent: float) -> None:
    assert body(model=model, temperature=given)["temperature"] == sent


@pytest.mark.parametrize(("given", "sent"), [(0, 0.01), (0.95, 0.95), (1.0, 1.0), (1.3, 1.0)])
def test_top_p_is_kept_in_range(given: float, sent: float) -> None:
    assert body(top_p=given)["top_p"] == sent


@pytest.mark.parametrize("name", ["temperature", "top_p"])
def test_negative_sampling_values_are_refused(name: str) -> None:
    assert name in refused(**{name: -0.1})  # type: ignore[arg-type]


def test_unset_sampling_is_not_sent() -> None:
    request = body()
    assert "temperature" not in request
    assert "top_p" not in request


@pytest.mark.parametrize(
    ("api", "field"),
    [
        ("openai", "max_completion_tokens"),
        ("native", "max_completion_tokens"),
        ("dashscope", "max_tokens"),
    ],
)
def test_output_limit_field_per_route(api: str, field: str) -> None:
    request = body(api=api, max_tokens=4096, model="MiniMax-M2.5")
    assert request[field] == 4096
    assert {"max_tokens", "max_completion_tokens"} - {field} - set(request) == {
        "max_tokens",
        "max_completion_tokens",
    } - {field}


@pytest.mark.parametrize("value", [0, -5])
def test_non_positive_max_tokens_is_refused(value: int) -> None:
    assert "max_tokens" in refused(max_tokens=value)


def test_max_tokens_above_the_models_limit_is_refused() -> None:
    assert body(max_tokens=204_800)["max_completion_tokens"] == 204_800
    assert "204800" in refused(max_tokens=204_801)
    assert "524288" in refused(model="MiniMax-M3", max_tokens=600_000)


def test_max_tokens_must_be_an_integer() -> None:
    refused(max_tokens=100.0)


def test_empty_stop_sequences_are_dropped() -> None:
    assert body(stop=["", "\nObservation:"])["stop"] == ["\nObservation:"]
    assert "stop" not in body(stop=[""])


# --- route-specific fields ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("api", "split"), [("openai", True), ("native", None), ("dashscope", None)]
)
def test_reasoning_split_only_on_the_openai_route(api: str, split: bool | None) -> None:
    assert body(api=api, model="MiniMax-M2.5").get("reasoning_split") is split


def test_streaming_asks_for_usage() -> None:
    request = body(stream=True)
    assert request["stream"] is True
    assert request["stream_options"] == {"include_usage": True}
    assert "stream_options" not in body(stream=True, stream_usage=False)
    assert "stream" not in body()


@pytest.mark.parametrize("api", ["openai", "native"])
@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("adaptive", {"type": "adaptive"}),
        ("disabled", {"type": "disabled"}),
        (True, {"type": "adaptive"}),
        (False, {"type": "disabled"}),
        ({"type": "disabled"}, {"type": "disabled"}),
    ],
)
def test_thinking_is_sent_for_switchable_models(api: str, given: Any, sent: dict[str, str]) -> None:
    assert body(api=api, model="MiniMax-M3", thinking=given)["thinking"] == sent


def test_thinking_adaptive_on_an_always_thinking_model_is_simply_not_sent() -> None:
    assert "thinking" not in body(model="MiniMax-M2.7", thinking="adaptive")
    assert "thinking" not in body(model="MiniMax-Text-01", thinking="disabled")


def test_thinking_that_cannot_be_honoured_is_refused() -> None:
    assert "always thinks" in refused(model="MiniMax-M2.7", thinking="disabled")
    assert "does not think" in refused(model="MiniMax-Text-01", thinking="adaptive")
    assert "dashscope" in refused(model="MiniMax-M3", thinking="disabled", api="dashscope")
    assert "thinking must be" in refused(model="MiniMax-M3", thinking="maybe")


def test_thinking_for_an_unknown_model_is_passed_on() -> None:
    assert body(model="MiniMax-M4", thinking="disabled")["thinking"] == {"type": "disabled"}


def test_normalise_thinking() -> None:
    assert normalise_thinking(None) is None
    assert normalise_thinking("on") == "adaptive"
    assert normalise_thinking({"type": "off"}) == "disabled"


# --- tools ---------------------------------------------------------------------------------


def test_tools_are_sent_in_function_form() -> None:
    request = body(tools=[WEATHER])
    assert request["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "description": "Current weather in a city",
                "parameters": WEATHER.parameters,
            },
        }
    ]
    assert "tool_choice" not in request


@pytest.mark.parametrize("parameters", [{}, {"type": "object"}, {"properties": {}}])
def test_a_tool_without_arguments_gets_an_empty_object_schema(parameters: dict[str, Any]) -> None:
    tool = ToolDefinition("now", "", parameters)
    assert body(tools=[tool])["tools"] == [
        {
            "type": "function",
            "function": {"name": "now", "parameters": {"type": "object", "properties": {}}},
        }
    ]


def test_strict_is_dropped() -> None:
    tool = ToolDefinition("f", "d", {**WEATHER.parameters, "strict": True})
    assert "strict" not in body(tools=[tool])["tools"][0]["function"]["parameters"]
    assert WEATHER.parameters == ToolDefinition("f", "d", {**WEATHER.parameters}).parameters


@pytest.mark.parametrize(
    "tool",
    [
        ToolDefinition("get weather", "", {}),
        ToolDefinition("", "", {}),
        ToolDefinition("x" * 65, "", {}),
        ToolDefinition("f", "", {"type": "string"}),
        ToolDefinition("f", "", "not a schema"),  # type: ignore[arg-type]
        ToolDefinition("f", "", [("type", "object")]),  # type: ignore[arg-type]
    ],
    ids=["space", "empty", "too-long", "not-object", "string", "list"],
)
def test_invalid_tools_are_refused(tool: ToolDefinition) -> None:
    refused(tools=[tool])


def test_duplicate_tool_names_are_refused() -> None:
    assert "unique" in refused(tools=[WEATHER, WEATHER])


@pytest.mark.parametrize("choice", ["any", "required"])
def test_forcing_any_tool_puts_an_instruction_in_the_system_message(choice: str) -> None:
    request = body(
        [SystemMessage("Be brief."), UserMessage("hi")], tools=[WEATHER, TIME], tool_choice=choice
    )
    system = system_of(request)
    assert system.startswith("Be brief.")
    assert "`get_weather`" in system
    assert "`get_time`" in system
    assert "tool_choice" not in request


def test_forcing_one_named_tool() -> None:
    request = body(tools=[WEATHER, TIME], tool_choice="get_time")
    system = system_of(request)
    assert "`get_time`" in system
    assert "get_weather" not in system
    assert "tool_choice" not in request
    # "any" with a single tool is that tool.
    assert "`get_weather`" in system_of(body(tools=[WEATHER], tool_choice="any"))


def test_tool_choice_none_is_sent_and_auto_is_not() -> None:
    assert body(tools=[WEATHER], tool_choice="none")["tool_choice"] == "none"
    assert "tool_choice" not in body(tools=[WEATHER], tool_choice="auto")
    assert not any(
        m["role"] == "system" for m in body(tools=[WEATHER], tool_choice="none")["messages"]
    )


def test_tool_choice_naming_an_unknown_tool_is_refused() -> None:
    assert "get_stock" in refused(tools=[WEATHER], tool_choice="get_stock")


def test_parallel_tool_calls_off_asks_for_one_call() -> None:
    request = body(tools=[WEATHER, TIME], parallel_tool_calls=False)
    assert "one tool" in system_of(request)
    assert "parallel_tool_calls" not in request


# --- response_format and model_kwargs --------------------------------------------------------


def test_json_schema_is_sent_to_the_model_that_enforces_it() -> None:
    fmt = {"type": "json_schema", "json_schema": {"name": "city", "schema": {"type": "object"}}}
    assert body(model="MiniMax-Text-01", response_format=fmt)["response_format"] == fmt


def test_json_schema_on_a_model_that_does_not_enforce_it_is_refused() -> None:
    fmt = {"type": "json_schema", "json_schema": {"name": "city", "schema": {"type": "object"}}}
    assert "MiniMax-Text-01" in refused(model="MiniMax-M2.7", response_format=fmt)


def test_json_mode_is_asked_for_in_the_prompt() -> None:
    request = body(
        response_format={"type": "json_object", "schema": {"type": "object", "title": "T"}}
    )
    assert "response_format" not in request
    system = system_of(request)
    assert "JSON" in system
    assert '"title": "T"' in system


def test_json_mode_without_a_schema() -> None:
    request = body(response_format={"type": "json_object"})
    assert "response_format" not in request
    assert "JSON object" in system_of(request)
    assert "schema" not in system_of(request)


def test_unknown_response_format_type_is_refused() -> None:
    refused(response_format={"type": "xml"})


def test_model_kwargs_pass_through() -> None:
    request = body(extra={"mask_sensitive_info": True, "service_tier": "priority"})
    assert request["mask_sensitive_info"] is True
    assert request["service_tier"] == "priority"


@pytest.mark.parametrize("name", ["model", "messages", "stream"])
def test_reserved_model_kwargs_are_refused(name: str) -> None:
    assert name in refused(extra={name: "x"})


# --- how the answer will be read -------------------------------------------------------------


@pytest.mark.parametrize(
    ("api", "model", "params", "inline"),
    [
        ("openai", "MiniMax-M2.7", {}, False),
        ("openai", "MiniMax-M2.7", {"extra": {"reasoning_split": False}}, True),
        (
            "openai",
            "MiniMax-M3",
            {"thinking": "disabled", "extra": {"reasoning_split": False}},
            False,
        ),
        ("native", "MiniMax-M2.5", {}, True),
        ("native", "MiniMax-Text-01", {}, False),
        ("dashscope", "MiniMax-M2.5", {}, False),
    ],
)
def test_inline_reasoning_is_expected_where_the_route_puts_it(
    api: str, model: str, params: dict[str, Any], inline: bool
) -> None:
    prepared = prepare_chat(
        [UserMessage("hi")], ChatParams(model=model, **params), api=api, stream=True
    )
    assert prepared.expect_inline_reasoning is inline


# --- nothing is sent when the input is bad ---------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        ChatParams(model="MiniMax-M2.7", max_tokens=0),
        ChatParams(model="MiniMax-M2.7", thinking="disabled"),
    ],
)
def test_bad_input_fails_before_anything_is_sent(runner: Runner, params: ChatParams) -> None:
    server = FakeServer(json_reply(completion("never")))
    client = make_client(server)
    with pytest.raises(InvalidInputError):
        runner.chat(client, [UserMessage("hi")], params)
    with pytest.raises(InvalidInputError):
        runner.stream(client, [UserMessage("hi")], params)
    assert server.count == 0
