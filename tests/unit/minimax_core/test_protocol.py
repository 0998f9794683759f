"""Whole replies and streams end in the same answer: byte fixtures re-split anywhere.

The fixtures (``tests/fixtures/streams``) are written from the protocol facts in
``docs/protocol-notes.md``; their expected answers are stated where they are composed (``build.py``
→ ``manifest.json``).
"""

from __future__ import annotations

import dataclasses
import json
import warnings
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minimax_core import (
    APIConnectionError,
    ChatDelta,
    ChatResult,
    EmptyAnswerWarning,
    MalformedResponseError,
    StreamInterruptedError,
)
from minimax_core._protocol import ChatStreamDecoder, interpret_chat, interpret_embeddings

from .support import (
    STREAM_NAMES,
    StreamFixture,
    chunk,
    completion,
    decode,
    meta,
    split_at,
    sse,
    stream_fixture,
)

FIXTURES = {name: stream_fixture(name) for name in STREAM_NAMES}
SSE_META = {"content-type": "text/event-stream"}


def whole_result(fx: StreamFixture) -> ChatResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EmptyAnswerWarning)
        return interpret_chat(fx.prepared(stream=False), meta(200), fx.whole)


def streamed(
    fx: StreamFixture, pieces: list[bytes], prepared: Any = None
) -> tuple[list[ChatDelta], ChatResult]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EmptyAnswerWarning)
        return decode(prepared or fx.prepared(stream=True), pieces)


def assert_expected(result: ChatResult, expect: dict[str, Any]) -> None:
    message = result.message
    reasoning = message.reasoning
    assert message.content == expect["content"]
    assert (reasoning.text if reasoning else "") == expect["reasoning"]
    assert (reasoning.details if reasoning else None) == expect["reasoning_details"]
    assert (reasoning.inline if reasoning else None) == expect["inline"]
    assert [(c.id, c.name, c.arguments) for c in message.tool_calls] == [
        (t["id"], t["name"], t["arguments"]) for t in expect["tool_calls"]
    ]
    assert result.invalid_tool_calls == []
    assert result.usage is not None
    assert dataclasses.asdict(result.usage) == expect["usage"]
    assert result.finish_reason == expect["finish_reason"]
    assert result.empty_answer is expect.get("empty_answer", False)


def assert_deltas_rebuild(deltas: list[ChatDelta], result: ChatResult) -> None:
    """The deltas add up to the final answer: nothing duplicated, nothing lost."""
    message = result.message
    reasoning = message.reasoning
    assert "".join(d.text for d in deltas) == message.content
    assert "".join(d.reasoning for d in deltas) == (reasoning.text if reasoning else "")
    calls: dict[int, dict[str, Any]] = {}
    for delta in deltas:
        for piece in delta.tool_call_chunks:
            call = calls.setdefault(piece.index, {"id": None, "name": None, "arguments": ""})
            call["id"] = piece.id or call["id"]
            call["name"] = piece.name or call["name"]
            call["arguments"] += piece.arguments
    assert [
        (c["id"], c["name"], json.loads(c["arguments"] or "{}")) for _, c in sorted(calls.items())
    ] == [(c.id, c.name, c.arguments) for c in message.tool_calls]
    details: dict[int, dict[str, Any]] = {}
    for delta in deltas:
        for item in delta.reasoning_details or ():
            if item["index"] in details:
                details[item["index"]]["text"] += item["text"]
            else:
                details[item["index"]] = dict(item)
    assert ([details[i] for i in sorted(details)] or None) == (
        reasoning.details if reasoning else None
    )
    # finish_reason, usage and the raw inline content are each reported exactly once.
    assert [d.finish_reason for d in deltas if d.finish_reason] == [result.finish_reason]
    assert [d.usage for d in deltas if d.usage] == [result.usage]
    inline = reasoning.inline if reasoning else None
    assert [d.raw_content for d in deltas if d.raw_content] == ([inline] if inline else [])


# --- each fixture, whole and streamed --------------------------------------------------------


