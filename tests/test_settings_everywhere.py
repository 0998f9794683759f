"""Connection settings mean the same on all four adapter classes, because one place resolves them
(``ClientConfig.from_env`` via the ``ClientSettings`` mixin): ``api=`` is honoured or refused
clearly on every class, and the ``base_url``/``region`` an object shows are the ones it uses."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from langchain_minimax import ChatMiniMax, MiniMaxEmbeddings
from llama_index_minimax import MiniMax, MiniMaxEmbedding
from minimax_core import ClientSettings
from minimax_core._dialects import APIS as ROUTE_NAMES

CHAT: list[type[ClientSettings]] = [ChatMiniMax, MiniMax]
EMBEDDINGS: list[type[ClientSettings]] = [MiniMaxEmbeddings, MiniMaxEmbedding]
ALL = CHAT + EMBEDDINGS


def build(cls: type[ClientSettings], **fields: Any) -> ClientSettings:
    return cls(api_key="sk-test-key-0000", **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("cls", EMBEDDINGS, ids=lambda c: c.__name__)
def test_embeddings_on_a_chat_only_route_are_refused_when_built(
    cls: type[ClientSettings],
) -> None:
    # Before, MiniMaxEmbeddings(api="dashscope") was silently sent to MiniMax's route.
    with pytest.raises(ValueError, match="DashScope route serves chat only"):
        build(cls, api="dashscope")


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_an_unknown_route_is_refused_on_every_class(cls: type[ClientSettings]) -> None:
    with pytest.raises(ValueError, match=r"(?s)api.*Input should be") as refused:
        build(cls, api="anthropics")
    # the message names every route there is
    assert all(repr(route) in str(refused.value) for route in ROUTE_NAMES)


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
@pytest.mark.parametrize("api", ["openai", "native"])
def test_the_route_is_the_one_asked_for(cls: type[ClientSettings], api: str) -> None:
    model = build(cls, api=api)
    assert model.api == api
    assert model._client.config.api == api


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
@pytest.mark.parametrize("alias", ["base_url", "minimax_api_host", "minimax_api_base"])
def test_the_stored_base_url_is_the_one_used(cls: type[ClientSettings], alias: str) -> None:
    model = build(cls, **{alias: " http://127.0.0.1:9/prefix/v1/ "})
    assert model.base_url == "http://127.0.0.1:9/prefix"
    assert model._client.config.host == model.base_url


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_the_base_url_from_the_environment_is_stored_as_used(
    cls: type[ClientSettings], hermetic_env: pytest.MonkeyPatch
) -> None:
    hermetic_env.setenv("MINIMAX_BASE_URL", "http://127.0.0.1:9/v1/chat/completions")
    model = build(cls)
    assert model.base_url == "http://127.0.0.1:9"
    assert model._client.config.host == "http://127.0.0.1:9"


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_region_aliases_are_stored_normalised(cls: type[ClientSettings]) -> None:
    model = build(cls, region=" International ")
    assert model.region == "global"
    assert model._client.config.host == "https://api.minimax.io"


@pytest.mark.parametrize("cls", CHAT, ids=lambda c: c.__name__)
def test_the_dashscope_route_reads_its_own_host_variable(
    cls: type[ClientSettings], hermetic_env: pytest.MonkeyPatch
) -> None:
    hermetic_env.setenv("MINIMAX_BASE_URL", "http://minimax-host")
    hermetic_env.setenv("DASHSCOPE_BASE_URL", "http://dashscope-host/compatible-mode/v1")
    model = build(cls, api="dashscope")
    assert model.base_url == "http://dashscope-host"
    assert (
        model._client.config.chat_url == "http://dashscope-host/compatible-mode/v1/chat/completions"
    )


def test_a_user_supplied_http_client_is_kept() -> None:
    client = httpx.Client()
    try:
        model = build(ChatMiniMax, http_client=client)
        assert model._client.http_client is client
    finally:
        client.close()
