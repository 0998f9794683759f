"""The only code that does I/O: one sync driver, one async driver, and the shared HTTP pools.

Everything else in the core is pure: a driver sends bytes, feeds the answer to a pure interpreter
(non-streamed) or a pure :class:`StreamDecoder` (streamed), and asks :class:`RetryPolicy` whether
to try again. The two drivers differ only in ``await``.

Pools: one ``httpx.Client`` per configuration per process (re-created after ``fork``), and one
``httpx.AsyncClient`` per configuration *per event loop*, so a client created under one loop is
never used under another ("Event loop is closed"). Callers may pass their own clients instead
(proxies, TLS, mounts); those are used as they are and never closed by us.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
import weakref
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import httpx

from minimax_core._retry import RetryPolicy
from minimax_core._version import __version__
from minimax_core.errors import (
    APIConnectionError,
    APITimeoutError,
    MiniMaxError,
    StreamInterruptedError,
)

__all__ = [
    "AsyncDriver",
    "HttpRequest",
    "ResponseMeta",
    "StreamDecoder",
    "SyncDriver",
    "async_pool",
    "sync_pool",
]

logger = logging.getLogger("minimax_core")
T = TypeVar("T")

USER_AGENT = f"minimax-integrations/{__version__}"
# Trace-Id first: it is the id MiniMax also puts in error bodies (``request_id``) and the one its
# support asks for, so every carrier of one request reports the same id.
_REQUEST_ID_HEADERS = ("trace-id", "minimax-request-id", "x-request-id", "request-id")


@dataclass(frozen=True, slots=True)
class HttpRequest:
    url: str
    body: bytes
    headers: dict[str, str]
    stream: bool = False


@dataclass(frozen=True, slots=True)
class ResponseMeta:
    status: int
    headers: httpx.Headers

    @property
    def request_id(self) -> str | None:
        for name in _REQUEST_ID_HEADERS:
            value: str | None = self.headers.get(name)
            if value:
                return value
        return None

    @property
    def is_event_stream(self) -> bool:
        content_type: str = self.headers.get("content-type", "")
        return content_type.startswith("text/event-stream")


class StreamDecoder(Protocol[T]):
    """Pure consumer of one streamed answer (a fresh one per attempt)."""

    def begin(self, meta: ResponseMeta) -> None: ...
    def feed(self, data: bytes) -> list[T]: ...
    def close(self) -> list[T]: ...
    def whole(self, body: bytes) -> list[T]:
        """The answer was not a stream (an error, or a JSON reply to a stream request)."""
        ...

    def interrupted(self, cause: MiniMaxError, *, delivered: bool = True) -> MiniMaxError:
        """The error to raise when the connection breaks after the response started (after
        items were delivered, or before any was and no retry is left)."""
        ...


def as_error(exc: Exception) -> MiniMaxError | None:
    """Our error for an exception raised while talking to the server (``None``: not ours)."""
    if isinstance(exc, MiniMaxError):
        return exc
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"MiniMax did not answer in time ({type(exc).__name__}: {exc})")
    if isinstance(exc, httpx.TransportError):
        return APIConnectionError(f"Could not talk to MiniMax ({type(exc).__name__}: {exc})")
    return None


def _retry_delay(
    policy: RetryPolicy,
    attempt: int,
    exc: Exception,
    request: HttpRequest,
    decoder: StreamDecoder[Any] | None = None,
    *,
    started: bool = False,
    delivered: bool = False,
) -> float:
    """Seconds to wait before the next attempt, or raise the error to give up with.

    The one retry decision of both drivers: nothing is retried once part of a stream reached
    the caller (it would duplicate text), and a connection that breaks or goes silent past the
    read timeout then is reported as an interrupted stream carrying the partial answer. A stream
    that broke before that is retried; when the retries run out, a body cut after the headers is
    reported as an interrupted stream, and a silent one as the timeout it is.
    """
    error = as_error(exc)
    if error is None:
        raise exc
    cause = exc.__cause__ if error is exc else exc
    broken = decoder is not None and error is not exc  # the connection failed under a stream
    if delivered:
        if broken and decoder is not None:
            error = decoder.interrupted(error)
        raise _redacted(error, request) from cause
    retryable = error.is_retryable or isinstance(exc, StreamInterruptedError)
    delay = policy.delay(attempt, retryable, _error_headers(exc))
    if delay is None:
        if started and broken and decoder is not None and not isinstance(error, APITimeoutError):
            error = decoder.interrupted(error, delivered=False)
        raise _redacted(error, request) from cause
    logger.info(
        "MiniMax call failed (%s); retry %d of %d in %.2f s",
        type(error).__name__,
        attempt + 1,
        policy.max_retries,
        delay,
    )
    return delay


def _error_headers(exc: Exception) -> Mapping[str, str] | None:
    return exc.headers if isinstance(exc, MiniMaxError) else None


def _redacted(error: MiniMaxError, request: HttpRequest) -> MiniMaxError:
    """The error with the request's API key masked: a server or proxy may echo it back."""
    auth = request.headers.get("Authorization", "")
    secret = auth.removeprefix("Bearer ").strip()
    if len(secret) >= 8 and any(secret in str(arg) for arg in (error.message, *error.args)):
        error.message = error.message.replace(secret, "***")
        error.args = tuple(
            arg.replace(secret, "***") if isinstance(arg, str) else arg for arg in error.args
        )
    return error


