"""All the I/O of the core, and the only module that imports an HTTP library: one sync driver,
one async driver, the shared connection pools, and the async transport on aiohttp.

Everything else is pure: a driver sends an :class:`~minimax_core._http.HttpRequest`, hands the
answer to a pure interpreter (non-streamed) or lets a :class:`~minimax_core._retry.RetryFlow` feed
it to a pure stream decoder, and on failure asks the flow what to do (retry after a delay, or give
up with an error). The two drivers differ only in ``await``.

Pools: one ``httpx.Client`` per configuration per process (re-created after ``fork``), and one
``httpx.AsyncClient`` per configuration *per event loop*, so a client created under one loop is
never used under another ("Event loop is closed"). Callers may pass their own clients instead
(proxies, TLS, mounts); those are used as they are and never closed by us.

The async pool runs on aiohttp, not on httpx's default transport: httpcore 1.0's async pool
rescans every connection and queued request whenever a request starts or finishes
(encode/httpcore#1035), so N concurrent calls cost O(N²). Measured on the project's 2-core machine,
500 concurrent calls to a server answering in 50 ms (server in its own process): httpx's default
transport 5–7 s, httpx2/httpcore2's fixed pool 0.6–0.7 s, httpx on this aiohttp transport ~0.4 s,
aiohttp alone ~0.3 s; and one sequential async call costs ~0.9 ms through httpx/httpcore (anyio
and h11 in pure Python) against ~0.3 ms through aiohttp (C parser, O(1) pool). aiohttp is well
kept, already a dependency of llama-index-core, and the openai SDK offers the same swap. Only the
transport changes: the ``httpx.AsyncClient`` API above it (timeouts, event hooks, environment
proxies, which httpx mounts on its own transports) is unchanged. aiohttp is imported on the first
async call (it costs ~0.1 s to import; sync-only programs never pay it).

An aiohttp session belongs to one event loop and must be closed on it: each transport is bound to
the loop that created it (see :func:`async_pool`) and closes its session when that loop shuts down
(``asyncio.run`` closes open async generators first — a keeper generator is one).
"""

from __future__ import annotations

import asyncio
import os
import ssl
import threading
import time
import weakref
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from minimax_core._failures import connection_error
from minimax_core._http import USER_AGENT, HttpRequest, ResponseMeta, StreamDecoder
from minimax_core._retry import GiveUp, RetryFlow, RetryPolicy
from minimax_core.errors import MiniMaxError

if TYPE_CHECKING:
    import aiohttp

__all__ = [
    "USER_AGENT",
    "AiohttpTransport",
    "AsyncDriver",
    "SyncDriver",
    "as_error",
    "async_pool",
    "sync_pool",
]

T = TypeVar("T")


def as_error(exc: BaseException, secret: str = "") -> MiniMaxError | None:
    """Our error for an exception raised while talking to the server (``None``: not ours)."""
    if isinstance(exc, MiniMaxError):
        return exc
    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, httpx.TimeoutException):
        return connection_error("timeout", detail, secret)
    if isinstance(exc, httpx.TransportError):
        return connection_error("connection", detail, secret)
    return None


def _failure(
    exc: Exception, request: HttpRequest
) -> tuple[MiniMaxError, BaseException | None, bool]:
    """(our error, its cause, whether the connection broke) for an attempt's exception; an
    exception that is not about the call (a bug, a KeyboardInterrupt) propagates unchanged."""
    error = as_error(exc, request.secret)
    if error is None:
        raise exc
    if error is exc:
        return error, exc.__cause__, False
    return error, exc, True


