"""``MiniMaxEmbeddings``: MiniMax ``embo-01`` embeddings for LangChain."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from langchain_core.embeddings import Embeddings
from pydantic import ConfigDict, Field

from langchain_minimax.errors import translate_errors
from minimax_core import ClientSettings

__all__ = ["MiniMaxEmbeddings"]


@contextmanager
def _progress(enabled: bool, total: int) -> Iterator[Callable[[int], None] | None]:
    if not enabled:
        yield None
        return
    try:
        from tqdm.auto import tqdm
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "show_progress=True needs tqdm: pip install 'minimax-integrations[progress]'"
        ) from exc
    with tqdm(total=total, desc="Embedding", unit="text") as bar:

        def advance(done: int) -> None:
            bar.update(done)

        yield advance


class MiniMaxEmbeddings(ClientSettings, Embeddings):
    """MiniMax text embeddings (``embo-01``, 1536 dimensions).

    Documents are embedded with ``type="db"`` and queries with ``type="query"``, as MiniMax
    asks; texts are sent in batches (several at once with the async methods), and rate limits
    (1002, which MiniMax reports as HTTP 200) are retried with backoff.

    Setup:
        ``pip install "minimax-integrations[langchain]"`` and ``export MINIMAX_API_KEY=...``
        (or point ``MINIMAX_BASE_URL`` at ``minimax-emulator``).

    Instantiate and use:
        .. code-block:: python

            from langchain_minimax import MiniMaxEmbeddings

            embeddings = MiniMaxEmbeddings()
            vectors = embeddings.embed_documents(["MiniMax makes models.", "Paris is in France."])
            query = embeddings.embed_query("Where is Paris?")
            len(query)  # 1536

    In a vector store:
        .. code-block:: python

            from langchain_core.vectorstores import InMemoryVectorStore

            store = InMemoryVectorStore.from_texts(
                ["MiniMax makes models.", "Paris is in France."], embedding=embeddings
            )
            store.similarity_search("Where is Paris?", k=1)
    """

    _minimax_service: ClassVar[str] = "embeddings"

    model_config = ConfigDict(populate_by_name=True, arbitrary_types_allowed=True)

    model: str = Field(default="embo-01", alias="model_name")
    """The embedding model."""
    batch_size: int = Field(default=32, ge=1)
    """Texts per request (long texts are sent in smaller batches)."""
    max_concurrency: int = Field(default=4, ge=1)
    """Requests in flight at once in the async methods."""
    show_progress: bool = False
    """Show a tqdm progress bar while embedding documents."""
    max_retries: int = Field(default=6, ge=0)
    """Embedding rate limits are tight: retry more than chat does."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        with translate_errors(), _progress(self.show_progress, len(texts)) as progress:
            return self._client.embed(
                texts, model=self.model, type="db", batch_size=self.batch_size, on_progress=progress
            )

    def embed_query(self, text: str) -> list[float]:
        with translate_errors():
            return self._client.embed([text], model=self.model, type="query")[0]

    async def aembed_documents(self, texts: list[str]) -> list[list[float]]:
        with translate_errors(), _progress(self.show_progress, len(texts)) as progress:
            return await self._client.aembed(
                texts,
                model=self.model,
                type="db",
                batch_size=self.batch_size,
                max_concurrency=self.max_concurrency,
                on_progress=progress,
            )

    async def aembed_query(self, text: str) -> list[float]:
        with translate_errors():
            vectors = await self._client.aembed([text], model=self.model, type="query")
            return vectors[0]

    def __repr_args__(self) -> Any:
        return [(k, v) for k, v in super().__repr_args__() if k not in ("api_key",)]
