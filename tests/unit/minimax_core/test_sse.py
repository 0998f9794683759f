"""The sans-I/O SSE decoder (WHATWG ``text/event-stream``): framing, fields, any chunking."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minimax_core._sse import SSEDecoder, SSEEvent

from .support import split_at


def run(pieces: list[bytes]) -> list[SSEEvent]:
    decoder = SSEDecoder()
    events: list[SSEEvent] = []
    for piece in pieces:
        events.extend(decoder.feed(piece))
    events.extend(decoder.close())
    return events


def test_one_data_event() -> None:
    assert run([b'data: {"a":1}\n\n']) == [SSEEvent(data='{"a":1}')]


@pytest.mark.parametrize("eol", [b"\n", b"\r\n", b"\r"], ids=["LF", "CRLF", "CR"])
def test_every_line_ending_gives_the_same_events(eol: bytes) -> None:
    stream = eol.join([b"data: one", b"", b"data: two", b"data: lines", b"", b""])
    assert run([stream]) == [SSEEvent("one"), SSEEvent("two\nlines")]


def test_mixed_line_endings_in_one_stream() -> None:
    assert run([b"data: a\r\n\ndata: b\r\rdata: c\n\r\n"]) == [
        SSEEvent("a"),
        SSEEvent("b"),
        SSEEvent("c"),
    ]


def test_crlf_cut_between_two_reads_is_one_line_end() -> None:
    # "data: a\r" | "\ndata: b\r\n\r\n": the "\n" completes the "\r", it is not an empty line.
    assert run([b"data: a\r", b"\ndata: b\r\n\r\n"]) == [SSEEvent("a\nb")]


def test_crlf_cut_with_an_empty_read_in_between() -> None:
    assert run([b"data: a\r", b"", b"\ndata: b\r\n\r\n"]) == [SSEEvent("a\nb")]


def test_comments_are_ignored() -> None:
    stream = b": keep-alive\n\n:another\ndata: x\n: inside\n\n"
    assert run([stream]) == [SSEEvent("x")]


def test_multi_line_data_is_joined_with_newlines() -> None:
    assert run([b'data: {\ndata:  "a": 1\ndata: }\n\n']) == [SSEEvent('{\n "a": 1\n}')]


def test_only_one_leading_space_is_removed_and_no_space_is_fine() -> None:
    assert run([b"data:x\n\ndata:  y\n\n"]) == [SSEEvent("x"), SSEEvent(" y")]


def test_field_without_colon_is_an_empty_value() -> None:
    assert run([b"data\n\n"]) == [SSEEvent("")]


def test_event_id_and_retry_fields() -> None:
    stream = b"event: error\nid: 7\nretry: 1500\ndata: {}\n\ndata: next\n\n"
    first, second = run([stream])
    assert first == SSEEvent(data="{}", event="error", id="7", retry=1500)
    # The event name applies to one event only; the last event id persists (WHATWG).
    assert second.event == "message"
    assert second.id == "7"


def test_invalid_retry_and_unknown_fields_are_ignored() -> None:
    assert run([b"retry: soon\nfoo: bar\ndata: x\n\n"]) == [SSEEvent("x")]


def test_id_with_nul_is_ignored() -> None:
    assert run([b"id: a\x00b\ndata: x\n\n"]) == [SSEEvent("x", id=None)]


def test_event_without_data_is_not_dispatched_and_resets_its_name() -> None:
    assert run([b"event: ping\n\ndata: x\n\n"]) == [SSEEvent("x", event="message")]


def test_unterminated_last_event_is_delivered_at_close() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: first\n\ndata: tail") == [SSEEvent("first")]
    assert decoder.close() == [SSEEvent("tail")]


def test_last_event_without_blank_line_is_delivered_at_close() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: tail\n") == []
    assert decoder.close() == [SSEEvent("tail")]


def test_close_on_a_clean_end_delivers_nothing_more() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"data: x\n\n")
    assert decoder.close() == []


def test_multibyte_utf8_cut_between_reads_is_not_mangled() -> None:
    raw = "data: café → 東京 🚀\n\n".encode()
    for cut in range(1, len(raw)):
        assert run([raw[:cut], raw[cut:]]) == [SSEEvent("café → 東京 🚀")], cut


# --- properties --------------------------------------------------------------------------

_line_text = st.text(
    alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=["Cs"]),
    max_size=12,
)
_events = st.lists(st.lists(_line_text, min_size=1, max_size=3), max_size=5)
_eol = st.sampled_from([b"\n", b"\r\n", b"\r"])


@settings(max_examples=200, deadline=None)
@given(events=_events, eol=_eol, data=st.data())
def test_any_chunking_yields_the_events_written(
    events: list[list[str]], eol: bytes, data: st.DataObject
) -> None:
    """Events written with any line ending and cut anywhere come back exactly as written."""
    stream = b""
    for lines in events:
        for line in lines:
            # A data line starting with ":" would be fine (it is the value), but a value that
            # starts with a space loses exactly one space: write it with the separating space.
            stream += b"data: " + line.encode() + eol
        stream += eol
    cuts = data.draw(st.lists(st.integers(0, len(stream)), max_size=8))
    assert run(split_at(stream, cuts)) == [SSEEvent("\n".join(lines)) for lines in events]


@settings(max_examples=300, deadline=None)
@given(
    raw=st.lists(
        st.sampled_from([b"data: x", b"data:", b": c", b"event: e", b"id: 1", b"\xc3", b"\xa9"])
        | st.sampled_from([b"\r", b"\n", b"\r\n", b"y"]),
        max_size=20,
    ).map(b"".join),
    data=st.data(),
)
def test_any_chunking_of_any_bytes_equals_feeding_them_whole(
    raw: bytes, data: st.DataObject
) -> None:
    cuts = data.draw(st.lists(st.integers(0, len(raw)), max_size=10))
    assert run(split_at(raw, cuts)) == run([raw])