class SyncDriver:
    def __init__(self, client: httpx.Client, policy: RetryPolicy) -> None:
        self._client = client
        self._policy = policy

    def call(self, request: HttpRequest, interpret: Callable[[ResponseMeta, bytes], T]) -> T:
        flow: RetryFlow[Any] = RetryFlow(self._policy, request)
        while True:
            flow.attempt()
            try:
                response = self._client.post(
                    request.url, content=request.body, headers=request.headers
                )
                return interpret(
                    flow.meta(response.status_code, response.headers), response.content
                )
            except Exception as exc:
                decision = flow.failed(*_failure(exc, request))
            if isinstance(decision, GiveUp):
                raise decision.error from decision.cause
            time.sleep(decision.delay)

    def stream(self, request: HttpRequest, decoder: StreamDecoder[T]) -> Iterator[T]:
        flow = RetryFlow(self._policy, request, decoder)
        while True:
            flow.attempt()
            try:
                with self._client.stream(
                    "POST", request.url, content=request.body, headers=request.headers
                ) as response:
                    if not flow.response(flow.meta(response.status_code, response.headers)):
                        yield from flow.whole(response.read())
                        return
                    for data in response.iter_bytes():
                        yield from flow.data(data)
                yield from flow.end()
                return
            except Exception as exc:
                decision = flow.failed(*_failure(exc, request))
            if isinstance(decision, GiveUp):
                raise decision.error from decision.cause
            time.sleep(decision.delay)


class AsyncDriver:
    def __init__(self, client: httpx.AsyncClient, policy: RetryPolicy) -> None:
        self._client = client
        self._policy = policy

    async def call(self, request: HttpRequest, interpret: Callable[[ResponseMeta, bytes], T]) -> T:
        flow: RetryFlow[Any] = RetryFlow(self._policy, request)
        while True:
            flow.attempt()
            try:
                response = await self._client.post(
                    request.url, content=request.body, headers=request.headers
                )
                return interpret(
                    flow.meta(response.status_code, response.headers), response.content
                )
            except Exception as exc:
                decision = flow.failed(*_failure(exc, request))
            if isinstance(decision, GiveUp):
                raise decision.error from decision.cause
            await asyncio.sleep(decision.delay)

    async def stream(self, request: HttpRequest, decoder: StreamDecoder[T]) -> AsyncIterator[T]:
        flow = RetryFlow(self._policy, request, decoder)
        while True:
            flow.attempt()
            try:
                async with self._client.stream(
                    "POST", request.url, content=request.body, headers=request.headers
                ) as response:
                    if not flow.response(flow.meta(response.status_code, response.headers)):
                        for item in flow.whole(await response.aread()):
                            yield item
                        return
                    async for data in response.aiter_bytes():
                        for item in flow.data(data):
                            yield item
                for item in flow.end():
                    yield item
                return
            except Exception as exc:
                decision = flow.failed(*_failure(exc, request))
            if isinstance(decision, GiveUp):
                raise decision.error from decision.cause
            await asyncio.sleep(decision.delay)


# --------------------------------------------------------------------------------------------
# The async transport: httpx's API on aiohttp's connection pool
# --------------------------------------------------------------------------------------------


@cache
def _aiohttp_errors() -> tuple[tuple[type[BaseException], type[httpx.TransportError]], ...]:
    """aiohttp's exceptions → httpx's, most specific first: the first match decides."""
    import aiohttp

    return (
        (aiohttp.ConnectionTimeoutError, httpx.ConnectTimeout),
        (aiohttp.SocketTimeoutError, httpx.ReadTimeout),
        (aiohttp.ServerTimeoutError, httpx.TimeoutException),
        (asyncio.TimeoutError, httpx.PoolTimeout),
        (aiohttp.ClientProxyConnectionError, httpx.ProxyError),
        (aiohttp.ClientConnectorError, httpx.ConnectError),
        (aiohttp.ServerDisconnectedError, httpx.RemoteProtocolError),
        (aiohttp.ClientPayloadError, httpx.RemoteProtocolError),
        (aiohttp.ClientResponseError, httpx.RemoteProtocolError),
        (aiohttp.InvalidURL, httpx.UnsupportedProtocol),
        (aiohttp.ClientOSError, httpx.ReadError),
        (aiohttp.ClientConnectionError, httpx.NetworkError),
        (aiohttp.ClientError, httpx.TransportError),
    )


@contextmanager
def _as_httpx_errors(request: httpx.Request) -> Iterator[None]:
    import aiohttp

    try:
        yield
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        for source, target in _aiohttp_errors():
            if isinstance(exc, source):
                raise target(f"{type(exc).__name__}: {exc}", request=request) from exc
        raise  # pragma: no cover - the table ends with aiohttp.ClientError


class _Body(httpx.AsyncByteStream):
    def __init__(self, response: aiohttp.ClientResponse, request: httpx.Request) -> None:
        self._response = response
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _as_httpx_errors(self._request):
            async for data in self._response.content.iter_any():
                yield data

    async def aclose(self) -> None:
        self._response.release()


