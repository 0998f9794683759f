"""Fixtures for the LlamaIndex adapter tests (all against the shared emulator)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from llama_index_minimax import MiniMax, MiniMaxEmbedding
from minimax_emulator.testing import EmulatorServer
from tests.support import API_KEY, Route


@pytest.fixture
def make_llm(emulator: EmulatorServer) -> Callable[..., MiniMax]:
    """``make_llm(api="openai", model=None, **fields)``: a MiniMax pointed at the emulator."""

    def make(api: Route = "openai", model: str | None = None, **fields: Any) -> MiniMax:
        if model is None:
            model = "MiniMax-M2.5" if api == "dashscope" else "MiniMax-M2.7"
        fields.setdefault("api_key", API_KEY)
        fields.setdefault("base_url", emulator.base_url)
        return MiniMax(model=model, api=api, **fields)

    return make


@pytest.fixture
def make_embedding(emulator: EmulatorServer) -> Callable[..., MiniMaxEmbedding]:
    def make(**fields: Any) -> MiniMaxEmbedding:
        fields.setdefault("api_key", API_KEY)
        fields.setdefault("base_url", emulator.base_url)
        return MiniMaxEmbedding(**fields)

    return make
