"""Accumulating streamed reasoning that may arrive as increments or as cumulative snapshots.

MiniMax's streams disagree by host and model: live M2.7 streams send each ``reasoning_details``
item's ``text`` as an increment, MiniMax's own sample (and some M3 / global-host streams) as the
whole text so far. :class:`SnapshotAccumulator` detects which, so the text is never duplicated:
a piece that strictly extends everything received so far is a snapshot (its new suffix is the
delta); anything else is an increment. The mode is decided once, on the second piece, and kept.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ANTHROPIC_FORMAT",
    "ReasoningDetailsAccumulator",
    "SnapshotAccumulator",
    "is_anthropic",
    "reasoning_text_of",
    "replayable_details",
]

_UNKNOWN, _INCREMENTAL, _CUMULATIVE = range(3)

#: The ``format`` of ``reasoning_details`` items that hold the Anthropic route's thinking blocks
#: (``text`` = the thinking, ``signature`` kept verbatim for replay).
ANTHROPIC_FORMAT = "anthropic-thinking"


class SnapshotAccumulator:
    __slots__ = ("_mode", "text")

    def __init__(self, *, incremental: bool = False) -> None:
        self.text = ""
        #: A route whose grammar says pieces are increments (the Anthropic route) skips the guess.
        self._mode = _INCREMENTAL if incremental else _UNKNOWN

    def add(self, piece: str) -> str:
        """Take the next piece; return the text it adds."""
        if not piece:
            return ""
        text = self.text
        if self._mode == _UNKNOWN and text:
            extends = len(piece) > len(text) and piece.startswith(text)
            self._mode = _CUMULATIVE if extends else _INCREMENTAL
        if self._mode == _CUMULATIVE and piece.startswith(text):
            self.text = piece
            return piece[len(text) :]
        self.text = text + piece
        return piece


class ReasoningDetailsAccumulator:
    """Merges streamed ``reasoning_details`` items (keyed by their ``index``) into final items.

    The final items are the first-seen item of each index with its ``text`` replaced by the whole
    accumulated text: exactly what a non-streamed response carries, ready to be replayed verbatim.
    """

    __slots__ = ("_incremental", "_items", "_text")

    def __init__(self, *, incremental: bool = False) -> None:
        self._items: dict[int, dict[str, Any]] = {}
        self._text: dict[int, SnapshotAccumulator] = {}
        self._incremental = incremental

    def add(self, items: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
        """Take one chunk's items; return (new text, delta items).

        A delta item is the whole item the first time its index is seen (with only the new
        text), and ``{"index": i, "text": new}`` afterwards, so that adding up the delta items
        field by field (as LangChain merges chunks) rebuilds the final items exactly.
        """
        added: list[str] = []
        deltas: list[dict[str, Any]] = []
        for position, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            raw_index = item.get("index", position)
            index = raw_index if isinstance(raw_index, int) else position
            piece = item.get("text")
            piece = piece if isinstance(piece, str) else ""
            acc = self._text.get(index)
            if acc is None:
                acc = self._text[index] = SnapshotAccumulator(incremental=self._incremental)
                self._items[index] = dict(item)
                delta = acc.add(piece)
                deltas.append({**item, "index": index, "text": delta})
            else:
                delta = acc.add(piece)
                # Fields that arrive later (the Anthropic route's signature) join the item; the
                # first item's own fields are kept as they came (a snapshot repeats them, and
                # frameworks would concatenate them if they were sent again).
                known = self._items[index]
                extra = {k: v for k, v in item.items() if k not in known}
                known.update(extra)
                if delta or extra:
                    deltas.append({"index": index, "text": delta, **extra})
            added.append(delta)
        return "".join(added), deltas

    @property
    def text(self) -> str:
        return "".join(self._text[i].text for i in sorted(self._text))

    def items(self) -> list[dict[str, Any]]:
        out = []
        for index in sorted(self._items):
            item = dict(self._items[index])
            if "text" in item:
                item["text"] = self._text[index].text
            out.append(item)
        return out

    def __bool__(self) -> bool:
        return bool(self._items)


def is_anthropic(details: list[dict[str, Any]] | None) -> bool:
    """Whether ``reasoning_details`` items hold the Anthropic route's thinking blocks."""
    return bool(details) and all(
        isinstance(d, dict) and d.get("format") == ANTHROPIC_FORMAT for d in details or ()
    )


def reasoning_text_of(details: list[dict[str, Any]]) -> str:
    """The reasoning text carried by ``reasoning_details`` items."""
    return "".join(str(item.get("text") or "") for item in details if isinstance(item, dict))


_MINIMAX_FORMATS = frozenset({None, "MiniMax-response-v1"})


def replayable_details(details: Any, *, ours: bool) -> list[dict[str, Any]] | None:
    """``reasoning_details`` from a history message that may be sent back verbatim, or None.

    A turn this package produced (``ours``) replays its items as they are; items from another
    provider (OpenRouter's, Anthropic's formats) only if they are in MiniMax's format — the
    caller replays their plain text instead.
    """
    if not (isinstance(details, list) and details and all(isinstance(d, dict) for d in details)):
        return None
    if ours or all(d.get("format") in _MINIMAX_FORMATS for d in details):
        return details
    return None
