"""``MiniMaxEmbedding``: MiniMax ``embo-01`` embeddings for LlamaIndex."""

from __future__ import annotations

import asyncio
import weakref
from typing import ClassVar

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.bridge.pydantic import Field, PrivateAttr

from minimax_core import ClientSettings

__all__ = ["MiniMaxEmbedding"]


class _PerLoop(weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]):
    """Semaphores by event loop. Pickles as an empty map (a loop's semaphore means nothing in
    another process), so pickling the embedding logs no "unpickleable attribute" warning."""

    def __reduce__(self) -> tuple[type[_PerLoop], tuple[()]]:
        return type(self), ()


class MiniMaxEmbedding(ClientSettings, BaseEmbedding):
    """MiniMax text embeddings (``embo-01``, 1536 dimensions) for LlamaIndex.

    Queries are embedded with MiniMax's ``type="query"`` and documents (nodes) with
    ``type="db"``; ``embed_batch_size`` texts go in one request, and the async path sends up to
    ``max_concurrency`` requests at once. Rate limits (1002, reported as HTTP 200) are retried.
    The API key is never shown or serialised (``repr``, ``to_dict``, ``to_json``): it is read
    from ``MINIMAX_API_KEY`` again by ``from_dict``/``from_json``. Pickles keep it (a trusted
    transport), so an embedding built with ``api_key=...`` works in a worker process.

    .. code-block:: python

        from llama_index.core import Document, Settings, VectorStoreIndex
        from llama_index_minimax import MiniMax, MiniMaxEmbedding

        Settings.embed_model = MiniMaxEmbedding()
        Settings.llm = MiniMax()
        index = VectorStoreIndex.from_documents([Document(text="MiniMax makes models.")])
        print(index.as_query_engine().query("Who makes models?"))
    """

    _minimax_service: ClassVar[str] = "embeddings"

    model_name: str = Field(default="embo-01", description="The embedding model.")
    embed_batch_size: int = Field(default=32, gt=0, description="Texts per request.")
    max_concurrency: int = Field(default=4, ge=1, description="Async requests in flight.")
    max_retries: int = Field(
        default=6, ge=0, description="Embedding rate limits are tight: retry more than chat."
    )

    # One limit per event loop: LlamaIndex gathers every batch of a large input at once
    # (``aget_text_embedding_batch``), so the cap on requests in flight has to live here.
    _limits: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = PrivateAttr(
        default_factory=_PerLoop
    )

    @classmethod
    def class_name(cls) -> str:
        return "MiniMaxEmbedding"

    def _limit(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        limit = self._limits.get(loop)
        if limit is None:
            limit = self._limits[loop] = asyncio.Semaphore(self.max_concurrency)
        return limit

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._client.embed([query], model=self.model_name, type="query")[0]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        async with self._limit():
            vectors = await self._client.aembed([query], model=self.model_name, type="query")
        return vectors[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return (await self._aget_text_embeddings([text]))[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._client.embed(
            texts, model=self.model_name, type="db", batch_size=self.embed_batch_size
        )

    async def _aget_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        # Each call takes one slot; its requests (one per batch) go one after another in it.
        async with self._limit():
            return await self._client.aembed(
                texts,
                model=self.model_name,
                type="db",
                batch_size=self.embed_batch_size,
                max_concurrency=1,
            )
