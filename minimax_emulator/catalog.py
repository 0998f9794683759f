"""Model catalog: context windows, output limits, reasoning behaviour, and the /v1/models list."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class ModelInfo:
    id: str
    context_window: int
    max_output: int
    thinks: bool  # reasons by default
    thinking_switchable: bool = False  # honours thinking={"type":"disabled"} (M3 only)
    reasoning_field: bool = False  # native route: reasoning in message.reasoning_content (M1)
    enforces_json_schema: bool = False  # response_format json_schema honoured (Text-01 only)
    max_temperature: float = 1.0
    vision: bool = False
    max_input: int = 0  # longest accepted prompt (0: the context window)


def _m2(model_id: str) -> ModelInfo:
    return ModelInfo(model_id, 204_800, 204_800, thinks=True)


MODELS: dict[str, ModelInfo] = {
    m.id: m
    for m in (
        ModelInfo(
            "MiniMax-M3",
            1_000_000,
            524_288,
            thinks=True,
            thinking_switchable=True,
            max_temperature=2.0,
            vision=True,
        ),
        _m2("MiniMax-M2.7"),
        _m2("MiniMax-M2.7-highspeed"),
        _m2("MiniMax-M2.5"),
        _m2("MiniMax-M2.5-highspeed"),
        _m2("MiniMax-M2.1"),
        _m2("MiniMax-M2.1-highspeed"),
        _m2("MiniMax-M2"),
        ModelInfo("MiniMax-M1", 1_000_000, 80_000, thinks=True, reasoning_field=True),
        ModelInfo(
            "MiniMax-Text-01",
            1_000_192,
            1_000_192,
            thinks=False,
            enforces_json_schema=True,
            vision=True,
        ),
        ModelInfo("abab6.5s-chat", 245_760, 245_760, thinks=False),
        ModelInfo("abab6.5t-chat", 8_192, 8_192, thinks=False),
        ModelInfo("abab6.5g-chat", 8_192, 8_192, thinks=False),
    )
}

#: Models served through Alibaba Model Studio (DashScope: compatible mode and the native API).
#: Limits from Model Studio's MiniMax page: context / max input / max reasoning+answer.
DASHSCOPE_MODELS: dict[str, ModelInfo] = {
    "MiniMax-M2.5": ModelInfo(
        "MiniMax-M2.5", 196_608, 32_768, thinks=True, max_temperature=2.0, max_input=196_601
    ),
    "MiniMax/MiniMax-M2.5": ModelInfo(
        "MiniMax/MiniMax-M2.5", 204_800, 131_072, thinks=True, max_temperature=2.0
    ),
    "MiniMax/MiniMax-M2.1": ModelInfo(
        "MiniMax/MiniMax-M2.1", 204_800, 131_072, thinks=True, max_temperature=2.0
    ),
}

#: Models that take ``enable_search`` on DashScope's native API. Model Studio's MiniMax page lists
#: web search for MiniMax-M2.5 only; for the others the flag is ignored (assumed: no error).
DASHSCOPE_SEARCH_MODELS: frozenset[str] = frozenset({"MiniMax-M2.5"})

EMBEDDING_MODELS: frozenset[str] = frozenset({"embo-01"})
EMBEDDING_DIM = 1536

#: ``GET /v1/models`` exactly as recorded from the live service.
_MODELS_LIST = [
    ("MiniMax-M3", 1780272000),
    ("MiniMax-M2.7", 1773799200),
    ("MiniMax-M2.7-highspeed", 1773799200),
    ("MiniMax-M2.5", 1770948000),
    ("MiniMax-M2.5-highspeed", 1770948000),
    ("MiniMax-M2.1", 1766455200),
    ("MiniMax-M2.1-highspeed", 1766455200),
    ("MiniMax-M2", 1761530400),
]

MODELS_LIST_BODY: bytes = json.dumps(
    {
        "object": "list",
        "data": [
            {"id": model_id, "object": "model", "created": created, "owned_by": "minimax"}
            for model_id, created in _MODELS_LIST
        ],
    },
    separators=(",", ":"),
).encode()
