"""The key is never shown: to_dict / to_json / repr / str / instrumentation events; settings
round-trip (the key is read from the environment again); pickles carry it to worker processes."""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from llama_index.core.instrumentation import get_dispatcher
from llama_index.core.instrumentation.event_handlers import BaseEventHandler
from llama_index.core.instrumentation.events import BaseEvent
from llama_index.core.instrumentation.events.llm import LLMChatStartEvent

from llama_index_minimax import MiniMax, MiniMaxEmbedding
from minimax_core import AuthenticationError
from minimax_emulator.testing import EmulatorServer
from tests.llama_index_minimax.helpers import chat_bodies, user
from tests.support import API_KEY

SECRET = "sk-live-DO-NOT-LEAK-4242"


def settings(base_url: str) -> dict[str, Any]:
    return {
        "model": "MiniMax-M3",
        "base_url": base_url,
        "temperature": 0.3,
        "top_p": 0.9,
        "max_tokens": 2048,
        "thinking": "adaptive",
        "stop": ["END"],
        "timeout": 30.0,
        "max_retries": 1,
        "default_headers": {"X-Trace": "on"},
        "additional_kwargs": {"mask_sensitive_info": False},
    }


def leaks(obj: Any) -> list[str]:
    texts = {
        "to_dict": repr(obj.to_dict()),
        "to_json": obj.to_json(),
        "repr": repr(obj),
        "str": str(obj),
        "model_dump_json": obj.model_dump_json(),
        "unpickled repr": repr(pickle.loads(pickle.dumps(obj))),
    }
    return [name for name, text in texts.items() if SECRET in text]


def test_the_key_is_in_no_serialised_form() -> None:
    llm = MiniMax(api_key=SECRET, **settings("http://127.0.0.1:9"))  # type: ignore[arg-type]
    assert leaks(llm) == []
    assert "api_key" not in llm.to_dict()
    embedding = MiniMaxEmbedding(api_key=SECRET, embed_batch_size=7)  # type: ignore[arg-type]
    assert leaks(embedding) == []
    assert llm.api_key is not None
    assert llm.api_key.get_secret_value() == SECRET  # still usable in this process


def test_from_dict_round_trips_the_settings_and_rereads_the_key(
    monkeypatch: pytest.MonkeyPatch, emulator: EmulatorServer
) -> None:
    llm = MiniMax(api_key=SECRET, **settings(emulator.base_url))  # type: ignore[arg-type]
    data = llm.to_dict()
    monkeypatch.setenv("MINIMAX_API_KEY", API_KEY)
    for revived in (MiniMax.from_dict(data), MiniMax.from_json(llm.to_json())):
        assert revived.to_dict() == data
        assert revived.api_key is not None
        assert revived.api_key.get_secret_value() == API_KEY
        assert revived.chat([user("Hi")]).message.content == "Echo: Hi"
    body = chat_bodies(emulator)[0]
    assert (body["model"], body["temperature"], body["max_completion_tokens"]) == (
        "MiniMax-M3",
        0.3,
        2048,
    )
    assert body["thinking"] == {"type": "adaptive"}
    assert body["mask_sensitive_info"] is False
    assert emulator.requests[0].headers["x-trace"] == "on"


def test_without_a_key_in_the_environment_a_revived_model_fails_clearly(
    emulator: EmulatorServer,
) -> None:
    revived = MiniMax.from_dict(MiniMax(api_key=SECRET, **settings(emulator.base_url)).to_dict())  # type: ignore[arg-type]
    with pytest.raises(AuthenticationError, match="MINIMAX_API_KEY"):
        revived.chat([user("Hi")])
    assert emulator.requests == []


def test_dashscope_reads_its_own_key_variable(
    monkeypatch: pytest.MonkeyPatch, emulator: EmulatorServer
) -> None:
    llm = MiniMax(api="dashscope", model="MiniMax-M2.5", api_key=SECRET, base_url=emulator.base_url)  # type: ignore[arg-type]
    monkeypatch.setenv("DASHSCOPE_API_KEY", API_KEY)
    revived = MiniMax.from_dict(llm.to_dict())
    assert revived.api == "dashscope"
    assert revived.chat([user("Hi")]).message.content == "Echo: Hi"


def test_a_pickled_model_works_in_a_process_without_the_key_in_its_environment(
    monkeypatch: pytest.MonkeyPatch, emulator: EmulatorServer
) -> None:
    monkeypatch.delenv("MINIMAX_API_KEY", raising=False)
    with httpx.Client() as own_client:
        llm = MiniMax(api_key=API_KEY, http_client=own_client, **settings(emulator.base_url))  # type: ignore[arg-type]
        data = pickle.dumps(llm)  # a user's httpx client cannot be pickled: left out
    clone = pickle.loads(data)
    assert isinstance(clone, MiniMax)
    assert clone.to_dict() == llm.to_dict()
    assert clone.http_client is None
    assert API_KEY not in repr(clone)
    assert clone.chat([user("Hi")]).message.content == "Echo: Hi"


async def test_a_pickled_embedding_works_in_a_fresh_object(
    monkeypatch: pytest.MonkeyPatch, emulator: EmulatorServer
) -> None:
    monkeypatch.delenv("MINIMAX_API_KEY", raising=False)
    embedding = MiniMaxEmbedding(api_key=API_KEY, base_url=emulator.base_url, max_concurrency=2)  # type: ignore[arg-type]
    await embedding.aget_query_embedding("warm up the per-loop limit")  # state that must not pickle
    clone = pickle.loads(pickle.dumps(embedding))
    assert clone.to_dict() == embedding.to_dict()
    assert len(await clone.aget_text_embedding("Hello")) == 1536
    assert len(clone.get_query_embedding("Hello")) == 1536


class Collect(BaseEventHandler):
    events: list[BaseEvent] = []

    @classmethod
    def class_name(cls) -> str:
        return "Collect"

    def handle(self, event: BaseEvent, **kwargs: Any) -> None:
        self.events.append(event)


@pytest.fixture
def instrumentation() -> Iterator[Collect]:
    handler = Collect(events=[])
    dispatcher = get_dispatcher()
    dispatcher.add_event_handler(handler)
    yield handler
    dispatcher.event_handlers.remove(handler)


async def test_instrumentation_events_never_carry_the_key(
    make_llm: Any, instrumentation: Collect
) -> None:
    # observability tools record these events (model_dict is the LLM's to_dict())
    llm = make_llm()
    llm.chat([user("Hi")])
    [r async for r in await llm.astream_chat([user("Hi")])]
    starts = [e for e in instrumentation.events if isinstance(e, LLMChatStartEvent)]
    assert len(starts) == 2
    assert starts[0].model_dict["model_name"] == "MiniMax-M2.7"
    for event in instrumentation.events:
        assert API_KEY not in json.dumps(event.model_dump(), default=str)
