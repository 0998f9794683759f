"""``tutorial_error=CODE[xN]``: every route can answer in the native-API tutorial's error shapes
(HTTP 200 and nothing but ``base_resp``), N times and then normally."""

from __future__ import annotations

from typing import Any

import pytest

from minimax_emulator import EmulatorOptions, create_app
from minimax_emulator.cli import build_parser

from .conftest import call_asgi

HI = [{"role": "user", "content": "Hi"}]
ROUTES: dict[str, tuple[str, dict[str, Any]]] = {
    "openai": ("/v1/chat/completions", {"model": "MiniMax-M2.7", "messages": HI}),
    "native": ("/v1/text/chatcompletion_v2", {"model": "MiniMax-M2.7", "messages": HI}),
    "anthropic": (
        "/anthropic/v1/messages",
        {"model": "MiniMax-M2.7", "max_tokens": 512, "messages": HI},
    ),
    "dashscope": (
        "/compatible-mode/v1/chat/completions",
        {"model": "MiniMax-M2.5", "messages": HI},
    ),
    "dashscope_native": (
        "/api/v1/services/aigc/text-generation/generation",
        {"model": "MiniMax-M2.5", "input": {"messages": HI}},
    ),
    "embeddings": ("/v1/embeddings", {"model": "embo-01", "texts": ["x"], "type": "db"}),
}
SHAPES = [
    ("401", {"base_resp": {"status_code": 401, "status_msg": "invalid api key"}}),
    ("429", {"base_resp": {"status_code": 429, "status_msg": "rate limit exceeded"}}),
    ("400", {"base_resp": {"status_code": 400, "status_msg": "model not found"}}),
    ("500", {"base_resp": {"status_code": 500, "status_msg": "internal server error"}}),
    ("502", {"base_resp": {"status_code": 502, "status_msg": "bad gateway"}}),
    ("503", {"base_resp": {"status_code": 503, "status_msg": "service unavailable"}}),
]


def send(app: Any, route: str, spec: str, stream: bool = False) -> Any:
    path, body = ROUTES[route]
    headers = {"X-Emulator": spec}
    if stream and route == "dashscope_native":
        headers["X-DashScope-SSE"] = "enable"
    elif stream:
        body = {**body, "stream": True}
    return call_asgi(app, path, body, headers=headers)


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(("code", "shape"), SHAPES)
def test_every_route_answers_in_the_tutorial_shape(
    app: Any, route: str, code: str, shape: dict[str, Any]
) -> None:
    got = send(app, route, f"tutorial_error={code}")
    assert got.status == 200
    assert got.headers["content-type"].startswith("application/json")
    assert got.json() == shape


@pytest.mark.parametrize("route", [r for r in ROUTES if r != "embeddings"])
def test_a_stream_request_gets_the_plain_json_shape(app: Any, route: str) -> None:
    got = send(app, route, "tutorial_error=429", stream=True)
    assert got.status == 200
    assert got.json() == SHAPES[1][1]


@pytest.mark.parametrize("route", ROUTES)
def test_n_times_then_success(app: Any, route: str) -> None:
    replies = [send(app, route, "tutorial_error=429x2").json() for _ in range(3)]
    assert replies[:2] == [SHAPES[1][1]] * 2
    assert replies[2] != SHAPES[1][1]
    assert send(app, route, "tutorial_error=429x2").status == 200  # still succeeding


def test_without_a_count_every_attempt_fails(app: Any) -> None:
    replies = [send(app, "openai", "tutorial_error=401").json() for _ in range(3)]
    assert replies == [SHAPES[0][1]] * 3


def test_counted_apart_from_fail(app: Any) -> None:
    spec = "fail=503x1; tutorial_error=429x1"
    first, second, third = (send(app, "openai", spec) for _ in range(3))
    assert first.status == 503  # fail= goes first
    assert (second.status, second.json()) == (200, SHAPES[1][1])
    assert third.json()["object"] == "chat.completion"


def test_server_wide_and_cleared() -> None:
    app = create_app(EmulatorOptions(fault="tutorial_error=500x1"))
    assert send(app, "native", "").json() == SHAPES[3][1]
    assert send(app, "native", "").json()["base_resp"]["status_code"] == 0
    app.clear()
    assert send(app, "native", "").json() == SHAPES[3][1]


def test_a_missing_key_is_still_the_routes_own_error(app: Any) -> None:
    path, body = ROUTES["openai"]
    got = call_asgi(app, path, body, headers={"X-Emulator": "tutorial_error=429"}, auth=False)
    assert got.status == 401
    assert got.json()["error"]["type"] == "authorized_error"


@pytest.mark.parametrize("value", ["418", "429x0", "429xa", "rate"])
def test_invalid_spec(app: Any, value: str) -> None:
    got = send(app, "openai", f"tutorial_error={value}")
    assert got.status == 400
    assert got.json()["error"]["type"] == "emulator_error"
    assert "tutorial_error" in got.json()["error"]["message"]


def test_documented_in_help() -> None:
    text = build_parser().format_help()
    assert "tutorial_error=CODE[xN]" in text
    assert "/api/v1/services/aigc/text-generation/generation" in text
