"""The model catalog: facts from ``docs/protocol-notes.md`` §10; unknown ids stay usable."""

from __future__ import annotations

import json

import pytest

from minimax_core import CATALOG, ChatParams, UserMessage, model_info
from minimax_core._request import prepare_chat

from .support import CAPTURES


@pytest.mark.parametrize(
    ("model", "context", "max_output", "thinking", "vision"),
    [
        ("MiniMax-M3", 1_000_000, 524_288, "switchable", True),
        ("MiniMax-M2.7", 204_800, 204_800, "always", False),
        ("MiniMax-M2.7-highspeed", 204_800, 204_800, "always", False),
        ("MiniMax-M2.5", 204_800, 204_800, "always", False),
        ("MiniMax-M2.5-highspeed", 204_800, 204_800, "always", False),
        ("MiniMax-M2.1", 204_800, 204_800, "always", False),
        ("MiniMax-M2.1-highspeed", 204_800, 204_800, "always", False),
        ("MiniMax-M2", 204_800, 204_800, "always", False),
        ("MiniMax-M1", 1_000_000, None, "always", False),
        ("MiniMax-Text-01", 1_000_192, None, "none", True),
        ("abab6.5s-chat", 245_760, None, "none", False),
        ("abab6.5t-chat", 8_192, None, "none", False),
        ("abab6.5g-chat", 8_192, None, "none", False),
    ],
)
def test_known_models(
    model: str, context: int, max_output: int | None, thinking: str, vision: bool
) -> None:
    info = model_info(model)
    assert info.known
    assert info.id == model
    assert info.context_window == context
    if max_output is not None:
        assert info.max_output_tokens == max_output
    assert info.thinking == thinking
    assert info.reasons is (thinking != "none")
    assert info.vision is vision
    assert info.recommended_max_tokens <= info.max_output_tokens


def test_only_text_01_enforces_json_schema() -> None:
    assert [m for m, info in CATALOG.items() if info.json_schema] == ["MiniMax-Text-01"]


def test_m3_accepts_temperature_up_to_2_and_m2_up_to_1() -> None:
    assert model_info("MiniMax-M3").max_temperature == 2.0
    assert model_info("MiniMax-M2.7").max_temperature == 1.0


def test_dashscope_model_ids_are_known() -> None:
    assert model_info("MiniMax/MiniMax-M2.5").thinking == "always"
    assert model_info("MiniMax/MiniMax-M2.1").known


def test_every_model_the_service_lists_is_in_the_catalog() -> None:
    listing = json.loads((CAPTURES / "openai-models-list.json").read_text())
    for item in listing["data"]:
        assert model_info(item["id"]).known, item["id"]


@pytest.mark.parametrize("spelling", ["minimax-m2.7", "MINIMAX-M2.7", "MiniMax-m2.7"])
def test_lookup_is_case_insensitive(spelling: str) -> None:
    info = model_info(spelling)
    assert info is CATALOG["MiniMax-M2.7"]


@pytest.mark.parametrize(
    ("model", "thinking", "vision"),
    [
        ("MiniMax-M3.1-Flash-Preview", "switchable", True),
        ("MiniMax-M2.9", "always", False),
        ("some-future-model", "none", False),
    ],
)
def test_unknown_models_get_sane_defaults(model: str, thinking: str, vision: bool) -> None:
    info = model_info(model)
    assert not info.known
    assert info.id == model
    assert (info.thinking, info.vision, info.tools) == (thinking, vision, True)
    assert info.context_window > 0
    assert info.max_output_tokens > 0


def test_an_unknown_model_can_be_used() -> None:
    prepared = prepare_chat(
        [UserMessage("hi")],
        ChatParams(model="MiniMax-M9", max_tokens=900_000, temperature=0.5),
        api="openai",
        stream=False,
    )
    body = json.loads(prepared.body)
    assert body["model"] == "MiniMax-M9"
    # No catalog limit is imposed on a model we know nothing about.
    assert body["max_completion_tokens"] == 900_000
