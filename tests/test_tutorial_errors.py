"""The native-API tutorial's error shapes — HTTP 200 with an HTTP-like ``base_resp.status_code``
("401 invalid api key", "429 rate limit exceeded", "400 model not found", 5xx) — classified by
what they mean, over the wire (the emulator's ``tutorial_error`` fault), through both adapters."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from llama_index.core.base.llms.types import ChatMessage

import llama_index_minimax as li
from langchain_minimax import (
    AuthenticationError,
    ChatMiniMax,
    InvalidRequestError,
    ServerError,
)
from minimax_emulator.testing import EmulatorServer
from tests.support import API_KEY

ROUTES = ["native", "openai", "dashscope-native"]


def model_for(route: str) -> str:
    return "MiniMax-M2.5" if route.startswith("dashscope") else "MiniMax-M2.7"


def langchain(emulator: EmulatorServer, route: str, spec: str, **fields: Any) -> ChatMiniMax:
    return ChatMiniMax(
        model=fields.pop("model", model_for(route)),
        api=route,  # type: ignore[arg-type]
        api_key=API_KEY,  # type: ignore[arg-type]
        base_url=emulator.base_url,
        default_headers={"X-Emulator": spec},
        **fields,
    )


def chat_requests(emulator: EmulatorServer) -> int:
    return len([r for r in emulator.requests if r.method == "POST"])


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("mode", ["invoke", "ainvoke", "stream"])
def test_a_429_is_a_rate_limit_retried_with_backoff(
    emulator: EmulatorServer, route: str, mode: str
) -> None:
    llm = langchain(emulator, route, "tutorial_error=429x1", max_retries=2)
    if mode == "invoke":
        answer = llm.invoke("Hi").content
    elif mode == "ainvoke":
        answer = asyncio.run(llm.ainvoke("Hi")).content
    else:
        answer = "".join(str(chunk.content) for chunk in llm.stream("Hi"))
    assert answer  # answered after one retry
    assert chat_requests(emulator) == 2


@pytest.mark.parametrize("route", ROUTES)
def test_a_401_is_an_authentication_error_with_the_key_hint_not_retried(
    emulator: EmulatorServer, route: str
) -> None:
    llm = langchain(emulator, route, "tutorial_error=401", max_retries=2)
    with pytest.raises(AuthenticationError) as caught:
        llm.invoke("Hi")
    assert caught.value.status_code == 401
    assert "API_KEY" in str(caught.value)  # names the key to check
    assert chat_requests(emulator) == 1


@pytest.mark.parametrize("route", ROUTES)
def test_model_not_found_names_the_model(emulator: EmulatorServer, route: str) -> None:
    llm = langchain(emulator, route, "tutorial_error=400", max_retries=2)
    with pytest.raises(InvalidRequestError) as caught:
        llm.invoke("Hi")
    assert f"{model_for(route)!r} is not served here" in str(caught.value)
    assert chat_requests(emulator) == 1


@pytest.mark.parametrize("route", ROUTES)
def test_a_5xx_is_a_server_error_retried(emulator: EmulatorServer, route: str) -> None:
    llm = langchain(emulator, route, "tutorial_error=503", max_retries=1)
    with pytest.raises(ServerError):
        llm.invoke("Hi")
    assert chat_requests(emulator) == 2


@pytest.mark.parametrize("route", ROUTES)
def test_llamaindex_reads_the_same_shapes(emulator: EmulatorServer, route: str) -> None:
    llm = li.MiniMax(
        model=model_for(route),
        api=route,  # type: ignore[arg-type]
        api_key=API_KEY,  # type: ignore[arg-type]
        base_url=emulator.base_url,
        default_headers={"X-Emulator": "tutorial_error=429x1"},
        max_retries=2,
    )
    assert llm.chat([ChatMessage(role="user", content="Hi")]).message.content
    assert chat_requests(emulator) == 2
    llm.default_headers = {"X-Emulator": "tutorial_error=401"}
    broken = li.MiniMax(**{**llm.model_dump(), "api_key": API_KEY})
    with pytest.raises(li.AuthenticationError):
        broken.chat([ChatMessage(role="user", content="Hi")])
