"""Conformance: the official ``anthropic`` SDK parses everything the Anthropic-compatible route
serves (``base_url=<emulator>/anthropic``), sync and async, including errors and streams."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import anthropic
import pytest
from anthropic.types import MessageParam, ToolParam

from minimax_emulator.signatures import sign_thinking
from minimax_emulator.testing import EmulatorServer

from .conftest import KEY, MODEL

MAGIC: ToolParam = {
    "name": "magic_function",
    "description": "Applies a magic function to an input.",
    "input_schema": {
        "type": "object",
        "properties": {"input": {"type": "integer"}},
        "required": ["input"],
    },
}
WEATHER: ToolParam = {
    "name": "get_weather",
    "description": "Weather for a city.",
    "input_schema": {
        "type": "object",
        "properties": {"location": {"type": "string"}, "days": {"type": "integer"}},
        "required": ["location"],
    },
}
QUESTION: list[MessageParam] = [
    {"role": "user", "content": "What is the value of magic_function(3)? Use the tool."}
]
HI: list[MessageParam] = [{"role": "user", "content": "Hi"}]


def blocks(message: anthropic.types.Message) -> list[dict[str, Any]]:
    """The content blocks as plain data (a streamed text block is a ParsedTextBlock)."""
    return [block.model_dump(exclude={"parsed_output"}) for block in message.content]


def make_client(server: EmulatorServer, **kwargs: Any) -> anthropic.Anthropic:
    options: dict[str, Any] = {"api_key": KEY, "max_retries": 0, **kwargs}
    return anthropic.Anthropic(base_url=server.base_url + "/anthropic", **options)


@pytest.fixture
def sdk(live: EmulatorServer) -> Iterator[anthropic.Anthropic]:
    with make_client(live) as client:
        yield client


@pytest.fixture
async def async_sdk(live: EmulatorServer) -> AsyncIterator[anthropic.AsyncAnthropic]:
    async with anthropic.AsyncAnthropic(
        base_url=live.base_url + "/anthropic", api_key=KEY, max_retries=0
    ) as client:
        yield client


def test_non_stream_thinking_and_text(sdk: anthropic.Anthropic) -> None:
    message = sdk.messages.create(model=MODEL, max_tokens=1024, messages=HI)
    assert message.type == "message"
    assert message.role == "assistant"
    assert message.model == MODEL
    thinking, text = message.content
    assert isinstance(thinking, anthropic.types.ThinkingBlock)
    assert thinking.thinking.startswith("The user asks")
    assert thinking.signature == sign_thinking(thinking.thinking)
    assert isinstance(text, anthropic.types.TextBlock)
    assert text.text == "Echo: Hi"
    assert message.stop_reason == "end_turn"
    assert message.stop_sequence is None
    assert message.usage.input_tokens > 0
    assert message.usage.output_tokens > 0
    assert message.usage.cache_read_input_tokens == 0
    assert message.usage.cache_creation_input_tokens == 0
    extra: dict[str, Any] = message.model_extra or {}
    assert extra["base_resp"] == {"status_code": 0, "status_msg": "success"}


def test_m3_thinks_only_when_asked(sdk: anthropic.Anthropic) -> None:
    plain = sdk.messages.create(model="MiniMax-M3", max_tokens=1024, messages=HI)
    assert [block.type for block in plain.content] == ["text"]
    thinking = sdk.messages.create(
        model="MiniMax-M3", max_tokens=4096, messages=HI, thinking={"type": "adaptive"}
    )
    assert [block.type for block in thinking.content] == ["thinking", "text"]
    enabled = sdk.messages.create(
        model="MiniMax-M3",
        max_tokens=4096,
        messages=HI,
        thinking={"type": "enabled", "budget_tokens": 2048},
    )
    assert enabled.content == thinking.content


def test_tool_use(sdk: anthropic.Anthropic) -> None:
    message = sdk.messages.create(model=MODEL, max_tokens=1024, messages=QUESTION, tools=[MAGIC])
    assert message.stop_reason == "tool_use"
    thinking, call = message.content
    assert isinstance(thinking, anthropic.types.ThinkingBlock)
    assert isinstance(call, anthropic.types.ToolUseBlock)
    assert call.name == "magic_function"
    assert call.input == {"input": 3}
    assert call.id.startswith("call_function_")
    assert call.id.endswith("_1")


def tool_loop_history(sdk: anthropic.Anthropic) -> tuple[list[MessageParam], str]:
    first = sdk.messages.create(model=MODEL, max_tokens=1024, messages=QUESTION, tools=[MAGIC])
    call = first.content[1]
    assert isinstance(call, anthropic.types.ToolUseBlock)
    history: list[MessageParam] = [
        *QUESTION,
        {"role": "assistant", "content": first.content},  # replayed as received
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": call.id, "content": "5"}],
        },
    ]
    return history, call.id


def test_full_tool_loop_replays_signed_thinking_verbatim(
    sdk: anthropic.Anthropic, live: EmulatorServer
) -> None:
    history, call_id = tool_loop_history(sdk)
    answer = sdk.messages.create(model=MODEL, max_tokens=1024, messages=history, tools=[MAGIC])
    assert answer.stop_reason == "end_turn"
    assert [block.type for block in answer.content] == ["thinking", "text"]
    text = answer.content[1]
    assert isinstance(text, anthropic.types.TextBlock)
    assert text.text == "Based on the tool results: 5."
    first_reply, second_request = live.requests[0], live.requests[1]
    assert first_reply.json is not None
    assert second_request.json is not None
    replayed = second_request.json["messages"][1]["content"]
    assert replayed[0]["type"] == "thinking"
    assert replayed[0]["signature"] == sign_thinking(replayed[0]["thinking"])
    assert replayed[1] == {
        "type": "tool_use",
        "id": call_id,
        "name": "magic_function",
        "input": {"input": 3},
    }


def test_a_tampered_signature_is_a_bad_request_2013(sdk: anthropic.Anthropic) -> None:
    history, _ = tool_loop_history(sdk)
    sent: Any = history[1]["content"]
    replayed: list[dict[str, Any]] = [block.model_dump() for block in sent]
    replayed[0]["thinking"] += " (edited)"
    tampered: list[Any] = [history[0], {"role": "assistant", "content": replayed}, history[2]]
    with pytest.raises(anthropic.BadRequestError) as caught:
        sdk.messages.create(model=MODEL, max_tokens=1024, messages=tampered, tools=[MAGIC])
    assert caught.value.status_code == 400
    assert "(2013)" in caught.value.message
    assert "invalid signature" in caught.value.message
    body: Any = caught.value.body
    assert body["error"]["type"] == "invalid_request_error"
    # the same block without a signature is accepted (unsigned thinking is always accepted)
    del replayed[0]["signature"]
    sdk.messages.create(model=MODEL, max_tokens=1024, messages=tampered, tools=[MAGIC])


def test_stream_final_message_equals_the_non_streamed_reply(sdk: anthropic.Anthropic) -> None:
    for tools in ([], [MAGIC]):
        reply = sdk.messages.create(model=MODEL, max_tokens=1024, messages=QUESTION, tools=tools)
        with sdk.messages.stream(
            model=MODEL, max_tokens=1024, messages=QUESTION, tools=tools
        ) as stream:
            final = stream.get_final_message()
        assert blocks(final) == blocks(reply)
        assert final.stop_reason == reply.stop_reason
        assert final.usage.output_tokens == reply.usage.output_tokens
        assert final.usage.input_tokens == reply.usage.input_tokens


def test_text_stream_and_events(sdk: anthropic.Anthropic) -> None:
    long_text = "Tell me about the weather in Paris and in Lyon, please, in detail."
    messages: list[MessageParam] = [{"role": "user", "content": long_text}]
    with sdk.messages.stream(model=MODEL, max_tokens=1024, messages=messages) as stream:
        pieces = list(stream.text_stream)
        final = stream.get_final_message()
    assert len(pieces) >= 2
    assert "".join(pieces) == f"Echo: {long_text}"
    thinking = final.content[0]
    assert isinstance(thinking, anthropic.types.ThinkingBlock)
    assert thinking.signature == sign_thinking(thinking.thinking)


def test_streamed_tool_input_assembles(sdk: anthropic.Anthropic) -> None:
    messages: list[MessageParam] = [{"role": "user", "content": "Weather in Paris for 3 days?"}]
    partials: list[str] = []
    with sdk.messages.stream(
        model=MODEL, max_tokens=1024, messages=messages, tools=[WEATHER]
    ) as stream:
        for event in stream:
            if event.type == "input_json":
                partials.append(event.partial_json)
        final = stream.get_final_message()
    assert len(partials) >= 2
    call = final.content[-1]
    assert isinstance(call, anthropic.types.ToolUseBlock)
    assert call.input == {"location": "Paris", "days": 3}
    assert final.stop_reason == "tool_use"


def test_stop_sequences(sdk: anthropic.Anthropic) -> None:
    messages: list[MessageParam] = [{"role": "user", "content": "one two three"}]
    reply = sdk.messages.create(
        model=MODEL, max_tokens=1024, messages=messages, stop_sequences=["three"]
    )
    assert reply.stop_reason == "stop_sequence"
    assert reply.stop_sequence == "three"
    with sdk.messages.stream(
        model=MODEL, max_tokens=1024, messages=messages, stop_sequences=["three"]
    ) as stream:
        final = stream.get_final_message()
    assert final.stop_reason == "stop_sequence"
    assert final.stop_sequence == "three"
    assert blocks(final) == blocks(reply)


def test_max_tokens_stop_reason(sdk: anthropic.Anthropic) -> None:
    reply = sdk.messages.create(model=MODEL, max_tokens=5, messages=HI)
    assert reply.stop_reason == "max_tokens"
    assert [block.type for block in reply.content] == ["thinking"]


# --- keys ------------------------------------------------------------------------------------


def test_a_missing_key_is_an_authentication_error(live: EmulatorServer) -> None:
    no_auth = {"Authorization": anthropic.Omit()}
    with (
        make_client(live, api_key=None, default_headers=no_auth) as client,
        pytest.raises(anthropic.AuthenticationError) as caught,
    ):
        client.messages.create(model=MODEL, max_tokens=64, messages=HI)
    assert caught.value.status_code == 401
    assert "(1004)" in caught.value.message
    assert "login fail" in caught.value.message


def test_keys_in_x_api_key_or_bearer_and_a_wrong_key() -> None:
    with EmulatorServer(api_keys=[KEY]) as server:
        x_api_key = {"x-api-key": KEY, "Authorization": anthropic.Omit()}
        with make_client(server, api_key=None, default_headers=x_api_key) as client:
            assert client.messages.create(model=MODEL, max_tokens=64, messages=HI).content
        assert server.requests[-1].headers["x-api-key"] == "***"
        assert "authorization" not in server.requests[-1].headers
        with make_client(server) as client:  # this SDK sends api_key as a Bearer token
            assert client.messages.create(model=MODEL, max_tokens=64, messages=HI).content
        with (
            make_client(server, api_key="sk-wrong") as client,
            pytest.raises(anthropic.AuthenticationError) as caught,
        ):
            client.messages.create(model=MODEL, max_tokens=64, messages=HI)
        assert "invalid api key (2049)" in caught.value.message


# --- faults ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "error", "status"),
    [
        ("fail=429", anthropic.RateLimitError, 429),
        ("fail=1002", anthropic.RateLimitError, 429),
        ("fail=500", anthropic.InternalServerError, 500),
        ("fail=2061", anthropic.InternalServerError, 500),
        ("fail=529", anthropic.OverloadedError, 529),
        ("fail=2013", anthropic.BadRequestError, 400),
    ],
)
def test_injected_errors_are_typed(
    sdk: anthropic.Anthropic, spec: str, error: type[anthropic.APIStatusError], status: int
) -> None:
    with pytest.raises(error) as caught:
        sdk.messages.create(
            model=MODEL, max_tokens=64, messages=HI, extra_headers={"X-Emulator": spec}
        )
    assert caught.value.status_code == status
    # before the stream starts: a JSON error, typed the same
    with (
        pytest.raises(error),
        sdk.messages.stream(
            model=MODEL, max_tokens=64, messages=HI, extra_headers={"X-Emulator": spec}
        ) as stream,
    ):
        stream.get_final_message()


def test_the_sdk_retries_an_overloaded_answer(live: EmulatorServer) -> None:
    with make_client(live, max_retries=1) as client:
        reply = client.messages.create(
            model=MODEL, max_tokens=64, messages=HI, extra_headers={"X-Emulator": "fail=529x1"}
        )
    assert reply.content[-1].type == "text"
    assert len(live.requests) == 2


def test_mid_stream_error_event(sdk: anthropic.Anthropic) -> None:
    texts: list[str] = []
    with (
        pytest.raises(anthropic.APIStatusError) as caught,
        sdk.messages.stream(
            model=MODEL,
            max_tokens=1024,
            messages=HI,
            # message_start, ping, the thinking block (start, 3 deltas, signature, stop), the
            # text block's start and its one delta; then the error
            extra_headers={"X-Emulator": "stream_error=10:1000"},
        ) as stream,
    ):
        texts.extend(stream.text_stream)
    assert texts == ["Echo: Hi"]  # what arrived before the error was delivered
    assert "unknown error (1000)" in caught.value.message
    body: Any = caught.value.body
    assert body["error"] == {"type": "api_error", "message": "unknown error (1000)"}


def test_a_dropped_stream_is_a_connection_error(sdk: anthropic.Anthropic) -> None:
    with (
        pytest.raises(anthropic.APIConnectionError),
        sdk.messages.stream(
            model=MODEL,
            max_tokens=1024,
            messages=HI,
            extra_headers={"X-Emulator": "disconnect_after=4"},
        ) as stream,
    ):
        stream.get_final_message()


# --- async -------------------------------------------------------------------------------------


async def test_async_create_and_stream(async_sdk: anthropic.AsyncAnthropic) -> None:
    reply = await async_sdk.messages.create(
        model=MODEL, max_tokens=1024, messages=QUESTION, tools=[MAGIC]
    )
    async with async_sdk.messages.stream(
        model=MODEL, max_tokens=1024, messages=QUESTION, tools=[MAGIC]
    ) as stream:
        final = await stream.get_final_message()
    assert blocks(final) == blocks(reply)
    assert final.stop_reason == "tool_use"


async def test_async_errors(async_sdk: anthropic.AsyncAnthropic) -> None:
    with pytest.raises(anthropic.RateLimitError):
        await async_sdk.messages.create(
            model=MODEL, max_tokens=64, messages=HI, extra_headers={"X-Emulator": "fail=429"}
        )
    with pytest.raises(anthropic.APIStatusError, match=r"\(1000\)"):
        async with async_sdk.messages.stream(
            model=MODEL,
            max_tokens=1024,
            messages=HI,
            extra_headers={"X-Emulator": "stream_error=5:1000"},
        ) as stream:
            await stream.get_final_message()
