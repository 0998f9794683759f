"""The request journal: what arrived, in order, with credentials redacted."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

_SECRET_HEADERS = frozenset({"authorization", "x-api-key", "proxy-authorization"})


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    json: Any | None
    query: str = field(default="")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def redact(name: str, value: str) -> str:
    if name not in _SECRET_HEADERS:
        return value
    scheme, space, _ = value.partition(" ")
    return f"{scheme} ***" if space else "***"


_Raw = tuple[str, str, list[tuple[bytes, bytes]], Any, str]


def _materialise(raw: _Raw) -> RecordedRequest:
    method, path, raw_headers, body, query = raw
    headers: dict[str, str] = {}
    for raw_name, raw_value in raw_headers:
        name = raw_name.decode("latin-1").lower()
        headers[name] = redact(name, raw_value.decode("latin-1"))
    return RecordedRequest(method, path, headers, body, query)


class Journal:
    """Keeps raw entries (cheap on the hot path); decodes and redacts them when read."""

    def __init__(self, limit: int | None = 10_000) -> None:
        self._lock = threading.Lock()
        self._items: deque[_Raw] = deque(maxlen=limit)

    def record(
        self, method: str, path: str, raw_headers: list[tuple[bytes, bytes]], body: Any, query: str
    ) -> None:
        with self._lock:
            self._items.append((method, path, raw_headers, body, query))

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            items = list(self._items)
        return [_materialise(raw) for raw in items]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
