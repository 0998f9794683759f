"""Small statistics helpers (no numpy)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def quantile(values: Sequence[float], q: float) -> float:
    """The q-quantile by linear interpolation between closest ranks (q in [0, 1])."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def rotated(keys: Sequence[str], round_no: int) -> list[str]:
    """The interleaving order of one round: A B C, then B C A, then C A B… so that no client is
    always first (just after a GC, or after the server has been idle) or always last."""
    shift = round_no % len(keys)
    return [*keys[shift:], *keys[:shift]]
