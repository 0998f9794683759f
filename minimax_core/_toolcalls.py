"""Assembling tool calls from streamed fragments, and parsing their arguments.

Fragments are keyed by ``index``; ``id`` and ``name`` arrive only on a call's first fragment, the
arguments (a JSON string) in several pieces. Arguments that are not valid JSON are kept verbatim as
an invalid call instead of being dropped or raising: the caller decides what to do with them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from minimax_core._types import InvalidToolCall, ToolCall, ToolCallChunk
from minimax_core._wire import ToolCallDelta

__all__ = ["ToolCallAssembler", "parse_arguments"]


def parse_arguments(raw: str) -> dict[str, Any]:
    """Parse a tool call's arguments; ``""`` means no arguments. Raises ``ValueError``."""
    if not raw.strip():
        return {}
    value = json.loads(raw)
    if not isinstance(value, dict):
        raise ValueError(f"tool arguments must be a JSON object, got {type(value).__name__}")
    return value


@dataclass(slots=True)
class _Call:
    id: str | None = None
    name: str | None = None
    arguments: list[str] = field(default_factory=list)


class ToolCallAssembler:
    __slots__ = ("_calls", "_last", "max_calls")

    def __init__(self, max_calls: int | None = None) -> None:
        self._calls: dict[int, _Call] = {}
        self._last: int | None = None
        #: Keep at most this many calls (``parallel_tool_calls=False``); later ones are dropped.
        self.max_calls = max_calls

    def add(self, deltas: list[ToolCallDelta]) -> list[ToolCallChunk]:
        chunks: list[ToolCallChunk] = []
        for delta in deltas:
            index = self._index_of(delta)
            self._last = index
            call = self._calls.get(index)
            if call is None:
                if self.max_calls is not None and len(self._calls) >= self.max_calls:
                    continue
                call = self._calls[index] = _Call()
            function = delta.function
            name = function.name if function is not None else None
            arguments = (function.arguments if function is not None else None) or ""
            new_id = delta.id if delta.id and delta.id != call.id else None
            new_name = name if name and name != call.name else None
            if new_id:
                call.id = new_id
            if new_name:
                call.name = new_name
            if arguments:
                call.arguments.append(arguments)
            if new_id or new_name or arguments:
                chunks.append(
                    ToolCallChunk(index=index, id=new_id, name=new_name, arguments=arguments)
                )
        return chunks

    def _index_of(self, delta: ToolCallDelta) -> int:
        if delta.index is not None:
            return delta.index
        # No index: a new id starts a new call, anything else continues the last one.
        if delta.id and all(call.id != delta.id for call in self._calls.values()):
            return max(self._calls, default=-1) + 1
        for index, call in self._calls.items():
            if delta.id and call.id == delta.id:
                return index
        return self._last if self._last is not None else 0

    def __bool__(self) -> bool:
        return bool(self._calls)

    def names(self) -> set[str]:
        """The names of the tools called so far."""
        return {call.name for call in self._calls.values() if call.name}

    def add_call(self, call: ToolCall) -> int:
        """Add a complete call (one recovered from a text answer); returns its index."""
        raw = call.raw_arguments if call.raw_arguments is not None else json.dumps(call.arguments)
        index = max(self._calls, default=-1) + 1
        self._calls[index] = _Call(call.id, call.name, [raw])
        return index

    def finish(self) -> tuple[list[ToolCall], list[InvalidToolCall]]:
        calls: list[ToolCall] = []
        invalid: list[InvalidToolCall] = []
        for index in sorted(self._calls):
            call = self._calls[index]
            raw = "".join(call.arguments)
            call_id = call.id or f"call_{index}"
            if not call.name:
                invalid.append(InvalidToolCall(call_id, None, raw, "the tool call has no name"))
                continue
            try:
                args = parse_arguments(raw)
            except ValueError as exc:
                invalid.append(InvalidToolCall(call_id, call.name, raw, f"invalid JSON: {exc}"))
                continue
            calls.append(ToolCall(id=call_id, name=call.name, arguments=args, raw_arguments=raw))
        return calls, invalid
