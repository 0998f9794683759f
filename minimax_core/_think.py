"""A streaming state machine that separates ``<think>…</think>`` reasoning from the visible answer.

MiniMax's OpenAI-compatible route (without ``reasoning_split``) and its native route put the
reasoning inline: ``"<think>\\nreasoning\\n</think>\\n\\nanswer"``. Streams cut that text anywhere,
tags included. :class:`ThinkSplitter` is fed the text pieces in order and returns
``(reasoning, answer)`` pieces; whatever the cut points, the concatenated output equals the output
for the whole text fed at once (the non-streamed path uses this same class).

Rules:

* Leading whitespace is ignored; a ``<think>`` opening the text starts the reasoning.
* Reasoning is trimmed of the whitespace around it; the answer of its leading whitespace (a tool
  call turn's visible part is ``"\\n\\n"``, which becomes ``""``).
* A missing opening tag is tolerated when ``expect_reasoning`` is true (thinking models on routes
  that inline reasoning): text is held back until ``</think>`` shows it was reasoning, or the end
  shows it was the answer.
* A ``<think>`` that is never closed (the model ran out of tokens while thinking) is all reasoning.
"""

from __future__ import annotations

__all__ = ["ThinkSplitter"]

OPEN = "<think>"
CLOSE = "</think>"

_SNIFF, _THINK, _HOLD, _ANSWER = range(4)


def _partial_suffix(text: str, tag: str) -> int:
    """Length of the longest suffix of ``text`` that is a proper prefix of ``tag``."""
    for size in range(min(len(tag) - 1, len(text)), 0, -1):
        if text.endswith(tag[:size]):
            return size
    return 0


class ThinkSplitter:
    __slots__ = (
        "_answer_started",
        "_buffer",
        "_expect",
        "_reasoning_started",
        "_reasoning_ws",
        "_state",
        "saw_tag",
    )

    def __init__(self, expect_reasoning: bool = False) -> None:
        self._expect = expect_reasoning
        self._state = _SNIFF
        self._buffer = ""
        self._reasoning_ws = ""  # whitespace held inside the reasoning (may precede </think>)
        self._answer_started = False
        self._reasoning_started = False
        #: True once a ``<think>`` or ``</think>`` tag was seen: the raw text must be replayed.
        self.saw_tag = False

    @property
    def may_be_inline(self) -> bool:
        """False once the text is known to carry no ``<think>`` block (no raw copy is needed)."""
        return self.saw_tag or self._state != _ANSWER

    def feed(self, text: str) -> tuple[str, str]:
        """Consume the next piece; return the ``(reasoning, answer)`` it completes."""
        if not text:
            return "", ""
        if self._state == _ANSWER:
            return "", self._answer(text)
        self._buffer += text
        return self._advance(final=False)

    def close(self) -> tuple[str, str]:
        """End of text: flush whatever is held back."""
        reasoning, answer = self._advance(final=True)
        if self._state == _THINK:
            reasoning += self._reasoning(self._buffer, closing=True)
            self._buffer = ""
        elif self._state in (_SNIFF, _HOLD):
            answer += self._answer(self._buffer)
            self._buffer = ""
            self._state = _ANSWER
        return reasoning, answer

    # ----------------------------------------------------------------------------------------

    def _advance(self, final: bool) -> tuple[str, str]:
        reasoning = answer = ""
        while True:
            state = self._state
            if state == _SNIFF:
                stripped = self._buffer.lstrip()
                if stripped.startswith(OPEN):
                    self._buffer = stripped[len(OPEN) :]
                    self._state = _THINK
                    self.saw_tag = True
                    continue
                if not final and (not stripped or OPEN.startswith(stripped)):
                    return reasoning, answer
                self._state = _HOLD if self._expect and not final else _ANSWER
                if self._state == _ANSWER:
                    answer += self._answer(self._buffer)
                    self._buffer = ""
                    return reasoning, answer
                continue
            if state == _THINK:
                if not self._buffer:
                    return reasoning, answer
                end = self._buffer.find(CLOSE)
                if end >= 0:
                    last, first = self._close(end)
                    return reasoning + last, answer + first
                keep = _partial_suffix(self._buffer, CLOSE)
                ready = self._buffer[: len(self._buffer) - keep]
                self._buffer = self._buffer[len(ready) :]
                reasoning += self._reasoning(ready, closing=False)
                return reasoning, answer
            if state == _HOLD:
                end = self._buffer.find(CLOSE)
                if end < 0:
                    return reasoning, answer
                last, first = self._close(end)
                return reasoning + last, answer + first
            return reasoning, answer

    def _close(self, end: int) -> tuple[str, str]:
        """``</think>`` at ``end``: the reasoning's last piece and the answer's first."""
        self.saw_tag = True
        reasoning = self._reasoning(self._buffer[:end], closing=True)
        rest = self._buffer[end + len(CLOSE) :]
        self._buffer = ""
        self._state = _ANSWER
        return reasoning, self._answer(rest)

    def _reasoning(self, text: str, *, closing: bool) -> str:
        """Emit reasoning text, trimmed: trailing whitespace is held until more text follows it."""
        if not self._reasoning_started:
            text = text.lstrip()
            if text:
                self._reasoning_started = True
        if closing:
            out = self._reasoning_ws + text.rstrip() if text.strip() else ""
            self._reasoning_ws = ""
            return out
        if not text:
            return ""
        body = text.rstrip()
        if not body:
            self._reasoning_ws += text
            return ""
        out = self._reasoning_ws + body
        self._reasoning_ws = text[len(body) :]
        return out

    def _answer(self, text: str) -> str:
        if self._answer_started:
            return text
        text = text.lstrip()
        if text:
            self._answer_started = True
        return text
