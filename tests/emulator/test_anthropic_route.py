"""The Anthropic-compatible route ``POST …/anthropic/v1/messages``: wire shapes, validation,
auth, thinking control and signatures, stop reasons, streaming framing, faults and the journal,
driven through the ASGI app (raw bytes, no SDK)."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest

from minimax_emulator import EmulatorOptions, create_app
from minimax_emulator.signatures import sign_thinking
from minimax_emulator.testing import EmulatorServer

from .conftest import KEY, MODEL, RawResponse, call_asgi

PATH = "/anthropic/v1/messages"
X_KEY = {"x-api-key": KEY, "anthropic-version": "2023-06-01"}
WEATHER = {
    "name": "get_weather",
    "description": "Weather for a city.",
    "input_schema": {
        "type": "object",
        "properties": {"location": {"type": "string"}, "days": {"type": "integer"}},
        "required": ["location"],
    },
}
HEX64 = re.compile(r"^[0-9a-f]{64}$")


def messages(content: Any = "Hi", model: str = MODEL, **extra: Any) -> dict[str, Any]:
    return {
        "model": model,
        "max_tokens": 1024,
        "messages": [{"role": "user", "content": content}],
        **extra,
    }


def post(
    app: Any,
    body: Any,
    headers: dict[str, str] | None = None,
    auth: bool = False,
    path: str = PATH,
    raw_body: bytes | None = None,
) -> RawResponse:
    """Post with ``x-api-key`` only (``auth=True`` adds the Bearer header as well)."""
    return call_asgi(
        app, path, body, headers={**X_KEY, **(headers or {})}, auth=auth, raw_body=raw_body
    )


def sse(raw: bytes) -> list[tuple[str, Any]]:
    """(event name, parsed data) of every event; a ``data:`` line that is not JSON stays text."""
    out: list[tuple[str, Any]] = []
    for block in raw.decode("utf-8").split("\n\n"):
        if not block.strip():
            continue
        name, data = "", ""
        for line in block.split("\n"):
            if line.startswith("event: "):
                name = line[len("event: ") :]
            elif line.startswith("data: "):
                data = line[len("data: ") :]
        try:
            out.append((name, json.loads(data)))
        except json.JSONDecodeError:
            out.append((name, data))
    return out


def assert_error(response: RawResponse, status: int, etype: str, code: int) -> dict[str, Any]:
    assert response.status == status, response.body
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert body["type"] == "error"
    assert body["error"]["type"] == etype
    assert body["error"]["message"].endswith(f"({code})")
    assert set(body["error"]) == {"type", "message"}
    assert re.fullmatch(r"[0-9a-f]{32}", body["request_id"])
    return body


def tool_turns(thinking: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """A conversation up to a tool result, replaying the assistant's (signed) thinking block."""
    reasoning = "The user wants the weather → I call get_weather."
    block = thinking or {
        "type": "thinking",
        "thinking": reasoning,
        "signature": sign_thinking(reasoning),
    }
    return [
        {"role": "user", "content": "Weather in Paris?"},
        {
            "role": "assistant",
            "content": [
                block,
                {
                    "type": "tool_use",
                    "id": "call_function_1_1",
                    "name": "get_weather",
                    "input": {"location": "Paris"},
                },
            ],
        },
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": "call_function_1_1",
                    "content": [{"type": "text", "text": "sunny, 21 °C"}],
                }
            ],
        },
    ]


# --- routing and auth -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", [PATH, "/some/prefix/anthropic/v1/messages", "/anthropic/v1/messages/"]
)
def test_the_route_matches_by_suffix(app: Any, path: str) -> None:
    response = post(app, messages(), path=path)
    assert response.status == 200
    assert response.json()["type"] == "message"


def test_get_is_not_allowed_and_count_tokens_does_not_exist(app: Any) -> None:
    assert call_asgi(app, PATH, method="GET").status == 405
    assert post(app, messages(), path=PATH + "/count_tokens").status == 404


