"""The API key never shows: one test gathers everything a user, a log file, a tracer or a crash
report could see, and greps it all for the key.

Gathered: ``repr``/``str`` of every public class (both adapters' models and embeddings,
``MiniMaxClient``, ``ClientConfig``), pydantic dumps, LangChain ``dumps``/``dumpd`` and what its
callbacks hand to tracers, LlamaIndex ``to_dict``/``to_json``, the reprs of pickled-then-unpickled
objects, error messages and full formatted tracebacks (with their causes) of a rejected key and of
a refused connection, and every log record — the root logger at DEBUG, so httpx, httpcore,
aiohttp, asyncio (in debug mode), LangChain, LlamaIndex and ours — written during a successful,
a streamed, a retried and a failed call, chat and embeddings, through both adapters, sync and
async.
"""

from __future__ import annotations

import asyncio
import io
import logging
import pickle
import traceback
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.load import dumpd, dumps

import minimax_core as core
from langchain_minimax import ChatMiniMax, MiniMaxEmbeddings
from llama_index_minimax import MiniMax, MiniMaxEmbedding
from minimax_emulator.testing import EmulatorServer
from tests.reliability._support import (
    ADAPTERS,
    MODES,
    ask,
    ask_async,
    chat_model,
    closed_port_url,
    embed,
    embed_async,
    embedding_model,
)

#: The key the emulator accepts, and a wrong one: neither may ever be shown.
KEY = "sk-cp-RELIABILITY-CANARY-5f3e9a1b7c2d"
WRONG_KEY = "sk-cp-WRONGKEY-CANARY-0d4c8e2a6b19"
#: Distinctive fragments: a partial leak (a key cut or re-encoded) is still a leak.
FRAGMENTS = ("RELIABILITY-CANARY-5f3e9a1b7c2d", "WRONGKEY-CANARY-0d4c8e2a6b19")

LOGGERS = (
    "",
    "httpx",
    "httpcore",
    "aiohttp",
    "asyncio",
    "minimax_core",
    "langchain_minimax",
    "llama_index_minimax",
    "langchain_core",
    "llama_index",
)


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(api_keys=[KEY]) as emulator:
        yield emulator


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """Every record of every logger, at DEBUG, formatted with its exception text."""
    sink = io.StringIO()
    handler = logging.StreamHandler(sink)
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    saved = {name: logging.getLogger(name).level for name in LOGGERS}
    root = logging.getLogger()
    root.addHandler(handler)
    for name in LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield sink
    finally:
        root.removeHandler(handler)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


