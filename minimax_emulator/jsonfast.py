"""Compact JSON for the wire: orjson when installed (the ``emulator`` extra brings it), else stdlib.

Both produce the same text: no spaces, non-ASCII kept as raw UTF-8.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

_fast_dumps: Callable[[Any], bytes] | None
_fast_loads: Callable[[bytes], Any] | None
try:
    import orjson

    _fast_dumps = orjson.dumps
    _fast_loads = orjson.loads
except ImportError:  # pragma: no cover - exercised only without the extra
    _fast_dumps = _fast_loads = None


def dumps(payload: Any) -> bytes:
    if _fast_dumps is not None:
        try:
            return _fast_dumps(payload)
        except TypeError:  # e.g. integers beyond 64 bits
            pass
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def loads(raw: bytes) -> Any:
    """Parse JSON; raises ``ValueError`` (the stdlib's error, with its position) when invalid."""
    if _fast_loads is not None:
        try:
            return _fast_loads(raw)
        except ValueError:
            pass  # let the stdlib parser report the exact position (or accept what orjson won't)
    return json.loads(raw.decode("utf-8"))
