"""Server-side fault bookkeeping: ``fail=…xN`` attempt counters and the per-key RPM limiter."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import deque

from .options import FailSpec


def body_digest(body: bytes) -> bytes:
    return hashlib.blake2b(body, digest_size=16).digest()


class FaultState:
    """Thread-safe counters shared by every request of one emulator instance."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._attempts: dict[tuple[str, bytes, str], int] = {}
        self._windows: dict[str, deque[float]] = {}

    def clear(self) -> None:
        with self._lock:
            self._attempts.clear()
            self._windows.clear()

    def should_fail(self, fail: FailSpec, api_key: str, body: bytes, header: str) -> bool:
        """True while this request (key, body, header) has failed fewer than N times."""
        if fail.times is None:
            return True
        key = (api_key, body_digest(body), header)
        with self._lock:
            done = self._attempts.get(key, 0)
            if done >= fail.times:
                return False
            self._attempts[key] = done + 1
            return True

    def over_rpm(
        self, api_key: str, rpm: int, now: float | None = None, window_s: float = 60.0
    ) -> bool:
        """Sliding window (MiniMax's is 60 s) per key; a rejected request does not count."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            window = self._windows.setdefault(api_key, deque())
            while window and window[0] <= moment - window_s:
                window.popleft()
            if len(window) >= rpm:
                return True
            window.append(moment)
            return False