class Tracer(BaseCallbackHandler):
    """What LangChain hands to tracers (LangSmith, Langfuse, …) when a chat model starts."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def on_chat_model_start(self, serialized: Any, messages: Any, **kwargs: Any) -> None:
        self.seen.append(repr(serialized))
        self.seen.append(repr(kwargs))

    def on_llm_end(self, response: Any, **kwargs: Any) -> None:
        self.seen.append(repr(response))

    def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        self.seen.append(repr(error))


def printed(error: BaseException) -> str:
    """All a crash report shows: message, repr, the full traceback with its causes."""
    return "\n".join(
        [str(error), repr(error), "".join(traceback.format_exception(error)), repr(error.args)]
    )


def object_views(obj: Any) -> dict[str, str]:
    views = {"repr": repr(obj), "str": str(obj)}
    clone = pickle.loads(pickle.dumps(obj))
    views["unpickled repr"] = repr(clone)
    views["unpickled str"] = str(clone)
    if hasattr(obj, "model_dump_json"):
        views["model_dump_json"] = obj.model_dump_json()
        views["model_dump"] = repr(obj.model_dump())
    if isinstance(obj, ChatMiniMax | MiniMaxEmbeddings):
        views["dumps"] = dumps(obj, pretty=True)
        views["dumpd"] = repr(dumpd(obj))
    if isinstance(obj, MiniMax | MiniMaxEmbedding):
        views["to_dict"] = repr(obj.to_dict())
        views["to_json"] = obj.to_json()
        views["unpickled to_json"] = clone.to_json()
    return views


def failure(call: Any, *args: Any, **kwargs: Any) -> BaseException:
    try:
        call(*args, **kwargs)
    except Exception as exc:
        return exc
    raise AssertionError("the call did not fail")


def test_the_key_is_never_shown(
    server: EmulatorServer, debug_log: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = server.base_url
    views: dict[str, str] = {}

    # -- every public class, as shown, dumped, serialised and pickled ------------------------
    objects: dict[str, Any] = {
        "ChatMiniMax": ChatMiniMax(api_key=KEY, base_url=url),  # type: ignore[arg-type]
        "MiniMaxEmbeddings": MiniMaxEmbeddings(api_key=KEY, base_url=url),  # type: ignore[arg-type]
        "MiniMax": MiniMax(api_key=KEY, base_url=url),  # type: ignore[arg-type]
        "MiniMaxEmbedding": MiniMaxEmbedding(api_key=KEY, base_url=url),  # type: ignore[arg-type]
        "MiniMaxClient": core.MiniMaxClient(api_key=KEY, base_url=url),
        "ClientConfig": core.ClientConfig(api_key=KEY, base_url=url),  # type: ignore[arg-type]
    }
    monkeypatch.setenv("MINIMAX_API_KEY", KEY)  # the key from the environment, too
    objects["ChatMiniMax from env"] = ChatMiniMax(base_url=url)
    objects["MiniMax from env"] = MiniMax(base_url=url)
    objects["ClientConfig from env"] = core.ClientConfig.from_env(base_url=url)
    monkeypatch.delenv("MINIMAX_API_KEY")
    for name, obj in objects.items():
        for view, text in object_views(obj).items():
            views[f"{name} {view}"] = text

    # -- calls through both adapters, logged at DEBUG -----------------------------------------
    tracer = Tracer()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for adapter in ADAPTERS:
            traced: dict[str, Any] = {"callbacks": [tracer]} if adapter == "langchain" else {}
            good = chat_model(adapter, url, api_key=KEY, **traced)
            retried = chat_model(adapter, url, api_key=KEY, spec="fail=429x1")
            rejected = chat_model(adapter, url, api_key=WRONG_KEY, max_retries=0)
            unreachable = chat_model(adapter, closed_port_url(), api_key=KEY, max_retries=0)
            embedding = embedding_model(adapter, url, api_key=KEY)
            bad_embedding = embedding_model(adapter, url, api_key=WRONG_KEY, max_retries=0)
            for mode in MODES:
                assert ask(good, "Hello", mode) == "Echo: Hello"
                assert ask(good, "Hello", mode, stream=True) == "Echo: Hello"
                assert ask(retried, f"Retry {mode}", mode) == f"Echo: Retry {mode}"
                assert len(embed(embedding, "Hello", mode)) == 1536
                errors = {
                    "rejected key": failure(ask, rejected, "Hello", mode),
                    "rejected key, streamed": failure(ask, rejected, "Hello", mode, stream=True),
                    "refused connection": failure(ask, unreachable, "Hello", mode),
                    "rejected embedding key": failure(embed, bad_embedding, "x", mode),
                }
                for what, error in errors.items():
                    assert isinstance(error, core.MiniMaxError), (what, error)
                    views[f"{adapter} {mode} {what}"] = printed(error)
                    clone = pickle.loads(pickle.dumps(error))
                    views[f"{adapter} {mode} {what}, unpickled"] = printed(clone)
            # asyncio's own debug logging, too
            asyncio.run(ask_async(good, "Hello", stream=True), debug=True)
            asyncio.run(embed_async(embedding, "Hello"), debug=True)
    assert isinstance(errors["rejected key"], core.AuthenticationError)
    assert isinstance(errors["refused connection"], core.APIConnectionError)

    views["tracer callbacks"] = "\n".join(tracer.seen)
    views["warnings"] = "\n".join(str(w.message) for w in caught)
    log = debug_log.getvalue()
    views["DEBUG log"] = log

    # the views are not empty: they would show a key if one were there
    assert "httpx" in log  # httpx logged the requests
    assert "httpcore" in log  # and its connection pool, at DEBUG
    assert "retry 1 of" in log  # the retried calls were logged
    assert "api_key" in views["ChatMiniMax dumps"]
    assert len(tracer.seen) >= 4

    leaks = [name for name, text in views.items() if any(f in text for f in FRAGMENTS)]
    assert leaks == []
