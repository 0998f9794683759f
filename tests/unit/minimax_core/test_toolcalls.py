"""Tool-call assembly from streamed fragments (``docs/protocol-notes.md`` §4.3, §5)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from minimax_core._toolcalls import ToolCallAssembler, parse_arguments
from minimax_core._types import InvalidToolCall, ToolCall, ToolCallChunk
from minimax_core._wire import ToolCallDelta


def frag(
    index: int | None = None,
    id: str | None = None,
    name: str | None = None,
    arguments: str | None = None,
    **extra: Any,
) -> ToolCallDelta:
    function: dict[str, Any] = {}
    if name is not None:
        function["name"] = name
    if arguments is not None:
        function["arguments"] = arguments
    data: dict[str, Any] = {"function": function, **extra}
    if index is not None:
        data["index"] = index
    if id is not None:
        data["id"] = id
    return ToolCallDelta.model_validate(data)


def test_fragments_by_index_with_id_and_name_only_on_the_first() -> None:
    asm = ToolCallAssembler()
    first = asm.add(
        [frag(0, "call_function_3949718215_1", "get_weather", '{"city": "Par', type="function")]
    )
    second = asm.add([frag(0, arguments='is", "unit": "celsius"}', type="function")])
    assert first == [ToolCallChunk(0, "call_function_3949718215_1", "get_weather", '{"city": "Par')]
    assert second == [ToolCallChunk(0, None, None, 'is", "unit": "celsius"}')]
    calls, invalid = asm.finish()
    assert calls == [
        ToolCall(
            "call_function_3949718215_1",
            "get_weather",
            {"city": "Paris", "unit": "celsius"},
            raw_arguments='{"city": "Paris", "unit": "celsius"}',
        )
    ]
    assert invalid == []


def test_two_parallel_calls_interleaved() -> None:
    asm = ToolCallAssembler()
    asm.add([frag(0, "call_function_5274829104_1", "get_weather", '{"city":')])
    asm.add([frag(1, "call_function_5274829104_2", "get_time", '{"tz": "Asia/')])
    asm.add([frag(0, arguments=' "Paris"}'), frag(1, arguments='Tokyo"}')])
    calls, _ = asm.finish()
    assert [(c.id, c.name, c.arguments) for c in calls] == [
        ("call_function_5274829104_1", "get_weather", {"city": "Paris"}),
        ("call_function_5274829104_2", "get_time", {"tz": "Asia/Tokyo"}),
    ]


def test_a_whole_call_in_one_fragment() -> None:
    asm = ToolCallAssembler()
    asm.add([frag(0, "call_1", "f", '{"a": 1}')])
    assert asm.finish()[0] == [ToolCall("call_1", "f", {"a": 1}, '{"a": 1}')]


def test_repeated_id_and_name_are_not_reported_again() -> None:
    asm = ToolCallAssembler()
    asm.add([frag(0, "call_1", "f", "{")])
    assert asm.add([frag(0, "call_1", "f", "}")]) == [ToolCallChunk(0, None, None, "}")]
    # A fragment that adds nothing produces no chunk.
    assert asm.add([frag(0, "call_1", "f")]) == []


def test_fragments_without_index() -> None:
    """No index: a new id starts a new call, a known id or no id continues a call."""
    asm = ToolCallAssembler()
    asm.add([frag(None, "call_a", "f", '{"x":')])
    asm.add([frag(None, arguments=" 1}")])
    asm.add([frag(None, "call_b", "g", '{"y": ')])
    asm.add([frag(None, "call_a", arguments="")])
    asm.add([frag(None, "call_b", arguments="2}")])
    calls, invalid = asm.finish()
    assert [(c.id, c.arguments) for c in calls] == [("call_a", {"x": 1}), ("call_b", {"y": 2})]
    assert invalid == []


def test_a_first_fragment_without_index_or_id_is_call_zero() -> None:
    asm = ToolCallAssembler()
    asm.add([frag(None, name="f", arguments="{}")])
    assert asm.finish()[0] == [ToolCall("call_0", "f", {}, "{}")]


def test_invalid_json_arguments_are_kept_not_raised_not_dropped() -> None:
    asm = ToolCallAssembler()
    asm.add([frag(0, "call_1", "f", '{"city": "Par')])
    asm.add([frag(1, "call_2", "g", '{"ok": true}')])
    calls, invalid = asm.finish()
    assert [c.id for c in calls] == ["call_2"]
    assert len(invalid) == 1
    bad = invalid[0]
    assert (bad.id, bad.name, bad.raw_arguments) == ("call_1", "f", '{"city": "Par')
    assert "invalid JSON" in bad.error


def test_arguments_that_are_not_an_object_are_invalid() -> None:
    asm = ToolCallAssembler()
    asm.add([frag(0, "call_1", "f", "[1, 2]")])
    calls, invalid = asm.finish()
    assert calls == []
    assert invalid[0].raw_arguments == "[1, 2]"


def test_a_call_without_a_name_is_invalid() -> None:
    asm = ToolCallAssembler()
    asm.add([frag(0, "call_1", arguments="{}")])
    assert asm.finish() == (
        [],
        [InvalidToolCall("call_1", None, "{}", "the tool call has no name")],
    )


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_empty_arguments_mean_no_arguments(raw: str | None) -> None:
    asm = ToolCallAssembler()
    asm.add([frag(0, "call_1", "list_files", raw)])
    assert asm.finish()[0][0].arguments == {}


def test_only_the_first_call_is_kept_when_parallel_calls_are_off() -> None:
    asm = ToolCallAssembler(max_calls=1)
    assert asm.add([frag(0, "call_1", "f", "{}")])
    assert asm.add([frag(1, "call_2", "g", "{")]) == []
    assert asm.add([frag(1, arguments="}")]) == []
    calls, invalid = asm.finish()
    assert [c.id for c in calls] == ["call_1"]
    assert invalid == []


def test_add_call_appends_a_complete_call() -> None:
    asm = ToolCallAssembler()
    assert not asm
    asm.add_call(ToolCall("call_r", "f", {"a": "é"}))
    asm.add_call(ToolCall("call_s", "g", {}, raw_arguments="{ }"))
    assert asm
    calls, _ = asm.finish()
    assert [(c.id, c.arguments) for c in calls] == [("call_r", {"a": "é"}), ("call_s", {})]
    # Raw arguments kept verbatim when given, valid JSON of the arguments otherwise.
    assert calls[1].raw_arguments == "{ }"
    assert json.loads(calls[0].raw_arguments or "") == {"a": "é"}


def test_parse_arguments() -> None:
    assert parse_arguments('{"a": [1, {"b": null}]}') == {"a": [1, {"b": None}]}
    assert parse_arguments(" \n") == {}
    with pytest.raises(ValueError, match="JSON object"):
        parse_arguments('"text"')
    with pytest.raises(ValueError):
        parse_arguments("{oops")


def test_calls_from_history_replay_their_arguments_or_a_valid_empty_object() -> None:
    from minimax_core._types import ToolCall

    assert ToolCall.from_history("c", "f", {"a": 1}) == ToolCall("c", "f", {"a": 1})
    assert ToolCall.from_history("c", "f", '{"a": 1}') == ToolCall("c", "f", {"a": 1}, '{"a": 1}')
    assert ToolCall.from_history("c", "f", "") == ToolCall("c", "f", {}, "{}")
    # MiniMax rejects invalid argument JSON in history (2013): it goes back as {}.
    assert ToolCall.from_history("c", "f", '{"a": ') == ToolCall("c", "f", {}, "{}")
    assert ToolCall.from_history("c", "f", None) == ToolCall("c", "f", {})
