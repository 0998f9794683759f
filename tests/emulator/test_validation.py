"""Request validation: 2013 in each route's carrier."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import call_asgi, chat

OPENAI = "/v1/chat/completions"
NATIVE = "/v1/text/chatcompletion_v2"
TOOL = {"type": "function", "function": {"name": "add", "parameters": {"type": "object"}}}
CALL = {"id": "call_function_0000000001_1", "type": "function",
        "function": {"name": "add", "arguments": "{}"}}  # fmt: skip
ASSISTANT = {"role": "assistant", "content": "", "tool_calls": [CALL]}
RESULT = {"role": "tool", "tool_call_id": CALL["id"], "content": "3"}
USER = {"role": "user", "content": "add"}
SYSTEM = {"role": "system", "content": "be nice"}


def error_message(app: Any, body: dict[str, Any]) -> str:
    got = call_asgi(app, OPENAI, body)
    assert got.status == 400, got.body
    message: str = got.json()["error"]["message"]
    native = call_asgi(app, NATIVE, body)
    assert native.status == 200
    assert native.json()["base_resp"] == {"status_code": 2013, "status_msg": message[:-7]}
    return message


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"model": "MiniMax-M2.7", "messages": [SYSTEM, SYSTEM, USER]},
         "invalid params, invalid chat setting (2013)"),
        ({"model": "MiniMax-M2.7", "messages": [USER, SYSTEM]},
         "invalid params, invalid chat setting (2013)"),
        (chat("x", temperature=0), "invalid params, temperature must be in (0, 1] (2013)"),
        (chat("x", temperature=1.5), "invalid params, temperature must be in (0, 1] (2013)"),
        (chat("x", model="MiniMax-M3", temperature=2.5),
         "invalid params, temperature must be in (0, 2] (2013)"),
        (chat("x", top_p=0), "invalid params, top_p must be in (0, 1] (2013)"),
        (chat("x", top_p=1.01), "invalid params, top_p must be in (0, 1] (2013)"),
        ({"model": "MiniMax-M2.7", "messages": [USER, RESULT]},
         "invalid params, tool call result does not follow tool call (2013)"),
        ({"model": "MiniMax-M2.7", "messages": [USER, ASSISTANT, USER, RESULT]},
         "invalid params, tool call result does not follow tool call (2013)"),
        ({"model": "MiniMax-M2.7",
          "messages": [USER, ASSISTANT, {**RESULT, "tool_call_id": "call_x"}]},
         "invalid params, tool result's tool id(call_x) not found (2013)"),
        (chat("x", model="MiniMax-M3", max_tokens=524289),
         "invalid params, model[MiniMax-M3] does not support max tokens > 524288 (2013)"),
        (chat("x", max_completion_tokens=204801),
         "invalid params, model[MiniMax-M2.7] does not support max tokens > 204800 (2013)"),
        (chat("x", tools=[{"type": "code_interpreter"}]),
         "invalid params, invalid tool type: code_interpreter (2013)"),
        (chat("x", tools=[{"type": "function", "function": {"name": "f"}}]),
         "invalid params, binding: expr_path=tools[0].function.parameters, "
         "cause=missing required parameter (2013)"),
        (chat("x", model="MiniMax-M3", thinking=False),
         "invalid params, Mismatch type open_platform_oai.ThinkingConfig with value bool (2013)"),
        (chat("x", model="MiniMax-M3", thinking="on"),
         "invalid params, Mismatch type open_platform_oai.ThinkingConfig with value string (2013)"),
        ({"model": "MiniMax-M2.7", "messages": [{"role": "developer", "content": "x"}]},
         "invalid params, chat content has invalid message role: developer (2013)"),
        ({"model": "MiniMax-M2.7", "messages": []},
         "invalid params, binding: expr_path=messages, cause=missing required parameter (2013)"),
        ({"messages": [USER]},
         "invalid params, binding: expr_path=model, cause=missing required parameter (2013)"),
        (chat("x", model="minimax-m2.7"), "invalid params, unknown model 'minimax-m2.7' (2013)"),
        (chat("x " * 40_000, model="abab6.5t-chat"),
         "invalid params, context window exceeds limit (2013)"),
    ],
)  # fmt: skip
def test_invalid_requests(app: Any, body: dict[str, Any], message: str) -> None:
    assert error_message(app, body) == message


@pytest.mark.parametrize(
    "body",
    [
        {"model": "MiniMax-M2.7", "messages": [SYSTEM, USER, ASSISTANT, RESULT]},
        {"model": "MiniMax-M2.7", "messages": [USER, {**ASSISTANT, "tool_calls": [
            CALL, {**CALL, "id": "call_function_0000000001_2"}]}, RESULT,
            {**RESULT, "tool_call_id": "call_function_0000000001_2"}]},
        chat("x", temperature=1, top_p=1),
        chat("x", model="MiniMax-M3", temperature=2, max_tokens=524288),
        chat("x", model="MiniMax-M3", thinking={"type": "disabled"}),
        chat("x", thinking={"type": "adaptive"}),
        chat("x", tools=[TOOL], tool_choice="required"),
        chat("x", tools=[TOOL], tool_choice={"type": "function", "function": {"name": "add"}}),
        chat("x", response_format={"type": "json_schema", "json_schema": {"name": "a",
             "schema": {"type": "object"}}}),
        chat("x", n=2, presence_penalty=1, stop=["y"], seed=1),
        {"model": "MiniMax-M2.7", "messages": [USER, USER, {"role": "assistant", "content": "a"},
         {"role": "assistant", "content": "b"}, USER]},
        chat("x", tools=[{"type": "function", "function": {"name": "f",
             "parameters": '{"type": "object", "properties": {}}'}}]),
        {"model": "MiniMax-M3", "messages": [{"role": "user", "content": [
            {"type": "text", "text": "what is it"},
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]}]},
    ],
)  # fmt: skip
def test_valid_requests(app: Any, body: dict[str, Any]) -> None:
    got = call_asgi(app, OPENAI, body)
    assert got.status == 200, got.body


def test_tool_choice_is_not_enforced(app: Any) -> None:
    body = {"model": "MiniMax-M2.7", "messages": [USER, ASSISTANT, RESULT], "tools": [TOOL],
            "tool_choice": "required"}  # fmt: skip
    message = call_asgi(app, OPENAI, body).json()["choices"][0]["message"]
    assert "tool_calls" not in message


def test_lowercase_model_ids_are_rejected_on_native_too(app: Any) -> None:
    got = call_asgi(app, NATIVE, chat("x", model="minimax-m1"))
    assert got.json()["base_resp"]["status_msg"] == "invalid params, unknown model 'minimax-m1'"


def test_malformed_json_on_native_is_http_200(app: Any) -> None:
    got = call_asgi(app, NATIVE, raw_body=b'{"model": ')
    assert got.status == 200
    assert got.json()["base_resp"]["status_code"] == 2013
    assert "Syntax error at index 10: eof" in got.json()["base_resp"]["status_msg"]


def test_syntax_error_mid_document_shows_a_window(app: Any) -> None:
    raw = b'{"model": "MiniMax-M2.7", "messages": [}, "x": 1234567890123456789}'
    message = call_asgi(app, OPENAI, raw_body=raw).json()["error"]["message"]
    assert message.startswith('invalid params, "Syntax error at index 39: invalid char')
    assert "^" in message


def test_native_accepts_group_id(app: Any) -> None:
    got = call_asgi(app, NATIVE + "?GroupId=123456", chat("Hi"))
    assert got.json()["base_resp"]["status_code"] == 0
