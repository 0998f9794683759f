"""``MiniMaxEmbeddings``: document vs query types, batching, async concurrency, progress bar,
HTTP-200 rate limits retried, and vectors good enough for retrieval
(``docs/protocol-notes.md`` §9.12)."""

from __future__ import annotations

import asyncio
import json
import math

import httpx
import pytest
from langchain_core import exceptions as lc
from langchain_core.vectorstores import InMemoryVectorStore

from langchain_minimax import MiniMaxEmbeddings
from langchain_minimax import errors as ours
from tests.langchain_minimax._support import MODES
from tests.support import API_KEY

DOCS = [
    "MiniMax builds large language models in Shanghai.",
    "Paris is the capital of France and sits on the Seine.",
    "The Great Barrier Reef lies off the coast of Queensland.",
    "Espresso is brewed by forcing hot water through ground coffee.",
    "The Amazon rainforest spans nine countries.",
]


def _embeddings(emulator, **kwargs) -> MiniMaxEmbeddings:
    kwargs.setdefault("api_key", API_KEY)
    kwargs.setdefault("base_url", emulator.base_url)
    spec = kwargs.pop("spec", None)
    if spec:
        kwargs["default_headers"] = {"X-Emulator": spec}
    return MiniMaxEmbeddings(**kwargs)


async def _documents(embeddings: MiniMaxEmbeddings, texts: list[str], mode: str):
    if mode == "sync":
        return embeddings.embed_documents(texts)
    return await embeddings.aembed_documents(texts)


async def _query(embeddings: MiniMaxEmbeddings, text: str, mode: str):
    if mode == "sync":
        return embeddings.embed_query(text)
    return await embeddings.aembed_query(text)


@pytest.mark.parametrize("mode", MODES)
async def test_documents_are_db_and_queries_are_query(emulator, mode):
    embeddings = _embeddings(emulator)

    vectors = await _documents(embeddings, DOCS[:2], mode)
    query = await _query(embeddings, "Where is Paris?", mode)

    first, second = (r.json for r in emulator.requests)
    assert first == {"model": "embo-01", "texts": DOCS[:2], "type": "db"}
    assert second == {"model": "embo-01", "texts": ["Where is Paris?"], "type": "query"}
    assert [len(v) for v in [*vectors, query]] == [1536, 1536, 1536]
    assert math.isclose(sum(x * x for x in query), 1.0, rel_tol=1e-6)
    assert emulator.requests[0].path == "/v1/embeddings"


@pytest.mark.parametrize("mode", MODES)
async def test_texts_are_sent_in_batches_and_come_back_in_order(emulator, mode):
    one_by_one = [await _query(_embeddings(emulator), text, mode) for text in DOCS]
    emulator.clear()

    vectors = await _documents(_embeddings(emulator, batch_size=2), DOCS, mode)

    sent = sorted((r.json["texts"] for r in emulator.requests), key=lambda t: DOCS.index(t[0]))
    assert sent == [DOCS[0:2], DOCS[2:4], DOCS[4:5]]
    assert vectors == one_by_one  # type does not change the emulator's vectors


@pytest.mark.parametrize("mode", MODES)
async def test_long_texts_are_sent_in_smaller_batches(emulator, mode):
    texts = [f"chapter {i} " + "words " * 1500 for i in range(3)]  # ~9,000 characters each

    vectors = await _documents(_embeddings(emulator), texts, mode)

    assert len(vectors) == 3
    assert sorted(len(r.json["texts"]) for r in emulator.requests) == [1, 1, 1]


@pytest.mark.parametrize("mode", MODES)
async def test_no_texts_send_no_request(emulator, mode):
    assert await _documents(_embeddings(emulator), [], mode) == []
    assert emulator.requests == []


async def test_async_batches_run_concurrently_up_to_max_concurrency():
    in_flight = peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.02)  # keep the request open so others can overlap
        in_flight -= 1
        texts = json.loads(request.content)["texts"]
        vectors = [[float(len(t)), 0.0] for t in texts]
        return httpx.Response(200, json={"vectors": vectors, "base_resp": {"status_code": 0}})

    embeddings = MiniMaxEmbeddings(
        api_key=API_KEY,  # type: ignore[arg-type]
        batch_size=1,
        max_concurrency=3,
        http_async_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
    )
    texts = [f"text number {'x' * i}" for i in range(8)]

    vectors = await embeddings.aembed_documents(texts)

    assert peak == 3
    assert vectors == [[float(len(t)), 0.0] for t in texts]


@pytest.mark.parametrize("mode", MODES)
async def test_show_progress_draws_a_tqdm_bar(emulator, mode, capsys):
    embeddings = _embeddings(emulator, batch_size=2, show_progress=True)

    await _documents(embeddings, DOCS, mode)

    err = capsys.readouterr().err
    assert "Embedding" in err
    assert "5/5" in err


@pytest.mark.parametrize("mode", MODES)
async def test_a_rate_limit_reported_with_http_200_is_retried(emulator, mode):
    embeddings = _embeddings(emulator, spec="fail=1002x1", max_retries=1)

    vectors = await _documents(embeddings, DOCS[:2], mode)

    assert len(vectors) == 2
    assert len(emulator.requests) == 2


@pytest.mark.parametrize("mode", MODES)
async def test_a_persistent_rate_limit_is_a_typed_error(emulator, mode):
    embeddings = _embeddings(emulator, spec="fail=1002", max_retries=0)

    with pytest.raises(ours.RateLimitError) as caught:
        await _query(embeddings, "hello", mode)

    assert isinstance(caught.value, lc.ModelRateLimitError)
    assert (caught.value.status_code, caught.value.code) == (200, 1002)
    assert caught.value.is_retryable is True
    assert API_KEY not in str(caught.value)


@pytest.mark.parametrize("mode", MODES)
async def test_a_bad_key_is_an_authentication_error(emulator, mode):
    embeddings = _embeddings(emulator, api_key="sk-wrong-key-000000", max_retries=3)

    with pytest.raises(ours.AuthenticationError):
        await _query(embeddings, "hello", mode)

    assert len(emulator.requests) == 1  # never retried


@pytest.mark.parametrize("mode", MODES)
async def test_the_vectors_retrieve_the_relevant_text(emulator, mode):
    embeddings = _embeddings(emulator)

    if mode == "sync":
        store = InMemoryVectorStore.from_texts(DOCS, embedding=embeddings)
        hits = store.similarity_search("What is the capital of France?", k=1)
    else:
        store = await InMemoryVectorStore.afrom_texts(DOCS, embedding=embeddings)
        hits = await store.asimilarity_search("What is the capital of France?", k=1)

    assert [h.page_content for h in hits] == [DOCS[1]]
    assert [r.json["type"] for r in emulator.requests] == ["db", "query"]
