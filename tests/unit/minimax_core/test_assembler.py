"""The chunk → delta → result assembler shared by whole replies and streams."""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest

from minimax_core import EmptyAnswerWarning, StreamInterruptedError
from minimax_core._assembler import ChatAssembler, token_usage
from minimax_core._failures import parse_chunk as _parse_chunk
from minimax_core._types import ChatDelta, ChatResult
from minimax_core._wire import ChatCompletion, Usage

from .support import chunk, completion, detail, tool_call, usage


def parse_chunk(data: str) -> ChatCompletion:
    return _parse_chunk(data, None)


def run(
    chunks: list[dict[str, Any]], *, streamed: bool = True, **options: Any
) -> tuple[list[ChatDelta], ChatResult]:
    asm = ChatAssembler(**options)
    deltas = [asm.feed(parse_chunk(json.dumps(c))) for c in chunks]
    deltas.append(asm.close(streamed=streamed))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EmptyAnswerWarning)
        return [d for d in deltas if d], asm.result()


def summary(content: str, finish: str | None = "stop", **kw: Any) -> dict[str, Any]:
    body = completion(content, **kw)
    body["choices"][0]["finish_reason"] = finish
    return body


def test_native_summary_adds_usage_only() -> None:
    chunks = [
        chunk("2 + 2 = "),
        chunk("4", finish="stop"),
        summary("2 + 2 = 4", usage_=usage(12, 20, reasoning=11)),
    ]
    deltas, result = run(chunks, expect_inline_reasoning=True)
    assert result.message.content == "2 + 2 = 4"
    assert "".join(d.text for d in deltas) == "2 + 2 = 4"
    assert result.usage is not None
    assert (result.usage.input_tokens, result.usage.output_tokens) == (12, 20)
    assert result.usage.reasoning_tokens == 11


def test_native_summary_alone_is_a_complete_answer() -> None:
    _, result = run([summary("just the summary")])
    assert result.message.content == "just the summary"


def test_native_summary_finish_reason_completes_a_stream_whose_chunks_had_none() -> None:
    """The summary proves the stream finished: its finish_reason counts (its text does not)."""
    deltas, result = run([chunk("Hel"), chunk("lo"), summary("Hello", finish="stop")])
    assert (result.message.content, result.finish_reason) == ("Hello", "stop")
    assert [d.finish_reason for d in deltas if d.finish_reason] == ["stop"]


def test_usage_is_reported_once_on_the_closing_delta() -> None:
    chunks = [
        chunk("a", finish="stop"),
        {"id": "x", "choices": [], "usage": usage(3, 4)},
        summary("a", usage_=usage(3, 4)),
    ]
    deltas, result = run(chunks)
    assert [d.usage for d in deltas if d.usage] == [result.usage]
    assert deltas[-1].usage == result.usage


def test_all_zero_usage_on_ordinary_chunks_is_no_usage() -> None:
    zero = {"total_tokens": 0, "total_characters": 0}
    _, result = run([chunk("a", usage=zero), chunk("b", usage=zero, finish="stop")])
    assert result.usage is None


def test_token_usage_mapping() -> None:
    full = Usage.model_validate(
        {
            "prompt_tokens": 100,
            "completion_tokens": 40,
            "total_tokens": 140,
            "completion_tokens_details": {"reasoning_tokens": 25},
            "prompt_tokens_details": {"cached_tokens": 64},
        }
    )
    got = token_usage(full)
    assert (got.input_tokens, got.output_tokens, got.total_tokens) == (100, 40, 140)
    assert (got.reasoning_tokens, got.cached_tokens) == (25, 64)
    # A reply without total_tokens still has a total.
    partial = token_usage(Usage.model_validate({"prompt_tokens": 5, "completion_tokens": 6}))
    assert partial.total_tokens == 11
    assert partial.reasoning_tokens is None


def test_reasoning_content_next_to_details_is_not_counted_twice() -> None:
    chunks = [
        chunk("", reasoning="Think", details=[detail("Think")]),
        chunk("", reasoning="ing.", details=[detail("ing.")]),
        chunk("Answer", finish="stop"),
    ]
    deltas, result = run(chunks)
    assert result.message.reasoning is not None
    assert result.message.reasoning.text == "Thinking."
    assert "".join(d.reasoning for d in deltas) == "Thinking."


def test_reasoning_content_alone_is_the_reasoning() -> None:
    _, result = run([chunk("", reasoning="Hmm."), chunk("Yes.", finish="stop")])
    assert result.message.reasoning is not None
    assert (result.message.reasoning.text, result.message.content) == ("Hmm.", "Yes.")
    assert result.message.reasoning.details is None
    assert result.message.reasoning.inline is None


