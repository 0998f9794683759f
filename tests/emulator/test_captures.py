"""Structural comparison with the recorded replies in tests/fixtures/captures/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import call_asgi

CAPTURES = Path(__file__).parents[1] / "fixtures" / "captures"


def load(name: str) -> tuple[int, Any]:
    """(HTTP status, body) of a capture; bare bodies are HTTP 200 unless an error doc says so."""
    data = json.loads((CAPTURES / name).read_text())
    if "_meta" in data:
        meta = data["_meta"]
        return meta["http_status"], meta["response_body_json"]
    if data.get("type") == "error":
        return int(data["error"]["http_code"]), data
    return 200, data


def shape(value: Any) -> Any:
    """Keys recursively (lists: the shape of their first item); leaves by JSON type."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    if value is None:
        return None
    return type(value).__name__


def without_request_id(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "request_id"}


def test_every_capture_is_covered() -> None:
    covered = {name for name, *_ in CASES} | {
        "openai-chat-nonstream-unsplit-m27hs.json",
        "openai-chat-nonstream-unsplit-m27hs-nosystem.json",
        "openai-models-list.json",
        "native-files-list-http200-1004-bad-key.fixture.json",
        "embeddings-http200-1002-rpm.doc.json",
    }
    assert {p.name for p in CAPTURES.glob("*.json")} == covered


MALFORMED = b'{"model": "MiniMax-M2.7-highspeed", "messages": [{"role": "user", "content": "Hi"}'
HUGE = "word " * 1_100_000

CASES: list[tuple[str, str, Any, bytes | None, bool]] = [
    # (capture, path, JSON body, raw body, send a valid key)
    ("openai-chat-error-400-2013-malformed-json.fixture.json", "/v1/chat/completions", None,
     MALFORMED, True),
    ("openai-chat-error-400-2013-missing-messages.fixture.json", "/v1/chat/completions",
     {"model": "MiniMax-M2.7-highspeed"}, None, True),
    ("openai-chat-error-400-2013-unknown-model.fixture.json", "/v1/chat/completions",
     {"model": "this-model-does-not-exist-2026", "messages": [{"role": "user", "content": "Hi"}]},
     None, True),
    ("openai-chat-error-400-2013-context-window.fixture.json", "/v1/chat/completions",
     {"model": "MiniMax-M2.7-highspeed", "messages": [{"role": "user", "content": HUGE}]},
     None, True),
    ("openai-chat-error-401-1004-bad-key.fixture.json", "/v1/chat/completions",
     {"model": "MiniMax-M2.7-highspeed", "messages": [{"role": "user", "content": "Hi"}]},
     None, False),
    ("openai-chat-error-400-2013-web-search-tool.doc.json", "/v1/chat/completions",
     {"model": "MiniMax-M2.7", "messages": [{"role": "user", "content": "Hi"}],
      "tools": [{"type": "web_search"}]}, None, True),
    ("openai-chat-error-400-2013-invalid-tool-type.doc.json", "/v1/chat/completions",
     {"model": "MiniMax-M2.7", "messages": [{"role": "user", "content": "Hi"}],
      "tools": [{"type": "web_search_preview"}]}, None, True),
    ("embeddings-http200-2013-missing-texts.doc.json", "/v1/embeddings",
     {"model": "embo-01", "input": ["hello"]}, None, True),
]  # fmt: skip


@pytest.mark.parametrize(("name", "path", "body", "raw", "valid_key"), CASES)
def test_error_captures_match_exactly(
    app: Any, name: str, path: str, body: Any, raw: bytes | None, valid_key: bool
) -> None:
    status, expected = load(name)
    headers = {} if valid_key else {"Authorization": "Bearer sk-corrupted"}
    emulator = create_keyed_app() if not valid_key else app
    got = call_asgi(emulator, path, body, headers=headers, raw_body=raw)
    assert got.status == status
    actual = got.json()
    assert without_request_id(actual) == without_request_id(expected)
    if "request_id" in expected:
        assert actual["request_id"] == got.headers["trace-id"] == got.headers["minimax-request-id"]
    assert got.headers["content-type"] == "application/json; charset=utf-8"


def create_keyed_app() -> Any:
    from minimax_emulator import EmulatorOptions, create_app

    return create_app(EmulatorOptions(api_keys=("sk-real",)))


def test_rate_limit_capture_on_embeddings() -> None:
    from minimax_emulator import EmulatorOptions, create_app

    app = create_app(EmulatorOptions(rpm=1))
    body = {"model": "embo-01", "texts": ["hello"], "type": "db"}
    assert call_asgi(app, "/v1/embeddings", body).json()["base_resp"]["status_code"] == 0
    got = call_asgi(app, "/v1/embeddings", body)
    assert (got.status, got.json()) == load("embeddings-http200-1002-rpm.doc.json")


def test_native_bad_key_is_http_200_with_the_capture_base_resp() -> None:
    _, expected = load("native-files-list-http200-1004-bad-key.fixture.json")
    got = call_asgi(
        create_keyed_app(),
        "/v1/text/chatcompletion_v2",
        {"model": "MiniMax-M2.7", "messages": [{"role": "user", "content": "Hi"}]},
        headers={"Authorization": "Bearer sk-corrupted"},
    )
    assert got.status == 200
    body = got.json()
    assert body["base_resp"] == expected["base_resp"]
    assert body["choices"] is None


@pytest.mark.parametrize(
    "name",
    [
        "openai-chat-nonstream-unsplit-m27hs.json",
        "openai-chat-nonstream-unsplit-m27hs-nosystem.json",
    ],
)
def test_non_stream_body_has_the_capture_shape(app: Any, name: str) -> None:
    _, expected = load(name)
    question = "What is 7 times 8? Answer with just the number."
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": question}]
    got = call_asgi(
        app, "/v1/chat/completions", {"model": "MiniMax-M2.7-highspeed", "messages": messages}
    )
    body = got.json()
    assert shape(body) == shape(expected)
    assert body["model"] == expected["model"]
    assert body["id"] == got.headers["trace-id"] == got.headers["minimax-request-id"]
    assert len(body["id"]) == len(expected["id"])
    content = body["choices"][0]["message"]["content"]
    assert content.startswith("<think>\nThe user asks: ")
    assert "\n</think>\n\n" in content
    usage = body["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert usage["completion_tokens"] > usage["completion_tokens_details"]["reasoning_tokens"]


def test_models_list_is_the_capture(client: httpx.Client) -> None:
    _, expected = load("openai-models-list.json")
    response = client.get("/v1/models")
    assert response.status_code == 200
    assert response.json() == expected
