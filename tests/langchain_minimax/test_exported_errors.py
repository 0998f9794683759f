"""Errors from real calls (against the emulator) are caught with the classes ``langchain_minimax``
exports from its package: no ``minimax_core`` or ``langchain_minimax.errors`` import needed."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr

import langchain_minimax
import minimax_core
from langchain_minimax import MiniMaxEmbeddings
from minimax_emulator.testing import EmulatorServer
from tests.langchain_minimax._support import CALLS, MODES, chat, run

WRONG_KEY = "sk-wrong-key-0123456789abcdef"
PROMPT = "What is the capital of France?"

#: (arguments of ``chat``, the class a user catches it with)
FAILURES: dict[str, tuple[dict[str, Any], type[Exception]]] = {
    "wrong_key": ({"api_key": WRONG_KEY}, langchain_minimax.AuthenticationError),
    "rate_limit": ({"spec": "fail=429", "max_retries": 0}, langchain_minimax.RateLimitError),
    "invalid_params": ({"spec": "fail=2013"}, langchain_minimax.InvalidRequestError),
    "server_error": ({"spec": "fail=500", "max_retries": 0}, langchain_minimax.ServerError),
}


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("failure", FAILURES)
async def test_a_failed_call_is_caught_with_the_package_level_class(
    emulator: EmulatorServer, failure: str, call: str
) -> None:
    kwargs, exported = FAILURES[failure]
    llm = chat(emulator, **kwargs)
    with pytest.raises(exported) as caught:
        await run(llm, PROMPT, call)
    assert type(caught.value).__module__ == "langchain_minimax.errors"
    assert isinstance(caught.value, minimax_core.MiniMaxError)
    assert emulator.requests  # the call really reached the server


async def embed(embeddings: MiniMaxEmbeddings, mode: str) -> list[float]:
    if mode == "sync":
        return embeddings.embed_query("Hi")
    return await embeddings.aembed_query("Hi")


@pytest.mark.parametrize("mode", MODES)
async def test_a_failed_embedding_is_caught_with_the_package_level_class(
    emulator: EmulatorServer, mode: str
) -> None:
    embeddings = MiniMaxEmbeddings(api_key=SecretStr(WRONG_KEY), base_url=emulator.base_url)
    with pytest.raises(langchain_minimax.AuthenticationError):
        await embed(embeddings, mode)
    assert emulator.requests
