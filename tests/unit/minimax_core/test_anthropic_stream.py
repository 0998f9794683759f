"""The Anthropic-compatible route's answers: whole Messages documents and Anthropic SSE streams,
read through ``MiniMaxClient(api="anthropic")`` over a fake transport (sync and async), and the
pure stream decoder under any chunking (``docs/protocol-notes.md`` §6).
"""

from __future__ import annotations

import dataclasses
import json
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minimax_core import (
    ChatParams,
    ChatResult,
    EmptyAnswerWarning,
    StreamInterruptedError,
    TokenUsage,
    ToolDefinition,
)
from minimax_core._protocol import interpret_chat

from .anthropic_support import (
    ANSWER,
    SIG,
    SIG2,
    THINKING,
    USAGE,
    WEATHER_ID,
    WEATHER_INPUT,
    events,
    message,
    prepared,
    stream_events,
    stream_of,
    text,
    thinking,
    tool_use,
)
from .support import (
    FakeServer,
    Runner,
    StreamOutcome,
    decode,
    hi,
    json_reply,
    make_client,
    meta,
    raw_reply,
    split_at,
    sse_reply,
)

M27 = "MiniMax-M2.7"
PARAMS = ChatParams(model=M27, tools=[ToolDefinition("get_weather"), ToolDefinition("get_time")])


def chat(runner: Runner, whole: dict[str, Any] | bytes) -> ChatResult:
    server = FakeServer(json_reply(whole))
    return runner.chat(make_client(server, api="anthropic"), hi(), PARAMS)


def stream(runner: Runner, raw: bytes | list[bytes], **reply: Any) -> StreamOutcome:
    server = FakeServer(sse_reply(raw, **reply))
    return runner.stream(make_client(server, api="anthropic"), hi(), PARAMS)


def read(runner: Runner, whole: dict[str, Any], *, streamed: bool) -> ChatResult:
    """The answer ``whole``, sent as a document or streamed."""
    if not streamed:
        return chat(runner, whole)
    outcome = stream(runner, stream_of(whole))
    assert outcome.error is None
    assert outcome.result is not None
    return outcome.result


def details_of(result: ChatResult) -> list[dict[str, Any]]:
    assert result.message.reasoning is not None
    return result.message.reasoning.details or []


def assert_same_answer(streamed: ChatResult, whole: ChatResult) -> None:
    """What a user reads from a result: the answer, the reasoning (and what replays it), the
    calls, why it stopped, what it cost."""
    assert streamed.message.content == whole.message.content
    assert streamed.message.reasoning == whole.message.reasoning
    assert streamed.message.tool_calls == whole.message.tool_calls
    assert streamed.finish_reason == whole.finish_reason
    assert streamed.usage == whole.usage
    assert (streamed.id, streamed.model) == (whole.id, whole.model)
    assert streamed.invalid_tool_calls == whole.invalid_tool_calls == []


# --- whole documents -------------------------------------------------------------------------


def test_thinking_and_text(runner: Runner) -> None:
    result = chat(runner, message(thinking(), text()))
    assert result.message.content == ANSWER
    assert result.message.reasoning is not None
    assert result.message.reasoning.text == THINKING
    assert result.message.reasoning.inline is None
    (item,) = details_of(result)
    assert item["text"] == THINKING
    assert item["signature"] == SIG
    assert result.finish_reason == "stop"
    assert result.message.tool_calls == []
    assert (result.id, result.model) == ("06379fa1dfdd9047604b8abc088ea75c", M27)


