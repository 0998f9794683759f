"""The retry flow of one call, shared by the sync and the async driver: a pure state machine.

What is retried is the error's ``is_retryable``, read from the table in ``minimax_core.errors``;
on top of it, one rule about streams: nothing is retried once part of a stream has reached the
caller (it would duplicate text). The wait is exponential with jitter (0.5 s, 1 s, 2 s … capped at
8 s), or the server's ``Retry-After`` when it sends one (MiniMax does not today; proxies in front
of it may).

A driver pumps a :class:`RetryFlow` the way httpx pumps an ``Auth.auth_flow``: it does the I/O of
each attempt and reports what happened; the flow answers with a decision *value* —
:class:`Retry` (wait, then try again) or :class:`GiveUp` (raise this error) — so the two drivers
differ only in ``await``.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from minimax_core._http import HttpRequest, ResponseMeta, StreamDecoder
from minimax_core.errors import APITimeoutError, MiniMaxError, StreamInterruptedError

__all__ = ["GiveUp", "Retry", "RetryFlow", "RetryPolicy", "retry_after_seconds"]

logger = logging.getLogger("minimax_core")
T = TypeVar("T")


def retry_after_seconds(
    headers: Mapping[str, str] | None, now: float | None = None
) -> float | None:
    """The wait a ``Retry-After`` / ``retry-after-ms`` header asks for, if any and sane."""
    if not headers:
        return None
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(float(millis) / 1000.0, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    parsed = email.utils.parsedate_tz(value)
    if parsed is None:
        return None
    return max(email.utils.mktime_tz(parsed) - (time.time() if now is None else now), 0.0)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    #: A ``Retry-After`` longer than this is not waited for (the error is raised instead).
    max_retry_after: float = 60.0

    def delay(
        self, attempt: int, retryable: bool, headers: Mapping[str, str] | None = None
    ) -> float | None:
        """Seconds to wait before retry number ``attempt + 1``, or ``None`` to give up."""
        if not retryable or attempt >= self.max_retries:
            return None
        asked = retry_after_seconds(headers)
        if asked is not None:
            return asked if asked <= self.max_retry_after else None
        backoff = min(self.initial_delay * (2.0**attempt), self.max_delay)
        return backoff * (1.0 - 0.25 * random.random())


@dataclass(frozen=True, slots=True)
class Retry:
    """Wait ``delay`` seconds, then make the next attempt."""

    delay: float


@dataclass(frozen=True, slots=True)
class GiveUp:
    """Raise ``error`` (``from cause``): no attempt is left, or retrying would be wrong."""

    error: MiniMaxError
    cause: BaseException | None


class RetryFlow(Generic[T]):
    """The attempts of one call. A driver calls :meth:`attempt` before each one, reports the
    response (:meth:`response`, then :meth:`data` per read, :meth:`end`, or :meth:`whole` for a
    body that is not a stream), and on failure asks :meth:`failed` what to do.

    ``decoder`` (streams only) is the pure reader the flow feeds; it is started afresh for each
    attempt, and the flow remembers whether the current attempt has started (headers arrived)
    and delivered (an item reached the caller) — the two facts a retry decision needs.
    """

    __slots__ = ("_attempt", "_decoder", "_delivered", "_policy", "_started", "request")

    def __init__(
        self,
        policy: RetryPolicy,
        request: HttpRequest,
        decoder: StreamDecoder[T] | None = None,
    ) -> None:
        self._policy = policy
        self.request = request
        self._decoder = decoder
        self._attempt = -1
        self._started = self._delivered = False

    def attempt(self) -> None:
        self._attempt += 1
        self._started = self._delivered = False

    def meta(self, status: int, headers: Mapping[str, str]) -> ResponseMeta:
        return ResponseMeta(status, headers, self.request.secret, self.request.model)

    # -- streams ----------------------------------------------------------------------------

    def response(self, meta: ResponseMeta) -> bool:
        """Headers arrived; ``True`` if the body is an event stream to read piece by piece."""
        assert self._decoder is not None
        self._decoder.begin(meta)
        self._started = True
        return meta.status < 400 and meta.is_event_stream

    def data(self, data: bytes) -> list[T]:
        assert self._decoder is not None
        items = self._decoder.feed(data)
        if items:
            self._delivered = True
        return items

    def whole(self, body: bytes) -> list[T]:
        assert self._decoder is not None
        return self._decoder.whole(body)

    def end(self) -> list[T]:
        assert self._decoder is not None
        return self._decoder.close()

    # -- the decision -----------------------------------------------------------------------

    def failed(
        self, error: MiniMaxError, cause: BaseException | None, broken: bool
    ) -> Retry | GiveUp:
        """What to do after ``error``. ``broken``: the connection failed (rather than the server
        reporting a failure); under a stream that makes it an interrupted stream.

        Nothing is retried once part of a stream reached the caller; a connection that breaks or
        goes silent then is reported as an interrupted stream carrying the partial answer. A
        stream that broke before that is retried; when the retries run out, a body cut after the
        headers is reported as an interrupted stream, and a silent one as the timeout it is.
        """
        decoder = self._decoder if broken else None
        if self._delivered:
            if decoder is not None:
                error = decoder.interrupted(error)
            return GiveUp(error, cause)
        retryable = error.is_retryable or isinstance(error, StreamInterruptedError)
        delay = self._policy.delay(self._attempt, retryable, error.headers)
        if delay is None:
            if self._started and decoder is not None and not isinstance(error, APITimeoutError):
                error = decoder.interrupted(error, delivered=False)
            return GiveUp(error, cause)
        logger.info(
            "MiniMax call failed (%s); retry %d of %d in %.2f s",
            type(error).__name__,
            self._attempt + 1,
            self._policy.max_retries,
            delay,
        )
        return Retry(delay)
