"""Routes, regions, base URLs and environment variables reach the right URL with the right key
(``docs/protocol-notes.md`` §9.4: intl vs China host mismatch); plus the LangChain plumbing users
rely on: ``model_name`` alias, ``rate_limiter``, ``disable_streaming``, ``batch``/``abatch``
concurrency, client-side ``stop``, tracing metadata and the model profile."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any

import httpx
import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import LanguageModelInput
from langchain_core.rate_limiters import InMemoryRateLimiter
from langchain_core.tools import tool

from langchain_minimax import ChatMiniMax, MiniMaxEmbeddings
from tests.langchain_minimax._support import (
    CALLS,
    MODES,
    Scripted,
    bodies,
    chat,
    completion,
    invoke,
    run,
    run_stream,
)
from tests.support import API_KEY


@pytest.fixture
def clean_env(hermetic_env: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    return hermetic_env  # the environment is already free of MiniMax settings


URLS = [
    ({}, {}, "https://api.minimax.io/v1/chat/completions"),
    ({"region": "cn"}, {}, "https://api.minimaxi.com/v1/chat/completions"),
    ({"region": "intl"}, {}, "https://api.minimax.io/v1/chat/completions"),
    (
        {"base_url": "https://api.minimaxi.com/v1"},
        {},
        "https://api.minimaxi.com/v1/chat/completions",
    ),
    (
        {"base_url": "http://127.0.0.1:8765/some/prefix/v1/"},
        {},
        "http://127.0.0.1:8765/some/prefix/v1/chat/completions",
    ),
    ({"api": "native"}, {}, "https://api.minimax.io/v1/text/chatcompletion_v2"),
    (
        {"api": "native", "group_id": "1234"},
        {},
        "https://api.minimax.io/v1/text/chatcompletion_v2?GroupId=1234",
    ),
    (
        {"api": "dashscope", "model": "MiniMax-M2.5"},
        {},
        "https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions",
    ),
    (
        {
            "api": "dashscope",
            "model": "MiniMax-M2.5",
            "base_url": "https://ws.example.com/compatible-mode/v1",
        },
        {},
        "https://ws.example.com/compatible-mode/v1/chat/completions",
    ),
    ({}, {"MINIMAX_REGION": "cn"}, "https://api.minimaxi.com/v1/chat/completions"),
    (
        {},
        {"MINIMAX_BASE_URL": "https://gateway.example.com/minimax/v1"},
        "https://gateway.example.com/minimax/v1/chat/completions",
    ),
    (
        {"api": "native"},
        {"MINIMAX_GROUP_ID": "77"},
        "https://api.minimax.io/v1/text/chatcompletion_v2?GroupId=77",
    ),
    (
        {"api": "dashscope", "model": "MiniMax-M2.5"},
        {"DASHSCOPE_BASE_URL": "https://dashscope-intl.aliyuncs.com/compatible-mode/v1"},
        "https://dashscope-intl.aliyuncs.com/compatible-mode/v1/chat/completions",
    ),
    (  # an explicit argument wins over the environment
        {"region": "global"},
        {"MINIMAX_REGION": "cn"},
        "https://api.minimax.io/v1/chat/completions",
    ),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("kwargs", "env", "url"), URLS)
async def test_route_region_and_base_url_pick_the_url(clean_env, kwargs, env, url, mode):
    for name, value in env.items():
        clean_env.setenv(name, value)
    script = Scripted(completion("Hi"))

    await invoke(script.chat(**kwargs), "Hello", mode)

    (request,) = script.requests
    assert str(request.url) == url
    assert request.headers["authorization"] == f"Bearer {API_KEY}"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("api", "variable"), [("openai", "MINIMAX_API_KEY"), ("dashscope", "DASHSCOPE_API_KEY")]
)
async def test_the_key_comes_from_the_routes_variable(clean_env, api, variable, mode):
    clean_env.setenv(variable, "sk-from-the-environment")
    script = Scripted(completion("Hi"))
    llm = ChatMiniMax(api=api, model="MiniMax-M2.5", max_retries=0, **script.clients())

    await invoke(llm, "Hello", mode)

    assert script.requests[0].headers["authorization"] == "Bearer sk-from-the-environment"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("kwargs", "url"),
    [
        ({}, "https://api.minimax.io/v1/embeddings"),
        ({"region": "cn"}, "https://api.minimaxi.com/v1/embeddings"),
        ({"group_id": "42"}, "https://api.minimax.io/v1/embeddings?GroupId=42"),
    ],
)
async def test_embeddings_urls(clean_env, kwargs, url, mode):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"vectors": [[1.0]], "base_resp": {"status_code": 0}})

    transport = httpx.MockTransport(handler)
    embeddings = MiniMaxEmbeddings(
        api_key=API_KEY,  # type: ignore[arg-type]
        http_client=httpx.Client(transport=transport),
        http_async_client=httpx.AsyncClient(transport=transport),
        **kwargs,
    )

    vector = embeddings.embed_query("hi") if mode == "sync" else await embeddings.aembed_query("hi")

    assert vector == [1.0]
    assert str(seen[0].url) == url


@pytest.mark.parametrize("call", CALLS)
async def test_a_proxy_prefix_in_front_of_the_service_works(emulator, call):
    llm = chat(emulator, base_url=f"{emulator.base_url}/some/prefix/v1")

    message = await run(llm, "Hello", call)

    assert message.content == "Echo: Hello"
    assert emulator.requests[0].path == "/some/prefix/v1/chat/completions"


@pytest.mark.parametrize("mode", MODES)
async def test_default_headers_are_sent(emulator, mode):
    llm = chat(emulator, default_headers={"X-Trace": "abc", "MM-API-Source": "tests"})

    await invoke(llm, "Hello", mode)

    headers = emulator.requests[0].headers
    assert headers["x-trace"] == "abc"
    assert headers["mm-api-source"] == "tests"
    assert headers["authorization"] == "Bearer ***"  # the journal redacts it; it was sent


def test_model_name_alias_and_aliases_of_other_fields(emulator):
    llm = ChatMiniMax(  # type: ignore[call-arg]  # mypy knows each field by one name only
        model_name="MiniMax-M2.5",
        max_completion_tokens=512,
        stop_sequences=["END"],
        minimax_api_key=API_KEY,
        minimax_api_host=emulator.base_url,
    )

    assert llm.model_name == "MiniMax-M2.5"
    assert llm.max_tokens == 512
    assert llm.stop == ["END"]
    assert llm.invoke("Hello").response_metadata["model_name"] == "MiniMax-M2.5"
    (body,) = bodies(emulator)
    assert body["model"] == "MiniMax-M2.5"
    assert body["max_completion_tokens"] == 512
    assert body["stop"] == ["END"]


def test_the_profile_comes_from_the_catalog():
    m3 = ChatMiniMax(model="MiniMax-M3").profile
    m27 = ChatMiniMax(model="MiniMax-M2.7").profile
    assert m3 is not None
    assert m27 is not None
    assert (m3["max_input_tokens"], m3["max_output_tokens"]) == (1_000_000, 524_288)
    assert m3["image_inputs"] is True
    assert m3["reasoning_output"] is True
    assert m3["tool_calling"] is True
    assert m27["max_input_tokens"] == 204_800
    assert m27["image_inputs"] is False
    text01 = ChatMiniMax(model="MiniMax-Text-01").profile
    assert text01 is not None
    assert text01["structured_output"] is True


class _Counting(InMemoryRateLimiter):
    def __init__(self) -> None:
        super().__init__(requests_per_second=1_000, check_every_n_seconds=0.001)
        self.acquired = 0

    def acquire(self, *, blocking: bool = True) -> bool:
        self.acquired += 1
        return super().acquire(blocking=blocking)

    async def aacquire(self, *, blocking: bool = True) -> bool:
        self.acquired += 1
        return await super().aacquire(blocking=blocking)


@pytest.mark.parametrize("call", CALLS)
async def test_the_rate_limiter_is_consulted_for_every_call(emulator, call):
    limiter = _Counting()
    llm = chat(emulator, rate_limiter=limiter)

    await run(llm, "one", call)
    await run(llm, "two", call)

    assert limiter.acquired == 2
    assert len(emulator.requests) == 2


@pytest.mark.parametrize("mode", MODES)
async def test_the_rate_limiter_actually_spaces_requests(emulator, mode):
    llm = chat(emulator, rate_limiter=InMemoryRateLimiter(requests_per_second=20))

    start = time.monotonic()
    for text in ("one", "two", "three"):
        await invoke(llm, text, mode)

    assert time.monotonic() - start >= 3 / 20 * 0.9  # the bucket starts empty


@tool
def get_weather(city: str) -> str:
    """Get the current weather for a city."""
    return "Sunny"


@pytest.mark.parametrize("mode", MODES)
async def test_disable_streaming(emulator, mode):
    chunks = await run_stream(chat(emulator, disable_streaming=True), "Hello", mode)

    assert len(chunks) == 1
    assert chunks[0].content == "Echo: Hello"
    assert chunks[0].additional_kwargs["reasoning_content"]
    assert "stream" not in bodies(emulator)[0]


@pytest.mark.parametrize("mode", MODES)
async def test_disable_streaming_for_tool_calling_only(emulator, mode):
    llm = chat(emulator, disable_streaming="tool_calling")

    await run_stream(llm, "Hello", mode)
    await run_stream(llm.bind_tools([get_weather]), "Weather in Paris?", mode)

    plain, with_tools = bodies(emulator)
    assert plain["stream"] is True
    assert "stream" not in with_tools


@pytest.mark.parametrize("mode", MODES)
async def test_batch_answers_in_order(emulator, mode):
    llm = chat(emulator)
    questions: list[LanguageModelInput] = [f"Question number {i}" for i in range(6)]

    if mode == "sync":
        answers = llm.batch(questions, config={"max_concurrency": 3})
    else:
        answers = await llm.abatch(questions, config={"max_concurrency": 3})

    assert [a.content for a in answers] == [f"Echo: {q}" for q in questions]
    assert len(emulator.requests) == 6


def _counting_handler() -> tuple[Any, dict[str, int]]:
    stats = {"in_flight": 0, "peak": 0}
    lock = threading.Lock()

    def enter() -> None:
        with lock:
            stats["in_flight"] += 1
            stats["peak"] = max(stats["peak"], stats["in_flight"])

    def leave(request: httpx.Request) -> httpx.Response:
        with lock:
            stats["in_flight"] -= 1
        text = json.loads(request.content)["messages"][-1]["content"]
        return httpx.Response(200, json=completion(f"Echo: {text}"))

    def sync_handler(request: httpx.Request) -> httpx.Response:
        enter()
        time.sleep(0.03)  # hold the request so that others overlap
        return leave(request)

    async def async_handler(request: httpx.Request) -> httpx.Response:
        enter()
        await asyncio.sleep(0.03)
        return leave(request)

    return (sync_handler, async_handler), stats


@pytest.mark.parametrize("mode", MODES)
async def test_batch_respects_max_concurrency(mode):
    (sync_handler, async_handler), stats = _counting_handler()
    llm = ChatMiniMax(
        api_key=API_KEY,  # type: ignore[arg-type]
        http_client=httpx.Client(transport=httpx.MockTransport(sync_handler)),
        http_async_client=httpx.AsyncClient(transport=httpx.MockTransport(async_handler)),
    )
    questions: list[LanguageModelInput] = [f"q{i}" for i in range(7)]

    if mode == "sync":
        answers = llm.batch(questions, config={"max_concurrency": 2})
    else:
        answers = await llm.abatch(questions, config={"max_concurrency": 2})

    assert [a.content for a in answers] == [f"Echo: {q}" for q in questions]
    assert stats["peak"] == 2


@pytest.mark.parametrize("call", CALLS)
async def test_stop_is_sent_and_also_enforced_client_side(call):
    # MiniMax's current models ignore ``stop``: the answer must still end before it
    script = Scripted(completion("First line.\nEND\nSecond line."))
    llm = script.chat(stop=["END"])

    message = await run(llm, "Hello", call)

    assert message.content == "First line.\n"
    assert script.bodies[0]["stop"] == ["END"]
    assert message.response_metadata["finish_reason"] == "stop"


class _Recorder(BaseCallbackHandler):
    def __init__(self) -> None:
        self.metadata: list[dict[str, Any]] = []
        self.tokens: list[Any] = []

    def on_chat_model_start(self, serialized, messages, *, metadata=None, **kwargs) -> None:
        self.metadata.append(metadata or {})

    def on_llm_new_token(self, token, *, chunk=None, **kwargs) -> None:
        self.tokens.append(chunk)


@pytest.mark.parametrize("call", CALLS)
async def test_tracing_sees_minimax_as_the_provider_and_streamed_reasoning(emulator, call):
    recorder = _Recorder()
    llm = chat(emulator, temperature=0.3, max_tokens=1024)

    await run(llm, "Hello", call, config={"callbacks": [recorder]})

    (meta,) = recorder.metadata
    assert meta["ls_provider"] == "minimax"
    assert meta["ls_model_name"] == "MiniMax-M2.7"
    assert meta["ls_temperature"] == 0.3
    assert meta["ls_max_tokens"] == 1024
    if call in ("stream", "astream"):
        reasoning = [c for c in recorder.tokens if c.message.additional_kwargs]
        assert reasoning, "callbacks receive the reasoning deltas too"
