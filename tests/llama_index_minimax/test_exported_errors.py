"""Errors from real calls (against the emulator) are caught with the classes
``llama_index_minimax`` re-exports: no ``minimax_core`` import needed in user code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import llama_index_minimax
from llama_index_minimax import MiniMax, MiniMaxEmbedding
from minimax_emulator.testing import EmulatorServer
from tests.llama_index_minimax.helpers import MODES, chat, stream_chat, user

WRONG_KEY = "sk-wrong-key-0123456789abcdef"

#: (fields of the LLM, the class a user catches it with)
FAILURES: dict[str, tuple[dict[str, Any], type[Exception]]] = {
    "wrong_key": ({"api_key": WRONG_KEY}, llama_index_minimax.AuthenticationError),
    "rate_limit": (
        {"max_retries": 0, "default_headers": {"X-Emulator": "fail=429"}},
        llama_index_minimax.RateLimitError,
    ),
    "invalid_params": (
        {"default_headers": {"X-Emulator": "fail=2013"}},
        llama_index_minimax.InvalidRequestError,
    ),
    "server_error": (
        {"max_retries": 0, "default_headers": {"X-Emulator": "fail=500"}},
        llama_index_minimax.ServerError,
    ),
}


@MODES
@pytest.mark.parametrize("streamed", [False, True], ids=["chat", "stream_chat"])
@pytest.mark.parametrize("failure", FAILURES)
async def test_a_failed_call_is_caught_with_the_re_exported_class(
    make_llm: Callable[..., MiniMax],
    emulator: EmulatorServer,
    failure: str,
    streamed: bool,
    mode: str,
) -> None:
    fields, exported = FAILURES[failure]
    llm = make_llm(**fields)
    call = stream_chat if streamed else chat
    with pytest.raises(exported) as caught:
        await call(llm, [user("Hi")], mode)
    assert isinstance(caught.value, llama_index_minimax.MiniMaxError)
    assert caught.value.request_id
    assert emulator.requests  # the call really reached the server


async def embed(embedding: MiniMaxEmbedding, mode: str) -> list[float]:
    if mode == "sync":
        return embedding.get_text_embedding("Hi")
    return await embedding.aget_text_embedding("Hi")


@MODES
async def test_a_failed_embedding_is_caught_with_the_re_exported_class(
    make_embedding: Callable[..., MiniMaxEmbedding], emulator: EmulatorServer, mode: str
) -> None:
    embedding = make_embedding(api_key=WRONG_KEY)
    with pytest.raises(llama_index_minimax.AuthenticationError):
        await embed(embedding, mode)
    assert emulator.requests