class SyncDriver:
    def __init__(self, client: httpx.Client, policy: RetryPolicy) -> None:
        self._client = client
        self._policy = policy

    def call(self, request: HttpRequest, interpret: Callable[[ResponseMeta, bytes], T]) -> T:
        attempt = 0
        while True:
            try:
                response = self._client.post(
                    request.url, content=request.body, headers=request.headers
                )
                return interpret(
                    ResponseMeta(response.status_code, response.headers), response.content
                )
            except Exception as exc:
                delay = _retry_delay(self._policy, attempt, exc, request)
            attempt += 1
            time.sleep(delay)

    def stream(
        self, request: HttpRequest, new_decoder: Callable[[], StreamDecoder[T]]
    ) -> Iterator[T]:
        attempt = 0
        while True:
            started = delivered = False
            decoder = new_decoder()
            try:
                with self._client.stream(
                    "POST", request.url, content=request.body, headers=request.headers
                ) as response:
                    meta = ResponseMeta(response.status_code, response.headers)
                    decoder.begin(meta)
                    started = True
                    if meta.status >= 400 or not meta.is_event_stream:
                        yield from decoder.whole(response.read())
                        return
                    for data in response.iter_bytes():
                        for item in decoder.feed(data):
                            delivered = True
                            yield item
                yield from decoder.close()
                return
            except Exception as exc:
                delay = _retry_delay(
                    self._policy,
                    attempt,
                    exc,
                    request,
                    decoder,
                    started=started,
                    delivered=delivered,
                )
            attempt += 1
            time.sleep(delay)


class AsyncDriver:
    def __init__(self, client: httpx.AsyncClient, policy: RetryPolicy) -> None:
        self._client = client
        self._policy = policy

    async def call(self, request: HttpRequest, interpret: Callable[[ResponseMeta, bytes], T]) -> T:
        attempt = 0
        while True:
            try:
                response = await self._client.post(
                    request.url, content=request.body, headers=request.headers
                )
                return interpret(
                    ResponseMeta(response.status_code, response.headers), response.content
                )
            except Exception as exc:
                delay = _retry_delay(self._policy, attempt, exc, request)
            attempt += 1
            await asyncio.sleep(delay)

    async def stream(
        self, request: HttpRequest, new_decoder: Callable[[], StreamDecoder[T]]
    ) -> AsyncIterator[T]:
        attempt = 0
        while True:
            started = delivered = False
            decoder = new_decoder()
            try:
                async with self._client.stream(
                    "POST", request.url, content=request.body, headers=request.headers
                ) as response:
                    meta = ResponseMeta(response.status_code, response.headers)
                    decoder.begin(meta)
                    started = True
                    if meta.status >= 400 or not meta.is_event_stream:
                        for item in decoder.whole(await response.aread()):
                            yield item
                        return
                    async for data in response.aiter_bytes():
                        for item in decoder.feed(data):
                            delivered = True
                            yield item
                for item in decoder.close():
                    yield item
                return
            except Exception as exc:
                delay = _retry_delay(
                    self._policy,
                    attempt,
                    exc,
                    request,
                    decoder,
                    started=started,
                    delivered=delivered,
                )
            attempt += 1
            await asyncio.sleep(delay)


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
        from minimax_core._aio import AiohttpTransport  # aiohttp is imported on first async use

        client = clients[key] = httpx.AsyncClient(
            timeout=_timeout(key),
            transport=AiohttpTransport(_LIMITS),
            headers={"User-Agent": USER_AGENT},
        )
    return client
