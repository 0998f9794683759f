"""Client-side ``stop`` sequences.

MiniMax accepts ``stop`` and ignores it on current models (``docs/protocol-notes.md`` §3.1), which
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
        cut = self._first_match(text)
        # The earliest position where a stop sequence may begin but is cut off by the end of
        # the text: a match found further on only counts if nothing can start before it.
        pending = len(text)
        for start in range(max(len(text) - self._longest + 1, 0), len(text)):
            tail = text[start:]
            if any(s.startswith(tail) for s in self._stops):
                pending = start
                break
        if cut >= 0 and cut <= pending:
            self._held = ""
            self.stopped = True
            return text[:cut]
        self._held = text[pending:]
        return text[:pending]

    def close(self) -> str:
        held, self._held = self._held, ""
        if self.stopped:
            return ""
        cut = self._first_match(held)
        if cut >= 0:
            self.stopped = True
            return held[:cut]
        return held

    def _first_match(self, text: str) -> int:
        return min((i for i in (text.find(s) for s in self._stops) if i >= 0), default=-1)
