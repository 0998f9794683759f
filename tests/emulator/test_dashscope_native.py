"""DashScope's native text-generation API (``…/api/v1/services/aigc/text-generation/generation``):
raw framing (whole replies, incremental and cumulative streams, tool calls, web search), validation,
auth, the journal and every fault in this route's shapes."""

from __future__ import annotations

import itertools
import json
import re
import time
from typing import Any

import pytest

from minimax_emulator import EmulatorOptions, create_app
from minimax_emulator.transport import EmulatorDisconnect

from .conftest import KEY, RawResponse, call_asgi

PATH = "/api/v1/services/aigc/text-generation/generation"
SSE = {"X-DashScope-SSE": "enable"}
MODEL = "MiniMax-M2.5"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
TOOL = {
    "type": "function",
    "function": {
        "name": "magic_function",
        "description": "Applies a magic function to an input.",
        "parameters": {"type": "object", "properties": {"input": {"type": "integer"}}},
    },
}
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}
QUESTION = "What is the value of magic_function(3)?"
FORCED = {"forced_search": True}


def native(
    content: str = "Hi", model: str = MODEL, messages: list[Any] | None = None, **parameters: Any
) -> dict[str, Any]:
    return {
        "model": model,
        "input": {"messages": messages or [{"role": "user", "content": content}]},
        "parameters": {"result_format": "message", **parameters},
    }


def post(app: Any, body: Any, stream: bool = False, spec: str = "", **kw: Any) -> RawResponse:
    headers = {**(SSE if stream else {}), **({"X-Emulator": spec} if spec else {})}
    return call_asgi(app, PATH, body, headers=headers, **kw)


def events(raw: bytes) -> list[tuple[int, str, int, dict[str, Any]]]:
    """(id, event, :HTTP_STATUS, data) of every SSE event, checking each block's line grammar."""
    out = []
    for block in raw.decode("utf-8").split("\n\n"):
        if not block:
            continue
        lines = block.split("\n")
        assert len(lines) == 4, block
        assert lines[0].startswith("id:"), block
        assert lines[1].startswith("event:"), block
        assert lines[2].startswith(":HTTP_STATUS/"), block
        assert lines[3].startswith("data:"), block
        data = json.loads(lines[3][len("data:") :])
        out.append((int(lines[0][3:]), lines[1][6:], int(lines[2][13:]), data))
    return out


def results(raw: bytes) -> list[dict[str, Any]]:
    found = events(raw)
    assert [number for number, *_ in found] == list(range(1, len(found) + 1))
    assert all(kind == "result" and status == 200 for _, kind, status, _ in found)
    return [data for *_, data in found]


def choice(payload: dict[str, Any]) -> dict[str, Any]:
    (only,) = payload["output"]["choices"]
    assert isinstance(only, dict)
    return only


# ---------------------------------------------------------------------------------------------
# Whole replies
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["MiniMax-M2.5", "MiniMax/MiniMax-M2.5", "MiniMax/MiniMax-M2.1"])
def test_whole_reply(app: Any, model: str) -> None:
    got = post(app, native("Hi", model=model))
    assert got.status == 200
    assert got.headers["content-type"].startswith("application/json")
    body = got.json()
    assert set(body) == {"output", "usage", "request_id"}
    assert UUID.match(body["request_id"])
    assert got.headers["x-request-id"] == body["request_id"]
    assert set(body["output"]) == {"choices"}
    only = choice(body)
    assert only["finish_reason"] == "stop"
    message = only["message"]
    assert set(message) == {"role", "content", "reasoning_content"}
    assert message["role"] == "assistant"
    assert message["content"] == "Echo: Hi"
    assert message["reasoning_content"].startswith("The user asks")
    usage = body["usage"]
    assert set(usage) == {
        "input_tokens",
        "output_tokens",
        "output_tokens_details",
        "prompt_tokens_details",
        "total_tokens",
    }
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    assert 0 < usage["output_tokens_details"]["reasoning_tokens"] < usage["output_tokens"]
    assert usage["prompt_tokens_details"] == {"cached_tokens": 0}


