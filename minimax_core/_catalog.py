"""What each MiniMax model can do: context window, output limit, thinking, tools, vision, sampling.

Sources: MiniMax's model pages, ``GET /v1/models`` (``docs/protocol-notes.md`` §10). An id that is
not listed still works: it gets permissive defaults (``known=False``) so a model released after
this package is usable the day it ships.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["CATALOG", "ModelInfo", "model_info"]

Thinking = Literal["none", "always", "switchable"]


@dataclass(frozen=True, slots=True)
class ModelInfo:
    id: str
    context_window: int
    max_output_tokens: int
    #: MiniMax's recommended output budget (reasoning included); LlamaIndex's ``num_output``.
    recommended_max_tokens: int
    thinking: Thinking
    tools: bool = True
    vision: bool = False
    #: Enforces ``response_format`` json_schema (only MiniMax-Text-01 does).
    json_schema: bool = False
    #: Accepted temperature range is (0, max_temperature]; 0 is mapped to a small positive value.
    max_temperature: float = 1.0
    released: str | None = None
    known: bool = True

    @property
    def reasons(self) -> bool:
        return self.thinking != "none"


def _m2(id_: str, released: str) -> ModelInfo:
    return ModelInfo(
        id=id_,
        context_window=204_800,
        max_output_tokens=204_800,
        recommended_max_tokens=65_536,
        thinking="always",
        released=released,
    )


CATALOG: dict[str, ModelInfo] = {
    m.id: m
    for m in (
        ModelInfo(
            id="MiniMax-M3",
            context_window=1_000_000,
            max_output_tokens=524_288,
            recommended_max_tokens=131_072,
            thinking="switchable",
            vision=True,
            max_temperature=2.0,
            released="2026-06-01",
        ),
        _m2("MiniMax-M2.7", "2026-03-18"),
        _m2("MiniMax-M2.7-highspeed", "2026-03-18"),
        _m2("MiniMax-M2.5", "2026-02-13"),
        _m2("MiniMax-M2.5-highspeed", "2026-02-13"),
        _m2("MiniMax-M2.1", "2025-12-23"),
        _m2("MiniMax-M2.1-highspeed", "2025-12-23"),
        _m2("MiniMax-M2", "2025-10-27"),
        # Model Studio (DashScope) ids of the same weights.
        _m2("MiniMax/MiniMax-M2.5", "2026-02-13"),
        _m2("MiniMax/MiniMax-M2.1", "2025-12-23"),
        ModelInfo(
            id="MiniMax-M1",
            context_window=1_000_000,
            max_output_tokens=80_000,
            recommended_max_tokens=8_192,
            thinking="always",
            released="2025-06-16",
        ),
        ModelInfo(
            id="MiniMax-Text-01",
            context_window=1_000_192,
            max_output_tokens=1_000_192,
            recommended_max_tokens=2_048,
            thinking="none",
            vision=True,
            json_schema=True,
            released="2025-01-15",
        ),
        ModelInfo(
            id="abab6.5s-chat",
            context_window=245_760,
            max_output_tokens=245_760,
            recommended_max_tokens=2_048,
            thinking="none",
            released="2024-04-17",
        ),
        ModelInfo(
            id="abab6.5g-chat",
            context_window=8_192,
            max_output_tokens=8_192,
            recommended_max_tokens=2_048,
            thinking="none",
            released="2024-04-17",
        ),
        ModelInfo(
            id="abab6.5t-chat",
            context_window=8_192,
            max_output_tokens=8_192,
            recommended_max_tokens=2_048,
            thinking="none",
            released="2024-04-17",
        ),
    )
}


def model_info(model: str) -> ModelInfo:
    """The catalog entry for ``model``, or permissive defaults for an id not in the catalog."""
    info = CATALOG.get(model)
    if info is not None:
        return info
    lowered = model.lower()
    for known_id, known in CATALOG.items():
        if known_id.lower() == lowered:
            return known
    thinking: Thinking = "none"
    if "m3" in lowered:
        thinking = "switchable"
    elif "m2" in lowered or "m1" in lowered:
        thinking = "always"
    return ModelInfo(
        id=model,
        context_window=204_800,
        max_output_tokens=204_800,
        recommended_max_tokens=2_048,
        thinking=thinking,
        tools=True,
        vision="m3" in lowered,
        known=False,
    )
