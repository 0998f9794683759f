"""Conformance: the official ``dashscope`` SDK (``Generation`` / ``AioGeneration``) parses every
reply of the DashScope native route, with ``dashscope.base_http_api_url = <emulator>/api/v1``:
whole and streamed answers (incremental, and the SDK's own merging when
``incremental_output=False``), tool calls, web search, and errors, which the SDK returns as
responses carrying ``status_code`` / ``code`` / ``message`` instead of raising.

The module is skipped only while ``dashscope`` is not installed (it belongs to the test
dependencies)."""

from __future__ import annotations

import importlib
import itertools
import json
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest

from minimax_emulator.testing import EmulatorServer

from .conftest import KEY

dashscope = pytest.importorskip("dashscope", reason="the dashscope SDK is not installed")

MODEL = "MiniMax-M2.5"
HI = [{"role": "user", "content": "Hi"}]
QUESTION = [{"role": "user", "content": "What is the value of magic_function(3)?"}]
TOOL = {
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


@pytest.fixture
def emulator(live: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> EmulatorServer:
    """The live emulator, with the SDK's base URL pointed at it (read at call time)."""
    monkeypatch.setattr(dashscope, "base_http_api_url", live.base_url + "/api/v1")
    return live


@pytest.fixture
async def aio_emulator(emulator: EmulatorServer) -> AsyncIterator[EmulatorServer]:
    yield emulator
    # the SDK keeps one aiohttp session per event loop; close it before the loop goes away
    aio_session = importlib.import_module("dashscope.api_entities.aio_session")
    close = getattr(aio_session, "close_shared_aio_session", None)
    if close is not None:
        await close()


def call(messages: list[dict[str, Any]] = HI, **kwargs: Any) -> Any:
    options: dict[str, Any] = {"api_key": KEY, "model": MODEL, "result_format": "message"}
    return dashscope.Generation.call(messages=messages, **{**options, **kwargs})


def spec(value: str) -> dict[str, Any]:
    return {"headers": {"X-Emulator": value}}


def sent_parameters(server: EmulatorServer) -> Any:
    body = server.requests[-1].json
    assert isinstance(body, dict)
    return body["parameters"]


def message(response: Any) -> Any:
    (only,) = response.output.choices
    return only.message


def finish(response: Any) -> str:
    return str(response.output.choices[0].finish_reason)


# ---------------------------------------------------------------------------------------------
# Answers
# ---------------------------------------------------------------------------------------------


def test_whole_answer(emulator: EmulatorServer) -> None:
    response = call()
    assert response.status_code == 200
    assert not response.code
    assert finish(response) == "stop"
    assert message(response).role == "assistant"
    assert message(response).content == "Echo: Hi"
    assert message(response).reasoning_content.startswith("The user asks")
    usage = response.usage
    assert usage.input_tokens > 0
    assert usage.total_tokens == usage.input_tokens + usage.output_tokens
    assert usage["output_tokens_details"]["reasoning_tokens"] > 0
    sent = emulator.requests[-1]
    assert sent.path == "/api/v1/services/aigc/text-generation/generation"
    assert isinstance(sent.json, dict)
    assert sent.json["input"]["messages"] == HI
    assert re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", response.request_id)


def test_incremental_stream(emulator: EmulatorServer) -> None:
    whole = call()
    chunks = list(call(stream=True, incremental_output=True))
    assert len(chunks) >= 3
    assert all(chunk.status_code == 200 for chunk in chunks)
    assert [finish(c) for c in chunks] == ["null"] * (len(chunks) - 1) + ["stop"]
    assert "".join(message(c).content for c in chunks) == "Echo: Hi"
    reasoning = "".join(message(c).reasoning_content for c in chunks)
    assert reasoning == message(whole).reasoning_content
    assert chunks[-1].usage.output_tokens == whole.usage.output_tokens
    assert emulator.requests[-1].headers["x-dashscope-sse"] == "enable"


def test_cumulative_stream_merged_by_the_sdk(emulator: EmulatorServer) -> None:
    chunks = list(call(stream=True, incremental_output=False))
    # the SDK asks for incremental events and accumulates them itself
    assert sent_parameters(emulator)["incremental_output"] is True
    contents = [message(c).content for c in chunks]
    assert all(b.startswith(a) for a, b in itertools.pairwise(contents))
    assert contents[-1] == "Echo: Hi"
    assert finish(chunks[-1]) == "stop"


def test_tool_call(emulator: EmulatorServer) -> None:
    response = call(QUESTION, tools=[TOOL])
    assert finish(response) == "tool_calls"
    (tool_call,) = message(response).tool_calls
    assert tool_call["function"]["name"] == "magic_function"
    assert json.loads(tool_call["function"]["arguments"]) == {"input": 3}
    assert tool_call["id"].startswith("call_function_")


def test_tool_call_streamed(emulator: EmulatorServer) -> None:
    whole = message(call(QUESTION, tools=[TOOL])).tool_calls[0]
    chunks = list(call(QUESTION, tools=[TOOL], stream=True, incremental_output=True))
    fragments = [f for c in chunks for f in message(c).get("tool_calls", [])]
    assert fragments[0]["id"] == whole["id"]
    assert fragments[0]["function"]["name"] == "magic_function"
    assert "".join(f["function"]["arguments"] for f in fragments) == whole["function"]["arguments"]
    assert finish(chunks[-1]) == "tool_calls"
    merged = list(call(QUESTION, tools=[TOOL], stream=True, incremental_output=False))
    (final,) = message(merged[-1]).tool_calls
    assert final["function"] == whole["function"]
    assert final["id"] == whole["id"]


def test_tool_results_round_trip(emulator: EmulatorServer) -> None:
    first = message(call(QUESTION, tools=[TOOL]))
    history = [
        *QUESTION,
        {
            "role": "assistant",
            "content": first.content,
            "reasoning_content": first.reasoning_content,
            "tool_calls": first.tool_calls,
        },
        {"role": "tool", "tool_call_id": first.tool_calls[0]["id"], "content": "5"},
    ]
    answer = call(history, tools=[TOOL])
    assert message(answer).content == "Based on the tool results: 5."
    assert finish(answer) == "stop"


def test_web_search(emulator: EmulatorServer) -> None:
    response = call([{"role": "user", "content": "Who wrote Hamlet?"}], enable_search=True)
    assert sent_parameters(emulator)["enable_search"] is True
    (result,) = response.output.search_info["search_results"]
    opening = f"I searched the web and found [1] “{result['title']}”"
    assert message(response).content.startswith(opening)


# ---------------------------------------------------------------------------------------------
# Errors: responses, not exceptions
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "status", "code", "text"),
    [
        ({"model": "MiniMax-M2.7"}, 404, "ModelNotFound", "Model not exist."),
        ({"enable_thinking": True}, 400, "InvalidParameter", "enable_thinking"),
        ({"response_format": {"type": "json_object"}}, 400, "InvalidParameter", "response_format"),
        ({"temperature": 2.0}, 400, "InvalidParameter", "Range of temperature"),
        ({"max_tokens": 40_000}, 400, "InvalidParameter", "Range of max_tokens"),
        (spec("fail=429"), 429, "Throttling.RateQuota", "rate limit"),
        (spec("fail=1008"), 400, "Arrearage", "good standing"),
        (spec("fail=2061"), 403, "AccessDenied", "Access denied."),
        (spec("fail=503"), 503, "InternalError", "service unavailable"),
    ],
)
@pytest.mark.parametrize("stream", [False, True])
def test_errors(
    emulator: EmulatorServer, kwargs: dict[str, Any], status: int, code: str, text: str,
    stream: bool,
) -> None:  # fmt: skip
    response = call(**kwargs, stream=stream, incremental_output=True)
    if stream:
        (response,) = list(response)
    assert response.status_code == status
    assert response.code == code
    assert text in response.message
    assert response.output is None