def test_prompt_is_a_single_user_turn(app: Any) -> None:
    body = {"model": MODEL, "input": {"prompt": "Hello there"}}
    assert choice(post(app, body).json())["message"]["content"] == "Echo: Hello there"


def test_parameters_stream_alone_does_not_stream(app: Any) -> None:
    got = post(app, native(stream=True))
    assert got.headers["content-type"].startswith("application/json")
    assert choice(got.json())["message"]["content"] == "Echo: Hi"


def test_accept_event_stream_alone_streams(app: Any) -> None:
    got = call_asgi(app, PATH, native(), headers={"Accept": "text/event-stream"})
    assert got.headers["content-type"] == "text/event-stream"
    assert choice(results(got.body)[-1])["finish_reason"] == "stop"


def test_small_max_tokens_ends_with_length(app: Any) -> None:
    got = post(app, native(max_tokens=5))
    only = choice(got.json())
    assert only["finish_reason"] == "length"
    assert only["message"]["content"] == ""
    assert got.json()["usage"]["output_tokens"] <= 5


def test_prompt_cache_is_reported(app: Any) -> None:
    long = "background " * 400
    body = native(messages=[{"role": "system", "content": long}, {"role": "user", "content": "Q"}])
    first = post(app, body).json()["usage"]
    second = post(app, body).json()["usage"]
    assert first["prompt_tokens_details"]["cached_tokens"] == 0
    assert second["prompt_tokens_details"]["cached_tokens"] >= 512


# ---------------------------------------------------------------------------------------------
# Streams
# ---------------------------------------------------------------------------------------------


def test_incremental_stream(app: Any) -> None:
    whole = post(app, native()).json()
    got = post(app, native(incremental_output=True), stream=True)
    assert got.status == 200
    assert got.headers["content-type"] == "text/event-stream"
    assert b"[DONE]" not in got.body
    chunks = results(got.body)
    assert len(chunks) >= 3
    finishes = [choice(c)["finish_reason"] for c in chunks]
    assert finishes == ["null"] * (len(chunks) - 1) + ["stop"]
    messages = [choice(c)["message"] for c in chunks]
    assert all(set(m) == {"role", "content", "reasoning_content"} for m in messages)
    assert all(m["role"] == "assistant" for m in messages)
    reasoning = choice(whole)["message"]["reasoning_content"]
    assert "".join(m["reasoning_content"] for m in messages) == reasoning
    assert "".join(m["content"] for m in messages) == "Echo: Hi"
    assert messages[-1] == {"role": "assistant", "content": "", "reasoning_content": ""}
    # usage is cumulative on every event and ends at the whole reply's
    outputs = [c["usage"]["output_tokens"] for c in chunks]
    assert outputs == sorted(outputs)
    assert chunks[-1]["usage"] == whole["usage"]
    assert len({c["request_id"] for c in chunks}) == 1
    assert got.headers["x-request-id"] == chunks[0]["request_id"]


@pytest.mark.parametrize("parameters", [{}, {"incremental_output": False}])
def test_cumulative_stream_is_the_default(app: Any, parameters: dict[str, Any]) -> None:
    whole = choice(post(app, native()).json())["message"]
    chunks = results(post(app, native(**parameters), stream=True).body)
    messages = [choice(c)["message"] for c in chunks]
    for before, after in itertools.pairwise(messages):
        assert after["content"].startswith(before["content"])
        assert after["reasoning_content"].startswith(before["reasoning_content"])
    assert messages[0]["content"] == ""
    assert messages[0]["reasoning_content"]
    assert messages[-1] == whole
    assert messages[-2] == whole  # the final event repeats everything with its finish_reason
    assert [choice(c)["finish_reason"] for c in chunks][-2:] == ["null", "stop"]


def test_coarse_chunks_and_ragged_writes(app: Any) -> None:
    got = post(app, native(incremental_output=True), stream=True, spec="chunks=5")
    chunks = results(got.body)
    assert sum(1 for c in chunks if choice(c)["message"]["content"]) == 5
    assert len(got.writes) > 1  # a write boundary falls mid-event


