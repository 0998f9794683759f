"""MiniMaxEmbedding: db vs query types, batching, async concurrency, retries, 1536 dimensions."""

from __future__ import annotations

import asyncio
import math
from typing import Any

import httpx
import pytest

from minimax_core import RateLimitError
from minimax_emulator.testing import EmulatorServer
from tests.llama_index_minimax.helpers import MODES
from tests.support import json_body

TEXTS = [
    "MiniMax builds large language models.",
    "Paris is the capital of France.",
    "Bag-of-words vectors make retrieval deterministic.",
    "Embeddings are lists of floats.",
    "The fifth text goes alone in the last batch.",
]


def embedding_bodies(emulator: EmulatorServer) -> list[dict[str, Any]]:
    return [json_body(r) for r in emulator.requests if r.path == "/v1/embeddings"]


async def embed_texts(embedding: Any, texts: list[str], mode: str) -> list[list[float]]:
    if mode == "sync":
        return embedding.get_text_embedding_batch(texts)  # type: ignore[no-any-return]
    return await embedding.aget_text_embedding_batch(texts)  # type: ignore[no-any-return]


async def embed_query(embedding: Any, text: str, mode: str) -> list[float]:
    if mode == "sync":
        return embedding.get_query_embedding(text)  # type: ignore[no-any-return]
    return await embedding.aget_query_embedding(text)  # type: ignore[no-any-return]


@MODES
async def test_documents_are_embedded_as_db_in_batches(
    make_embedding: Any, emulator: EmulatorServer, mode: str
) -> None:
    vectors = await embed_texts(make_embedding(embed_batch_size=2), TEXTS, mode)

    bodies = embedding_bodies(emulator)
    batches = [b["texts"] for b in bodies]  # async batches run concurrently: any arrival order
    assert sorted(batches) == sorted([TEXTS[0:2], TEXTS[2:4], TEXTS[4:]])
    assert {b["type"] for b in bodies} == {"db"}
    assert len(vectors) == len(TEXTS)
    for vector in vectors:
        assert len(vector) == 1536
        assert math.isclose(math.fsum(x * x for x in vector), 1.0, rel_tol=1e-6)
    # order kept: each vector is the one its text gets on its own
    single = make_embedding()
    for text, vector in zip(TEXTS, vectors, strict=True):
        assert single.get_text_embedding(text) == vector


@MODES
async def test_queries_are_embedded_as_query(
    make_embedding: Any, emulator: EmulatorServer, mode: str
) -> None:
    vector = await embed_query(make_embedding(), "Where is Paris?", mode)
    assert len(vector) == 1536
    (body,) = embedding_bodies(emulator)
    assert body == {"model": "embo-01", "texts": ["Where is Paris?"], "type": "query"}


@MODES
async def test_the_nearest_document_is_the_relevant_one(make_embedding: Any, mode: str) -> None:
    embedding = make_embedding()
    documents = await embed_texts(embedding, TEXTS, mode)
    query = await embed_query(embedding, "What is the capital of France?", mode)
    scores = [embedding.similarity(query, d) for d in documents]
    assert scores.index(max(scores)) == 1


class InFlight(httpx.AsyncBaseTransport):
    """A real socket transport that counts how many requests are in flight at once."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.now = self.peak = self.total = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.now += 1
        self.total += 1
        self.peak = max(self.peak, self.now)
        try:
            response = await self.inner.handle_async_request(request)
            await response.aread()
            return response
        finally:
            self.now -= 1

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.mark.parametrize("limit", [1, 3])
async def test_async_batches_respect_max_concurrency(make_embedding: Any, limit: int) -> None:
    transport = InFlight()
    async with httpx.AsyncClient(transport=transport) as client:
        embedding = make_embedding(
            embed_batch_size=1,
            max_concurrency=limit,
            http_async_client=client,
            default_headers={"X-Emulator": "latency_ms=40"},
        )
        texts = [f"text number {i}" for i in range(9)]
        vectors = await embedding.aget_text_embedding_batch(texts)
        # queries share the limit too
        await asyncio.gather(*(embedding.aget_query_embedding(t) for t in texts[:4]))
    assert len(vectors) == 9
    assert transport.total == 13
    assert transport.peak == limit  # concurrent, but never more than max_concurrency


@MODES
async def test_a_rate_limit_reported_as_http_200_is_retried(
    make_embedding: Any, emulator: EmulatorServer, mode: str
) -> None:
    embedding = make_embedding(default_headers={"X-Emulator": "fail=1002x1"})
    vectors = await embed_texts(embedding, TEXTS[:2], mode)
    assert len(vectors) == 2
    bodies = embedding_bodies(emulator)
    assert len(bodies) == 2  # the rejected attempt and its retry
    assert bodies[0] == bodies[1]


@MODES
async def test_a_rate_limit_without_retries_is_a_typed_error(
    make_embedding: Any, emulator: EmulatorServer, mode: str
) -> None:
    embedding = make_embedding(max_retries=0, default_headers={"X-Emulator": "fail=1002"})
    with pytest.raises(RateLimitError) as caught:
        await embed_texts(embedding, TEXTS[:2], mode)
    assert (caught.value.status_code, caught.value.code) == (200, 1002)
    assert caught.value.is_retryable
    assert len(embedding_bodies(emulator)) == 1
