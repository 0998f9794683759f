"""Every client under test, built as a user builds it, called through its public API.

Each entry makes, for a server URL: ``call()`` (one non-streamed chat call, returning its text),
``stream()`` (one streamed call consumed to the end, returns the number of items the public
streaming API yielded) and ``stream_text()`` (the same, also returning the text, for the one-off
check that the client really did the work). Async calls (``acall``) are built inside the worker's
event loop.

Same prompt, model and key for all; every client keeps its defaults (retries, timeouts, pools),
except where a base URL must point it at the local server, and where a default budget would cut
the answer short (``max_tokens`` of the community class and of the Anthropic-route peers).

A peer that cannot be built here (not installable with the locked versions) raises
:class:`Unavailable` with the reason; the sections record it and the report prints it.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

PROMPT = "What is 7 times 8?"
MODEL = "MiniMax-M2.7"
API_KEY = "bench-key"
GROUP_ID = "bench-group"
EXPECTED_ANSWER = f"Echo: {PROMPT}"
RAW_HEADERS = {"Authorization": f"Bearer {API_KEY}"}
# What the Anthropic-route peers send as max_tokens: what ChatMiniMax(api="anthropic") sends for
# this model (its recommended budget). ChatAnthropic's default (4096) cuts the streamed answer.
ANTHROPIC_MAX_TOKENS = 65_536
# What raw httpx sends: the body ChatMiniMax sends (reasoning split off, usage on the stream).
RAW_BODY: dict[str, Any] = {"model": MODEL, "messages": [{"role": "user", "content": PROMPT}]}
RAW_STREAM_BODY: dict[str, Any] = {
    **RAW_BODY,
    "stream": True,
    "reasoning_split": True,
    "stream_options": {"include_usage": True},
}

os.environ.setdefault("LANGSMITH_TRACING", "false")


@dataclass(frozen=True)
class Spec:
    key: str
    label: str
    framework: str  # "raw" | "langchain" | "llama-index"
    role: str  # "limit" | "floor" | "peer" | "ours"
    route: str = "openai"  # the MiniMax route it speaks: "openai" | "native" | "anthropic" | ""
    #: items a stream may yield beyond its chunks: usage / final items, and on the Anthropic
    #: route the block bookkeeping (a thinking block's start and its signature)
    extra_items: int = 3


SPECS: dict[str, Spec] = {
    s.key: s
    for s in [
        Spec("raw_httpx", "raw httpx (the limit)", "raw", "limit"),
        Spec("lc_floor", "LangChain floor (trivial BaseChatModel)", "langchain", "floor", ""),
        Spec("chat_openai", "ChatOpenAI(base_url=…/v1)", "langchain", "peer"),
        Spec("community", "community MiniMaxChat (native route)", "langchain", "peer", "native"),
        Spec("chat_minimax", "ChatMiniMax (ours)", "langchain", "ours"),
        Spec(
            "chat_minimax_native", "ChatMiniMax (ours, api='native')", "langchain", "ours", "native"
        ),
        Spec(
            "chat_anthropic",
            "ChatAnthropic(base_url=…/anthropic)",
            "langchain",
            "peer",
            "anthropic",
            extra_items=6,
        ),
        Spec(
            "chat_minimax_anthropic",
            "ChatMiniMax (ours, api='anthropic')",
            "langchain",
            "ours",
            "anthropic",
            extra_items=6,
        ),
        Spec("li_floor", "LlamaIndex floor (trivial CustomLLM)", "llama-index", "floor", ""),
        Spec("openai_like", "OpenAILike(api_base=…/v1)", "llama-index", "peer"),
        Spec("li_minimax_peer", "llama-index-llms-minimax MiniMax", "llama-index", "peer"),
        Spec("li_minimax", "llama_index_minimax.MiniMax (ours)", "llama-index", "ours"),
        Spec(
            "li_anthropic",
            "LlamaIndex Anthropic(base_url=…/anthropic)",
            "llama-index",
            "peer",
            "anthropic",
            extra_items=6,
        ),
        Spec(
            "li_minimax_anthropic",
            "llama_index_minimax.MiniMax (ours, api='anthropic')",
            "llama-index",
            "ours",
            "anthropic",
            extra_items=6,
        ),
    ]
}
#: The row each client's "× peer" ratio is against: the framework's usual route
#: (ChatOpenAI / OpenAILike), except ours on the Anthropic route, compared with the same
#: framework's Anthropic client on the same route.
PEER_OF = {"langchain": "chat_openai", "llama-index": "openai_like"}
ANTHROPIC_PEER_OF = {"langchain": "chat_anthropic", "llama-index": "li_anthropic"}
#: Our client on the OpenAI route, for each of ours on the Anthropic route (issue 15's target).
OPENAI_ROUTE_OF = {"chat_minimax_anthropic": "chat_minimax", "li_minimax_anthropic": "li_minimax"}
#: Why a peer cannot be measured here (printed in the report when it is missing).
UNAVAILABLE_WHY = {
    "li_anthropic": (
        "llama-index-llms-anthropic is not in the bench group: every release needs "
        "anthropic[bedrock,vertex], whose botocore caps python-dateutil < 3, and the lock has "
        "python-dateutil 4.0.0 (3.0.0 on Python 3.10), so adding it would downgrade a locked "
        "version. Tried outside the lock (0.12.3), it also rejects MiniMax model names: every "
        "chat call raises ValueError('Unknown model: MiniMax-M2.7 …') from "
        "anthropic_modelname_to_contextsize."
    ),
}


class Unavailable(Exception):
    """A peer that cannot be built or run here; the message says why."""


def peer_of(key: str) -> str | None:
    """The key of the row ``key``'s "× peer" ratio is against (None: no ratio)."""
    spec = SPECS[key]
    if spec.role == "limit":
        return None
    table = ANTHROPIC_PEER_OF if spec.route == "anthropic" and spec.role == "ours" else PEER_OF
    peer = table.get(spec.framework)
    return None if peer == key else peer


