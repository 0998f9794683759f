"""The differences between MiniMax's routes, in one place.

A dialect says how a route wants the request shaped (reasoning split, token-limit field, whether
``thinking`` is accepted) and how an assistant turn's reasoning is sent back. The Anthropic-
compatible route, when added, is a fourth dialect with its own message builder.

Reasoning replay (MiniMax requires earlier reasoning back in multi-turn tool use):

===========  ===================================================================================
route        what an assistant turn carries back
===========  ===================================================================================
openai       ``reasoning_details`` verbatim; else the original ``<think>`` content; else the
             plain reasoning text as one ``reasoning.text`` item
native       the original ``<think>`` content; else the reasoning re-inlined as ``<think>``
dashscope    ``reasoning_content`` (DashScope's field)
===========  ===================================================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from minimax_core._config import Api
from minimax_core._types import Reasoning

__all__ = ["DIALECTS", "Dialect", "Replay"]


@dataclass(frozen=True, slots=True)
class Replay:
    content: str
    reasoning_details: list[dict[str, Any]] | None = None
    reasoning_content: str | None = None


def _detail(text: str) -> dict[str, Any]:
    return {
        "type": "reasoning.text",
        "id": "reasoning-text-1",
        "format": "MiniMax-response-v1",
        "index": 0,
        "text": text,
    }


@dataclass(frozen=True, slots=True)
class Dialect:
    name: Api
    #: Send ``reasoning_split: true`` (clean ``content``, reasoning in its own fields).
    split_reasoning: bool
    #: The request field for the output limit.
    token_field: str
    #: Accepts MiniMax's ``thinking`` object.
    thinking: bool
    #: Thinking models put their reasoning inline (``<think>``) in ``content``.
    inline_reasoning: bool

    def replay(self, content: str, reasoning: Reasoning | None) -> Replay:
        if not reasoning:
            return Replay(content)
        if self.name == "openai":
            if reasoning.details:
                return Replay(content, reasoning_details=reasoning.details)
            if reasoning.inline:
                return Replay(reasoning.inline)
            return Replay(content, reasoning_details=[_detail(reasoning.text)])
        if self.name == "native":
            if reasoning.inline:
                return Replay(reasoning.inline)
            return Replay(f"<think>\n{reasoning.text}\n</think>\n\n{content}")
        return Replay(content, reasoning_content=reasoning.text)


DIALECTS: dict[str, Dialect] = {
    "openai": Dialect(
        "openai",
        split_reasoning=True,
        token_field="max_completion_tokens",
        thinking=True,
        inline_reasoning=False,
    ),
    "native": Dialect(
        "native",
        split_reasoning=False,
        token_field="max_completion_tokens",
        thinking=True,
        inline_reasoning=True,
    ),
    "dashscope": Dialect(
        "dashscope",
        split_reasoning=False,
        token_field="max_tokens",
        thinking=False,
        inline_reasoning=False,
    ),
}
