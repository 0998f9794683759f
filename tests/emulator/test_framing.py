"""Raw SSE framing on the OpenAI-compatible route."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest

from minimax_emulator import sse

from .conftest import MODEL, call_asgi, chat, data_events, json_events

TOOL = {
    "type": "function",
    "function": {
        "name": "magic_function",
        "description": "Magic.",
        "parameters": {"type": "object", "properties": {"input": {"type": "integer"}}},
    },
}
ENVELOPE = [
    "input_sensitive",
    "output_sensitive",
    "input_sensitive_type",
    "output_sensitive_type",
    "output_sensitive_int",
]


def stream(app: Any, body: dict[str, Any], spec: str = "") -> tuple[list[bytes], list[str]]:
    headers = {"X-Emulator": spec} if spec else {}
    got = call_asgi(app, "/v1/chat/completions", {**body, "stream": True}, headers=headers)
    assert got.status == 200
    assert got.headers["content-type"] == "text/event-stream"
    return got.writes, data_events(got.body)


def test_every_chunk_repeats_role_name_and_envelope(app: Any) -> None:
    _, events = stream(app, chat("Hi"))
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert len(chunks) > 2
    for chunk in chunks:
        delta = chunk["choices"][0]["delta"]
        assert delta["role"] == "assistant"
        assert delta["name"] == "MiniMax AI"
        assert delta["audio_content"] == ""
        assert chunk["usage"] is None
        assert chunk["object"] == "chat.completion.chunk"
        assert chunk["model"] == MODEL
        assert all(key in chunk for key in ENVELOPE)
    assert len({c["id"] for c in chunks}) == 1


def test_finish_reason_rides_on_the_last_content_chunk(app: Any) -> None:
    _, events = stream(app, chat("Hi"))
    chunks = [json.loads(e) for e in events[:-1]]
    assert [("finish_reason" in c["choices"][0]) for c in chunks] == [False] * (len(chunks) - 1) + [
        True
    ]
    last = chunks[-1]["choices"][0]
    assert last["finish_reason"] == "stop"
    assert last["delta"]["content"]  # it still carries text


def test_think_tags_are_split_across_chunks(app: Any) -> None:
    _, events = stream(app, chat("Tell me something long enough to need several chunks."))
    pieces = [json.loads(e)["choices"][0]["delta"]["content"] for e in events[:-1]]
    assert not any("<think>" in p for p in pieces)
    assert not any("</think>" in p for p in pieces)
    text = "".join(pieces)
    assert text.startswith("<think>\n")
    assert "\n</think>\n\n" in text
    assert all(len(p) <= 80 for p in pieces)
    assert text.split("\n</think>\n\n")[1] == (
        "Echo: Tell me something long enough to need several chunks."
    )


def test_usage_chunk_when_requested(app: Any) -> None:
    _, events = stream(app, chat("Hi", stream_options={"include_usage": True}))
    assert events[-1] == "[DONE]"
    usage_chunk = json.loads(events[-2])
    assert usage_chunk["choices"] == []
    assert usage_chunk["base_resp"] == {"status_code": 0, "status_msg": ""}
    usage = usage_chunk["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert usage["total_characters"] == 0
    assert usage["completion_tokens_details"]["reasoning_tokens"] > 0
    assert all(json.loads(e)["usage"] is None for e in events[:-2])


def test_done_can_be_switched_off(app: Any) -> None:
    _, events = stream(app, chat("Hi"), "done=false")
    assert events[-1] != "[DONE]"
    assert json.loads(events[-1])["choices"][0]["finish_reason"] == "stop"


def test_split_reasoning_incremental_and_cumulative(app: Any) -> None:
    body = chat("Explain something", reasoning_split=True)
    _, incremental = stream(app, body)
    _, cumulative = stream(app, body, "reasoning=cumulative")
    inc = [json.loads(e)["choices"][0]["delta"] for e in incremental[:-1]]
    cum = [json.loads(e)["choices"][0]["delta"] for e in cumulative[:-1]]
    reasoning_inc = [d for d in inc if "reasoning_details" in d]
    reasoning_cum = [d for d in cum if "reasoning_details" in d]
    assert len(reasoning_inc) >= 2
    for delta in reasoning_inc:
        (item,) = delta["reasoning_details"]
        assert item["type"] == "reasoning.text"
        assert item["id"] == "reasoning-text-1"
        assert item["format"] == "MiniMax-response-v1"
        assert item["index"] == 0
        assert item["text"] == delta["reasoning_content"]
        assert "content" not in delta
    texts = [d["reasoning_details"][0]["text"] for d in reasoning_cum]
    assert all(b.startswith(a) for a, b in itertools.pairwise(texts))
    assert texts[-1] == "".join(d["reasoning_content"] for d in reasoning_inc)
    content = [d for d in inc if "content" in d]
    assert all("reasoning_content" not in d for d in content)
    assert "".join(d["content"] for d in content) == "Echo: Explain something"


def test_tool_call_fragments(app: Any) -> None:
    body = chat("What is magic_function(3)?", tools=[TOOL], reasoning_split=True)
    _, events = stream(app, body)
    chunks = [json.loads(e) for e in events[:-1]]
    fragments = [c["choices"][0]["delta"]["tool_calls"][0] for c in chunks if "tool_calls" in
                 c["choices"][0]["delta"]]  # fmt: skip
    assert len(fragments) >= 2
    first, rest = fragments[0], fragments[1:]
    assert first["index"] == 0
    assert first["type"] == "function"
    assert first["function"]["name"] == "magic_function"
    assert first["id"].startswith("call_function_")
    number, ordinal = first["id"].removeprefix("call_function_").split("_")
    assert len(number) == 10
    assert number.isdigit()
    assert ordinal == "1"
    for fragment in rest:
        assert set(fragment) == {"index", "function"}
        assert set(fragment["function"]) == {"arguments"}
    arguments = "".join(f["function"]["arguments"] for f in fragments)
    assert json.loads(arguments) == {"input": 3}
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"
    assert "tool_calls" in chunks[-1]["choices"][0]["delta"]


def test_ragged_writes_split_lines_and_a_multibyte_character(app: Any) -> None:
    writes, _ = stream(app, chat("Hi", reasoning_split=True))
    assert len(writes) >= 3
    assert any(not w.endswith(b"\n\n") for w in writes[:-1])
    split_char = False
    for write in writes[:-1]:
        try:
            write.decode("utf-8")
        except UnicodeDecodeError:
            split_char = True
    assert split_char, "no write ends inside a multi-byte UTF-8 character"
    assert any(w.endswith(b"dat") for w in writes)


def test_many_events_are_coalesced_per_write(app: Any) -> None:
    writes, events = stream(app, chat("Hi"), "chunks=500; reasoning_chunks=50")
    assert len(events) == 500 + 50 + 1
    assert len(writes) < len(events) / 10


def test_chunk_counts_are_exact(app: Any) -> None:
    _, events = stream(app, chat("Hi", reasoning_split=True), "chunks=7; reasoning_chunks=3")
    deltas = [json.loads(e)["choices"][0]["delta"] for e in events[:-1]]
    assert sum("reasoning_content" in d for d in deltas) == 3
    assert sum("content" in d for d in deltas) == 7
    _, inline = stream(app, chat("Hi"), "chunks=7; reasoning_chunks=3")
    assert len(inline) == 7 + 3 + 1


def test_usage_zero_chunks_and_empty_role(app: Any) -> None:
    body = chat("Hi", stream_options={"include_usage": True})
    _, events = stream(app, body, "usage_zero_chunks=true; empty_role=true")
    chunks = [json.loads(e) for e in events[:-1]]
    content_chunks, usage_chunk = chunks[:-1], chunks[-1]
    assert all(c["usage"] == {"total_tokens": 0, "total_characters": 0} for c in content_chunks)
    assert usage_chunk["usage"]["total_tokens"] > 0
    roles = [c["choices"][0]["delta"]["role"] for c in content_chunks]
    assert "" in roles
    assert "assistant" in roles


def test_finish_length_leaves_only_reasoning(app: Any) -> None:
    _, events = stream(app, chat("Hi"), "finish=length")
    chunks = [json.loads(e) for e in events[:-1]]
    text = "".join(c["choices"][0]["delta"]["content"] for c in chunks)
    assert text.startswith("<think>\n")
    assert "</think>" not in text
    assert chunks[-1]["choices"][0]["finish_reason"] == "length"


def test_response_headers_carry_the_id(app: Any) -> None:
    got = call_asgi(app, "/v1/chat/completions", chat("Hi", stream=True))
    first = json_events(got.body)[0]
    assert got.headers["trace-id"] == got.headers["minimax-request-id"] == first["id"]


@pytest.mark.parametrize("text", ["", "é", "a→b", "漢字かな", "x" * 300])
def test_split_coarse_is_lossless(text: str) -> None:
    assert "".join(sse.split_coarse(text, forced=(1, 2))) == text
    assert len(sse.split_coarse("{}", minimum=2)) == 2


def test_ragged_writes_are_lossless_and_deterministic() -> None:
    events = [sse.event(json.dumps({"t": "é→漢" * i}, ensure_ascii=False).encode())
              for i in range(300)]  # fmt: skip
    for per_event in (False, True):
        writes = sse.ragged_writes(events, per_event)
        assert b"".join(writes) == b"".join(events)
        assert writes == sse.ragged_writes(events, per_event)