class Client:
    """A built client: ``call``, ``stream``, ``stream_text`` (see the module docstring)."""

    call: Callable[[], str]
    stream: Callable[[], int]
    stream_text: Callable[[], tuple[int, str]]
    close: Callable[[], None] = staticmethod(lambda: None)


def _langchain(model: Any) -> Client:
    from langchain_core.messages import AIMessageChunk

    c = Client()

    def call() -> str:
        return str(model.invoke(PROMPT).content)

    def stream() -> int:
        n = 0
        for _ in model.stream(PROMPT):
            n += 1
        return n

    def stream_text() -> tuple[int, str]:
        n, text = 0, []
        for chunk in model.stream(PROMPT):
            assert isinstance(chunk, AIMessageChunk)
            n += 1
            text.append(str(chunk.additional_kwargs.get("reasoning_content", "")))
            text.append(str(chunk.content))
        return n, "".join(text)

    c.call, c.stream, c.stream_text = call, stream, stream_text
    return c


def _llama_index(llm: Any) -> Client:
    from llama_index.core.base.llms.types import ChatMessage

    messages = [ChatMessage(role="user", content=PROMPT)]
    c = Client()

    def call() -> str:
        return str(llm.chat(messages).message.content)

    def stream() -> int:
        n = 0
        for _ in llm.stream_chat(messages):
            n += 1
        return n

    def stream_text() -> tuple[int, str]:
        n, last = 0, None
        for last in llm.stream_chat(messages):  # noqa: B007 - the last one is the whole message
            n += 1
        return n, str(last.message.content) if last is not None else ""

    c.call, c.stream, c.stream_text = call, stream, stream_text
    return c