@pytest.mark.parametrize("name", STREAM_NAMES)
def test_non_streamed_body_gives_the_expected_answer(name: str) -> None:
    fx = FIXTURES[name]
    assert_expected(whole_result(fx), fx.expect)


@pytest.mark.parametrize("name", STREAM_NAMES)
def test_stream_in_one_piece_gives_the_expected_answer(name: str) -> None:
    fx = FIXTURES[name]
    deltas, result = streamed(fx, [fx.sse])
    assert_expected(result, fx.expect)
    assert_deltas_rebuild(deltas, result)


@pytest.mark.parametrize("name", STREAM_NAMES)
def test_stream_cut_at_every_offset_equals_the_non_streamed_answer(name: str) -> None:
    fx = FIXTURES[name]
    expected = whole_result(fx)
    data = fx.sse
    prepared = fx.prepared(stream=True)
    for cut in range(1, len(data)):
        deltas, result = streamed(fx, [data[:cut], data[cut:]], prepared)
        assert result == expected, f"cut at byte {cut}"
        assert_deltas_rebuild(deltas, result)


@pytest.mark.parametrize("name", STREAM_NAMES)
def test_stream_fed_byte_by_byte_equals_the_non_streamed_answer(name: str) -> None:
    fx = FIXTURES[name]
    data = fx.sse
    deltas, result = streamed(fx, [data[i : i + 1] for i in range(len(data))])
    assert result == whole_result(fx)
    assert_deltas_rebuild(deltas, result)


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(STREAM_NAMES), data=st.data())
def test_any_chunking_equals_the_non_streamed_answer(name: str, data: st.DataObject) -> None:
    fx = FIXTURES[name]
    cuts = data.draw(st.lists(st.integers(0, len(fx.sse)), max_size=25), label="cuts")
    deltas, result = streamed(fx, split_at(fx.sse, cuts))
    assert result == whole_result(fx)
    assert_deltas_rebuild(deltas, result)


def test_empty_answer_warns_and_flags_the_result() -> None:
    for name in ("openai-split-length-empty", "openai-unsplit-length-empty"):
        fx = FIXTURES[name]
        with pytest.warns(EmptyAnswerWarning, match="max_tokens"):
            result = decode(fx.prepared(stream=True), [fx.sse])[1]
        assert result.empty_answer
        with pytest.warns(EmptyAnswerWarning):
            assert interpret_chat(fx.prepared(stream=False), meta(), fx.whole).empty_answer


def test_native_summary_is_not_appended_twice() -> None:
    fx = FIXTURES["native-inline-think"]
    body = fx.sse
    # The stream's last event is the summary: its complete message must add nothing.
    events = body.split(b"\n\n")
    summary = json.loads(events[-2].removeprefix(b"data: "))
    assert summary["object"] == "chat.completion"
    deltas, result = streamed(fx, [body])
    assert result.message.content.count("東京") == 1
    assert "".join(d.text for d in deltas) == result.message.content


def test_native_m1_answer_streams_as_it_arrives() -> None:
    """Reasoning came as reasoning_content: the answer text is not held back to the end."""
    fx = FIXTURES["native-m1-reasoning-content"]
    events = [e + b"\n\n" for e in fx.sse.split(b"\n\n") if e]
    decoder = ChatStreamDecoder(fx.prepared(stream=True))
    decoder.begin(meta(200, SSE_META))
    texts = ["".join(d.text for d in decoder.feed(event)) for event in events]
    # Events: two reasoning chunks, two answer chunks, the summary.
    assert texts == ["", "", "2 + 2 = ", "4 ✓", ""]
    assert "".join(d.text for d in decoder.close()) == ""


# --- stream endings -------------------------------------------------------------------------


def prepared_m27(stream: bool = True) -> Any:
    return FIXTURES["openai-split-incremental"].prepared(stream=stream)


def test_done_ends_the_stream_and_later_events_are_ignored() -> None:
    body = sse(chunk("a", finish="stop"), "[DONE]", chunk("b", finish="stop"), done=False)
    _, result = decode(prepared_m27(), [body])
    assert result.message.content == "a"


