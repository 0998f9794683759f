"""Arbitrary JSON never crashes the emulator: every reply is a well-formed success or error."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minimax_emulator import EmulatorOptions, create_app

from .conftest import call_asgi

APP = create_app(EmulatorOptions(journal_limit=10))
SCALARS = (
    st.none() | st.booleans() | st.integers(-5, 10**6) | st.floats(-3, 3) | st.text(max_size=20)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
ROLE = st.sampled_from(["system", "user", "assistant", "tool", "developer", 7])
MESSAGE = st.fixed_dictionaries(
    {"role": ROLE},
    optional={
        "content": st.text(max_size=40) | st.lists(JSON, max_size=2) | JSON,
        "tool_calls": st.lists(JSON, max_size=2),
        "tool_call_id": st.text(max_size=8),
    },
)
BODY = st.fixed_dictionaries(
    {
        "model": st.sampled_from(
            ["MiniMax-M2.7", "MiniMax-M3", "MiniMax-M1", "MiniMax-Text-01", "x"]
        )
    },
    optional={
        "messages": st.lists(MESSAGE, max_size=4) | JSON,
        "tools": st.lists(JSON, max_size=2) | JSON,
        "temperature": JSON,
        "max_tokens": JSON,
        "thinking": JSON,
        "stop": JSON,
        "response_format": JSON,
        "stream": st.booleans(),
        "reasoning_split": st.booleans(),
        "stream_options": JSON,
        "tool_choice": JSON,
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=BODY, path=st.sampled_from(["/v1/chat/completions", "/v1/text/chatcompletion_v2"]))
def test_chat_routes_never_crash(body: dict[str, Any], path: str) -> None:
    got = call_asgi(APP, path, body)
    assert got.status in {200, 400}
    if got.headers["content-type"] == "text/event-stream":
        assert got.body.startswith(b"data: {")
    else:
        payload = got.json()
        assert ("error" in payload) or payload["base_resp"]["status_code"] in {0, 2013}


@settings(max_examples=60, deadline=None)
@given(body=JSON)
def test_any_json_body_is_answered(body: Any) -> None:
    for path in ("/v1/chat/completions", "/v1/embeddings", "/compatible-mode/v1/chat/completions"):
        got = call_asgi(APP, path, raw_body=json.dumps(body).encode())
        assert got.status in {200, 400, 404}
        got.json()