def _raw_httpx(url: str) -> Client:
    import httpx

    client = httpx.Client(base_url=url, headers=RAW_HEADERS)
    c = Client()

    def call() -> str:
        response = client.post("/v1/chat/completions", json=RAW_BODY)
        response.raise_for_status()
        return str(response.json()["choices"][0]["message"]["content"])

    def stream() -> int:
        # SSE lines → JSON → count the chunks that carry a choice (what a client would yield).
        n = 0
        with client.stream("POST", "/v1/chat/completions", json=RAW_STREAM_BODY) as response:
            response.raise_for_status()
            for line in response.iter_lines():
                if (
                    line.startswith("data: ")
                    and line != "data: [DONE]"
                    and json.loads(line[6:])["choices"]
                ):
                    n += 1
        return n

    def stream_text() -> tuple[int, str]:
        n, text = 0, []
        with client.stream("POST", "/v1/chat/completions", json=RAW_STREAM_BODY) as response:
            response.raise_for_status()
            for line in response.iter_lines():
                if line.startswith("data: ") and line != "data: [DONE]":
                    event = json.loads(line[6:])
                    if event["choices"]:
                        n += 1
                        delta = event["choices"][0]["delta"]
                        text.append(delta.get("reasoning_content", "") + delta.get("content", ""))
        return n, "".join(text)

    c.call, c.stream, c.stream_text, c.close = call, stream, stream_text, client.close
    return c


def build(key: str, url: str, stream_parts: int = 0) -> Client:
    """The client ``key`` pointed at ``url``; floors yield ``stream_parts`` chunks."""
    if key == "raw_httpx":
        return _raw_httpx(url)
    if key == "lc_floor":
        from benchmarks.floors import FloorChatModel
        from benchmarks.floors import stream_parts as parts

        return _langchain(FloorChatModel(answer=EXPECTED_ANSWER, parts=parts(stream_parts)))
    if key == "li_floor":
        from benchmarks.floors import FloorLLM
        from benchmarks.floors import stream_parts as parts

        return _llama_index(FloorLLM(answer=EXPECTED_ANSWER, parts=parts(stream_parts)))
    spec = SPECS[key]
    try:
        model = _lc_model(key, url) if spec.framework == "langchain" else _li_model(key, url)
    except ImportError as exc:
        if spec.role != "peer":
            raise
        raise Unavailable(UNAVAILABLE_WHY.get(key, f"not installed: {exc}")) from exc
    return _langchain(model) if spec.framework == "langchain" else _llama_index(model)


def _lc_model(key: str, url: str, **extra: Any) -> Any:
    if key == "chat_openai":
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(model=MODEL, api_key=API_KEY, base_url=url + "/v1", **extra)
    if key == "community":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # langchain-community's sunset note
            from langchain_community.chat_models import MiniMaxChat

        return MiniMaxChat(
            model=MODEL,
            api_key=API_KEY,
            group_id=GROUP_ID,
            # its default max_tokens=256 is spent on reasoning before the answer starts
            max_tokens=200_000,
            base_url=url + "/v1/text/chatcompletion_v2",
            **extra,
        )
    if key == "chat_anthropic":
        from langchain_anthropic import ChatAnthropic

        return ChatAnthropic(
            model=MODEL,
            api_key=API_KEY,
            base_url=url + "/anthropic",
            max_tokens=ANTHROPIC_MAX_TOKENS,
            **extra,
        )
    if key in ("chat_minimax", "chat_minimax_native", "chat_minimax_anthropic"):
        from langchain_minimax import ChatMiniMax

        api = SPECS[key].route
        return ChatMiniMax(model=MODEL, api_key=API_KEY, base_url=url, api=api, **extra)
    raise KeyError(key)