# ---------------------------------------------------------------------------------------------
# Tool calls
# ---------------------------------------------------------------------------------------------


def test_tool_call_whole(app: Any) -> None:
    body = post(app, native(QUESTION, tools=[TOOL])).json()
    only = choice(body)
    assert only["finish_reason"] == "tool_calls"
    (call,) = only["message"]["tool_calls"]
    assert set(call) == {"id", "type", "function", "index"}
    assert call["id"].startswith("call_function_")
    assert (call["type"], call["index"]) == ("function", 0)
    assert call["function"]["name"] == "magic_function"
    assert json.loads(call["function"]["arguments"]) == {"input": 3}
    assert only["message"]["reasoning_content"]


def test_tool_call_incremental_stream(app: Any) -> None:
    whole = choice(post(app, native(QUESTION, tools=[TOOL])).json())["message"]["tool_calls"][0]
    chunks = results(post(app, native(QUESTION, tools=[TOOL], incremental_output=True), True).body)
    fragments = [f for c in chunks for f in choice(c)["message"].get("tool_calls", [])]
    assert len(fragments) >= 2
    first, rest = fragments[0], fragments[1:]
    assert first["id"] == whole["id"]
    assert first["type"] == "function"
    assert first["function"]["name"] == "magic_function"
    for fragment in rest:
        assert fragment["id"] == ""
        assert fragment["index"] == 0
        assert set(fragment["function"]) == {"arguments"}
    arguments = "".join(f["function"]["arguments"] for f in fragments)
    assert arguments == whole["function"]["arguments"]
    assert choice(chunks[-1])["finish_reason"] == "tool_calls"
    assert "tool_calls" not in choice(chunks[-1])["message"]


def test_tool_call_cumulative_stream(app: Any) -> None:
    whole = choice(post(app, native(QUESTION, tools=[TOOL])).json())["message"]
    chunks = results(post(app, native(QUESTION, tools=[TOOL]), stream=True).body)
    with_calls = [choice(c)["message"]["tool_calls"] for c in chunks
                  if "tool_calls" in choice(c)["message"]]  # fmt: skip
    assert len(with_calls) >= 3
    texts = [calls[0]["function"]["arguments"] for calls in with_calls]
    assert all(b.startswith(a) for a, b in itertools.pairwise(texts))
    assert all(calls[0]["function"]["name"] == "magic_function" for calls in with_calls)
    assert choice(chunks[-1]) == {"finish_reason": "tool_calls", "message": whole}


def test_parallel_tool_calls_stream(app: Any) -> None:
    text = "Call magic_function with 2 and get_weather for Paris."
    body = native(text, tools=[TOOL, WEATHER], incremental_output=True)
    chunks = results(post(app, body, stream=True).body)
    fragments = [f for c in chunks for f in choice(c)["message"].get("tool_calls", [])]
    firsts = [f for f in fragments if f["id"]]
    assert [(f["index"], f["function"]["name"]) for f in firsts] == [
        (0, "magic_function"),
        (1, "get_weather"),
    ]


def test_answer_from_tool_results(app: Any) -> None:
    call = {"id": "call_1", "type": "function",
            "function": {"name": "magic_function", "arguments": '{"input": 3}'}}  # fmt: skip
    messages = [
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": "", "reasoning_content": "thinking", "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "call_1", "content": "5"},
    ]
    body = post(app, native(messages=messages, tools=[TOOL])).json()
    assert choice(body)["message"]["content"] == "Based on the tool results: 5."
    assert choice(body)["finish_reason"] == "stop"


# ---------------------------------------------------------------------------------------------
# Web search
# ---------------------------------------------------------------------------------------------