def test_eof_after_a_finish_reason_is_a_complete_stream() -> None:
    _, result = decode(prepared_m27(), [sse(chunk("a"), chunk("b", finish="stop"), done=False)])
    assert (result.message.content, result.finish_reason) == ("ab", "stop")


def test_eof_before_any_finish_reason_raises_with_the_partial_text() -> None:
    with pytest.raises(StreamInterruptedError) as info:
        decode(prepared_m27(), [sse(chunk("Hello "), chunk("wor"), done=False)])
    assert info.value.partial_text == "Hello wor"
    assert not info.value.is_retryable


@pytest.mark.parametrize("empty", [b"data: \n\n", b"data:\n\n", b"data:  \r\n\r\n"])
def test_an_empty_data_event_carries_nothing_and_loses_nothing(empty: bytes) -> None:
    """Seen as an "empty [DONE]" at the end of real streams; anywhere, it is skipped."""
    body = sse(chunk("Hel"), done=False) + empty + sse(chunk("lo", finish="stop"), done=False)
    _, result = decode(prepared_m27(), [body + empty])
    assert (result.message.content, result.finish_reason) == ("Hello", "stop")


def test_done_without_any_finish_reason_completes_the_stream() -> None:
    # `[DONE]` is the server's own end-of-answer mark: the answer is whole, without a reason.
    _, result = decode(prepared_m27(), [sse(chunk("Hello"), done=True)])
    assert (result.message.content, result.finish_reason) == ("Hello", None)


def test_the_same_stream_without_done_is_incomplete() -> None:
    with pytest.raises(StreamInterruptedError) as info:
        decode(prepared_m27(), [sse(chunk("Hello"), done=False)])
    assert info.value.partial_text == "Hello"


def test_an_empty_stream_is_incomplete() -> None:
    with pytest.raises(StreamInterruptedError) as info:
        decode(prepared_m27(), [b""])
    assert info.value.partial_text == ""


def test_a_last_event_cut_mid_json_is_an_interrupted_stream() -> None:
    body = sse(chunk("Hello"), done=False) + b'data: {"id":"x","choices":[{"ind'
    with pytest.raises(StreamInterruptedError) as info:
        decode(prepared_m27(), [body])
    assert info.value.partial_text == "Hello"


def test_an_unterminated_but_complete_last_event_is_used() -> None:
    body = (
        sse(chunk("Hello"), done=False) + b"data: " + json.dumps(chunk("!", finish="stop")).encode()
    )
    _, result = decode(prepared_m27(), [body])
    assert (result.message.content, result.finish_reason) == ("Hello!", "stop")


def test_a_malformed_chunk_mid_stream_is_a_malformed_response() -> None:
    body = sse(chunk("a"), "{not json", chunk("b", finish="stop"))
    with pytest.raises(MalformedResponseError, match="not a valid chat payload"):
        decode(prepared_m27(), [body])


def test_role_only_and_empty_chunks_produce_no_deltas() -> None:
    body = sse(chunk(role=""), chunk(""), chunk("a", role=""), chunk(finish="stop"))
    deltas, result = decode(prepared_m27(), [body])
    assert [(d.text, d.finish_reason) for d in deltas] == [("a", None), ("", "stop")]
    assert result.message.content == "a"


def test_usage_comes_from_the_usage_chunk_and_zero_usage_is_ignored() -> None:
    zero = {"total_tokens": 0, "total_characters": 0}
    full = {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10}
    body = sse(chunk("a", usage=zero), chunk("b", usage=zero, finish="stop"))
    body_with_usage = body.replace(
        b"data: [DONE]",
        b"data: "
        + json.dumps(
            {"id": "x", "choices": [], "usage": full, "base_resp": {"status_code": 0}}
        ).encode()
        + b"\n\ndata: [DONE]",
    )
    assert decode(prepared_m27(), [body])[1].usage is None
    usage = decode(prepared_m27(), [body_with_usage])[1].usage
    assert usage is not None
    assert (usage.input_tokens, usage.output_tokens, usage.total_tokens) == (7, 3, 10)