def _li_model(key: str, url: str, **extra: Any) -> Any:
    if key == "openai_like":
        from llama_index.llms.openai_like import OpenAILike

        return OpenAILike(
            model=MODEL, api_key=API_KEY, api_base=url + "/v1", is_chat_model=True, **extra
        )
    if key == "li_minimax_peer":
        from llama_index.llms.minimax import MiniMax as PeerMiniMax

        return PeerMiniMax(model=MODEL, api_key=API_KEY, api_base=url + "/v1", **extra)
    if key == "li_anthropic":
        from llama_index.llms.anthropic import Anthropic

        return Anthropic(
            model=MODEL,
            api_key=API_KEY,
            base_url=url + "/anthropic",
            max_tokens=ANTHROPIC_MAX_TOKENS,
            **extra,
        )
    if key in ("li_minimax", "li_minimax_anthropic"):
        from llama_index_minimax import MiniMax

        api = SPECS[key].route
        return MiniMax(model=MODEL, api_key=API_KEY, base_url=url, api=api, **extra)
    raise KeyError(key)


# -- async (bursts) ---------------------------------------------------------------------------

ASYNC_KEYS = (
    "lc_floor",
    "li_floor",
    "raw_httpx",
    "raw_httpx_500",
    "chat_openai",
    "openai_like",
    "chat_minimax",
    "li_minimax",
    "chat_anthropic",
    "chat_minimax_anthropic",
    "li_minimax_anthropic",
)
ASYNC_LABELS = {
    "lc_floor": "LangChain floor: trivial ainvoke sleeping 50 ms, no I/O",
    "li_floor": "LlamaIndex floor: trivial achat sleeping 50 ms, no I/O",
    "raw_httpx": "raw httpx AsyncClient (default pool: 100)",
    "raw_httpx_500": "raw httpx AsyncClient (pool: 500)",
    "chat_openai": "ChatOpenAI.ainvoke",
    "openai_like": "OpenAILike.achat",
    "chat_minimax": "ChatMiniMax.ainvoke (ours)",
    "li_minimax": "llama_index_minimax.MiniMax.achat (ours)",
    "chat_anthropic": "ChatAnthropic.ainvoke (base_url=…/anthropic)",
    "chat_minimax_anthropic": "ChatMiniMax(api='anthropic').ainvoke (ours)",
    "li_minimax_anthropic": "llama_index_minimax.MiniMax(api='anthropic').achat (ours)",
}


def build_async(key: str, url: str) -> Callable[[], Awaitable[str]]:
    """An async call for ``key``; build it inside the event loop that will run it."""
    if key == "lc_floor":
        from benchmarks.floors import FloorChatModel

        floor = FloorChatModel(answer=EXPECTED_ANSWER, latency_s=0.05)

        async def lc_floor() -> str:
            return str((await floor.ainvoke(PROMPT)).content)

        return lc_floor
    if key == "li_floor":
        from llama_index.core.base.llms.types import ChatMessage

        from benchmarks.floors import FloorLLM

        li = FloorLLM(answer=EXPECTED_ANSWER, latency_s=0.05)
        li_messages = [ChatMessage(role="user", content=PROMPT)]

        async def li_floor() -> str:
            return str((await li.achat(li_messages)).message.content)

        return li_floor
    if key in ("raw_httpx", "raw_httpx_500"):
        import httpx

        limits = (
            httpx.Limits(max_connections=500, max_keepalive_connections=500)
            if key == "raw_httpx_500"
            else httpx.Limits(max_connections=100, max_keepalive_connections=20)  # httpx's default
        )
        client = httpx.AsyncClient(base_url=url, headers=RAW_HEADERS, limits=limits)

        async def raw() -> str:
            response = await client.post("/v1/chat/completions", json=RAW_BODY)
            response.raise_for_status()
            return str(response.json()["choices"][0]["message"]["content"])

        return raw
    if SPECS[key].framework == "langchain":
        model = _lc_model(key, url)

        async def lc() -> str:
            return str((await model.ainvoke(PROMPT)).content)

        return lc
    from llama_index.core.base.llms.types import ChatMessage

    llm = _li_model(key, url)
    messages = [ChatMessage(role="user", content=PROMPT)]

    async def li() -> str:
        return str((await llm.achat(messages)).message.content)

    return li