def test_bad_key(emulator: EmulatorServer) -> None:
    with EmulatorServer(api_keys=["sk-right"]) as strict:
        dashscope.base_http_api_url = strict.base_url + "/api/v1"
        wrong = call(api_key="sk-wrong")
        right = call(api_key="sk-right")
    assert (wrong.status_code, wrong.code) == (401, "InvalidApiKey")
    assert wrong.message == "Invalid API-key provided."
    assert right.status_code == 200


def test_retried_rate_limit_then_success(emulator: EmulatorServer) -> None:
    statuses = [call(**spec("fail=429x2")).status_code for _ in range(3)]
    assert statuses == [429, 429, 200]


def test_error_inside_the_stream(emulator: EmulatorServer) -> None:
    chunks = list(call(stream=True, incremental_output=True, **spec("stream_error=2:1000")))
    assert [c.status_code for c in chunks[:2]] == [200, 200]
    # the SDK reads the status from ``status:`` lines only, so the ``:HTTP_STATUS/500`` comment
    # leaves it at its default, 400
    assert chunks[2].status_code == 400
    assert chunks[2].code == "InternalError"
    assert chunks[2].message.startswith("An internal error")


def test_malformed_chunk(emulator: EmulatorServer) -> None:
    chunks = list(call(stream=True, incremental_output=True, **spec("malformed_chunk=2")))
    assert chunks[1].status_code == 400
    assert chunks[1].code == "Unknown"  # the SDK's code for an event it cannot decode
    assert chunks[0].status_code == chunks[-1].status_code == 200


