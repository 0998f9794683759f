"""Client-side ``stop`` sequences.

MiniMax accepts ``stop`` and silently ignores it on current models (``minimax-api.md`` §3.1), which
breaks agents that rely on it (ReAct's ``"\\nObservation:"``). The request still carries ``stop``;
:class:`StopMatcher` additionally cuts the visible answer at the first stop sequence, streaming or
not, with the same result for any chunking (text that may be the start of a stop sequence is held
back until the next piece decides).
"""

from __future__ import annotations

__all__ = ["StopMatcher"]


class StopMatcher:
    __slots__ = ("_held", "_longest", "_stops", "stopped")

    def __init__(self, stops: list[str]) -> None:
        self._stops = [s for s in stops if s]
        self._longest = max((len(s) for s in self._stops), default=0)
        self._held = ""
        self.stopped = False

    def feed(self, text: str) -> str:
        """Take the next piece of the answer; return the part that is certainly visible."""
        if self.stopped or not text:
            return ""
        if not self._stops:
            return text
        text = self._held + text
        cut = min((i for i in (text.find(s) for s in self._stops) if i >= 0), default=-1)
        if cut >= 0:
            self._held = ""
            self.stopped = True
            return text[:cut]
        keep = 0
        for size in range(min(self._longest - 1, len(text)), 0, -1):
            tail = text[-size:]
            if any(s.startswith(tail) for s in self._stops):
                keep = size
                break
        self._held = text[len(text) - keep :] if keep else ""
        return text[: len(text) - keep]

    def close(self) -> str:
        held, self._held = self._held, ""
        return "" if self.stopped else held