class AiohttpTransport(httpx.AsyncBaseTransport):
    """An ``httpx`` async transport on one aiohttp session (of the current event loop)."""

    def __init__(self, limits: httpx.Limits, *, ssl_context: ssl.SSLContext | None = None) -> None:
        self._limits = limits
        self._ssl = ssl_context if ssl_context is not None else httpx.create_ssl_context()
        self._session: aiohttp.ClientSession | None = None
        self._keeper: Any = None

    async def _open(self) -> aiohttp.ClientSession:
        import aiohttp

        connector = aiohttp.TCPConnector(
            limit=self._limits.max_connections or 0,
            limit_per_host=0,
            keepalive_timeout=self._limits.keepalive_expiry or 0,
            ssl=self._ssl,
        )
        session = aiohttp.ClientSession(
            connector=connector,
            auto_decompress=False,  # httpx decodes Content-Encoding itself
            trust_env=False,  # proxies are httpx's business (its own mounted transports)
            skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding", "Content-Type"),
        )
        self._keeper = self._close_at_shutdown(session)
        await self._keeper.__anext__()  # now an open async generator of this loop
        return session

    @staticmethod
    async def _close_at_shutdown(session: aiohttp.ClientSession) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await session.close()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        import aiohttp

        session = self._session
        if session is None or session.closed:
            session = self._session = await self._open()
        timeout = request.extensions.get("timeout", {})
        content = await request.aread()
        with _as_httpx_errors(request):
            response = await session.request(
                request.method,
                str(request.url),
                headers=request.headers.multi_items(),
                data=content or None,
                allow_redirects=False,
                compress=None,
                timeout=aiohttp.ClientTimeout(
                    total=None,
                    connect=timeout.get("pool"),
                    sock_connect=timeout.get("connect"),
                    sock_read=timeout.get("read"),
                ),
            )
        extensions: dict[str, Any] = {"http_version": b"HTTP/1.1"}
        if response.reason:
            extensions["reason_phrase"] = response.reason.encode("ascii", "replace")
        return httpx.Response(
            status_code=response.status,
            headers=response.raw_headers,
            stream=_Body(response, request),
            extensions=extensions,
            request=request,
        )

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()


# --------------------------------------------------------------------------------------------
# Shared pools
# --------------------------------------------------------------------------------------------

PoolKey = tuple[float | None, float]


_lock = threading.Lock()
_sync: dict[PoolKey, httpx.Client] = {}
_async: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[PoolKey, httpx.AsyncClient]] = (
    weakref.WeakKeyDictionary()
)


def _reset_after_fork() -> None:
    # A forked child must not share the parent's sockets: start with empty pools.
    global _lock
    _lock = threading.Lock()
    _sync.clear()
    _async.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


def _timeout(key: PoolKey) -> httpx.Timeout:
    read, connect = key
    return httpx.Timeout(read, connect=connect)


# 100 connections per process, configuration and loop, all kept alive for 20 s between calls:
# enough for hundreds of concurrent calls (the rest wait in the pool's queue), few enough not to
# exhaust a proxy or MiniMax's connection limit (1041).
_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=100, keepalive_expiry=20)


def sync_pool(key: PoolKey) -> httpx.Client:
    """The process-wide client for this configuration."""
    client = _sync.get(key)
    if client is None:
        with _lock:
            client = _sync.get(key)
            if client is None:
                client = _sync[key] = httpx.Client(
                    timeout=_timeout(key), limits=_LIMITS, headers={"User-Agent": USER_AGENT}
                )
    return client


def async_pool(key: PoolKey) -> httpx.AsyncClient:
    """The client for this configuration bound to the running event loop."""
    loop = asyncio.get_running_loop()
    clients = _async.get(loop)
    if clients is None:
        # A client's session refers to its loop, so entries would keep closed loops alive:
        # forget them (their sessions were closed when their loop shut down).
        for closed in [other for other in _async if other.is_closed()]:
            del _async[closed]
        clients = _async[loop] = {}
    client = clients.get(key)
    if client is None:
        client = clients[key] = httpx.AsyncClient(
            timeout=_timeout(key),
            transport=AiohttpTransport(_LIMITS),
            headers={"User-Agent": USER_AGENT},
        )
    return client
