"""When to retry, and how long to wait: a pure decision, used by the one retry loop per driver.

Retried: connection failures and timeouts, HTTP 408/429/500/502/503/504/529, and MiniMax codes
1000/1001/1002/1013/1024/1033/1039/1041/2045/2062 (the error's ``is_retryable``). Never retried:
1004/2049 (key), 1008 (balance), 2013 (parameters), 1026 (input flagged), 2061 (plan), and
nothing once part of a stream has reached the caller. The wait is exponential with jitter
(0.5 s, 1 s, 2 s … capped at 8 s), or the server's ``Retry-After`` when it sends one (MiniMax
does not today; proxies in front of it may).
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["RetryPolicy", "retry_after_seconds"]


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
