"""``MiniMaxClient``: chat, stream and embed, sync and async — what the adapters are built on.

>>> client = MiniMaxClient(api_key="...", base_url="http://127.0.0.1:8765")  # doctest: +SKIP
>>> result = client.chat([UserMessage("Hi")], ChatParams(model="MiniMax-M2.7"))  # doctest: +SKIP
>>> result.message.content, result.message.reasoning.text  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from minimax_core._config import ClientConfig
from minimax_core._retry import RetryPolicy
from minimax_core._types import ChatDelta, ChatMessage, ChatParams, ChatResult
from minimax_core.errors import InvalidInputError

if TYPE_CHECKING:
    import httpx

    from minimax_core._http import HttpRequest
    from minimax_core._io import AsyncDriver, SyncDriver
    from minimax_core._protocol import ChatStreamDecoder
    from minimax_core._request import PreparedChat

# The HTTP stack (httpx, aiohttp) and the wire models (pydantic schemas) are imported on the
# first call, not with the package: importing an adapter stays cheap (serverless cold starts).

__all__ = ["AsyncChatStream", "ChatStream", "MiniMaxClient", "embedding_batches"]

EmbeddingType = Literal["db", "query"]


def embedding_batches(texts: Sequence[str], batch_size: int, max_batch_chars: int) -> list[range]:
    """Split ``texts`` into consecutive batches by count and by size (a long text goes alone)."""
    batches: list[range] = []
    start = size = 0
    for i, text in enumerate(texts):
        if i > start and (i - start >= batch_size or size + len(text) > max_batch_chars):
            batches.append(range(start, i))
            start, size = i, 0
        size += len(text)
    if start < len(texts):
        batches.append(range(start, len(texts)))
    return batches


class ChatStream:
    """Iterate for :class:`ChatDelta` items; ``result`` holds the whole answer afterwards."""

    def __init__(self, items: Iterator[ChatDelta], state: _StreamState) -> None:
        self._items = items
        self._state = state

    def __iter__(self) -> Iterator[ChatDelta]:
        return self._items

    def __next__(self) -> ChatDelta:
        return next(self._items)

    def close(self) -> None:
        """Stop reading early and release the connection."""
        close = getattr(self._items, "close", None)
        if close is not None:
            close()

    @property
    def result(self) -> ChatResult:
        """The complete answer (usage, tool calls, reasoning for replay); after iteration."""
        return self._state.result()


class AsyncChatStream:
    def __init__(self, items: AsyncIterator[ChatDelta], state: _StreamState) -> None:
        self._items = items
        self._state = state

    def __aiter__(self) -> AsyncIterator[ChatDelta]:
        return self._items

    async def __anext__(self) -> ChatDelta:
        return await self._items.__anext__()

    async def aclose(self) -> None:
        aclose = getattr(self._items, "aclose", None)
        if aclose is not None:
            await aclose()

    @property
    def result(self) -> ChatResult:
        return self._state.result()


class MiniMaxClient:
    """A MiniMax client over a shared connection pool.

    Pass ``http_client`` / ``http_async_client`` to use your own ``httpx`` clients (proxies, TLS,
    mounts); they are used as given and never closed here.
    """

    def __init__(
        self,
        config: ClientConfig | None = None,
        *,
        http_client: httpx.Client | None = None,
        http_async_client: httpx.AsyncClient | None = None,
        **config_fields: Any,
    ) -> None:
        self.config = config if config is not None else ClientConfig.from_env(**config_fields)
        self.http_client = http_client
        self.http_async_client = http_async_client
        self._policy = RetryPolicy(max_retries=self.config.max_retries)
        self._pool_key = (self.config.timeout, self.config.connect_timeout)

    def __repr__(self) -> str:
        return f"MiniMaxClient(api={self.config.api!r}, host={self.config.host!r})"

    # -- plumbing ---------------------------------------------------------------------------

    def _request(self, url: str, body: bytes, stream: bool, model: str = "") -> HttpRequest:
        from minimax_core._http import USER_AGENT, HttpRequest

        headers = {"User-Agent": USER_AGENT, **self.config.headers(stream=stream)}
        return HttpRequest(
            url=url,
            body=body,
            headers=headers,
            stream=stream,
            secret=self.config.key(),
            model=model,
        )

    def _sync(self) -> SyncDriver:
        from minimax_core._io import SyncDriver, sync_pool

        return SyncDriver(self.http_client or sync_pool(self._pool_key), self._policy)

    def _async(self) -> AsyncDriver:
        from minimax_core._io import AsyncDriver, async_pool

        return AsyncDriver(self.http_async_client or async_pool(self._pool_key), self._policy)

    def prepare(
        self, messages: Sequence[ChatMessage], params: ChatParams, *, stream: bool
    ) -> PreparedChat:
        """Validate and shape a request without sending it (raises on bad input)."""
        from minimax_core._request import prepare_chat

        return prepare_chat(messages, params, api=self.config.api, stream=stream)

    def _chat_request(
        self, messages: Sequence[ChatMessage], params: ChatParams, *, stream: bool
    ) -> tuple[PreparedChat, HttpRequest]:
        prepared = self.prepare(messages, params, stream=stream)
        request = self._request(self.config.chat_url, prepared.body, stream, params.model)
        return prepared, request

    # -- chat -------------------------------------------------------------------------------

    # A forced tool choice answered in text is repaired with at most ``tool_choice_repairs`` more
    # round trips (``_forcing.repair_request`` decides); each method below is one loop over that.

    def _repair(
        self, messages: Sequence[ChatMessage], params: ChatParams, result: ChatResult, done: int
    ) -> tuple[list[ChatMessage], ChatParams] | None:
        from minimax_core._forcing import repair_request

        limit = self.config.tool_choice_repairs
        return repair_request(messages, params, result, attempt=done, limit=limit)

    def chat(self, messages: Sequence[ChatMessage], params: ChatParams) -> ChatResult:
        from minimax_core._protocol import interpret_chat

        done = 0
        while True:
            prepared, request = self._chat_request(messages, params, stream=False)
            result = self._sync().call(request, partial(interpret_chat, prepared))
            repair = self._repair(messages, params, result, done)
            if repair is None:
                return replace(result, tool_choice_repairs=done)
            (messages, params), done = repair, done + 1

    async def achat(self, messages: Sequence[ChatMessage], params: ChatParams) -> ChatResult:
        from minimax_core._protocol import interpret_chat

        done = 0
        while True:
            prepared, request = self._chat_request(messages, params, stream=False)
            result = await self._async().call(request, partial(interpret_chat, prepared))
            repair = self._repair(messages, params, result, done)
            if repair is None:
                return replace(result, tool_choice_repairs=done)
            (messages, params), done = repair, done + 1

    def stream(self, messages: Sequence[ChatMessage], params: ChatParams) -> ChatStream:
        state = _StreamState(*self._chat_request(messages, params, stream=True))
        return ChatStream(self._stream_items(messages, params, state), state)

    def _stream_items(
        self, messages: Sequence[ChatMessage], params: ChatParams, state: _StreamState
    ) -> Iterator[ChatDelta]:
        while True:
            yield from self._sync().stream(state.request, state.decoder)
            repair = self._repair(messages, params, state.result(), state.repairs)
            if repair is None:
                return
            messages, params = repair
            state.next(*self._chat_request(messages, params, stream=True))

    def astream(self, messages: Sequence[ChatMessage], params: ChatParams) -> AsyncChatStream:
        state = _StreamState(*self._chat_request(messages, params, stream=True))
        return AsyncChatStream(self._astream_items(messages, params, state), state)

    async def _astream_items(
        self, messages: Sequence[ChatMessage], params: ChatParams, state: _StreamState
    ) -> AsyncIterator[ChatDelta]:
        while True:
            async for delta in self._async().stream(state.request, state.decoder):
                yield delta
            repair = self._repair(messages, params, state.result(), state.repairs)
            if repair is None:
                return
            messages, params = repair
            state.next(*self._chat_request(messages, params, stream=True))

    # -- embeddings -------------------------------------------------------------------------

    def _embedding_requests(
        self, texts: Sequence[str], model: str, type: EmbeddingType, batch_size: int
    ) -> list[tuple[range, HttpRequest]]:
        if batch_size < 1:
            raise InvalidInputError(f"batch_size must be >= 1, got {batch_size}")
        from minimax_core._wire import EmbeddingsRequest

        url = self.config.embeddings_url  # refuses a route that serves no embeddings
        out = []
        for batch in embedding_batches(texts, batch_size, max_batch_chars=16_000):
            body = EmbeddingsRequest(model=model, texts=[texts[i] for i in batch], type=type)
            out.append((batch, self._request(url, body.to_json(), False, model)))
        return out

    def embed(
        self,
        texts: Sequence[str],
        *,
        model: str = "embo-01",
        type: EmbeddingType = "db",
        batch_size: int = 32,
        on_progress: Callable[[int], None] | None = None,
    ) -> list[list[float]]:
        """Embed ``texts`` (``type="db"`` for documents, ``"query"`` for search queries)."""
        from minimax_core._protocol import interpret_embeddings

        driver = self._sync()
        vectors: list[list[float]] = []
        for batch, request in self._embedding_requests(texts, model, type, batch_size):
            vectors.extend(driver.call(request, partial(interpret_embeddings, len(batch))))
            if on_progress is not None:
                on_progress(len(batch))
        return vectors

    async def aembed(
        self,
        texts: Sequence[str],
        *,
        model: str = "embo-01",
        type: EmbeddingType = "db",
        batch_size: int = 32,
        max_concurrency: int = 4,
        on_progress: Callable[[int], None] | None = None,
    ) -> list[list[float]]:
        import asyncio

        from minimax_core._protocol import interpret_embeddings

        driver = self._async()
        limit = asyncio.Semaphore(max(1, max_concurrency))

        async def one(batch: range, request: HttpRequest) -> list[list[float]]:
            async with limit:
                result = await driver.call(request, partial(interpret_embeddings, len(batch)))
            if on_progress is not None:
                on_progress(len(batch))
            return result

        requests = self._embedding_requests(texts, model, type, batch_size)
        parts = await asyncio.gather(*(one(batch, request) for batch, request in requests))
        return [vector for part in parts for vector in part]


class _StreamState:
    """The attempt a stream is reading (a repair round trip starts a new one)."""

    __slots__ = ("_result", "decoder", "repairs", "request")

    def __init__(self, prepared: PreparedChat, request: HttpRequest) -> None:
        self.repairs = 0
        self.request = request
        self.decoder = _decoder(prepared)
        self._result: ChatResult | None = None

    def next(self, prepared: PreparedChat, request: HttpRequest) -> None:
        self.repairs += 1
        self.request = request
        self.decoder = _decoder(prepared)
        self._result = None

    def result(self) -> ChatResult:
        """The answer of the attempt read last (built once: it may warn)."""
        if not self.decoder.started:
            raise RuntimeError("The stream has not been read yet: iterate over it first.")
        if self._result is None:
            self._result = replace(self.decoder.result(), tool_choice_repairs=self.repairs)
        return self._result


def _decoder(prepared: PreparedChat) -> ChatStreamDecoder:
    from minimax_core._protocol import ChatStreamDecoder

    return ChatStreamDecoder(prepared)
