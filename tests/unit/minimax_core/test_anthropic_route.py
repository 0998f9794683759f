"""The Anthropic-compatible route's requests, over a fake transport, sync and async: where they go,
how they authenticate, the Messages body (``docs/protocol-notes.md`` §6), and reasoning replay —
the point of the route: a thinking block goes back verbatim, signature and all, in a tool loop.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from minimax_core import (
    AssistantMessage,
    ChatParams,
    ChatResult,
    ImagePart,
    InvalidInputError,
    Reasoning,
    SystemMessage,
    TextPart,
    ToolCall,
    ToolDefinition,
    ToolMessage,
    UserMessage,
)
from minimax_core._types import ChatMessage

from .anthropic_support import (
    SIG,
    SIG2,
    THINKING,
    WEATHER_ID,
    WEATHER_INPUT,
    message,
    stream_of,
    text,
    thinking,
    tool_use,
)
from .support import (
    KEY,
    FakeServer,
    Runner,
    completion,
    detail,
    hi,
    json_reply,
    make_client,
    sse_reply,
)

M27 = "MiniMax-M2.7"
M3 = "MiniMax-M3"
OK = json_reply(message(text("Hi.")))
OK_STREAM = sse_reply(stream_of(message(text("Hi."))))

WEATHER = ToolDefinition(
    "get_weather",
    "Current weather for a city.",
    {
        "type": "object",
        "properties": {"location": {"type": "string"}, "unit": {"type": "string"}},
        "required": ["location"],
        "strict": True,
    },
)
CLOCK = ToolDefinition("get_time")  # no description, no parameters


def sent(
    runner: Runner,
    messages: list[ChatMessage] | None = None,
    *,
    stream: bool = False,
    **params: Any,
) -> tuple[httpx.Request, dict[str, Any]]:
    """Send one request on the route; the request and its JSON body, as the server saw them (no
    repair round trip for a forced tool answered in text: one request is looked at)."""
    server = FakeServer(OK_STREAM if stream else OK)
    client = make_client(server, api="anthropic", tool_choice_repairs=0)
    chat_params = ChatParams(**{"model": M27, **params})
    if stream:
        outcome = runner.stream(client, messages or hi(), chat_params)
        assert outcome.error is None
    else:
        runner.chat(client, messages or hi(), chat_params)
    (request,) = server.requests
    body: dict[str, Any] = json.loads(request.content)
    return request, body


# --- where it goes, how it authenticates ------------------------------------------------------


@pytest.mark.parametrize(
    ("base_url", "url"),
    [
        ("http://h", "http://h/anthropic/v1/messages"),
        ("http://h/", "http://h/anthropic/v1/messages"),
        ("http://h/anthropic", "http://h/anthropic/v1/messages"),
        ("http://h/anthropic/", "http://h/anthropic/v1/messages"),
        ("http://h/anthropic/v1", "http://h/anthropic/v1/messages"),
        ("http://h/anthropic/v1/messages", "http://h/anthropic/v1/messages"),
        ("http://h/v1", "http://h/anthropic/v1/messages"),
        ("http://h/p/anthropic", "http://h/p/anthropic/v1/messages"),
        ("http://h/p/anthropic/v1", "http://h/p/anthropic/v1/messages"),
    ],
)
def test_the_request_goes_to_anthropic_v1_messages(runner: Runner, base_url: str, url: str) -> None:
    server = FakeServer(OK)
    client = make_client(server, api="anthropic", base_url=base_url)
    result = runner.chat(client, hi(), ChatParams(model=M27))
    assert result.message.content == "Hi."
    (request,) = server.requests
    assert request.method == "POST"
    assert str(request.url) == url


@pytest.mark.parametrize(
    ("region", "host"), [("global", "api.minimax.io"), ("cn", "api.minimaxi.com")]
)
def test_without_a_base_url_the_regions_host_is_used(
    runner: Runner, region: str, host: str
) -> None:
    server = FakeServer(OK)
    client = make_client(server, api="anthropic", base_url=None, region=region)
    runner.chat(client, hi(), ChatParams(model=M27))
    assert str(server.requests[0].url) == f"https://{host}/anthropic/v1/messages"


@pytest.mark.parametrize("stream", [False, True], ids=["chat", "stream"])
def test_both_auth_headers_and_the_anthropic_version_are_sent(runner: Runner, stream: bool) -> None:
    request, _ = sent(runner, stream=stream)
    assert request.headers["x-api-key"] == KEY
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["anthropic-version"] == "2023-06-01"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["accept"] == ("text/event-stream" if stream else "application/json")


# --- the body ------------------------------------------------------------------------------


def test_a_plain_request_body(runner: Runner) -> None:
    _, body = sent(runner, [UserMessage("Capital of France?")])
    assert body == {
        "model": M27,
        "max_tokens": 65_536,  # the catalog's recommended budget: max_tokens is required here
        "messages": [{"role": "user", "content": [{"type": "text", "text": "Capital of France?"}]}],
    }


def test_system_messages_are_merged_into_the_top_level_system_field(runner: Runner) -> None:
    messages: list[ChatMessage] = [
        SystemMessage("You are terse."),
        SystemMessage("Answer in French."),
        UserMessage("Capital of France?"),
        AssistantMessage("Paris."),
        SystemMessage("Use one word."),  # a system message later on goes to the top too
        UserMessage("And of Italy?"),
    ]
    _, body = sent(runner, messages)
    assert body["system"] == "You are terse.\n\nAnswer in French.\n\nUse one word."
    # A `system` role inside `messages` is a 400 (2013) on this route.
    assert [turn["role"] for turn in body["messages"]] == ["user", "assistant", "user"]
    assert body["messages"][1] == {
        "role": "assistant",
        "content": [{"type": "text", "text": "Paris."}],
    }


def test_user_content_parts_become_text_and_image_blocks(runner: Runner) -> None:
    parts: list[TextPart | ImagePart] = [
        TextPart("What is in these pictures?"),
        ImagePart("https://example.com/cat.png"),
        ImagePart("data:image/png;base64,iVBORw0KGgo="),
    ]
    _, body = sent(runner, [UserMessage(parts)], model=M3)
    assert body["messages"] == [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What is in these pictures?"},
                {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.png"}},
                {
                    "type": "image",
                    "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="},
                },
            ],
        }
    ]


def test_tools_are_sent_as_name_description_input_schema(runner: Runner) -> None:
    _, body = sent(runner, tools=[WEATHER, CLOCK])
    assert body["tools"] == [
        {
            "name": "get_weather",
            "description": "Current weather for a city.",
            "input_schema": {
                "type": "object",
                "properties": {"location": {"type": "string"}, "unit": {"type": "string"}},
                "required": ["location"],
            },
        },
        # A tool without arguments still needs an object schema.
        {"name": "get_time", "input_schema": {"type": "object", "properties": {}}},
    ]
    assert "strict" not in json.dumps(body)
    assert "tool_choice" not in body  # not asked for: the route's default (auto)


@pytest.mark.parametrize(
    ("tool_choice", "parallel", "expected"),
    [
        (None, None, None),
        ("auto", None, {"type": "auto"}),
        ("none", None, {"type": "none"}),
        ("any", None, {"type": "any"}),
        ("required", None, {"type": "any"}),
        ("get_weather", None, {"type": "tool", "name": "get_weather"}),
        (None, False, {"type": "auto", "disable_parallel_tool_use": True}),
        ("auto", False, {"type": "auto", "disable_parallel_tool_use": True}),
        ("any", False, {"type": "any", "disable_parallel_tool_use": True}),
        (
            "get_time",
            False,
            {"type": "tool", "name": "get_time", "disable_parallel_tool_use": True},
        ),
        (None, True, None),
    ],
)
def test_tool_choice_in_every_form(
    runner: Runner, tool_choice: str | None, parallel: bool | None, expected: dict[str, Any] | None
) -> None:
    _, body = sent(
        runner, tools=[WEATHER, CLOCK], tool_choice=tool_choice, parallel_tool_calls=parallel
    )
    if expected is None:
        assert "tool_choice" not in body
    else:
        assert body["tool_choice"] == expected


def test_a_tool_choice_naming_no_bound_tool_is_refused_before_sending(runner: Runner) -> None:
    server = FakeServer(OK)
    client = make_client(server, api="anthropic")
    with pytest.raises(InvalidInputError, match="names no bound tool"):
        runner.chat(client, hi(), ChatParams(model=M27, tools=[WEATHER], tool_choice="get_time"))
    assert server.count == 0


@pytest.mark.parametrize(
    ("model", "max_tokens", "expected"),
    [(M27, None, 65_536), (M3, None, 131_072), (M27, 4_096, 4_096), (M3, 1, 1)],
)
def test_max_tokens_is_always_sent(
    runner: Runner, model: str, max_tokens: int | None, expected: int
) -> None:
    _, body = sent(runner, model=model, max_tokens=max_tokens)
    assert body["max_tokens"] == expected
    assert "max_completion_tokens" not in body


def test_sampling_and_stop_sequences(runner: Runner) -> None:
    _, body = sent(runner, temperature=0, top_p=0.9, stop=["\n\nHuman:", "", "END"])
    assert body["temperature"] == 0.01  # MiniMax rejects 0
    assert body["top_p"] == 0.9
    assert body["stop_sequences"] == ["\n\nHuman:", "END"]
    assert "stop" not in body


def test_temperature_one_is_sent_as_is(runner: Runner) -> None:
    _, body = sent(runner, temperature=1.0)
    assert body["temperature"] == 1.0


@pytest.mark.parametrize("stream", [False, True], ids=["chat", "stream"])
def test_stream_true_only_when_streaming(runner: Runner, stream: bool) -> None:
    _, body = sent(runner, stream=stream)
    if stream:
        assert body["stream"] is True
    else:
        assert "stream" not in body
    assert "stream_options" not in body  # the OpenAI route's field; usage always comes here


def test_model_kwargs_pass_through(runner: Runner) -> None:
    extra = {"metadata": {"user_id": "u-1"}, "top_k": 5, "service_tier": "auto"}
    _, body = sent(runner, extra=extra)
    assert body["metadata"] == {"user_id": "u-1"}
    assert body["top_k"] == 5
    assert body["service_tier"] == "auto"


def test_json_object_mode_is_asked_for_in_the_system_prompt(runner: Runner) -> None:
    _, body = sent(
        runner,
        [SystemMessage("Be brief."), UserMessage("Two colours?")],
        response_format={"type": "json_object"},
    )
    assert body["system"].startswith("Be brief.\n\n")
    assert "JSON object" in body["system"]
    assert "response_format" not in body


@pytest.mark.parametrize("model", [M27, M3, "MiniMax-Text-01"])
def test_response_format_json_schema_is_refused_before_sending(runner: Runner, model: str) -> None:
    server = FakeServer(OK)
    client = make_client(server, api="anthropic")
    schema = {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}}
    with pytest.raises(InvalidInputError, match="Anthropic-compatible"):
        runner.chat(client, hi(), ChatParams(model=model, response_format=schema))
    with pytest.raises(InvalidInputError, match="Anthropic-compatible"):
        runner.stream(client, hi(), ChatParams(model=model, response_format=schema))
    assert server.count == 0


# --- thinking --------------------------------------------------------------------------------


@pytest.mark.parametrize("thinking_", ["adaptive", True, {"type": "adaptive"}, {"type": "enabled"}])
@pytest.mark.parametrize("max_tokens", [None, 1_025, 2_048, 8_192, 100_000])
def test_m3_thinking_on_is_sent_as_enabled_with_a_valid_budget(
    runner: Runner, thinking_: Any, max_tokens: int | None
) -> None:
    _, body = sent(runner, model=M3, thinking=thinking_, max_tokens=max_tokens)
    limit = body["max_tokens"]
    assert limit == (max_tokens or 131_072)
    assert body["thinking"]["type"] == "enabled"
    assert set(body["thinking"]) == {"type", "budget_tokens"}
    budget = body["thinking"]["budget_tokens"]
    assert isinstance(budget, int)
    assert 1024 <= budget < limit


@pytest.mark.parametrize("thinking_", ["disabled", False, {"type": "disabled"}])
def test_m3_thinking_off(runner: Runner, thinking_: Any) -> None:
    _, body = sent(runner, model=M3, thinking=thinking_)
    assert body["thinking"] == {"type": "disabled"}


@pytest.mark.parametrize("model", [M3, M27])
def test_thinking_unset_sends_no_thinking_field(runner: Runner, model: str) -> None:
    _, body = sent(runner, model=model)
    assert "thinking" not in body


def test_a_model_that_always_thinks_gets_no_thinking_field_when_asked_to_think(
    runner: Runner,
) -> None:
    _, body = sent(runner, model=M27, thinking="adaptive")
    assert "thinking" not in body


@pytest.mark.parametrize("stream", [False, True], ids=["chat", "stream"])
def test_m27_thinking_disabled_is_refused_before_anything_is_sent(
    runner: Runner, stream: bool
) -> None:
    server = FakeServer(OK)
    client = make_client(server, api="anthropic")
    params = ChatParams(model=M27, thinking="disabled")
    send = runner.stream if stream else runner.chat
    with pytest.raises(InvalidInputError, match="always thinks"):
        send(client, hi(), params)
    assert server.count == 0


# --- replay: a three-turn tool loop built from real answers -----------------------------------

QUESTION = "What is the weather in San Francisco, and what time is it there?"
WEATHER_RESULT = '{"temp_c": 15, "sky": "sunny"}'
CLOCK_ID = "call_function_3679004592_1"
CLOCK_RESULT = "14:05"
THINKING_2 = "The weather is known. Now the local time: call get_time, it takes no arguments."
SAID_2 = "Sunny, 15 °C. Let me check the time."
FINAL = "It is sunny and 15 °C in San Francisco, and it is 14:05."

TURN_1 = message(thinking(THINKING, SIG), tool_use(WEATHER_ID), stop_reason="tool_use")
TURN_2 = message(
    thinking(THINKING_2, SIG2),
    text(SAID_2),
    tool_use(CLOCK_ID, "get_time", {}),
    stop_reason="tool_use",
)
TURN_3 = message(text(FINAL))


def reply(whole: dict[str, Any], streamed: bool) -> Any:
    return sse_reply(stream_of(whole, count=4)) if streamed else json_reply(whole)


def ask(runner: Runner, client: Any, history: list[ChatMessage], streamed: bool) -> ChatResult:
    params = ChatParams(model=M27, tools=[WEATHER, CLOCK])
    if not streamed:
        return runner.chat(client, history, params)
    outcome = runner.stream(client, history, params)
    assert outcome.error is None
    assert outcome.result is not None
    return outcome.result


USER_TURN = {"role": "user", "content": [{"type": "text", "text": QUESTION}]}
ASSISTANT_TURN_1 = {
    "role": "assistant",
    "content": [
        {"type": "thinking", "thinking": THINKING, "signature": SIG},
        {"type": "tool_use", "id": WEATHER_ID, "name": "get_weather", "input": WEATHER_INPUT},
    ],
}
RESULT_TURN_1 = {
    "role": "user",
    "content": [{"type": "tool_result", "tool_use_id": WEATHER_ID, "content": WEATHER_RESULT}],
}
ASSISTANT_TURN_2 = {
    "role": "assistant",
    "content": [
        {"type": "thinking", "thinking": THINKING_2, "signature": SIG2},
        {"type": "text", "text": SAID_2},
        {"type": "tool_use", "id": CLOCK_ID, "name": "get_time", "input": {}},
    ],
}
RESULT_TURN_2 = {
    "role": "user",
    "content": [{"type": "tool_result", "tool_use_id": CLOCK_ID, "content": CLOCK_RESULT}],
}


@pytest.mark.parametrize("streamed", [False, True], ids=["whole", "streamed"])
def test_a_tool_loop_replays_each_thinking_block_verbatim(runner: Runner, streamed: bool) -> None:
    server = FakeServer(reply(TURN_1, streamed), reply(TURN_2, streamed), reply(TURN_3, streamed))
    client = make_client(server, api="anthropic")
    history: list[ChatMessage] = [UserMessage(QUESTION)]

    first = ask(runner, client, history, streamed)
    (call,) = first.message.tool_calls
    assert (call.id, call.name, call.arguments) == (WEATHER_ID, "get_weather", WEATHER_INPUT)
    history += [first.message, ToolMessage(call.id, WEATHER_RESULT)]

    second = ask(runner, client, history, streamed)
    assert second.message.content == SAID_2
    (call,) = second.message.tool_calls
    assert (call.id, call.name, call.arguments) == (CLOCK_ID, "get_time", {})
    history += [second.message, ToolMessage(call.id, CLOCK_RESULT)]

    third = ask(runner, client, history, streamed)
    assert third.message.content == FINAL

    bodies = server.bodies()
    assert bodies[0]["messages"] == [USER_TURN]
    # The thinking block first, exactly as received (same text, same signature), then the call
    # with the same id, name and input; the result in the user turn right after.
    assert bodies[1]["messages"] == [USER_TURN, ASSISTANT_TURN_1, RESULT_TURN_1]
    # The next turn's own thinking block keeps its place; the first turn is unchanged.
    assert bodies[2]["messages"] == [
        USER_TURN,
        ASSISTANT_TURN_1,
        RESULT_TURN_1,
        ASSISTANT_TURN_2,
        RESULT_TURN_2,
    ]


UNSIGNED = {"type": "thinking", "thinking": "The user asks for Paris."}


@pytest.mark.parametrize(
    "reasoning",
    [
        Reasoning("The user asks for Paris."),
        Reasoning("The user asks for Paris.", details=[detail("The user asks for Paris.")]),
        Reasoning(
            "The user asks for Paris.",
            inline="<think>\nThe user asks for Paris.\n</think>\n\nParis.",
        ),
    ],
    ids=["text-only", "minimax-details", "inline-think"],
)
def test_reasoning_from_elsewhere_goes_back_as_one_unsigned_thinking_block(
    runner: Runner, reasoning: Reasoning
) -> None:
    history: list[ChatMessage] = [
        UserMessage("Capital of France?"),
        AssistantMessage("Paris.", reasoning=reasoning),
        UserMessage("And of Italy?"),
    ]
    _, body = sent(runner, history)
    assert body["messages"][1] == {
        "role": "assistant",
        "content": [UNSIGNED, {"type": "text", "text": "Paris."}],
    }
    assert "<think>" not in json.dumps(body)
    assert "reasoning_details" not in json.dumps(body)


@pytest.mark.parametrize("other", ["openai", "native"])
def test_an_answer_from_another_route_goes_back_unsigned(runner: Runner, other: str) -> None:
    """A real answer read on the OpenAI route (``reasoning_details``) or the native route
    (inline ``<think>``), then sent on this route."""
    if other == "openai":
        body = completion("Paris.", details=[detail("The user asks for Paris.")])
    else:
        body = completion("<think>\nThe user asks for Paris.\n</think>\n\nParis.")
    earlier = runner.chat(
        make_client(FakeServer(json_reply(body)), api=other),
        [UserMessage("Capital of France?")],
        ChatParams(model=M27),
    )
    assert earlier.message.content == "Paris."
    _, sent_body = sent(
        runner, [UserMessage("Capital of France?"), earlier.message, UserMessage("And of Italy?")]
    )
    assert sent_body["messages"][1] == {
        "role": "assistant",
        "content": [UNSIGNED, {"type": "text", "text": "Paris."}],
    }


def test_an_assistant_turn_without_reasoning_sends_no_thinking_block(runner: Runner) -> None:
    call = ToolCall(WEATHER_ID, "get_weather", {"location": "Paris"})
    history: list[ChatMessage] = [
        UserMessage("Weather in Paris?"),
        AssistantMessage("", tool_calls=[call], reasoning=Reasoning()),
        ToolMessage(WEATHER_ID, "rain"),
    ]
    _, body = sent(runner, history, tools=[WEATHER])
    assert body["messages"][1] == {
        "role": "assistant",
        "content": [
            {
                "type": "tool_use",
                "id": WEATHER_ID,
                "name": "get_weather",
                "input": {"location": "Paris"},
            }
        ],
    }


@pytest.mark.parametrize("streamed", [False, True], ids=["whole", "streamed"])
@pytest.mark.parametrize("other", ["openai", "native"])
def test_an_answer_from_this_route_replayed_on_another_route(
    runner: Runner, streamed: bool, other: str
) -> None:
    """Switching routes mid-conversation: the reasoning goes back in the other route's own form,
    never as an Anthropic block with its signature."""
    server = FakeServer(reply(TURN_1, streamed))
    first = ask(runner, make_client(server, api="anthropic"), [UserMessage(QUESTION)], streamed)
    history: list[ChatMessage] = [
        UserMessage(QUESTION),
        first.message,
        ToolMessage(WEATHER_ID, WEATHER_RESULT),
    ]
    target = FakeServer(json_reply(completion("Sunny.")))
    runner.chat(make_client(target, api=other), history, ChatParams(model=M27, tools=[WEATHER]))
    (request,) = target.requests
    raw = request.content.decode()
    assert SIG not in raw
    assert "anthropic-thinking" not in raw
    assistant = json.loads(raw)["messages"][1]
    assert assistant["role"] == "assistant"
    (call,) = assistant["tool_calls"]
    assert call["id"] == WEATHER_ID
    assert json.loads(call["function"]["arguments"]) == WEATHER_INPUT
    if other == "openai":
        (item,) = assistant["reasoning_details"]
        assert item["type"] == "reasoning.text"
        assert item["format"] == "MiniMax-response-v1"
        assert item["text"] == THINKING
        assert "signature" not in item
    else:
        assert assistant["content"] == f"<think>\n{THINKING}\n</think>\n\n"


def test_consecutive_tool_results_and_the_next_user_message_share_one_user_turn(
    runner: Runner,
) -> None:
    calls = [
        ToolCall("call_a", "get_weather", {"location": "Paris"}),
        ToolCall("call_b", "get_weather", {"location": "Rome"}),
    ]
    history: list[ChatMessage] = [
        UserMessage("Weather in Paris and Rome?"),
        AssistantMessage("", tool_calls=calls, reasoning=Reasoning("Two calls at once.")),
        ToolMessage("call_a", "rain"),
        ToolMessage("call_b", "sun"),
        UserMessage("Which one is warmer?"),
    ]
    _, body = sent(runner, history, tools=[WEATHER])
    assert [turn["role"] for turn in body["messages"]] == ["user", "assistant", "user"]
    assert body["messages"][1]["content"] == [
        {"type": "thinking", "thinking": "Two calls at once."},
        {"type": "tool_use", "id": "call_a", "name": "get_weather", "input": {"location": "Paris"}},
        {"type": "tool_use", "id": "call_b", "name": "get_weather", "input": {"location": "Rome"}},
    ]
    assert body["messages"][2]["content"] == [
        {"type": "tool_result", "tool_use_id": "call_a", "content": "rain"},
        {"type": "tool_result", "tool_use_id": "call_b", "content": "sun"},
        {"type": "text", "text": "Which one is warmer?"},
    ]


def test_a_tool_call_replayed_with_its_raw_arguments(runner: Runner) -> None:
    """A call read from a framework's history, its arguments a JSON string, goes back as the
    object that string holds."""
    call = ToolCall.from_history("call_a", "get_weather", '{"location": "Zürich", "unit": "c"}')
    history: list[ChatMessage] = [
        UserMessage("Weather in Zürich?"),
        AssistantMessage("", tool_calls=[call]),
        ToolMessage("call_a", "snow"),
    ]
    _, body = sent(runner, history, tools=[WEATHER])
    (block,) = body["messages"][1]["content"]
    assert block["input"] == {"location": "Zürich", "unit": "c"}


def test_a_tool_result_that_follows_no_call_is_refused_before_sending(runner: Runner) -> None:
    server = FakeServer(OK)
    client = make_client(server, api="anthropic")
    history: list[ChatMessage] = [UserMessage("hi"), ToolMessage("call_x", "orphan")]
    with pytest.raises(InvalidInputError, match="does not follow"):
        runner.chat(client, history, ChatParams(model=M27))
    assert server.count == 0


def test_message_names_the_route_cannot_carry_are_not_dropped_silently() -> None:
    from minimax_core._request import prepare_chat

    messages = [UserMessage("Hi", name="alice"), UserMessage("Hello", name="bob")]
    with pytest.warns(UserWarning, match=r"no message names; \['alice', 'bob'\] are not sent"):
        prepare_chat(messages, ChatParams(model="MiniMax-M2.7"), api="anthropic", stream=False)
