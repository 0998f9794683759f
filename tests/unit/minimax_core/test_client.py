"""``MiniMaxClient`` end to end over a fake transport: chat, stream, embed, sync and async."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import random
import warnings

import httpx
import pytest

from minimax_core import (
    ChatParams,
    EmptyAnswerWarning,
    InvalidInputError,
    MalformedResponseError,
    MiniMaxClient,
    RateLimitError,
    ToolDefinition,
    UserMessage,
)
from minimax_core._client import embedding_batches

from .support import (
    CAPTURES,
    KEY,
    OK_RESP,
    STREAM_NAMES,
    ChunkStream,
    FakeServer,
    Runner,
    base_resp,
    chunk,
    completion,
    hi,
    json_reply,
    make_client,
    split_at,
    sse,
    sse_reply,
    stream_fixture,
)


@pytest.mark.parametrize(
    ("api", "base_url", "url"),
    [
        ("openai", "https://api.minimax.io/v1", "https://api.minimax.io/v1/chat/completions"),
        ("native", "https://api.minimax.io", "https://api.minimax.io/v1/text/chatcompletion_v2"),
        (
            "dashscope",
            "https://dashscope.aliyuncs.com/compatible-mode/v1",
            "https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions",
        ),
    ],
)
def test_chat_posts_to_the_routes_url(runner: Runner, api: str, base_url: str, url: str) -> None:
    server = FakeServer(json_reply(completion("Paris."), headers={"Trace-Id": "trace-42"}))
    client = make_client(server, api=api, base_url=base_url)
    result = runner.chat(
        client, [UserMessage("Capital of France?")], ChatParams(model="MiniMax-M2.5")
    )
    assert result.message.content == "Paris."
    assert result.request_id == "trace-42"
    assert result.finish_reason == "stop"
    (request,) = server.requests
    assert str(request.url) == url
    assert json.loads(request.content)["messages"] == [
        {"role": "user", "content": "Capital of France?"}
    ]


def test_chat_reads_the_recorded_reply(runner: Runner) -> None:
    body = (CAPTURES / "openai-chat-nonstream-unsplit-m27hs.json").read_bytes()
    result = runner.chat(
        make_client(FakeServer(json_reply(body))), hi(), ChatParams(model="MiniMax-M2.7-highspeed")
    )
    assert result.message.content == "56"
    assert result.message.reasoning is not None
    assert result.message.reasoning.text.startswith('The user asks: "What is 7 times 8?')
    assert result.message.reasoning.text.endswith("There's no problem.")
    assert "<think>" not in result.message.content
    assert result.message.reasoning.inline == json.loads(body)["choices"][0]["message"]["content"]
    assert result.usage is not None
    assert dataclasses.astuple(result.usage) == (55, 61, 116, 60, None, None)
    assert (result.id, result.model) == (
        "06407ea121ddc267a22ca62c3e0a6997",
        "MiniMax-M2.7-highspeed",
    )


@pytest.mark.parametrize("name", STREAM_NAMES)
def test_every_stream_fixture_through_the_client(runner: Runner, name: str) -> None:
    fx = stream_fixture(name)
    rng = random.Random(name)
    cuts = sorted(rng.sample(range(1, len(fx.sse)), 12))
    server = FakeServer(sse_reply(split_at(fx.sse, cuts), headers={"Trace-Id": "t-1"}))
    client = make_client(server, api=fx.api)
    params = ChatParams(model=fx.model, extra=dict(fx.extra))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        outcome = runner.stream(client, hi(), params)
    warned = any(issubclass(w.category, EmptyAnswerWarning) for w in caught)
    assert warned is fx.expect.get("empty_answer", False)
    assert outcome.error is None
    result = outcome.result
    assert result is not None
    assert result.request_id == "t-1"
    assert result.message.content == fx.expect["content"]
    assert outcome.text == fx.expect["content"]
    assert outcome.reasoning == fx.expect["reasoning"]
    assert [(c.name, c.arguments) for c in result.message.tool_calls] == [
        (t["name"], t["arguments"]) for t in fx.expect["tool_calls"]
    ]
    assert result.usage is not None
    assert dataclasses.asdict(result.usage) == fx.expect["usage"]
    assert result.finish_reason == fx.expect["finish_reason"]
    (request,) = server.requests
    body = json.loads(request.content)
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}


def test_stream_result_before_iteration_is_an_error() -> None:
    client = make_client(FakeServer(json_reply(completion("x"))))
    with pytest.raises(RuntimeError, match="iterate"):
        _ = client.stream(hi(), ChatParams(model="MiniMax-M2.7")).result
    with pytest.raises(RuntimeError, match="iterate"):
        _ = client.astream(hi(), ChatParams(model="MiniMax-M2.7")).result


def test_stream_objects_are_iterators() -> None:
    fx = stream_fixture("openai-split-incremental")
    client = make_client(FakeServer(sse_reply(fx.sse)))
    stream = client.stream(hi(), ChatParams(model=fx.model))
    assert iter(stream) is not None
    first = next(stream)
    assert first.reasoning == "The user asks for the capital of France."
    rest = list(stream)
    assert "".join(d.text for d in [first, *rest]) == fx.expect["content"]

    async def go() -> str:
        astream = client.astream(hi(), ChatParams(model=fx.model))
        assert astream.__aiter__() is not None
        texts = [(await astream.__anext__()).text]
        texts += [d.text async for d in astream]
        return "".join(texts)

    assert asyncio.run(go()) == fx.expect["content"]


def test_prepare_builds_without_sending() -> None:
    server = FakeServer(json_reply(completion("x")))
    client = make_client(server)
    prepared = client.prepare(hi(), ChatParams(model="MiniMax-M2.7"), stream=True)
    assert json.loads(prepared.body)["stream"] is True
    assert server.count == 0


def test_repr_names_route_and_host_only() -> None:
    client = MiniMaxClient(api_key=KEY, api="native", region="cn")
    assert repr(client) == "MiniMaxClient(api='native', host='https://api.minimaxi.com')"


# --- embeddings ------------------------------------------------------------------------------


def vectors_for(request: httpx.Request) -> httpx.Response:
    """A fake embeddings server: each vector encodes its text, so order can be checked."""
    body = json.loads(request.content)
    vectors = [[float(len(t)), float(ord(t[0]) if t else 0)] for t in body["texts"]]
    return httpx.Response(200, json={"vectors": vectors, "total_tokens": 3, "base_resp": OK_RESP})


def expected_vectors(texts: list[str]) -> list[list[float]]:
    return [[float(len(t)), float(ord(t[0]) if t else 0)] for t in texts]


def test_embeddings_body_url_and_type(runner: Runner) -> None:
    server = FakeServer(vectors_for)
    client = make_client(server, group_id="1234")
    assert runner.embed(client, ["doc one", "doc two"]) == expected_vectors(["doc one", "doc two"])
    runner.embed(client, ["a query"], type="query", model="embo-02")
    first, second = server.bodies()
    assert first == {"model": "embo-01", "texts": ["doc one", "doc two"], "type": "db"}
    assert second == {"model": "embo-02", "texts": ["a query"], "type": "query"}
    assert str(server.requests[0].url) == "https://api.minimax.io/v1/embeddings?GroupId=1234"


def test_embeddings_are_batched_by_count_in_order(runner: Runner) -> None:
    texts = [f"{chr(97 + i)}-text" for i in range(7)]
    server = FakeServer(vectors_for)
    progress: list[int] = []
    got = runner.embed(
        make_client(server), texts, batch_size=3, on_progress=progress.append, max_concurrency=2
    )
    assert got == expected_vectors(texts)
    assert sorted(len(b["texts"]) for b in server.bodies()) == [1, 3, 3]
    assert sorted(progress) == [1, 3, 3]
    assert sum(progress) == len(texts)


def test_embeddings_are_batched_by_size(runner: Runner) -> None:
    texts = ["x" * 9000, "y" * 9000, "z", "w" * 20000]
    server = FakeServer(vectors_for)
    assert runner.embed(make_client(server), texts) == expected_vectors(texts)
    # No batch above the size budget, unless a single text is that long by itself.
    assert sorted(len(b["texts"]) for b in server.bodies()) == [1, 1, 2]


def test_embedding_batches() -> None:
    assert embedding_batches([], 2, 100) == []
    assert embedding_batches(["a"] * 5, 2, 100) == [range(2), range(2, 4), range(4, 5)]
    assert embedding_batches(["aaaa", "bbbb", "cc"], 10, 8) == [range(2), range(2, 3)]
    assert embedding_batches(["a" * 50, "b"], 10, 8) == [range(1), range(1, 2)]


def test_async_embeddings_run_batches_concurrently_within_the_limit() -> None:
    in_flight = peak = 0

    async def slow(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        for _ in range(3):
            await _yield()
        in_flight -= 1
        return vectors_for(request)

    texts = [f"t{i}" for i in range(10)]
    client = MiniMaxClient(
        api_key=KEY,
        http_async_client=httpx.AsyncClient(transport=httpx.MockTransport(slow)),
    )
    got = asyncio.run(client.aembed(texts, batch_size=2, max_concurrency=3))
    assert got == expected_vectors(texts)
    assert peak == 3


async def _yield() -> None:
    loop = asyncio.get_running_loop()
    future = loop.create_future()
    loop.call_soon(future.set_result, None)
    await future


def test_embeddings_http_200_rate_limit_is_retried(runner: Runner, sleeps: list[float]) -> None:
    server = FakeServer(
        json_reply({"vectors": None, **base_resp(1002, "rate limit exceeded(RPM)")}), vectors_for
    )
    assert runner.embed(make_client(server), ["a"]) == expected_vectors(["a"])
    assert server.count == 2
    assert len(sleeps) == 1


def test_embeddings_persistent_rate_limit_gives_up(runner: Runner) -> None:
    server = FakeServer(
        json_reply({"vectors": None, **base_resp(1002, "rate limit exceeded(RPM)")})
    )
    with pytest.raises(RateLimitError):
        runner.embed(make_client(server, max_retries=1), ["a"])
    assert server.count == 2


def test_embeddings_vector_count_mismatch(runner: Runner) -> None:
    server = FakeServer(json_reply({"vectors": [[0.1]], "base_resp": OK_RESP}))
    with pytest.raises(MalformedResponseError):
        runner.embed(make_client(server), ["a", "b"])


def test_embeddings_of_nothing_send_nothing(runner: Runner) -> None:
    server = FakeServer(vectors_for)
    assert runner.embed(make_client(server), []) == []
    assert server.count == 0


def test_embeddings_batch_size_must_be_positive(runner: Runner) -> None:
    with pytest.raises(InvalidInputError):
        runner.embed(make_client(FakeServer(vectors_for)), ["a"], batch_size=0)


def test_parallel_tool_calls_off_keeps_only_the_first_call(runner: Runner) -> None:
    fx = stream_fixture("openai-parallel-toolcalls")
    tools = [ToolDefinition("get_weather"), ToolDefinition("get_time")]
    params = ChatParams(model=fx.model, tools=tools, parallel_tool_calls=False, extra=fx.extra)
    outcome = runner.stream(make_client(FakeServer(sse_reply(fx.sse))), hi(), params)
    assert outcome.result is not None
    assert [c.name for c in outcome.result.message.tool_calls] == ["get_weather"]
    assert {p.name for d in outcome.deltas for p in d.tool_call_chunks if p.name} == {"get_weather"}
    whole = runner.chat(make_client(FakeServer(json_reply(fx.whole))), hi(), params)
    assert [c.name for c in whole.message.tool_calls] == ["get_weather"]


def test_our_user_agent_is_sent_through_a_user_supplied_client(runner: Runner) -> None:
    server = FakeServer(json_reply(completion("ok")))
    runner.chat(make_client(server), hi(), ChatParams(model="MiniMax-M2.7"))
    assert server.requests[0].headers["user-agent"].startswith("minimax-integrations/")


def test_embeddings_on_the_dashscope_route_are_refused_before_sending() -> None:
    server = FakeServer(json_reply({"vectors": [[0.1]], "base_resp": OK_RESP}))
    client = make_client(server, api="dashscope")
    with pytest.raises(InvalidInputError, match="DashScope route serves chat only"):
        client.embed(["hello"])
    assert server.count == 0


def test_closing_a_sync_stream_early_releases_the_response() -> None:
    pieces = [sse(chunk("a" * 10)) for _ in range(3)]
    server = FakeServer(
        lambda request: httpx.Response(
            200, headers={"content-type": "text/event-stream"}, stream=ChunkStream(pieces)
        )
    )
    stream = make_client(server).stream(hi(), ChatParams(model="MiniMax-M2.7"))
    first = next(stream)
    assert first.text == "a" * 10
    stream.close()
    assert ChunkStream.opened[-1].closed
    with pytest.raises(StopIteration):
        next(stream)