def test_search_on_a_question(app: Any) -> None:
    body = post(app, native("What is the capital of France?", enable_search=True)).json()
    message = choice(body)["message"]
    (result,) = body["output"]["search_info"]["search_results"]
    assert set(result) == {"index", "title", "url", "site_name"}
    assert result["index"] == 1
    assert result["url"].startswith("https://www.example.com/")
    assert message["content"].startswith(f"I searched the web and found [1] “{result['title']}”.")
    assert message["content"].endswith("Echo: What is the capital of France?")
    again = post(app, native("What is the capital of France?", enable_search=True)).json()
    assert again["output"]["search_info"] == body["output"]["search_info"]  # deterministic


def test_search_info_rides_on_every_streamed_event(app: Any) -> None:
    body = native("Who wrote Hamlet?", enable_search=True, incremental_output=True)
    chunks = results(post(app, body, stream=True).body)
    assert all("search_info" in c["output"] for c in chunks)
    text = "".join(choice(c)["message"]["content"] for c in chunks)
    assert text.startswith("I searched the web")


@pytest.mark.parametrize(
    ("model", "content", "parameters", "searched"),
    [
        (MODEL, "Say hello", {"enable_search": True}, False),  # not a question
        (MODEL, "Say hello", {"enable_search": True, "search_options": FORCED}, True),
        (MODEL, "Why is the sky blue?", {}, False),  # search not enabled
        ("MiniMax/MiniMax-M2.5", "Why is the sky blue?", {"enable_search": True}, False),
    ],
)
def test_when_search_runs(
    app: Any, model: str, content: str, parameters: dict[str, Any], searched: bool
) -> None:
    body = post(app, native(content, model=model, **parameters)).json()
    assert ("search_info" in body["output"]) is searched
    assert choice(body)["message"]["content"].startswith("I searched") is searched


# ---------------------------------------------------------------------------------------------
# Validation and auth
# ---------------------------------------------------------------------------------------------

PARTIAL = [
    {"role": "user", "content": "Hi"},
    {"role": "assistant", "content": "He", "partial": True},
]
STRAY_TOOL = [
    {"role": "user", "content": "Hi"},
    {"role": "tool", "tool_call_id": "x", "content": "1"},
]
BAD_REQUESTS = [
    ({"model": MODEL}, "Field required: input"),
    ({"model": MODEL, "input": {}}, "Field required: input.messages"),
    ({"model": MODEL, "input": "hi"}, "Input should be a valid dictionary: input"),
    ({"input": {"messages": [{"role": "user", "content": "x"}]}}, "Field required: model"),
    ({**native(), "parameters": []}, "Input should be a valid dictionary: parameters"),
    (native(enable_thinking=False), "enable_thinking is not supported"),
    (native(enable_thinking=True), "enable_thinking is not supported"),
    (native(thinking_budget=100), "thinking_budget is not supported"),
    (native(response_format={"type": "json_object"}), "response_format is not supported"),
    (native(result_format="text"), "result_format text is not supported"),
    (native(incremental_output="yes"), "valid boolean: parameters.incremental_output"),
    (native(enable_search=1), "valid boolean: parameters.enable_search"),
    (native(temperature=2), "Range of temperature should be [0.0, 2.0)"),
    (native(top_p=0), "Range of top_p should be (0.0, 1.0]"),
    (native(max_tokens=32_769), "Range of max_tokens should be [1, 32768]"),
    (native(presence_penalty=2.5), "Range of presence_penalty should be [-2.0, 2.0]"),
    (native(tools=[{"type": "function", "function": {"name": "f"}}]), "parameters"),
    (native(messages=PARTIAL), "partial mode is not supported"),
    (native(messages=STRAY_TOOL), "tool call result does not follow tool call"),
]


@pytest.mark.parametrize(("body", "text"), BAD_REQUESTS)
def test_invalid_parameter(app: Any, body: dict[str, Any], text: str) -> None:
    for stream in (False, True):
        got = post(app, body, stream=stream)
        assert got.status == 400
        assert got.headers["content-type"].startswith("application/json")
        error = got.json()
        assert set(error) == {"code", "message", "request_id"}
        assert error["code"] == "InvalidParameter"
        assert error["message"].startswith("<400> InternalError.Algo.InvalidParameter: ")
        assert text in error["message"]
        assert error["request_id"] == got.headers["x-request-id"]