# Two documents MiniMax sent (``/work/shared/captures/anthropic-messages-nonstream-*.doc.json``;
# the second one's thinking shortened).
RECORDED_M27 = {
    "id": "06379fa1dfdd9047604b8abc088ea75c",
    "type": "message",
    "role": "assistant",
    "model": "MiniMax-M2.7",
    "content": [
        {
            "thinking": 'The user says "Hello". This is a simple greeting. We should respond '
            "politely, greet them back, maybe ask how we can help.\n",
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
RECORDED_M21_TOOL_CALL = {
    "id": "05566b15ee32962663694a2772193ac7",
    "type": "message",
    "role": "assistant",
    "model": "MiniMax-M2.1",
    "content": [
        {
            "thinking": "Let me think about this request. The user is asking about the weather "
            "in San Francisco.",
            "signature": "cfa12f9d651953943c7a33278051b61f586e2eae016258ad6b824836778406bd",
            "type": "thinking",
        },
        {
            "type": "tool_use",
            "id": "call_function_3679004591_1",
            "name": "get_weather",
            "input": {"location": "San Francisco, US"},
        },
    ],
    "usage": {"input_tokens": 222, "output_tokens": 321},
    "stop_reason": "tool_use",
    "base_resp": {"status_code": 0, "status_msg": ""},
}


def test_the_recorded_documents(runner: Runner) -> None:
    result = chat(runner, RECORDED_M27)
    assert result.message.content == "Hello! How can I help you today?"
    assert result.message.reasoning is not None
    assert result.message.reasoning.text.startswith('The user says "Hello".')
    (item,) = details_of(result)
    assert item["signature"] == SIG2
    assert result.finish_reason == "stop"
    assert dataclasses.astuple(result.usage or TokenUsage()) == (39, 40, 79, None, 0, 0)

    result = chat(runner, RECORDED_M21_TOOL_CALL)
    (call,) = result.message.tool_calls
    assert (call.id, call.name, call.arguments) == (
        "call_function_3679004591_1",
        "get_weather",
        {"location": "San Francisco, US"},
    )
    assert result.finish_reason == "tool_calls"
    assert result.message.content == ""
    assert dataclasses.astuple(result.usage or TokenUsage()) == (222, 321, 543, None, None, None)


def test_tool_use_becomes_a_tool_call_with_parsed_arguments(runner: Runner) -> None:
    whole = message(
        thinking(),
        text("Let me look."),
        tool_use(),
        tool_use("call_function_3679004591_2", "get_time", {}),
        stop_reason="tool_use",
    )
    result = chat(runner, whole)
    assert result.message.content == "Let me look."
    assert [(c.id, c.name, c.arguments) for c in result.message.tool_calls] == [
        (WEATHER_ID, "get_weather", WEATHER_INPUT),
        ("call_function_3679004591_2", "get_time", {}),
    ]
    assert result.finish_reason == "tool_calls"


@pytest.mark.parametrize(
    ("stop_reason", "finish"),
    [
        ("end_turn", "stop"),
        ("max_tokens", "length"),
        ("tool_use", "tool_calls"),
        ("stop_sequence", "stop"),
    ],
)
def test_stop_reasons(runner: Runner, stop_reason: str, finish: str) -> None:
    content = [text("Hello")] + ([tool_use()] if stop_reason == "tool_use" else [])
    whole = message(*content, stop_reason=stop_reason)
    assert chat(runner, whole).finish_reason == finish
    outcome = stream(runner, stream_of(whole))
    assert outcome.result is not None
    assert outcome.result.finish_reason == finish
    assert [d.finish_reason for d in outcome.deltas if d.finish_reason] == [finish]


CACHED = {
    "input_tokens": 100,  # the uncached part only
    "output_tokens": 50,
    "cache_creation_input_tokens": 300,
    "cache_read_input_tokens": 2000,
}
CACHED_USAGE = TokenUsage(
    input_tokens=2400,
    output_tokens=50,
    total_tokens=2450,
    reasoning_tokens=None,
    cached_tokens=2000,
    cache_creation_tokens=300,
)


def test_usage_counts_every_input_token_cached_or_not(runner: Runner) -> None:
    assert chat(runner, message(text(), usage=CACHED)).usage == CACHED_USAGE


@pytest.mark.parametrize("full_usage", [True, False], ids=["minimax", "output-only"])
def test_streamed_usage_arrives_once_on_the_final_delta(runner: Runner, full_usage: bool) -> None:
    outcome = stream(
        runner, stream_of(message(thinking(), text(), usage=CACHED), full_usage=full_usage)
    )
    assert outcome.error is None
    assert [i for i, d in enumerate(outcome.deltas) if d.usage] == [len(outcome.deltas) - 1]
    assert outcome.deltas[-1].usage == CACHED_USAGE
    assert outcome.result is not None
    assert outcome.result.usage == CACHED_USAGE


@pytest.mark.parametrize("streamed", [False, True], ids=["whole", "streamed"])
def test_max_tokens_spent_on_thinking_is_an_empty_answer(runner: Runner, streamed: bool) -> None:
    whole = message(thinking(), stop_reason="max_tokens")
    with pytest.warns(EmptyAnswerWarning, match="max_tokens"):
        result = read(runner, whole, streamed=streamed)
    assert result.empty_answer is True
    assert result.finish_reason == "length"
    assert result.message.content == ""
    assert result.message.reasoning is not None
    assert result.message.reasoning.text == THINKING


def test_max_tokens_with_an_answer_is_not_empty(runner: Runner) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", EmptyAnswerWarning)
        result = chat(runner, message(thinking(), text("Par"), stop_reason="max_tokens"))
    assert result.empty_answer is False
    assert (result.message.content, result.finish_reason) == ("Par", "length")


def test_a_document_without_base_resp_or_type_is_read(runner: Runner) -> None:
    whole = message(text("Hi."))
    del whole["base_resp"], whole["type"]
    assert chat(runner, whole).message.content == "Hi."


# --- streams -------------------------------------------------------------------------------

FULL = message(
    thinking(),
    text(ANSWER),
    tool_use(),
    stop_reason="tool_use",
    usage=CACHED,
)


def test_the_full_grammar(runner: Runner) -> None:
    raw = stream_of(FULL, count=5)
    cuts = list(range(7, len(raw), 61))  # reads that cut lines and multi-byte characters
    outcome = stream(runner, split_at(raw, cuts), headers={"Trace-Id": "t-9"})
    assert outcome.error is None
    assert outcome.reasoning == THINKING
    assert outcome.text == ANSWER
    chunks = [c for d in outcome.deltas for c in d.tool_call_chunks]
    assert (chunks[0].id, chunks[0].name) == (WEATHER_ID, "get_weather")
    assert {c.index for c in chunks} == {0}
    assert json.loads("".join(c.arguments for c in chunks)) == WEATHER_INPUT
    assert len(chunks) > 2, "the arguments arrive in pieces"
    # The signature reaches the caller on a delta (frameworks merge the delta items).
    assert [i.get("signature") for d in outcome.deltas for i in d.reasoning_details or ()].count(
        SIG
    ) == 1
    assert [d.finish_reason for d in outcome.deltas if d.finish_reason] == ["tool_calls"]

    result = outcome.result
    assert result is not None
    assert result.request_id == "t-9"
    (item,) = details_of(result)
    assert (item["text"], item["signature"]) == (THINKING, SIG)
    (call,) = result.message.tool_calls
    assert (call.id, call.name, call.arguments) == (WEATHER_ID, "get_weather", WEATHER_INPUT)
    assert result.usage == CACHED_USAGE
    assert_same_answer(result, chat(runner, FULL))


INTERLEAVED = message(
    thinking("First I need the weather.", SIG),
    tool_use(),
    thinking("Then the time.", SIG2),
    tool_use("call_function_3679004591_2", "get_time", {}),
    stop_reason="tool_use",
)


@pytest.mark.parametrize(
    "whole",
    [
        FULL,
        INTERLEAVED,
        message(text("Hello ✨ — 東京")),
        message(thinking("Only thinking."), stop_reason="max_tokens"),
        message(tool_use("c1", "get_time", {}), stop_reason="tool_use"),
    ],
    ids=["full", "interleaved", "text-only", "thinking-only", "no-arg-call"],
)
def test_a_stream_reads_like_the_same_answer_not_streamed(
    runner: Runner, whole: dict[str, Any]
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EmptyAnswerWarning)
        outcome = stream(runner, stream_of(whole, count=4))
        once = chat(runner, whole)
    assert outcome.error is None
    assert outcome.result is not None
    assert_same_answer(outcome.result, once)
    assert outcome.text == once.message.content
    reasoning = once.message.reasoning.text if once.message.reasoning else ""
    assert outcome.reasoning == reasoning


def test_two_thinking_blocks_keep_their_signatures(runner: Runner) -> None:
    outcome = stream(runner, stream_of(INTERLEAVED))
    assert outcome.result is not None
    items = details_of(outcome.result)
    assert [(i["text"], i["signature"]) for i in items] == [
        ("First I need the weather.", SIG),
        ("Then the time.", SIG2),
    ]
    assert outcome.reasoning == "First I need the weather.Then the time."
    assert [c.name for c in outcome.result.message.tool_calls] == ["get_weather", "get_time"]


def test_a_json_answer_to_a_stream_request_is_read(runner: Runner) -> None:
    """A proxy that ignores ``stream: true`` and answers with the whole document."""
    server = FakeServer(json_reply(FULL))
    outcome = runner.stream(make_client(server, api="anthropic"), hi(), PARAMS)
    assert outcome.error is None
    assert outcome.result is not None
    assert outcome.text == ANSWER
    assert_same_answer(outcome.result, chat(runner, FULL))


def test_an_event_stream_sent_with_the_wrong_content_type_is_still_a_stream(
    runner: Runner,
) -> None:
    """A proxy that labels the stream ``application/json``: Anthropic streams start with an
    ``event:`` line (not ``data:``), and are decoded as the stream they are."""
    server = FakeServer(raw_reply(stream_of(FULL), 200, "application/json"))
    outcome = runner.stream(make_client(server, api="anthropic"), hi(), PARAMS)
    assert outcome.error is None
    assert outcome.result is not None
    assert outcome.text == ANSWER
    assert_same_answer(outcome.result, chat(runner, FULL))


def test_unknown_events_and_blocks_are_ignored(runner: Runner) -> None:
    plain = stream_events(FULL)
    noisy: list[dict[str, Any] | str] = []
    for item in plain:
        noisy.append(item)
        if item["type"] == "ping":
            noisy.append(": a comment line\n\n")
            noisy.append({"type": "future_event", "payload": {"x": 1}})
            # A block type this package does not know, with a delta that looks like a tool's.
            noisy.append(
                {
                    "type": "content_block_start",
                    "index": 7,
                    "content_block": {
                        "type": "server_tool_use",
                        "id": "srv_1",
                        "name": "web_search",
                        "input": {},
                    },
                }
            )
            noisy.append(
                {
                    "type": "content_block_delta",
                    "index": 7,
                    "delta": {"type": "input_json_delta", "partial_json": '{"query": "weather"}'},
                }
            )
            noisy.append({"type": "content_block_stop", "index": 7})
            noisy.append(
                {
                    "type": "content_block_start",
                    "index": 8,
                    "content_block": {
                        "type": "web_search_tool_result",
                        "tool_use_id": "srv_1",
                        "content": [],
                    },
                }
            )
            noisy.append({"type": "content_block_stop", "index": 8})
        if item["type"] == "content_block_delta" and item["delta"]["type"] == "text_delta":
            noisy.append(
                {
                    "type": "content_block_delta",
                    "index": item["index"],
                    "delta": {
                        "type": "citations_delta",
                        "citation": {"type": "char_location", "cited_text": "x"},
                    },
                }
            )
    outcome = stream(runner, events(*noisy))
    assert outcome.error is None
    assert outcome.result is not None
    assert_same_answer(outcome.result, chat(runner, FULL))
    assert outcome.text == ANSWER
    assert outcome.reasoning == THINKING


def test_unknown_blocks_in_a_whole_document_are_ignored(runner: Runner) -> None:
    whole = message(
        thinking(),
        {"type": "server_tool_use", "id": "srv_1", "name": "web_search", "input": {"q": "x"}},
        text(),
    )
    result = chat(runner, whole)
    assert result.message.content == ANSWER
    assert result.message.tool_calls == []


def test_redacted_thinking_is_kept_for_replay(runner: Runner) -> None:
    whole = message(thinking(), {"type": "redacted_thinking", "data": "EmwKAhgBEgy3"}, text())
    result = chat(runner, whole)
    assert result.message.content == ANSWER
    assert result.message.reasoning is not None
    assert result.message.reasoning.text == THINKING
    assert [i.get("data") for i in details_of(result)] == [None, "EmwKAhgBEgy3"]


@pytest.mark.parametrize(
    "upto",
    ["content_block_stop", "text_delta", "message_stop"],
)
def test_a_stream_that_ends_without_a_stop_reason_is_interrupted(runner: Runner, upto: str) -> None:
    """No ``message_delta``: the answer may be cut; the text so far is in ``partial_text``."""
    items = stream_events(message(text("Paris is the capital"), usage=USAGE), count=3)
    deltas_at = [i for i, e in enumerate(items) if e["type"] == "content_block_delta"]
    if upto == "text_delta":
        kept = items[: deltas_at[1] + 1]
        partial = "".join(
            e["delta"]["text"]
            for e in items[: deltas_at[1] + 1]
            if e["type"] == "content_block_delta"
        )
    elif upto == "content_block_stop":
        kept = [e for e in items if e["type"] not in ("message_delta", "message_stop")]
        partial = "Paris is the capital"
    else:
        kept = [e for e in items if e["type"] != "message_delta"]
        partial = "Paris is the capital"
    server = FakeServer(sse_reply(events(*kept)))
    outcome = runner.stream(make_client(server, api="anthropic"), hi(), PARAMS)
    assert isinstance(outcome.error, StreamInterruptedError)
    assert outcome.error.partial_text == partial
    assert outcome.text == partial
    assert server.count == 1  # part of the answer was delivered: never sent again


def test_a_stream_that_ends_before_any_answer_is_retried(runner: Runner) -> None:
    start = stream_events(message(text("x")))[:2]  # message_start, ping
    server = FakeServer(sse_reply(events(*start)), sse_reply(stream_of(message(text("Paris.")))))
    outcome = runner.stream(make_client(server, api="anthropic"), hi(), PARAMS)
    assert outcome.error is None
    assert outcome.text == "Paris."
    assert server.count == 2


# --- the pure decoder under any chunking --------------------------------------------------------

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
_words = st.text(
    alphabet=st.sampled_from(["a", "b", " ", "\n", "é", "東", "🚀", "<", ">", '"', "\\", "{", "}"]),
    min_size=1,
    max_size=10,
)


@FUZZ
@given(
    thought=st.none() | _words,
    answer=st.none() | _words,
    arguments=st.none()
    | st.dictionaries(st.text(max_size=4), st.text(max_size=6) | st.integers(), max_size=3),
    count=st.integers(1, 6),
    full_usage=st.booleans(),
    data=st.data(),
)
def test_any_chunking_of_a_stream_gives_the_same_result(
    thought: str | None,
    answer: str | None,
    arguments: dict[str, Any] | None,
    count: int,
    full_usage: bool,
    data: st.DataObject,
) -> None:
    content: list[dict[str, Any]] = []
    if thought is not None:
        content.append(thinking(thought, SIG))
    if answer is not None:
        content.append(text(answer))
    if arguments is not None:
        content.append(tool_use("call_1", "lookup", arguments))
    whole = message(
        *content, stop_reason="tool_use" if arguments is not None else "end_turn", usage=CACHED
    )
    raw = stream_of(whole, count=count, full_usage=full_usage)
    cuts = data.draw(st.lists(st.integers(0, len(raw)), max_size=16), label="cuts")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EmptyAnswerWarning)
        deltas, result = decode(prepared(stream=True), split_at(raw, cuts))
        _, reference = decode(prepared(stream=True), [raw])
        once = interpret_chat(prepared(stream=False), meta(200), json.dumps(whole).encode())

    # Leading whitespace of the answer is dropped on every route (``_think``'s rule).
    assert "".join(d.text for d in deltas) == (answer or "").lstrip() == result.message.content
    assert "".join(d.reasoning for d in deltas) == (thought or "")
    assert_same_answer(result, reference)
    assert_same_answer(result, once)
    if arguments is not None:
        streamed_args = "".join(c.arguments for d in deltas for c in d.tool_call_chunks)
        assert (json.loads(streamed_args) if streamed_args else {}) == arguments
    assert [d.finish_reason for d in deltas if d.finish_reason] == [result.finish_reason]


def test_the_event_name_line_is_not_needed() -> None:
    """Proxies that drop ``event:`` lines: the ``type`` inside the data decides."""
    raw = "".join(
        f"data: {json.dumps(e)}\n\n" for e in stream_events(message(thinking(), text()))
    ).encode()
    deltas, result = decode(prepared(stream=True), [raw])
    assert "".join(d.text for d in deltas) == ANSWER
    assert result.message.reasoning is not None
    assert result.message.reasoning.text == THINKING