def test_inline_think_after_structured_reasoning_is_not_reported_twice() -> None:
    chunks = [chunk("<think>x</think>ok", details=[detail("x")], finish="stop")]
    deltas, result = run(chunks)
    assert "".join(d.reasoning for d in deltas) == "x"
    assert result.message.content == "ok"


def test_no_reasoning_gives_none() -> None:
    _, result = run([chunk("plain", finish="stop")])
    assert result.message.reasoning is None


def test_first_chunk_sets_id_and_model() -> None:
    _, result = run(
        [chunk("a", id="id-1", model="MiniMax-M2.5"), chunk("b", id="id-2", finish="stop")]
    )
    assert (result.id, result.model) == ("id-1", "MiniMax-M2.5")


def test_a_stream_without_finish_reason_is_interrupted_but_a_whole_reply_is_not() -> None:
    with pytest.raises(StreamInterruptedError) as info:
        run([chunk("Hel"), chunk("lo")])
    assert info.value.partial_text == "Hello"
    _, result = run([chunk("Hello")], streamed=False)
    assert (result.message.content, result.finish_reason) == ("Hello", None)


def test_partial_text_excludes_reasoning() -> None:
    asm = ChatAssembler(expect_inline_reasoning=False)
    asm.feed(parse_chunk(json.dumps(chunk("<think>r</think>vis"))))
    assert asm.partial_text == "vis"


def test_invalid_tool_arguments_end_up_in_invalid_tool_calls() -> None:
    chunks = [
        chunk(tool_calls=[tool_call("call_function_1_1", "f", '{"a": ')]),
        chunk(tool_calls=[{"index": 0, "function": {"arguments": "oops"}}], finish="tool_calls"),
    ]
    _, result = run(chunks)
    assert result.message.tool_calls == []
    assert [(c.id, c.name, c.raw_arguments) for c in result.invalid_tool_calls] == [
        ("call_function_1_1", "f", '{"a": oops')
    ]


def test_parallel_calls_off_keeps_the_first_call_only() -> None:
    chunks = [
        chunk(tool_calls=[tool_call("call_function_9_1", "a", "{}", index=0)]),
        chunk(tool_calls=[tool_call("call_function_9_2", "b", "{}", index=1)], finish="tool_calls"),
    ]
    deltas, result = run(chunks, max_tool_calls=1)
    assert [c.name for c in result.message.tool_calls] == ["a"]
    assert [p.name for d in deltas for p in d.tool_call_chunks] == ["a"]


@pytest.mark.parametrize(
    ("chunks", "empty"),
    [
        ([chunk("", details=[detail("r")], finish="length")], True),
        ([chunk("<think>r", finish="length")], True),
        ([chunk("some text", details=[detail("r")], finish="length")], False),
        ([chunk("", details=[detail("r")], finish="stop")], False),
        ([chunk("", finish="length")], False),
        (
            [
                chunk("", details=[detail("r")]),
                chunk(tool_calls=[tool_call("c1", "f", "{}")], finish="length"),
            ],
            False,
        ),
    ],
    ids=["reasoning-only", "unclosed-think", "has-text", "stopped", "no-reasoning", "tool-call"],
)
def test_empty_answer_only_when_the_budget_went_to_reasoning(
    chunks: list[dict[str, Any]], empty: bool
) -> None:
    asm = ChatAssembler(expect_inline_reasoning=False)
    for c in chunks:
        asm.feed(parse_chunk(json.dumps(c)))
    asm.close(streamed=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = asm.result()
    assert result.empty_answer is empty
    assert any(issubclass(w.category, EmptyAnswerWarning) for w in caught) is empty


def test_repeated_cumulative_snapshots_are_not_duplicated() -> None:
    chunks = [
        chunk("", reasoning="Think", details=[detail("Think")]),
        chunk("", reasoning="Thinking", details=[detail("Thinking")]),
        chunk("", reasoning="Thinking", details=[detail("Thinking")]),
        chunk("ok", finish="stop"),
    ]
    deltas, result = run(chunks)
    assert "".join(d.reasoning for d in deltas) == "Thinking"
    assert result.message.reasoning is not None
    assert result.message.reasoning.details == [detail("Thinking")]
    content_only = [
        chunk("", reasoning="Hm"),
        chunk("", reasoning="Hmm"),
        chunk("", reasoning="Hmm"),
        chunk("ok", finish="stop"),
    ]
    deltas, result = run(content_only)
    assert "".join(d.reasoning for d in deltas) == "Hmm"