def test_malformed_json(app: Any) -> None:
    got = call_asgi(app, PATH, raw_body=b'{"model": ')
    assert got.status == 400
    assert got.json()["code"] == "InvalidParameter"


def test_limits_per_model(app: Any) -> None:
    assert post(app, native(max_tokens=32_768)).status == 200
    assert post(app, native(model="MiniMax/MiniMax-M2.5", max_tokens=131_072)).status == 200
    assert post(app, native(model="MiniMax/MiniMax-M2.5", max_tokens=131_073)).status == 400
    # 196,602 prompt tokens: one over MiniMax-M2.5's input limit, within MiniMax/MiniMax-M2.5's
    text = "a" * ((196_602 - 7) * 4)  # 3 prompt + 4 message overhead, 4 bytes a token
    over = post(app, native(text, max_tokens=1))
    assert over.status == 400
    assert over.json()["message"].endswith("Range of input length should be [1, 196601]")
    assert post(app, native(text[:-4], max_tokens=1)).status == 200
    assert post(app, native(text, model="MiniMax/MiniMax-M2.5", max_tokens=1)).status == 200


@pytest.mark.parametrize("model", ["MiniMax-M2.7", "minimax-m2.5", "qwen-plus"])
def test_unknown_model(app: Any, model: str) -> None:
    got = post(app, native(model=model))
    assert got.status == 404
    assert got.json()["code"] == "ModelNotFound"
    assert got.json()["message"] == "Model not exist."


def test_missing_key(app: Any) -> None:
    got = post(app, native(), auth=False)
    assert got.status == 401
    body = got.json()
    assert (body["code"], body["message"]) == ("InvalidApiKey", "Invalid API-key provided.")
    assert UUID.match(body["request_id"])


def test_wrong_key() -> None:
    app = create_app(EmulatorOptions(api_keys=("sk-right",)))
    wrong = post(app, native())  # conftest sends Bearer sk-test
    assert wrong.status == 401
    assert wrong.json()["code"] == "InvalidApiKey"
    right = call_asgi(app, PATH, native(), headers={"Authorization": "Bearer sk-right"})
    assert right.status == 200


def test_method_not_allowed(app: Any) -> None:
    assert call_asgi(app, PATH, method="GET").status == 405


def test_journal_records_the_request(app: Any) -> None:
    post(app, native(incremental_output=True), stream=True)
    (recorded,) = app.requests
    assert recorded.path == PATH
    assert recorded.json["parameters"]["incremental_output"] is True
    assert recorded.headers["x-dashscope-sse"] == "enable"
    assert recorded.headers["authorization"] == "Bearer ***"
    assert KEY not in json.dumps(recorded.to_dict())


# ---------------------------------------------------------------------------------------------
# Faults
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        ("429", 429, "Throttling.RateQuota"),
        ("1002", 429, "Throttling.RateQuota"),
        ("1039", 429, "Throttling"),
        ("1008", 400, "Arrearage"),
        ("2013", 400, "InvalidParameter"),
        ("1004", 401, "InvalidApiKey"),
        ("2049", 401, "InvalidApiKey"),
        ("1026", 400, "DataInspectionFailed"),
        ("2061", 403, "AccessDenied"),
        ("500", 500, "InternalError"),
        ("502", 502, "InternalError"),
        ("503", 503, "InternalError"),
        ("529", 529, "InternalError"),
        ("1000", 500, "InternalError"),
        ("1033", 500, "InternalError"),
    ],
)
def test_every_fail_kind(app: Any, kind: str, status: int, code: str) -> None:
    for stream in (False, True):
        got = post(app, native(), stream=stream, spec=f"fail={kind}")
        assert got.status == status
        assert got.headers["content-type"].startswith("application/json")
        body = got.json()
        assert set(body) == {"code", "message", "request_id"}
        assert body["code"] == code
        assert body["message"]


