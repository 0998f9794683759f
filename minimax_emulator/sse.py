"""SSE building blocks shared by the framers: coarse text chunking, event faults, ragged writes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from itertools import pairwise

from . import jsonfast
from .options import Faults

DONE_EVENT = b"data: [DONE]\n\n"

#: Character counts of successive coarse chunks (cycled): "tens of characters", never tokens.
_PIECE_SIZES = (37, 24, 52, 31, 45, 28, 60, 19, 41, 33)
#: Coalesced mode: approximate bytes per ASGI write after the first few small ragged ones.
_WRITE_SIZE = 16_384


dumps = jsonfast.dumps


def jstr(text: str) -> bytes:
    """A JSON string literal (UTF-8, non-ASCII kept raw as the real service sends it)."""
    return json.dumps(text, ensure_ascii=False).encode()


def event(payload: bytes) -> bytes:
    return b"data: " + payload + b"\n\n"


def split_coarse(text: str, forced: Iterable[int] = (), minimum: int = 1) -> list[str]:
    """Cut ``text`` into coarse pieces (cycled sizes) plus cuts at the ``forced`` offsets."""
    cuts: set[int] = {c for c in forced if 0 < c < len(text)}
    position, turn = 0, 0
    while True:
        position += _PIECE_SIZES[turn % len(_PIECE_SIZES)]
        turn += 1
        if position >= len(text):
            break
        cuts.add(position)
    if len(cuts) + 1 < minimum and len(text) >= minimum:
        step = len(text) / minimum
        cuts.update(int(step * i) for i in range(1, minimum))
    bounds = [0, *sorted(cuts), len(text)]
    return [text[a:b] for a, b in pairwise(bounds) if b > a]


def apply_event_faults(
    events: list[bytes], faults: Faults, error_event: Callable[[str], bytes]
) -> tuple[list[bytes], bool]:
    """Apply malformed_chunk / stream_error / disconnect_after; returns (events, abort_at_end)."""
    if faults.malformed_chunk is not None and faults.malformed_chunk <= len(events):
        index = faults.malformed_chunk - 1
        original = events[index]
        start = original.find(b"data:") + len(b"data:")  # after ``id:``/``event:`` lines, if any
        if original[start : start + 1] == b" ":
            start += 1
        head, payload = original[:start], original[start:-2]
        events = [*events[:index], head + payload[: max(1, len(payload) // 2)] + b"\n\n",
                  *events[index + 1 :]]  # fmt: skip
    if faults.stream_error is not None:
        after, kind = faults.stream_error
        events = [*events[:after], error_event(kind)]
    if faults.disconnect_after is not None:
        return events[: faults.disconnect_after], True
    return events, False


_LEAD_BYTE = re.compile(rb"[\xc0-\xff]")


def _first_multibyte(buffer: bytes) -> int:
    match = _LEAD_BYTE.search(buffer)
    return match.start() if match else -1


def ragged_cuts(buffer: bytes, event_ends: list[int], per_event: bool) -> list[int]:
    """Deterministic write boundaries that fall mid-line, mid-``data:`` and mid-character.

    ``per_event``: about one write per event (pacing with ``chunk_ms``), each boundary a few
    bytes before the event's end; otherwise many events are coalesced per write.
    """
    size = len(buffer)
    cuts: set[int] = set()
    lead = _first_multibyte(buffer)
    if lead != -1:
        cuts.add(lead + 1)  # inside the first multi-byte UTF-8 character
    second = buffer.find(b"data:", 1)
    if second != -1:
        cuts.add(second + 3)  # "dat" | "a: {...}"
    cuts.add(min(size - 1, 41))  # mid-line in the first event
    if per_event:
        cuts.update(end - 3 for end in event_ends[:-1] if end > 3)
    else:
        position, turn = 0, 0
        while True:
            position += _WRITE_SIZE + (turn * 7919) % 1013
            turn += 1
            if position >= size:
                break
            cuts.add(position)
    return sorted(c for c in cuts if 0 < c < size)


def ragged_writes(events: list[bytes], per_event: bool = False) -> list[bytes]:
    buffer = b"".join(events)
    ends: list[int] = []
    total = 0
    for item in events:
        total += len(item)
        ends.append(total)
    bounds = [0, *ragged_cuts(buffer, ends, per_event), len(buffer)]
    return [buffer[a:b] for a, b in pairwise(bounds) if b > a]