def test_choices_other_than_the_first_are_ignored() -> None:
    body = sse(chunk("other", index=1), chunk("mine", finish="stop"))
    assert decode(prepared_m27(), [body])[1].message.content == "mine"


# --- the whole-body path of a stream request ----------------------------------------------


def test_json_reply_to_a_stream_request_is_read_as_one_answer() -> None:
    decoder = ChatStreamDecoder(prepared_m27())
    decoder.begin(meta(200, {"content-type": "application/json"}))
    body = json.dumps(completion("Hi there", reasoning="r")).encode()
    deltas = decoder.whole(body)
    result = decoder.result()
    assert result.message.content == "Hi there"
    assert "".join(d.text for d in deltas) == "Hi there"


def test_an_event_stream_with_the_wrong_content_type_is_still_decoded() -> None:
    decoder = ChatStreamDecoder(prepared_m27())
    decoder.begin(meta(200, {"content-type": "application/json"}))
    deltas = decoder.whole(sse(chunk("a"), chunk("b", finish="stop")))
    assert "".join(d.text for d in deltas) == "ab"
    assert decoder.result().message.content == "ab"


def test_interrupted_wraps_a_broken_connection() -> None:
    decoder = ChatStreamDecoder(prepared_m27())
    decoder.begin(meta(200, {**SSE_META, "Trace-Id": "trace-1"}))
    decoder.feed(sse(chunk("partial"), done=False))
    error = decoder.interrupted(APIConnectionError("peer closed connection"))
    assert isinstance(error, StreamInterruptedError)
    assert error.partial_text == "partial"
    assert error.request_id == "trace-1"
    assert "peer closed connection" in str(error)


def test_request_id_of_the_result_comes_from_the_response_headers() -> None:
    headers = {"Trace-Id": "0640ba83aaaa", "Minimax-Request-Id": "33bd0a67bbbb"}
    result = interpret_chat(
        prepared_m27(False), meta(200, headers), json.dumps(completion("x")).encode()
    )
    # Trace-Id is the id MiniMax puts in bodies too: one id per request
    # (``docs/protocol-notes.md`` §1.4).
    assert result.request_id == "0640ba83aaaa"


def test_a_non_json_success_body_is_malformed() -> None:
    with pytest.raises(MalformedResponseError):
        interpret_chat(prepared_m27(False), meta(200), b"<html>proxy page</html>")


# --- embeddings replies --------------------------------------------------------------------


def test_embeddings_vectors_are_returned_in_order() -> None:
    body = json.dumps({"vectors": [[0.1, 0.2], [0.3, 0.4]], "base_resp": {"status_code": 0}})
    assert interpret_embeddings(2, meta(), body.encode()) == [[0.1, 0.2], [0.3, 0.4]]


@pytest.mark.parametrize(
    "body",
    [{"vectors": [[0.1]], "base_resp": {"status_code": 0}}, {"base_resp": {"status_code": 0}}],
)
def test_embeddings_vector_count_mismatch_is_malformed(body: dict[str, Any]) -> None:
    with pytest.raises(MalformedResponseError, match="Asked for 2 embeddings"):
        interpret_embeddings(2, meta(), json.dumps(body).encode())


def test_embeddings_non_json_reply_is_malformed() -> None:
    with pytest.raises(MalformedResponseError, match="not JSON"):
        interpret_embeddings(1, meta(200, {"Trace-Id": "t-9"}), b"oops")


def test_meta_headers_are_case_insensitive() -> None:
    assert meta(200, {"CONTENT-TYPE": "text/event-stream; charset=utf-8"}).is_event_stream
    assert not meta(200, {}).is_event_stream
    assert meta(200, {}).request_id is None
    assert isinstance(meta().headers, httpx.Headers)


def test_done_without_the_final_blank_line_ends_the_stream() -> None:
    body = sse(chunk("a", finish="stop"), done=False) + b"data: [DONE]"
    deltas, result = decode(prepared_m27(), [body])
    assert result.message.content == "a"
    assert "".join(d.text for d in deltas) == "a"
