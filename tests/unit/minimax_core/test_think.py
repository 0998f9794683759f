"""The ``<think>`` splitter: any split = whole.

Rules: ``docs/protocol-notes.md`` §3.2 (what MiniMax sends), §12.2 (what we make of it).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minimax_core._think import ThinkSplitter

from .support import split_text


def whole(text: str, expect: bool = False) -> tuple[str, str]:
    splitter = ThinkSplitter(expect)
    r1, a1 = splitter.feed(text)
    r2, a2 = splitter.close()
    return r1 + r2, a1 + a2


def pieces(parts: list[str], expect: bool = False) -> tuple[str, str, bool]:
    splitter = ThinkSplitter(expect)
    reasoning = answer = ""
    for part in parts:
        r, a = splitter.feed(part)
        reasoning += r
        answer += a
    r, a = splitter.close()
    return reasoning + r, answer + a, splitter.saw_tag


# --- the rules, on whole texts -----------------------------------------------------------


@pytest.mark.parametrize("expect", [False, True])
@pytest.mark.parametrize(
    ("text", "reasoning", "answer"),
    [
        # The captured M2.7 shape: "<think>\n...\n</think>\n\nanswer".
        ("<think>\nThe user asks 7*8.\n</think>\n\n56", "The user asks 7*8.", "56"),
        # M3 sometimes opens with "<think>\n\n".
        ("<think>\n\nR\n</think>\n\nA", "R", "A"),
        # Whitespace before the opening tag is ignored.
        ("\n  <think>R</think>A", "R", "A"),
        # Inner whitespace and blank lines of the reasoning are kept; the answer's trailing too.
        ("<think>\na\n\n  b\n</think>\n\nx \n", "a\n\n  b", "x \n"),
        # A tool-call turn: the visible part is only whitespace -> empty answer.
        ("<think>\nCall the tool.\n</think>\n\n", "Call the tool.", ""),
        ("<think>\nCall.\n</think>\n\n\n", "Call.", ""),
        # A never-closed think (budget spent while thinking) is all reasoning.
        ("<think>\nStill thinking about", "Still thinking about", ""),
        # Empty or whitespace-only reasoning.
        ("<think></think>Hi", "", "Hi"),
        ("<think>\n \n</think>\n\nHi", "", "Hi"),
    ],
)
def test_whole_text_rules(text: str, reasoning: str, answer: str, expect: bool) -> None:
    assert whole(text, expect) == (reasoning, answer)


@pytest.mark.parametrize("expect", [False, True])
def test_plain_answer_is_all_answer_without_leading_whitespace(expect: bool) -> None:
    assert whole("\n\nThe capital is Paris.", expect) == ("", "The capital is Paris.")
    assert whole("\n\n\n", expect) == ("", "")
    assert whole("", expect) == ("", "")


def test_missing_opening_tag_is_reasoning_only_when_reasoning_is_expected() -> None:
    text = "The user greets me.\n</think>\n\nHello!"
    assert whole(text, expect=True) == ("The user greets me.", "Hello!")
    # A model that does not reason inline: the text is shown as it is.
    assert whole(text, expect=False) == ("", text)


def test_think_tag_after_text_is_not_reasoning() -> None:
    text = "Use <think>tags</think> like this."
    assert whole(text, expect=False) == ("", text)


def test_saw_tag_tells_whether_the_raw_text_must_be_replayed() -> None:
    assert pieces(["<think>r</think>a"])[2] is True
    assert pieces(["r</think>a"], expect=True)[2] is True
    assert pieces(["plain"], expect=True)[2] is False
    assert pieces(["plain"], expect=False)[2] is False


# --- streaming behaviour ------------------------------------------------------------------


def test_tags_cut_anywhere_in_a_stream() -> None:
    parts = ["<thi", "nk>\nLe café → ", "東京 🚀\n</th", "ink>\n\n**A", "nswer**"]
    assert pieces(parts) == ("Le café → 東京 🚀", "**Answer**", True)


def test_reasoning_and_answer_are_released_as_they_arrive() -> None:
    splitter = ThinkSplitter()
    assert splitter.feed("<think>\nfirst ") == ("first", "")
    assert splitter.feed("second") == (" second", "")
    assert splitter.feed("\n</think>\n\nHel") == ("", "Hel")
    assert splitter.feed("lo") == ("", "lo")
    assert splitter.close() == ("", "")


def test_a_possible_closing_tag_is_held_back_until_decided() -> None:
    splitter = ThinkSplitter()
    assert splitter.feed("<think>a </") == ("a", "")
    # "</b" is not "</think>": the held text is reasoning after all.
    assert splitter.feed("b>") == (" </b>", "")


def test_answer_without_tags_streams_at_once_when_reasoning_is_not_expected() -> None:
    splitter = ThinkSplitter(expect_reasoning=False)
    assert splitter.feed("Hello") == ("", "Hello")
    assert splitter.feed(" there") == ("", " there")


def test_answer_without_tags_is_held_until_the_end_when_reasoning_is_expected() -> None:
    # Without an opening tag, only "</think>" or the end can tell reasoning from answer.
    splitter = ThinkSplitter(expect_reasoning=True)
    assert splitter.feed("Hello") == ("", "")
    assert splitter.feed(" there") == ("", "")
    assert splitter.close() == ("", "Hello there")


def test_empty_pieces_change_nothing() -> None:
    splitter = ThinkSplitter()
    assert splitter.feed("") == ("", "")
    assert pieces(["", "<think>", "", "r", "</think>", "", "a", ""]) == ("r", "a", True)


# --- properties: any split of any text gives the whole-text result ------------------------

_alphabet = st.sampled_from(
    ["<", ">", "/", "t", "h", "i", "n", "k", "<think>", "</think>", " ", "\n", "a", "é", "🚀"]
)
_texts = st.lists(_alphabet, max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=_texts, expect=st.booleans(), data=st.data())
def test_any_split_of_any_text_equals_the_whole(
    text: str, expect: bool, data: st.DataObject
) -> None:
    cuts = data.draw(st.lists(st.integers(0, len(text)), max_size=8))
    reasoning, answer, saw = pieces(split_text(text, cuts), expect)
    assert (reasoning, answer) == whole(text, expect)
    assert saw == pieces([text], expect)[2]


_plain = st.text(
    alphabet=st.sampled_from(["a", "b", " ", "\n", "é", "東", "🚀", "<", ">", "/"]), max_size=20
).filter(lambda s: "<think>" not in s and "</think>" not in s)
_ws = st.text(alphabet=" \n", max_size=3)


@settings(max_examples=300, deadline=None)
@given(
    lead=_ws,
    reasoning=_plain,
    answer=_plain,
    opener=st.booleans(),
    expect=st.booleans(),
    data=st.data(),
)
def test_a_think_block_splits_into_trimmed_reasoning_and_answer(
    lead: str, reasoning: str, answer: str, opener: bool, expect: bool, data: st.DataObject
) -> None:
    """Whatever the cuts: reasoning = the block's text trimmed, answer = the rest lstripped."""
    if not opener and not expect:
        return  # A missing opener is only tolerated when reasoning is expected.
    if not opener and (reasoning.lstrip().startswith("<") or not reasoning.strip()):
        return  # Without the opener the text could itself begin a "<think>"; keep it plain.
    text = lead + ("<think>" if opener else "") + reasoning + "</think>" + answer
    cuts = data.draw(st.lists(st.integers(0, len(text)), max_size=6))
    parts = split_text(text, cuts)
    got_reasoning, got_answer, saw = pieces(parts, expect)
    expected_reasoning = reasoning.strip() if opener else (lead + reasoning).strip()
    assert got_reasoning == expected_reasoning
    assert got_answer == answer.lstrip()
    assert saw is True


def test_whitespace_only_pieces_inside_the_reasoning_are_kept_between_words() -> None:
    splitter = ThinkSplitter()
    assert splitter.feed("<think>a") == ("a", "")
    assert splitter.feed(" \n") == ("", "")
    assert splitter.feed("\t") == ("", "")
    assert splitter.feed("b\n</think>x") == (" \n\tb", "x")
