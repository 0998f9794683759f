"""Pickling without the API key.

LlamaIndex components pickle their pydantic state and rebuild themselves with ``__init__`` on
unpickling (``BaseComponent.__setstate__``). The key (and a user's own ``httpx`` clients, which
cannot be pickled) are left out of that state, so the pickled bytes never hold the key: the
unpickled object reads it from the environment again, exactly like ``from_dict(to_dict())``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["keyless_state"]

_NOT_PICKLED = frozenset({"api_key", "http_client", "http_async_client"})
_PRIVATE_NOT_PICKLED = frozenset({"_client", "_limits"})  # rebuilt by __init__


def keyless_state(state: dict[str, Any]) -> dict[str, Any]:
    """``state`` (a pydantic ``__getstate__`` result) without the key, clients and connections."""
    state = dict(state)
    fields = state.get("__dict__")
    if isinstance(fields, dict):
        state["__dict__"] = {k: v for k, v in fields.items() if k not in _NOT_PICKLED}
    private = state.get("__pydantic_private__")
    if isinstance(private, dict):
        state["__pydantic_private__"] = {
            k: v for k, v in private.items() if k not in _PRIVATE_NOT_PICKLED
        }
    fields_set = state.get("__pydantic_fields_set__")
    if isinstance(fields_set, set):
        state["__pydantic_fields_set__"] = fields_set - _NOT_PICKLED
    return state
