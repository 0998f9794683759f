"""Native chatcompletion_v2 and DashScope compatible-mode specifics; route matching."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import call_asgi, chat, data_events, json_events

NATIVE = "/v1/text/chatcompletion_v2"
DASHSCOPE = "/compatible-mode/v1/chat/completions"
MINIMAX_EXTRAS = {"base_resp", "input_sensitive", "output_sensitive", "input_sensitive_type",
                  "output_sensitive_type", "output_sensitive_int"}  # fmt: skip


def test_native_m1_reasoning_in_reasoning_content(app: Any) -> None:
    body = call_asgi(app, NATIVE, chat("Hi", model="MiniMax-M1")).json()
    message = body["choices"][0]["message"]
    assert message["content"] == "Echo: Hi"
    assert message["reasoning_content"].startswith("The user asks")
    assert "reasoning_details" not in message
    assert body["base_resp"] == {"status_code": 0, "status_msg": ""}


def test_native_m2_reasoning_inline(app: Any) -> None:
    message = call_asgi(app, NATIVE, chat("Hi")).json()["choices"][0]["message"]
    assert message["content"].startswith("<think>\n")
    assert "reasoning_content" not in message


def test_native_stream_ends_with_summary_and_no_done(app: Any) -> None:
    got = call_asgi(app, NATIVE, chat("Hi", model="MiniMax-M1", stream=True))
    events = data_events(got.body)
    assert events[-1] != "[DONE]"
    chunks = [json.loads(e) for e in events]
    summary = chunks[-1]
    assert summary["object"] == "chat.completion"
    assert summary["choices"][0]["message"]["content"] == "Echo: Hi"
    assert summary["usage"]["total_tokens"] > 0
    assert summary["base_resp"]["status_code"] == 0
    deltas = [c["choices"][0]["delta"] for c in chunks[:-1]]
    assert "".join(d.get("content", "") for d in deltas) == "Echo: Hi"
    assert (
        "".join(d.get("reasoning_content", "") for d in deltas)
        == summary["choices"][0]["message"]["reasoning_content"]
    )
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"


def test_native_stream_options(app: Any) -> None:
    events = data_events(
        call_asgi(
            app, NATIVE, chat("Hi", stream=True), headers={"X-Emulator": "done=true; summary=false"}
        ).body
    )
    assert events[-1] == "[DONE]"
    assert all(json.loads(e)["object"] == "chat.completion.chunk" for e in events[:-1])


def test_dashscope_non_stream(app: Any) -> None:
    got = call_asgi(app, DASHSCOPE, chat("Hi", model="MiniMax/MiniMax-M2.5"))
    body = got.json()
    assert not MINIMAX_EXTRAS & set(body)
    message = body["choices"][0]["message"]
    assert message == {
        "content": "Echo: Hi",
        "role": "assistant",
        "reasoning_content": message["reasoning_content"],
    }
    assert "<think>" not in message["content"]
    assert body["model"] == "MiniMax/MiniMax-M2.5"
    assert body["id"].startswith("chatcmpl-")
    assert body["usage"]["completion_tokens_details"]["reasoning_tokens"] > 0


def test_dashscope_stream(app: Any) -> None:
    body = chat("Hi", model="MiniMax-M2.5", stream=True, stream_options={"include_usage": True})
    got = call_asgi(app, DASHSCOPE, body)
    events = data_events(got.body)
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    for chunk in chunks:
        assert not MINIMAX_EXTRAS & set(chunk)
    deltas = [c["choices"][0]["delta"] for c in chunks[:-1]]
    assert deltas[0]["role"] == "assistant"
    assert all("role" not in d for d in deltas[1:])
    assert all("name" not in d and "audio_content" not in d for d in deltas)
    assert "".join(d["content"] or "" for d in deltas) == "Echo: Hi"
    assert "".join(d.get("reasoning_content") or "" for d in deltas).startswith("The user")
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["choices"] == []
    assert chunks[-1]["usage"]["total_tokens"] > 0


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (chat("Hi", model="MiniMax-M2.7"), 404, "model_not_found"),
        (chat("Hi", model="MiniMax-M2.5", temperature=2), 400, "invalid_parameter_error"),
    ],
)
def test_dashscope_errors(app: Any, body: dict[str, Any], status: int, code: str) -> None:
    got = call_asgi(app, DASHSCOPE, body)
    assert got.status == status
    error = got.json()
    assert set(error) == {"error", "request_id"}
    assert error["error"]["code"] == code


def test_dashscope_missing_key(app: Any) -> None:
    got = call_asgi(app, DASHSCOPE, chat("Hi", model="MiniMax-M2.5"), auth=False)
    assert got.status == 401
    assert got.json()["error"]["code"] == "invalid_api_key"


def test_dashscope_tool_call(app: Any) -> None:
    tool = {"type": "function", "function": {"name": "f", "parameters": {"type": "object",
            "properties": {"n": {"type": "integer"}}}}}  # fmt: skip
    got = call_asgi(app, DASHSCOPE, chat("f of 4", model="MiniMax-M2.5", tools=[tool], stream=True))
    chunks = json_events(got.body)
    fragments = [c["choices"][0]["delta"]["tool_calls"][0] for c in chunks
                 if c["choices"][0]["delta"].get("tool_calls")]  # fmt: skip
    assert fragments[0]["function"]["name"] == "f"
    assert json.loads("".join(f["function"]["arguments"] for f in fragments)) == {"n": 4}
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"


@pytest.mark.parametrize(
    "path",
    [
        "/v1/chat/completions",
        "/some/prefix/v1/chat/completions",
        "/v1/chat/completions/",
        "/anthropic/../v1/chat/completions",
    ],
)
def test_routes_match_by_suffix(app: Any, path: str) -> None:
    assert call_asgi(app, path, chat("Hi")).status == 200


def test_unknown_route_and_method(app: Any) -> None:
    assert call_asgi(app, "/v1/nothing", chat("Hi")).status == 404
    assert call_asgi(app, "/v1/chat/completions", method="GET", raw_body=b"").status == 405
