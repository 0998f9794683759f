"""Conformance: the official ``openai`` SDK parses everything the emulator sends."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import openai
import pytest

from minimax_emulator.testing import EmulatorServer

from .conftest import KEY, MODEL

MAGIC = {
    "type": "function",
    "function": {
        "name": "magic_function",
        "description": "Applies a magic function to an input.",
        "parameters": {
            "type": "object",
            "properties": {"input": {"type": "integer"}},
            "required": ["input"],
        },
    },
}
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather for a city.",
        "parameters": {
            "type": "object",
            "properties": {"location": {"type": "string"}},
            "required": ["location"],
        },
    },
}
USER = [{"role": "user", "content": "What is the value of magic_function(3)? Use the tool."}]


@pytest.fixture
def sdk(live: EmulatorServer) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=live.base_url + "/v1", api_key=KEY, max_retries=0) as client:
        yield client


def test_non_stream_inline_reasoning(sdk: openai.OpenAI) -> None:
    reply = sdk.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "Hi"}])
    message = reply.choices[0].message
    assert message.content is not None
    assert message.content.startswith("<think>\n")
    assert message.content.endswith("\n</think>\n\nEcho: Hi")
    assert reply.model == MODEL
    assert reply.choices[0].finish_reason == "stop"
    assert reply.usage is not None
    assert reply.usage.completion_tokens_details is not None
    assert reply.usage.completion_tokens_details.reasoning_tokens is not None
    assert reply.usage.completion_tokens_details.reasoning_tokens > 0
    extra: dict[str, Any] = reply.model_extra or {}
    assert extra["base_resp"] == {"status_code": 0, "status_msg": ""}


def test_non_stream_reasoning_split(sdk: openai.OpenAI) -> None:
    reply = sdk.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "Hi"}],
        extra_body={"reasoning_split": True},
    )
    message = reply.choices[0].message
    assert message.content == "Echo: Hi"
    extra: dict[str, Any] = message.model_extra or {}
    assert extra["reasoning_content"].startswith("The user asks")
    assert extra["reasoning_details"][0]["text"] == extra["reasoning_content"]


def test_stream_with_usage(sdk: openai.OpenAI) -> None:
    stream = sdk.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "Hi"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text.startswith("<think>\n")
    assert text.endswith("</think>\n\nEcho: Hi")
    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.total_tokens > 0
    assert all(c.usage is None for c in chunks[:-1])
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finishes[-1] == "stop"
    assert set(finishes[:-1]) == {None}


def test_stream_reasoning_split(sdk: openai.OpenAI) -> None:
    stream = sdk.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "Hi"}],
        stream=True,
        extra_body={"reasoning_split": True},
    )
    reasoning, content = "", ""
    for chunk in stream:
        delta = chunk.choices[0].delta
        extra: dict[str, Any] = delta.model_extra or {}
        reasoning += extra.get("reasoning_content") or ""
        content += delta.content or ""
    assert content == "Echo: Hi"
    assert "→" in reasoning
    assert "好" in reasoning


def test_tool_call_non_stream(sdk: openai.OpenAI) -> None:
    reply = sdk.chat.completions.create(model=MODEL, messages=USER, tools=[MAGIC])  # type: ignore[arg-type,list-item]
    calls = reply.choices[0].message.tool_calls
    assert calls is not None
    assert len(calls) == 1
    call = calls[0]
    assert call.type == "function"
    assert call.function.name == "magic_function"
    assert json.loads(call.function.arguments) == {"input": 3}
    assert call.id.startswith("call_function_")
    assert call.id.endswith("_1")
    assert reply.choices[0].finish_reason == "tool_calls"


def test_tool_call_stream_reassembled_by_sdk_helper(sdk: openai.OpenAI) -> None:
    with sdk.chat.completions.stream(
        model=MODEL,
        messages=USER,  # type: ignore[arg-type]
        tools=[MAGIC, WEATHER],  # type: ignore[list-item]
        extra_body={"reasoning_split": True},
    ) as stream:
        for _ in stream:
            pass
        final = stream.get_final_completion()
    calls = final.choices[0].message.tool_calls
    assert calls is not None
    assert len(calls) == 1
    assert calls[0].function.name == "magic_function"
    assert json.loads(calls[0].function.arguments) == {"input": 3}
    assert final.choices[0].finish_reason == "tool_calls"


def test_parallel_tool_calls_stream(sdk: openai.OpenAI) -> None:
    messages = [{"role": "user", "content": "Call magic_function on 5 and get_weather for Paris."}]
    with sdk.chat.completions.stream(
        model=MODEL,
        messages=messages,  # type: ignore[arg-type]
        tools=[MAGIC, WEATHER],  # type: ignore[list-item]
    ) as stream:
        final = stream.get_final_completion()
    calls = final.choices[0].message.tool_calls or []
    assert [c.function.name for c in calls] == ["magic_function", "get_weather"]
    assert [c.id[-2:] for c in calls] == ["_1", "_2"]
    assert json.loads(calls[0].function.arguments) == {"input": 5}


def test_models_list(sdk: openai.OpenAI) -> None:
    ids = [model.id for model in sdk.models.list()]
    assert ids[0] == "MiniMax-M3"
    assert "MiniMax-M2.7-highspeed" in ids


def test_authentication_error() -> None:
    with (
        EmulatorServer(api_keys=["sk-right"]) as running,
        openai.OpenAI(
            base_url=running.base_url + "/v1", api_key="sk-wrong", max_retries=0
        ) as client,
        pytest.raises(openai.AuthenticationError) as caught,
    ):
        client.chat.completions.create(model=MODEL, messages=USER)  # type: ignore[arg-type]
    assert caught.value.status_code == 401
    body: Any = caught.value.body
    assert "(1004)" in body["message"]
    assert body["type"] == "authorized_error"


def _error(sdk: openai.OpenAI, spec: str) -> openai.APIStatusError:
    with pytest.raises(openai.APIStatusError) as caught:
        sdk.chat.completions.create(
            model=MODEL,
            messages=USER,  # type: ignore[arg-type]
            extra_headers={"X-Emulator": spec},
        )
    return caught.value


@pytest.mark.parametrize(
    ("spec", "cls", "status", "code"),
    [
        ("fail=2013", openai.BadRequestError, 400, "(2013)"),
        ("fail=429", openai.RateLimitError, 429, "(1002)"),
        ("fail=1039", openai.RateLimitError, 429, "(1039)"),
        ("fail=1000", openai.InternalServerError, 500, "(1000)"),
        ("fail=503", openai.InternalServerError, 503, "(1000)"),
        ("fail=529", openai.InternalServerError, 529, "(1000)"),
        ("fail=1008@429", openai.RateLimitError, 429, "(1008)"),
    ],
)
def test_errors_surface_as_sdk_classes(
    sdk: openai.OpenAI, spec: str, cls: type[openai.APIStatusError], status: int, code: str
) -> None:
    error = _error(sdk, spec)
    assert isinstance(error, cls)
    assert error.status_code == status
    body: Any = error.body
    assert body["message"].endswith(code)
    assert body["http_code"] == str(status)


def test_bad_request_body_is_minimax_error(sdk: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        sdk.chat.completions.create(model="nope", messages=USER)  # type: ignore[arg-type]
    assert caught.value.body == {
        "type": "bad_request_error",
        "message": "invalid params, unknown model 'nope' (2013)",
        "http_code": "400",
    }


def test_sdk_retries_count_down_then_succeed(live: EmulatorServer) -> None:
    with openai.OpenAI(
        base_url=live.base_url + "/v1",
        api_key=KEY,
        max_retries=1,
        default_headers={"X-Emulator": "fail=429x1"},  # every retry carries the header
    ) as client:
        raw = client.chat.completions.with_raw_response.create(model=MODEL, messages=USER)  # type: ignore[arg-type]
    assert raw.http_response.status_code == 200
    assert len(live.requests) == 2