def test_disconnect(emulator: EmulatorServer) -> None:
    requests = pytest.importorskip("requests")  # the SDK's HTTP client
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        list(call(stream=True, incremental_output=True, **spec("disconnect_after=2")))


def test_tutorial_shape_is_not_a_dashscope_reply(emulator: EmulatorServer) -> None:
    # HTTP 200 without ``output``: the SDK cannot build a GenerationResponse from it
    with pytest.raises(TypeError):
        call(**spec("tutorial_error=429"))
    assert emulator.requests[-1].path.endswith("/generation")


# ---------------------------------------------------------------------------------------------
# AioGeneration
# ---------------------------------------------------------------------------------------------


async def aio_call(messages: list[dict[str, Any]] = HI, **kwargs: Any) -> Any:
    options: dict[str, Any] = {"api_key": KEY, "model": MODEL, "result_format": "message"}
    return await dashscope.AioGeneration.call(messages=messages, **{**options, **kwargs})


async def test_aio_whole_and_streamed(aio_emulator: EmulatorServer) -> None:
    whole = await aio_call()
    assert whole.status_code == 200
    assert message(whole).content == "Echo: Hi"
    chunks = [c async for c in await aio_call(stream=True, incremental_output=True)]
    assert "".join(message(c).content for c in chunks) == "Echo: Hi"
    assert finish(chunks[-1]) == "stop"


async def test_aio_tool_call_streamed(aio_emulator: EmulatorServer) -> None:
    stream = await aio_call(QUESTION, tools=[TOOL], stream=True, incremental_output=True)
    chunks = [c async for c in stream]
    fragments = [f for c in chunks for f in message(c).get("tool_calls", [])]
    arguments = "".join(f["function"]["arguments"] for f in fragments)
    assert json.loads(arguments) == {"input": 3}
    assert finish(chunks[-1]) == "tool_calls"


async def test_aio_errors(aio_emulator: EmulatorServer) -> None:
    missing = await aio_call(model="MiniMax-M2.7")
    assert (missing.status_code, missing.code) == (404, "ModelNotFound")
    limited = await aio_call(**spec("fail=429"))
    assert (limited.status_code, limited.code) == (429, "Throttling.RateQuota")
    chunks = [c async for c in await aio_call(stream=True, **spec("stream_error=1:1000"))]
    assert chunks[-1].code == "InternalError"
