"""Fault injection (X-Emulator header and server-wide spec) and the RPM limit."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
import pytest

from minimax_emulator import EmulatorOptions, create_app
from minimax_emulator.faults import FaultState
from minimax_emulator.options import FailSpec
from minimax_emulator.testing import EmulatorServer

from .conftest import AUTH, call_asgi, chat, data_events

OPENAI = "/v1/chat/completions"
NATIVE = "/v1/text/chatcompletion_v2"
DASHSCOPE = "/compatible-mode/v1/chat/completions"


def post(app: Any, path: str, spec: str, body: dict[str, Any] | None = None) -> Any:
    return call_asgi(app, path, body or chat("Hi"), headers={"X-Emulator": spec})


def test_fail_n_times_then_succeed_counts_per_request(app: Any) -> None:
    statuses = [post(app, OPENAI, "fail=429x2").status for _ in range(4)]
    assert statuses == [429, 429, 200, 200]
    # another body is another request: its own counter
    assert post(app, OPENAI, "fail=429x2", chat("Other")).status == 429
    # another header value too
    assert post(app, OPENAI, "fail=429x2; latency_ms=0").status == 429


def test_fail_without_count_always_fails(app: Any) -> None:
    assert [post(app, OPENAI, "fail=500").status for _ in range(3)] == [500, 500, 500]


def test_clear_resets_fault_counters(app: Any) -> None:
    assert post(app, OPENAI, "fail=1002x1").status == 429
    assert post(app, OPENAI, "fail=1002x1").status == 200
    app.clear()
    assert post(app, OPENAI, "fail=1002x1").status == 429


@pytest.mark.parametrize(
    ("kind", "status", "etype", "code"),
    [
        ("429", 429, "rate_limit_error", 1002),
        ("1002", 429, "rate_limit_error", 1002),
        ("1039", 429, "rate_limit_error", 1039),
        ("1008", 402, "insufficient_balance_error", 1008),
        ("2013", 400, "bad_request_error", 2013),
        ("1004", 401, "authorized_error", 1004),
        ("2049", 401, "authorized_error", 2049),
        ("1026", 400, "bad_request_error", 1026),
        ("2061", 500, "server_error", 2061),
        ("500", 500, "server_error", 1000),
        ("502", 502, "server_error", 1000),
        ("503", 503, "server_error", 1000),
        ("529", 529, "overloaded_error", 1000),
        ("1000", 500, "server_error", 1000),
        ("1033", 500, "server_error", 1033),
    ],
)
def test_every_fail_kind_in_every_carrier(
    app: Any, kind: str, status: int, etype: str, code: int
) -> None:
    got = post(app, OPENAI, f"fail={kind}")
    assert got.status == status
    body = got.json()
    assert body["error"]["type"] == etype
    assert body["error"]["message"].endswith(f" ({code})")
    assert body["error"]["http_code"] == str(status)
    assert body["request_id"] == got.headers["trace-id"]

    native = post(app, NATIVE, f"fail={kind}")
    assert native.status == (status if kind in {"500", "502", "503", "529"} else 200)
    assert native.json()["base_resp"]["status_code"] == code
    assert native.json()["choices"] is None
    assert not native.json()["base_resp"]["status_msg"].endswith(f"({code})")

    embeddings = post(app, "/v1/embeddings", f"fail={kind}", {"model": "embo-01",
                      "texts": ["x"], "type": "db"})  # fmt: skip
    assert embeddings.json()["vectors"] is None
    assert embeddings.json()["base_resp"]["status_code"] == code

    dashscope = post(app, DASHSCOPE, f"fail={kind}", chat("Hi", model="MiniMax-M2.5"))
    assert dashscope.status >= 400
    assert set(dashscope.json()) == {"error", "request_id"}
    assert set(dashscope.json()["error"]) == {"code", "message", "type"}


def test_status_override(app: Any) -> None:
    got = post(app, OPENAI, "fail=1008@429x1")
    assert got.status == 429
    assert got.json()["error"]["message"] == "insufficient balance (1008)"
    assert got.json()["error"]["type"] == "rate_limit_error"


def test_server_wide_fault_and_header_override() -> None:
    app = create_app(EmulatorOptions(fault="fail=503; done=false"))
    assert call_asgi(app, OPENAI, chat("Hi")).status == 503
    got = call_asgi(app, OPENAI, chat("Hi", stream=True), headers={"X-Emulator": "fail=1000x0"})
    assert got.status == 400  # x0 is not a valid count
    ok = call_asgi(app, OPENAI, chat("Hi", stream=True), headers={"X-Emulator": "fail=1000x1"})
    assert ok.status == 500
    again = call_asgi(app, OPENAI, chat("Hi", stream=True), headers={"X-Emulator": "fail=1000x1"})
    assert again.status == 200
    assert data_events(again.body)[-1] != "[DONE]"  # done=false still applies


def test_bad_header_is_a_clear_400(app: Any) -> None:
    got = post(app, NATIVE, "bogus=1")
    assert got.status == 400
    assert got.json()["error"]["type"] == "emulator_error"
    assert "unknown key 'bogus'" in got.json()["error"]["message"]


def test_malformed_chunk(app: Any) -> None:
    got = post(app, OPENAI, "malformed_chunk=2", chat("Hi", stream=True))
    events = data_events(got.body)
    json.loads(events[0])
    with pytest.raises(json.JSONDecodeError):
        json.loads(events[1])
    assert events[-1] == "[DONE]"


def test_stream_error_in_each_carrier(app: Any) -> None:
    events = data_events(post(app, OPENAI, "stream_error=2:1000", chat("Hi", stream=True)).body)
    assert len(events) == 3
    assert json.loads(events[2])["error"]["message"] == "unknown error (1000)"
    native = data_events(post(app, NATIVE, "stream_error=1:1002", chat("Hi", stream=True)).body)
    assert json.loads(native[1])["base_resp"] == {
        "status_code": 1002,
        "status_msg": "rate limit exceeded(RPM)",
    }
    body = chat("Hi", model="MiniMax-M2.5", stream=True)
    dash = data_events(post(app, DASHSCOPE, "stream_error=1:1002", body).body)
    assert json.loads(dash[1])["error"]["code"] == "limit_requests"


def test_json_error_on_stream(app: Any) -> None:
    got = post(app, OPENAI, "json_error_on_stream=1002", chat("Hi", stream=True))
    assert got.status == 429
    assert got.headers["content-type"].startswith("application/json")
    native = post(app, NATIVE, "json_error_on_stream=2013", chat("Hi", stream=True))
    assert native.status == 200
    assert native.json()["base_resp"]["status_code"] == 2013
    assert post(app, OPENAI, "json_error_on_stream=1002").status == 200  # not a stream


def test_disconnect_after_drops_the_connection(live: EmulatorServer) -> None:
    received: list[bytes] = []

    def read(client: httpx.Client) -> None:
        spec = {"X-Emulator": "disconnect_after=2"}
        body = chat("Hi", stream=True)
        with client.stream("POST", OPENAI, json=body, headers=spec) as response:
            received.extend(response.iter_raw())

    with httpx.Client(base_url=live.base_url, headers=AUTH) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            read(client)
        assert len(data_events(b"".join(received))) == 2
        # the server is still healthy afterwards
        assert client.post(OPENAI, json=chat("Hi")).status_code == 200


def test_disconnect_after_sends_exactly_k_chunks(app: Any) -> None:
    from minimax_emulator.transport import EmulatorDisconnect

    with pytest.raises(EmulatorDisconnect):
        post(app, OPENAI, "disconnect_after=2", chat("Hi", stream=True))


def test_delays(app: Any) -> None:
    start = time.perf_counter()
    post(app, OPENAI, "first_byte_ms=30; latency_ms=30")
    assert time.perf_counter() - start >= 0.06
    start = time.perf_counter()
    got = post(app, OPENAI, "chunk_ms=10; chunks=4", chat("Hi", stream=True))
    assert time.perf_counter() - start >= 0.03
    assert len(got.writes) >= 4


def test_latency_does_not_serialise(app: Any) -> None:
    body = json.dumps(chat("Hi")).encode()
    scope = {
        "type": "http",
        "method": "POST",
        "path": OPENAI,
        "query_string": b"",
        "headers": [(b"authorization", b"Bearer k"), (b"x-emulator", b"latency_ms=50")],
    }

    async def one() -> int:
        status = 0

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await app(scope, receive, send)
        return status

    async def burst() -> list[int]:
        return await asyncio.gather(*(one() for _ in range(200)))

    start = time.perf_counter()
    assert set(asyncio.run(burst())) == {200}
    assert time.perf_counter() - start < 5  # serialised it would take 10 s


def test_rpm_limit_per_key_in_each_carrier() -> None:
    app = create_app(EmulatorOptions(rpm=2))
    assert [call_asgi(app, OPENAI, chat("Hi")).status for _ in range(3)] == [200, 200, 429]
    limited = call_asgi(app, OPENAI, chat("Hi")).json()
    assert limited["error"]["message"] == "rate limit exceeded(RPM) (1002)"
    native = call_asgi(app, NATIVE, chat("Hi"))
    assert native.status == 200
    assert native.json()["base_resp"]["status_code"] == 1002
    other_key = call_asgi(app, OPENAI, chat("Hi"), headers={"Authorization": "Bearer other"})
    assert other_key.status == 200


def test_rpm_window_slides() -> None:
    state = FaultState()
    assert not state.over_rpm("k", 1, now=0.0)
    assert state.over_rpm("k", 1, now=30.0)
    assert not state.over_rpm("k", 1, now=60.5)


def test_fail_counter_unit() -> None:
    state = FaultState()
    spec = FailSpec("429", 1)
    assert state.should_fail(spec, "k", b"{}", "fail=429x1")
    assert not state.should_fail(spec, "k", b"{}", "fail=429x1")
    assert state.should_fail(spec, "other", b"{}", "fail=429x1")


def test_the_rpm_window_is_configurable() -> None:
    from minimax_emulator.faults import FaultState

    state = FaultState()
    assert not state.over_rpm("k", 2, now=0.0, window_s=1.0)
    assert not state.over_rpm("k", 2, now=0.1, window_s=1.0)
    assert state.over_rpm("k", 2, now=0.5, window_s=1.0)  # third request inside 1 s
    assert not state.over_rpm("k", 2, now=1.2, window_s=1.0)  # the first one left the window