@pytest.mark.parametrize(
    "headers",
    [
        {"x-api-key": KEY},
        {"Authorization": f"Bearer {KEY}"},
        {"x-api-key": KEY, "Authorization": f"Bearer {KEY}"},
    ],
)
def test_either_auth_header_is_accepted_and_anthropic_version_is_optional(
    headers: dict[str, str],
) -> None:
    app = create_app(EmulatorOptions(api_keys=(KEY,)))
    response = call_asgi(app, PATH, messages(), headers=headers, auth=False)
    assert response.status == 200, response.body


def test_both_headers_with_one_accepted_key_pass() -> None:
    app = create_app(EmulatorOptions(api_keys=(KEY,)))
    headers = {"x-api-key": "sk-wrong", "Authorization": f"Bearer {KEY}"}
    assert call_asgi(app, PATH, messages(), headers=headers, auth=False).status == 200


def test_a_missing_key_is_401_authentication_error_1004(app: Any) -> None:
    response = call_asgi(app, PATH, messages(), auth=False)
    body = assert_error(response, 401, "authentication_error", 1004)
    assert body["error"]["message"].startswith(
        "login fail: Please carry the API secret key in the 'Authorization' field"
    )
    assert body["base_resp"]["status_code"] == 1004


def test_a_wrong_key_is_401_invalid_api_key_2049() -> None:
    app = create_app(EmulatorOptions(api_keys=(KEY,)))
    response = call_asgi(app, PATH, messages(), headers={"x-api-key": "sk-wrong"}, auth=False)
    body = assert_error(response, 401, "authentication_error", 2049)
    assert body["error"]["message"] == "invalid api key (2049)"
    assert body["base_resp"] == {"status_code": 2049, "status_msg": "invalid api key"}


# --- validation -------------------------------------------------------------------------------


def _thinking_block(signature: str | None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "thinking", "thinking": "The user wants the weather."}
    if signature is not None:
        block["signature"] = signature
    return block


INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("unknown model", messages(model="claude-sonnet-4-6"), "unknown model 'claude-sonnet-4-6'"),
    ("case-sensitive model", messages(model="minimax-m2.7"), "unknown model"),
    ("model not on this route", messages(model="MiniMax-Text-01"), "unknown model"),
    ("missing model", {"max_tokens": 5, "messages": [{"role": "user", "content": "x"}]},
     "expr_path=model"),
    ("missing max_tokens", {"model": MODEL, "messages": [{"role": "user", "content": "x"}]},
     "expr_path=max_tokens, cause=missing required parameter"),
    ("max_tokens 0", messages(max_tokens=0), "max tokens must be greater than 0"),
    ("max_tokens a string", messages(max_tokens="5"), "Mismatch type int64"),
    ("max_tokens over the limit", messages(max_tokens=204_801),
     "does not support max tokens > 204800"),
    ("missing messages", {"model": MODEL, "max_tokens": 5}, "expr_path=messages"),
    ("empty messages", {"model": MODEL, "max_tokens": 5, "messages": []}, "expr_path=messages"),
    ("assistant first", {"model": MODEL, "max_tokens": 5,
                         "messages": [{"role": "assistant", "content": "Hello"}]},
     "first message must use the user role"),
    ("system role in messages", {"model": MODEL, "max_tokens": 5,
                                 "messages": [{"role": "system", "content": "x"},
                                              {"role": "user", "content": "y"}]},
     "chat content has invalid message role: system"),
    ("unknown block type", messages([{"type": "audio", "data": "x"}]),
     "invalid content type: audio"),
    ("thinking in a user turn", messages([_thinking_block(None)]),
     "content type thinking is not allowed in a user message"),
    ("tool_use without input", {"model": MODEL, "max_tokens": 5, "messages": [
        {"role": "user", "content": "x"},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "a", "name": "f"}]}]},
     "expr_path=messages[1].content[0].input"),
    ("tampered signature", {"model": MODEL, "max_tokens": 5,
                            "messages": tool_turns(_thinking_block("0" * 64))},
     "messages[1].content[0]: invalid signature in thinking block"),
    ("signature of other text", {"model": MODEL, "max_tokens": 5,
                                 "messages": tool_turns(_thinking_block(sign_thinking("other")))},
     "invalid signature"),
    ("thinking type", messages(thinking={"type": "on"}), "invalid thinking type: on"),
    ("thinking a bool", messages(thinking=True), "Mismatch type anthropic.ThinkingConfig"),
    ("budget a string", messages(thinking={"type": "enabled", "budget_tokens": "1k"}),
     "Mismatch type int64"),
    ("temperature 0", messages(temperature=0), "temperature must be in (0, 1]"),
    ("temperature 1.5 on M2.7", messages(temperature=1.5), "temperature must be in (0, 1]"),
    ("top_p 0", messages(top_p=0), "top_p must be in (0, 1]"),
    ("tool without input_schema", messages(tools=[{"name": "f"}]),
     "expr_path=tools[0].input_schema"),
    ("server tool", messages(tools=[{"type": "web_search_20250305", "name": "web_search"}]),
     "invalid tool type: web_search_20250305"),
    ("tool_choice type", messages(tools=[WEATHER], tool_choice={"type": "required"}),
     "invalid tool_choice type: required"),
    ("named tool_choice without a name", messages(tools=[WEATHER], tool_choice={"type": "tool"}),
     "expr_path=tool_choice.name"),
    ("stop_sequences a string", messages(stop_sequences="END"), "Mismatch type []string"),
    ("stream a string", messages(stream="yes"), "Mismatch type bool"),
    ("system block not text", messages(system=[{"type": "image"}]),
     "system[0]: only text blocks are allowed"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "text"), [(b, t) for _, b, t in INVALID], ids=[i[0] for i in INVALID]
)
def test_invalid_requests_are_400_invalid_request_error_2013(
    app: Any, body: dict[str, Any], text: str
) -> None:
    response = post(app, body)
    error = assert_error(response, 400, "invalid_request_error", 2013)
    assert text in error["error"]["message"]
    assert error["error"]["message"].startswith("invalid params, ")
    assert error["base_resp"]["status_code"] == 2013


def test_a_tool_result_must_answer_the_assistant_turn_just_before(app: Any) -> None:
    turns = tool_turns()
    turns[2]["content"][0]["tool_use_id"] = "call_function_9_9"
    error = assert_error(
        post(app, messages(tools=[WEATHER]) | {"messages": turns}),
        400, "invalid_request_error", 2013,
    )  # fmt: skip
    assert "tool result's tool id(call_function_9_9) not found" in error["error"]["message"]
    # an id of an earlier (not the immediately preceding) assistant turn is unknown too
    later = [
        *tool_turns(),
        {"role": "assistant", "content": "It is sunny."},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "call_function_1_1",
                                      "content": "again"}]},
    ]  # fmt: skip
    response = post(app, messages() | {"messages": later})
    assert_error(response, 400, "invalid_request_error", 2013)


def test_malformed_json_is_400_2013_in_the_anthropic_envelope(app: Any) -> None:
    response = post(app, None, raw_body=b'{"model": "MiniMax-M2.7", "messages": [')
    error = assert_error(response, 400, "invalid_request_error", 2013)
    assert "Syntax error" in error["error"]["message"]


@pytest.mark.parametrize(
    "block",
    [
        {"type": "thinking", "thinking": "Some reasoning → 思考."},  # unsigned
        {"type": "thinking", "thinking": "Some reasoning.", "signature": ""},  # empty = unsigned
        {"type": "redacted_thinking", "data": "opaque"},
    ],
)
def test_unsigned_thinking_and_redacted_thinking_are_accepted(app: Any, block: Any) -> None:
    response = post(app, messages(tools=[WEATHER]) | {"messages": tool_turns(block)})
    assert response.status == 200, response.body


