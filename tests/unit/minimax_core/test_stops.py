"""Client-side stop sequences: MiniMax ignores ``stop``, so we cut.

MiniMax's behaviour: ``docs/protocol-notes.md`` §3.1; ours: §12.4.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minimax_core import ChatParams, UserMessage
from minimax_core._protocol import interpret_chat
from minimax_core._request import prepare_chat
from minimax_core._stops import StopMatcher

from .support import chunk, completion, decode, meta, split_text, sse


def run(stops: list[str], parts: list[str]) -> str:
    matcher = StopMatcher(stops)
    return "".join(matcher.feed(p) for p in parts) + matcher.close()


def test_cut_at_the_stop_sequence() -> None:
    assert run(["\nObservation:"], ["Thought: x\nAction: y\nObservation: z"]) == (
        "Thought: x\nAction: y"
    )


def test_stop_split_across_pieces() -> None:
    assert run(["\nObservation:"], ["Action: y\nObs", "erva", "tion: z"]) == "Action: y"


def test_the_earliest_stop_wins() -> None:
    assert run(["END", "STOP"], ["a STOP b END"]) == "a "


def test_text_that_only_looks_like_a_stop_start_is_released() -> None:
    matcher = StopMatcher(["\nObservation:"])
    assert matcher.feed("x\nObs") == "x"
    assert matcher.feed("cure") == "\nObscure"
    assert matcher.close() == ""


def test_held_text_is_released_at_the_end() -> None:
    assert run(["STOP"], ["abc ST"]) == "abc ST"


def test_nothing_after_the_stop() -> None:
    matcher = StopMatcher(["!"])
    assert matcher.feed("hi! there") == "hi"
    assert matcher.stopped
    assert matcher.feed("more") == ""
    assert matcher.close() == ""


def test_no_stops_passes_text_through() -> None:
    assert run([], ["a", "b"]) == "ab"
    assert run([""], ["a", "b"]) == "ab"


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="abO\n:é", max_size=30),
    stops=st.lists(st.text(alphabet="abO\n:é", min_size=1, max_size=4), min_size=1, max_size=3),
    data=st.data(),
)
def test_any_chunking_cuts_at_the_first_occurrence(
    text: str, stops: list[str], data: st.DataObject
) -> None:
    parts = split_text(text, data.draw(st.lists(st.integers(0, len(text)), max_size=6)))
    found = [i for i in (text.find(s) for s in stops) if i >= 0]
    expected = text[: min(found)] if found else text
    assert run(stops, parts) == expected


# --- through the stream decoder and the non-streamed interpreter ---------------------------


@pytest.mark.parametrize(
    "parts",
    [
        ["Thought: look up\nAction: search\nObservation: sunny\nmore"],
        ["Thought: look up\nAction: search\nObs", "ervation: sunny\nmore"],
        ["Thought: look up\nAction: search\n", "Observation", ": sunny\nmore"],
    ],
)
def test_streamed_and_whole_answers_are_cut_alike(parts: list[str]) -> None:
    params = ChatParams(model="MiniMax-M2.7", stop=["\nObservation:"])
    events = [chunk(p) for p in parts[:-1]] + [chunk(parts[-1], finish="stop")]
    prepared = prepare_chat([UserMessage("q")], params, api="openai", stream=True)
    deltas, streamed = decode(prepared, [sse(*events)])
    whole_body = json.dumps(completion("".join(parts))).encode()
    whole = interpret_chat(
        prepare_chat([UserMessage("q")], params, api="openai", stream=False), meta(), whole_body
    )
    assert streamed.message.content == whole.message.content == "Thought: look up\nAction: search"
    assert "".join(d.text for d in deltas) == streamed.message.content
    assert streamed.finish_reason == whole.finish_reason == "stop"
    # The request still carries the stop sequences (harmless, and honoured if MiniMax starts to).
    assert json.loads(prepared.body)["stop"] == ["\nObservation:"]


def test_a_stop_hit_turns_a_length_finish_into_stop() -> None:
    params = ChatParams(model="MiniMax-M2.7", stop=["###"])
    prepared = prepare_chat([UserMessage("q")], params, api="openai", stream=True)
    _, result = decode(prepared, [sse(chunk("one ### two", finish="length"))])
    assert (result.message.content, result.finish_reason) == ("one ", "stop")


def test_a_longer_stop_starting_earlier_wins_across_pieces() -> None:
    # Found by hypothesis: "a" completes first in the stream, but ":a:" starts one character
    # earlier; the whole text is cut at ":a:", so the stream must be too.
    assert run(["a", ":a:"], ["::a", ":"]) == ":"
    assert run(["a", ":a:"], ["::a"]) == "::"
    assert run(["a", ":a:"], ["::a:"]) == ":"


def test_text_held_as_a_possible_stop_is_released_when_the_stream_ends() -> None:
    params = ChatParams(model="MiniMax-M2.7", stop=["\nObservation:"])
    prepared = prepare_chat([UserMessage("q")], params, api="openai", stream=True)
    deltas, result = decode(prepared, [sse(chunk("Final answer: 42\nObs", finish="stop"))])
    assert result.message.content == "Final answer: 42\nObs"
    assert "".join(d.text for d in deltas) == result.message.content
    # The held "\nObs" arrives on the closing delta.
    assert deltas[-1].text == "\nObs"
