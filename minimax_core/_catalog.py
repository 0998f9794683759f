"""What each MiniMax model can do: context window, output limit, thinking, tools, vision, sampling.

Sources: MiniMax's model pages, ``GET /v1/models`` (``docs/protocol-notes.md`` §10). An id that is
not listed still works: it gets permissive defaults (``known=False``) so a model released after
this package is usable the day it ships.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

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
    #: Web search (Model Studio's ``enable_search``) is offered for this model.
    web_search: bool = False
    #: Tokens of the model's longest input (``None``: the context window).
    max_input_tokens: int | None = None
    #: Sampling defaults the serving platform documents (used when the user sets none).
    default_temperature: float | None = None
    default_top_p: float | None = None

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


def _studio(id_: str, released: str, **facts: Any) -> ModelInfo:
    """An M2 model as Alibaba Model Studio lists it: 131,072 output tokens of 204,800 unless said
    otherwise, and its documented sampling defaults (temperature 1.0, top_p 0.95)."""
    listed: dict[str, Any] = {
        "max_output_tokens": 131_072,
        "max_input_tokens": 204_800,
        "default_temperature": 1.0,
        "default_top_p": 0.95,
    }
    return replace(_m2(id_, released), **{**listed, **facts})


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
        # Model Studio (DashScope) ids: served by MiniMax through Model Studio (see MODEL_STUDIO
        # for Model Studio's own deployment of MiniMax-M2.5).
        _studio("MiniMax/MiniMax-M2.5", "2026-02-13", web_search=True),
        _studio("MiniMax/MiniMax-M2.1", "2025-12-23"),
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


#: Model Studio's own deployment of a model, where its facts differ from MiniMax's: its MiniMax
#: page lists MiniMax-M2.5 with context 196,608, max input 196,601, max reasoning + answer 32,768,
#: thinking only (no budget), function calling, web search, implicit cache, no structured output,
#: no partial mode, defaults temperature 1.0 / top_p 0.95 / presence_penalty 0.0
#: (``docs/protocol-notes.md`` §7).
MODEL_STUDIO: dict[str, ModelInfo] = {
    "MiniMax-M2.5": _studio(
        "MiniMax-M2.5",
        "2026-02-13",
        context_window=196_608,
        max_input_tokens=196_601,
        max_output_tokens=32_768,
        recommended_max_tokens=32_768,
        web_search=True,
    ),
}

#: The routes served by Model Studio (their model facts are Model Studio's).
MODEL_STUDIO_ROUTES = frozenset({"dashscope", "dashscope-native"})


def model_info(model: str, api: str | None = None) -> ModelInfo:
    """The catalog entry for ``model`` (as the route ``api`` serves it, where that differs), or
    permissive defaults for an id not in the catalog."""
    if api in MODEL_STUDIO_ROUTES and model in MODEL_STUDIO:
        return MODEL_STUDIO[model]
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