def test_a_correctly_signed_block_is_accepted_and_the_answer_uses_the_results(app: Any) -> None:
    response = post(app, messages(tools=[WEATHER]) | {"messages": tool_turns()})
    assert response.status == 200, response.body
    body = response.json()
    assert body["stop_reason"] == "end_turn"
    assert body["content"][-1] == {
        "type": "text",
        "text": "Based on the tool results: sunny, 21 °C.",
    }


def test_accepted_optional_fields(app: Any) -> None:
    body = messages(
        [
            {"type": "text", "text": "Describe"},
            {"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}},
        ],
        system=[{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}],
        temperature=1,
        top_p=0.95,
        top_k=40,
        metadata={"user_id": "u-1"},
        output_config={"effort": "high"},
        tools=[WEATHER],
        tool_choice={"type": "none", "disable_parallel_tool_use": True},
        stop_sequences=[],
        thinking={"type": "enabled", "budget_tokens": 2048},
    )
    response = post(app, body)
    assert response.status == 200, response.body
    assert response.json()["content"][-1]["text"] == "Echo: Describe"  # tool_choice none


# --- replies ----------------------------------------------------------------------------------


def test_non_streamed_reply_shape(app: Any) -> None:
    response = post(app, messages("Hi"))
    assert response.status == 200
    body = response.json()
    assert list(body) == [
        "id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "usage",
        "base_resp",
    ]  # fmt: skip
    assert body["id"] == response.headers["trace-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", body["id"])
    assert (body["type"], body["role"], body["model"]) == ("message", "assistant", MODEL)
    thinking, text = body["content"]
    assert thinking["type"] == "thinking"
    assert HEX64.match(thinking["signature"])
    assert thinking["signature"] == sign_thinking(thinking["thinking"])
    assert text == {"type": "text", "text": "Echo: Hi"}
    assert (body["stop_reason"], body["stop_sequence"]) == ("end_turn", None)
    usage = body["usage"]
    assert set(usage) == {
        "input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens",
    }  # fmt: skip
    assert usage["input_tokens"] > 0
    assert usage["output_tokens"] > 0
    assert body["base_resp"] == {"status_code": 0, "status_msg": "success"}


# MiniMax's Anthropic API reference example reply (MiniMax-M2.7; thinking text shortened).
DOC_EXAMPLE = {
    "id": "06379fa1dfdd9047604b8abc088ea75c",
    "type": "message",
    "role": "assistant",
    "model": "MiniMax-M2.7",
    "content": [
        {
            "thinking": 'The user says "Hello". This is a simple greeting.\n',
            "signature": "1c3a0ae890922669e9815a201f9b645abdaafe8d8b5a65a5e48f90830c6e0750",
            "type": "thinking",
        },
        {"text": "Hello! How can I help you today?", "type": "text"},
    ],
    "usage": {
        "input_tokens": 39,
        "output_tokens": 40,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
    },
    "stop_reason": "end_turn",
    "base_resp": {"status_code": 0, "status_msg": "success"},
}


def shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    return type(value).__name__


def test_the_reply_has_the_shape_of_minimax_documented_example(app: Any) -> None:
    body = post(app, messages("Hello")).json()
    assert shape(body) == shape(DOC_EXAMPLE) | {"stop_sequence": "NoneType"}
    assert body["base_resp"] == DOC_EXAMPLE["base_resp"]
    assert len(body["id"]) == len(DOC_EXAMPLE["id"])


def test_the_same_request_gets_the_same_reply(app: Any) -> None:
    first, second = post(app, messages("Same")).json(), post(app, messages("Same")).json()
    assert first["content"] == second["content"]
    assert first["id"] != second["id"]


def test_tool_use_reply(app: Any) -> None:
    body = post(app, messages("Weather in Paris for 3 days?", tools=[WEATHER])).json()
    assert body["stop_reason"] == "tool_use"
    assert [block["type"] for block in body["content"]] == ["thinking", "tool_use"]
    call = body["content"][1]
    assert re.fullmatch(r"call_function_\d{10}_1", call["id"])
    assert call["name"] == "get_weather"
    assert call["input"] == {"location": "Paris", "days": 3}


@pytest.mark.parametrize(
    ("model", "thinking", "thinks"),
    [
        ("MiniMax-M3", None, False),  # omitted: off on this route
        ("MiniMax-M3", {"type": "adaptive"}, True),
        ("MiniMax-M3", {"type": "enabled", "budget_tokens": 1024}, True),
        ("MiniMax-M3", {"type": "disabled"}, False),
        ("MiniMax-M2.7", None, True),
        ("MiniMax-M2.7", {"type": "disabled"}, True),  # M2.x always think
        ("MiniMax-M2", {"type": "adaptive"}, True),
    ],
)
def test_thinking_control(app: Any, model: str, thinking: Any, thinks: bool) -> None:
    extra = {} if thinking is None else {"thinking": thinking}
    body = post(app, messages("Hi", model=model, **extra)).json()
    kinds = [block["type"] for block in body["content"]]
    assert kinds == (["thinking", "text"] if thinks else ["text"])


def test_max_tokens_truncates_with_stop_reason_max_tokens(app: Any) -> None:
    # M3 without thinking: the answer itself is cut
    body = post(app, messages("Tell me a long story", model="MiniMax-M3", max_tokens=3)).json()
    assert body["stop_reason"] == "max_tokens"
    assert body["content"] == [{"type": "text", "text": "Echo: Tell m"}]
    assert body["usage"]["output_tokens"] <= 3
    # M2.7: reasoning eats the budget, no visible answer; the partial thinking is still signed
    body = post(app, messages("Hi", max_tokens=4)).json()
    assert body["stop_reason"] == "max_tokens"
    [thinking] = body["content"]
    assert thinking["signature"] == sign_thinking(thinking["thinking"])


def test_stop_sequences_cut_the_answer(app: Any) -> None:
    body = post(app, messages("alpha STOP beta", stop_sequences=["beta", "STOP"])).json()
    assert body["stop_reason"] == "stop_sequence"
    assert body["stop_sequence"] == "STOP"
    assert body["content"][-1] == {"type": "text", "text": "Echo: alpha "}
    unmatched = post(app, messages("alpha", stop_sequences=["omega"])).json()
    assert (unmatched["stop_reason"], unmatched["stop_sequence"]) == ("end_turn", None)


def test_prefix_cache_reads_for_m2_but_not_m3(app: Any) -> None:
    long = "word " * 3000
    first = post(app, messages(long)).json()["usage"]
    again = post(app, messages(long)).json()["usage"]
    assert first["cache_read_input_tokens"] == 0
    assert again["cache_read_input_tokens"] > 0
    assert again["input_tokens"] + again["cache_read_input_tokens"] == first["input_tokens"]
    for _ in range(2):
        m3 = post(app, messages(long, model="MiniMax-M3")).json()["usage"]
        assert m3["cache_read_input_tokens"] == 0


# --- streaming ----------------------------------------------------------------------------------


def stream(app: Any, body: dict[str, Any], spec: str = "") -> RawResponse:
    headers = {"X-Emulator": spec} if spec else {}
    return post(app, {**body, "stream": True}, headers=headers)


def test_stream_event_order_and_framing(app: Any) -> None:
    response = stream(app, messages("Weather in Paris for 3 days?", tools=[WEATHER]))
    assert response.status == 200
    assert response.headers["content-type"] == "text/event-stream"
    raw = response.body
    assert b"[DONE]" not in raw
    assert len(response.writes) > 1  # ragged writes
    events = sse(raw)
    for name, data in events:
        assert data["type"] == name
    names = [name for name, _ in events]
    assert names[:3] == ["message_start", "ping", "content_block_start"]
    assert names[-2:] == ["message_delta", "message_stop"]
    start = events[0][1]["message"]
    assert start["content"] == []
    assert start["stop_reason"] is None
    assert start["id"] == response.headers["trace-id"]
    assert start["usage"]["output_tokens"] == 1
    assert start["usage"]["service_tier"] == "standard"
    assert {"input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"} <= set(
        start["usage"]
    )
    # exactly one signature_delta per thinking block, right before its content_block_stop
    deltas = [data for name, data in events if name == "content_block_delta"]
    signatures = [d for d in deltas if d["delta"]["type"] == "signature_delta"]
    assert len(signatures) == 1
    at = events.index(("content_block_delta", signatures[0]))
    assert events[at + 1] == ("content_block_stop", {"type": "content_block_stop", "index": 0})
    blocks = [data["content_block"] for name, data in events if name == "content_block_start"]
    assert blocks[0] == {"type": "thinking", "thinking": "", "signature": ""}
    assert blocks[1]["type"] == "tool_use"
    assert blocks[1]["input"] == {}
    partial = [d["delta"]["partial_json"] for d in deltas if d["index"] == 1]
    assert len(partial) >= 2
    assert json.loads("".join(partial)) == {"location": "Paris", "days": 3}
    final = events[-2][1]
    assert final["delta"] == {"stop_reason": "tool_use", "stop_sequence": None}
    nonstream = post(app, messages("Weather in Paris for 3 days?", tools=[WEATHER])).json()
    assert final["usage"] == nonstream["usage"]  # the full usage, repeated


def test_streamed_blocks_assemble_to_the_non_streamed_content(app: Any) -> None:
    body = messages("Hello there, how are you doing today? " * 3, stop_sequences=["doing"])
    events = sse(stream(app, body).body)
    content: list[dict[str, Any]] = []
    for name, data in events:
        if name == "content_block_start":
            content.append(dict(data["content_block"]))
        elif name == "content_block_delta":
            block, delta = content[data["index"]], data["delta"]
            if delta["type"] == "thinking_delta":
                block["thinking"] += delta["thinking"]
            elif delta["type"] == "signature_delta":
                block["signature"] = delta["signature"]
            elif delta["type"] == "text_delta":
                block["text"] += delta["text"]
    text_deltas = [d for n, d in events if n == "content_block_delta" and d["index"] == 1]
    assert len(text_deltas) >= 1
    nonstream = post(app, body).json()
    assert content == nonstream["content"]
    assert events[-2][1]["delta"] == {"stop_reason": "stop_sequence", "stop_sequence": "doing"}


def test_benchmark_chunking_applies(app: Any) -> None:
    events = sse(stream(app, messages("Hi"), "chunks=5; reasoning_chunks=3").body)
    deltas = [d["delta"]["type"] for n, d in events if n == "content_block_delta"]
    assert deltas.count("thinking_delta") == 3
    assert deltas.count("text_delta") == 5


# --- faults ------------------------------------------------------------------------------------


def test_fail_429_n_times_then_success(app: Any) -> None:
    spec = {"X-Emulator": "fail=429x2"}
    first = post(app, messages(), headers=spec)
    body = assert_error(first, 429, "rate_limit_error", 1002)
    assert body["error"]["message"] == "rate limit exceeded(RPM) (1002)"
    assert post(app, messages(), headers=spec).status == 429
    assert post(app, messages(), headers=spec).status == 200


@pytest.mark.parametrize(
    ("kind", "status", "etype", "code", "base_resp"),
    [
        ("1039", 429, "rate_limit_error", 1039, True),
        ("1008", 500, "api_error", 1008, True),
        ("2061", 500, "api_error", 2061, True),
        ("1000", 500, "api_error", 1000, True),
        ("1033", 500, "api_error", 1033, True),
        ("2013", 400, "invalid_request_error", 2013, True),
        ("1004", 401, "authentication_error", 1004, True),
        ("2049", 401, "authentication_error", 2049, True),
        ("1026", 400, "invalid_request_error", 1026, True),
        ("500", 500, "api_error", 1000, False),
        ("502", 502, "api_error", 1000, False),
        ("503", 503, "api_error", 1000, False),
        ("529", 529, "overloaded_error", 1000, False),
        ("1008@429", 429, "rate_limit_error", 1008, True),  # @STATUS overrides the status
    ],
)
def test_injected_errors_in_the_anthropic_envelope(
    app: Any, kind: str, status: int, etype: str, code: int, base_resp: bool
) -> None:
    response = post(app, messages(), headers={"X-Emulator": f"fail={kind}"})
    body = assert_error(response, status, etype, code)
    assert ("base_resp" in body) is base_resp
    if base_resp:
        assert body["base_resp"]["status_code"] == code


def test_errors_answering_a_stream_request_are_json(app: Any) -> None:
    response = stream(app, messages(), "fail=529")
    assert_error(response, 529, "overloaded_error", 1000)
    response = stream(app, messages(), "json_error_on_stream=1002")
    assert_error(response, 429, "rate_limit_error", 1002)
    response = stream(app, messages(max_tokens=0))
    assert_error(response, 400, "invalid_request_error", 2013)


def test_mid_stream_error_event(app: Any) -> None:
    events = sse(stream(app, messages(), "stream_error=4:1000").body)
    assert len(events) == 5
    name, data = events[-1]
    assert name == "error"
    assert data["type"] == "error"
    assert data["error"] == {"type": "api_error", "message": "unknown error (1000)"}
    assert "message_stop" not in [n for n, _ in events]


def test_malformed_chunk_breaks_the_data_line_only(app: Any) -> None:
    events = sse(stream(app, messages(), "malformed_chunk=3").body)
    name, data = events[2]
    assert name == "content_block_start"
    assert isinstance(data, str)  # not JSON
    assert data.startswith('{"type":"content_block_start"')
    assert all(isinstance(d, dict) for i, (_, d) in enumerate(events) if i != 2)


def test_disconnect_after_drops_the_connection_after_k_events(live: EmulatorServer) -> None:
    received: list[bytes] = []
    headers = {**X_KEY, "X-Emulator": "disconnect_after=3"}
    with httpx.Client(base_url=live.base_url, headers=headers) as client:
        with (
            pytest.raises(httpx.RemoteProtocolError),
            client.stream("POST", PATH, json={**messages(), "stream": True}) as response,
        ):
            received.extend(response.iter_raw())
        names = [name for name, _ in sse(b"".join(received))]
        assert names == ["message_start", "ping", "content_block_start"]
        assert client.post(PATH, json=messages()).status_code == 200  # still serving


def test_done_true_appends_a_done_line(app: Any) -> None:
    raw = stream(app, messages(), "done=true").body
    assert raw.endswith(b'event: message_stop\ndata: {"type":"message_stop"}\n\ndata: [DONE]\n\n')


def test_finish_length_fault(app: Any) -> None:
    body = post(app, messages("Hi"), headers={"X-Emulator": "finish=length"}).json()
    assert body["stop_reason"] == "max_tokens"
    assert [block["type"] for block in body["content"]] == ["thinking"]


def test_rpm_limit_per_key() -> None:
    app = create_app(EmulatorOptions(rpm=2))
    statuses = [post(app, messages()).status for _ in range(3)]
    assert statuses == [200, 200, 429]
    body = assert_error(post(app, messages()), 429, "rate_limit_error", 1002)
    assert body["base_resp"]["status_code"] == 1002
    other = call_asgi(app, PATH, messages(), headers={"x-api-key": "sk-other"}, auth=False)
    assert other.status == 200


# --- journal ------------------------------------------------------------------------------------


def test_the_journal_records_bodies_verbatim_and_redacts_keys(app: Any) -> None:
    body = messages(tools=[WEATHER]) | {"messages": tool_turns()}
    assert post(app, body, auth=True).status == 200
    [recorded] = app.requests
    assert recorded.path == PATH
    assert recorded.json == body
    assert recorded.headers["x-api-key"] == "***"
    assert recorded.headers["authorization"] == "Bearer ***"
    assert recorded.headers["anthropic-version"] == "2023-06-01"
