"""The clients under test, each built as its documentation says, and the shared probe inputs."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MODEL = "MiniMax-M2.7"
API_KEY = "sk-probe-7f3a9c51-SECRET"  # distinctive, to find it in reprs and dumps
GROUP_ID = "123"
MAX_TOKENS = 4096
PROMPT = "What is 7 times 8?"
TOOL_PROMPT = "What's the weather in Lisbon?"
OK, NO, PART, NA = "✅", "❌", "⚠️", "—"


@dataclass(frozen=True)
class Cell:
    status: str
    evidence: str


@dataclass(frozen=True)
class ClientSpec:
    key: str
    label: str
    framework: str  # "langchain" | "llama-index"
    make: Callable[..., Any]  # make(url, **overrides) -> the model
    route: str  # "openai" | "native"
    split: dict[str, Any]  # the constructor option that asks MiniMax for reasoning_split


def _ours_lc(url: str, **kw: Any) -> Any:
    from langchain_minimax import ChatMiniMax

    args: dict[str, Any] = {"model": MODEL, "api_key": API_KEY, "base_url": url}
    return ChatMiniMax(**{"max_tokens": MAX_TOKENS, **args, **kw})


def _ours_li(url: str, **kw: Any) -> Any:
    from llama_index_minimax import MiniMax

    args: dict[str, Any] = {"model": MODEL, "api_key": API_KEY, "base_url": url}
    return MiniMax(**{"max_tokens": MAX_TOKENS, **args, **kw})


def _community(url: str, **kw: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # langchain-community's sunset note
        from langchain_community.chat_models import MiniMaxChat

    args: dict[str, Any] = {
        "model": MODEL,
        "minimax_api_key": API_KEY,
        "minimax_api_host": url + "/v1/text/chatcompletion_v2",
        "minimax_group_id": GROUP_ID,
    }
    return MiniMaxChat(**{"max_tokens": MAX_TOKENS, **args, **kw})


def _chat_openai(url: str, **kw: Any) -> Any:
    from langchain_openai import ChatOpenAI

    args: dict[str, Any] = {"model": MODEL, "api_key": API_KEY, "base_url": url + "/v1"}
    return ChatOpenAI(**{"max_tokens": MAX_TOKENS, **args, **kw})


def _li_peer(url: str, **kw: Any) -> Any:
    from llama_index.llms.minimax import MiniMax as PeerMiniMax

    args: dict[str, Any] = {"model": MODEL, "api_key": API_KEY, "api_base": url + "/v1"}
    return PeerMiniMax(**{"max_tokens": MAX_TOKENS, **args, **kw})


CLIENTS: list[ClientSpec] = [
    ClientSpec("ours_lc", "ChatMiniMax (ours, LangChain)", "langchain", _ours_lc, "openai", {}),
    ClientSpec("ours_li", "MiniMax (ours, LlamaIndex)", "llama-index", _ours_li, "openai", {}),
    ClientSpec(
        "community",
        "community `MiniMaxChat`",
        "langchain",
        _community,
        "native",
        {"model_kwargs": {"reasoning_split": True}},
    ),
    ClientSpec(
        "chat_openai",
        "`ChatOpenAI(base_url=…/v1)`",
        "langchain",
        _chat_openai,
        "openai",
        {"extra_body": {"reasoning_split": True}},
    ),
    ClientSpec(
        "li_peer",
        "`llama-index-llms-minimax`",
        "llama-index",
        _li_peer,
        "openai",
        {"additional_kwargs": {"extra_body": {"reasoning_split": True}}},
    ),
]
SPLIT_NOTE = {
    "community": "model_kwargs={'reasoning_split': True}",
    "chat_openai": "extra_body={'reasoning_split': True}",
    "li_peer": "additional_kwargs={'extra_body': {'reasoning_split': True}}",
}
