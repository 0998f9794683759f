"""Streamed reasoning: incremental pieces or cumulative snapshots.

Both occur on the live service (``docs/protocol-notes.md`` §4.2).
"""

from __future__ import annotations

from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from minimax_core._reasoning import ReasoningDetailsAccumulator, SnapshotAccumulator

from .support import detail


def feed_all(pieces: list[str]) -> tuple[list[str], str]:
    acc = SnapshotAccumulator()
    deltas = [acc.add(p) for p in pieces]
    return deltas, acc.text


def test_incremental_pieces_are_appended() -> None:
    assert feed_all(["The user", " asks", " for Paris."]) == (
        ["The user", " asks", " for Paris."],
        "The user asks for Paris.",
    )


def test_cumulative_snapshots_yield_only_the_new_suffix() -> None:
    assert feed_all(["The user", "The user asks", "The user asks for Paris."]) == (
        ["The user", " asks", " for Paris."],
        "The user asks for Paris.",
    )


def test_empty_pieces_add_nothing() -> None:
    assert feed_all(["", "a", "", "b"]) == (["", "a", "", "b"], "ab")


def test_a_snapshot_that_does_not_extend_the_text_is_appended() -> None:
    """Starts with the text so far -> suffix, otherwise append (``docs/protocol-notes.md`` §4.2)."""
    deltas, text = feed_all(["ab", "abc", "xyz"])
    assert deltas == ["ab", "c", "xyz"]
    assert text == "abcxyz"


def test_the_mode_is_decided_once() -> None:
    # Incremental stream whose third piece happens to start with the text so far: still a piece.
    deltas, text = feed_all(["a", "b", "ab-more"])
    assert deltas == ["a", "b", "ab-more"]
    assert text == "abab-more"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=8))
def test_cumulative_and_incremental_streams_of_the_same_text_agree(parts: list[str]) -> None:
    snapshots = ["".join(parts[: i + 1]) for i in range(len(parts))]
    deltas, text = feed_all(snapshots)
    assert text == "".join(parts)
    assert "".join(deltas) == text


# --- reasoning_details items ---------------------------------------------------------------


def merge_deltas(deltas: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add delta items up the way frameworks merge chunks: by index, text concatenated."""
    merged: dict[int, dict[str, Any]] = {}
    for item in deltas:
        index = item["index"]
        if index not in merged:
            merged[index] = dict(item)
        else:
            merged[index]["text"] += item["text"]
    return [merged[i] for i in sorted(merged)]


def test_incremental_details_merge_into_the_first_item_with_the_whole_text() -> None:
    acc = ReasoningDetailsAccumulator()
    chunks = [[detail("The user")], [detail(" asks.")]]
    got = [acc.add(items) for items in chunks]
    assert [text for text, _ in got] == ["The user", " asks."]
    assert acc.text == "The user asks."
    assert acc.items() == [detail("The user asks.")]


def test_cumulative_details_are_not_duplicated() -> None:
    acc = ReasoningDetailsAccumulator()
    texts = [acc.add([detail(s)])[0] for s in ["The", "The user", "The user asks."]]
    assert texts == ["The", " user", " asks."]
    assert acc.items() == [detail("The user asks.")]


def test_the_first_items_keys_are_kept_verbatim() -> None:
    acc = ReasoningDetailsAccumulator()
    acc.add([detail("a", signature="sig-1", extra={"x": 1})])
    acc.add([{"index": 0, "text": "b", "id": "other", "type": "ignored"}])
    assert acc.items() == [detail("ab", signature="sig-1", extra={"x": 1})]


def test_several_indices_stay_separate_and_ordered() -> None:
    acc = ReasoningDetailsAccumulator()
    acc.add([detail("one-", index=1)])
    acc.add([detail("zero-", index=0), detail("more", index=1)])
    acc.add([detail("end", index=0)])
    assert acc.items() == [detail("zero-end", index=0), detail("one-more", index=1)]
    assert acc.text == "zero-endone-more"


def test_items_without_index_use_their_position() -> None:
    acc = ReasoningDetailsAccumulator()
    acc.add([{"type": "reasoning.text", "text": "a"}, {"type": "reasoning.text", "text": "x"}])
    acc.add([{"type": "reasoning.text", "text": "b"}])
    assert acc.items() == [
        {"type": "reasoning.text", "text": "ab"},
        {"type": "reasoning.text", "text": "x"},
    ]


def test_items_that_are_not_objects_are_ignored() -> None:
    acc = ReasoningDetailsAccumulator()
    assert acc.add(["junk", detail("a")]) == ("a", [detail("a", index=0)])  # type: ignore[list-item]
    assert acc.items() == [detail("a")]


def test_an_item_without_text_is_kept_as_it_came() -> None:
    acc = ReasoningDetailsAccumulator()
    encrypted = {"type": "reasoning.encrypted", "index": 0, "data": "opaque"}
    text, _ = acc.add([encrypted])
    assert text == ""
    assert acc.items() == [encrypted]
    assert bool(acc)


def test_an_empty_accumulator_is_falsy() -> None:
    acc = ReasoningDetailsAccumulator()
    assert not acc
    assert acc.items() == []
    assert acc.text == ""


@settings(max_examples=150, deadline=None)
@given(
    parts=st.lists(st.text(min_size=1, max_size=6), min_size=1, max_size=6),
    cumulative=st.booleans(),
)
def test_delta_items_add_up_to_the_final_items(parts: list[str], cumulative: bool) -> None:
    """A framework that merges the delta items by index rebuilds exactly the final items."""
    if not cumulative and len(parts) > 1:
        # An increment that extends the first piece is indistinguishable from a snapshot.
        assume(not parts[1].startswith(parts[0]))
    acc = ReasoningDetailsAccumulator()
    deltas: list[dict[str, Any]] = []
    so_far = ""
    for part in parts:
        so_far += part
        deltas.extend(acc.add([detail(so_far if cumulative else part)])[1])
    assert acc.items() == [detail("".join(parts))]
    assert merge_deltas(deltas) == acc.items()


def test_a_repeated_snapshot_adds_nothing() -> None:
    acc = ReasoningDetailsAccumulator()
    results = [acc.add([detail(s)]) for s in ["ab", "abc", "abc", "abcd"]]
    assert [text for text, _ in results] == ["ab", "c", "", "d"]
    assert results[2][1] == []
    assert acc.items() == [detail("abcd")]


def test_replayable_details_keep_our_items_and_minimax_formats_only() -> None:
    from minimax_core._reasoning import replayable_details

    ours = [{"type": "reasoning.text", "format": "anything", "text": "t"}]
    assert replayable_details(ours, ours=True) == ours
    assert replayable_details(ours, ours=False) is None  # another provider's format
    minimax = [{"type": "reasoning.text", "format": "MiniMax-response-v1", "text": "t"}]
    assert replayable_details(minimax, ours=False) == minimax
    assert replayable_details([{"text": "t"}], ours=False) == [{"text": "t"}]
    for junk in (None, [], "text", ["text"]):
        assert replayable_details(junk, ours=True) is None