def test_fail_n_times_then_succeed(app: Any) -> None:
    statuses = [post(app, native(), spec="fail=429x2").status for _ in range(4)]
    assert statuses == [429, 429, 200, 200]


def test_status_override(app: Any) -> None:
    got = post(app, native(), spec="fail=1008@429x1")
    assert (got.status, got.json()["code"]) == (429, "Arrearage")


def test_rate_limit_per_key() -> None:
    app = create_app(EmulatorOptions(rpm=2))
    assert [post(app, native()).status for _ in range(3)] == [200, 200, 429]
    assert post(app, native()).json()["code"] == "Throttling.RateQuota"
    other = call_asgi(app, PATH, native(), headers={"Authorization": "Bearer another"})
    assert other.status == 200


def test_json_error_on_stream(app: Any) -> None:
    got = post(app, native(), stream=True, spec="json_error_on_stream=1002")
    assert got.status == 429
    assert got.headers["content-type"].startswith("application/json")
    assert got.json()["code"] == "Throttling.RateQuota"
    assert post(app, native(), spec="json_error_on_stream=1002").status == 200


def test_error_inside_the_stream(app: Any) -> None:
    got = post(app, native(incremental_output=True), stream=True, spec="stream_error=2:1000")
    found = events(got.body)
    assert [(n, kind, status) for n, kind, status, _ in found] == [
        (1, "result", 200),
        (2, "result", 200),
        (3, "error", 500),
    ]
    error = found[-1][3]
    assert set(error) == {"code", "message", "request_id"}
    assert error["code"] == "InternalError"
    assert error["request_id"] == found[0][3]["request_id"]
    throttled = events(post(app, native(), stream=True, spec="stream_error=1:1002").body)
    assert throttled[-1][1:3] == ("error", 429)
    assert throttled[-1][3]["code"] == "Throttling.RateQuota"


def test_malformed_chunk(app: Any) -> None:
    got = post(app, native(), stream=True, spec="malformed_chunk=2")
    blocks = [b for b in got.body.decode().split("\n\n") if b]
    second = blocks[1].split("\n")
    assert second[:3] == ["id:2", "event:result", ":HTTP_STATUS/200"]  # only data: is cut
    with pytest.raises(json.JSONDecodeError):
        json.loads(second[3][len("data:") :])
    rest = events(("\n\n".join(blocks[2:]) + "\n\n").encode())  # the rest parses
    assert [number for number, *_ in rest] == list(range(3, len(blocks) + 1))


class _Recorder:
    """Wraps the app to keep what was written before an injected disconnect."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.writes: list[bytes] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def keep(message: Any) -> None:
            if message.get("body"):
                self.writes.append(message["body"])
            await send(message)

        await self.app(scope, receive, keep)


def test_disconnect_after(app: Any) -> None:
    recorder = _Recorder(app)
    with pytest.raises(EmulatorDisconnect):
        post(recorder, native(incremental_output=True), stream=True, spec="disconnect_after=2")
    chunks = results(b"".join(recorder.writes))
    assert len(chunks) == 2
    assert all(choice(c)["finish_reason"] == "null" for c in chunks)


def test_delays(app: Any) -> None:
    start = time.perf_counter()
    post(app, native(), spec="first_byte_ms=30; latency_ms=30")
    assert time.perf_counter() - start >= 0.06
    start = time.perf_counter()
    got = post(app, native(), stream=True, spec="chunk_ms=10; chunks=4")
    assert time.perf_counter() - start >= 0.03
    assert len(got.writes) >= 4


def test_finish_length_fault(app: Any) -> None:
    chunks = results(post(app, native(), stream=True, spec="finish=length").body)
    assert choice(chunks[-1])["finish_reason"] == "length"
    assert choice(chunks[-1])["message"]["content"] == ""


def test_done_only_when_asked(app: Any) -> None:
    got = post(app, native(), stream=True, spec="done=true")
    assert got.body.endswith(b"data:[DONE]\n\n")
