"""Pickling for worker processes (Ray, Dask, ``ProcessPoolExecutor``, ingestion workers).

LlamaIndex components pickle their pydantic state and rebuild themselves with ``__init__`` on
unpickling (``BaseComponent.__setstate__``). The state keeps the key, as LangChain's pickles do,
so a model built with ``api_key=...`` works in a worker that has no ``MINIMAX_API_KEY``; a pickle
is a trusted transport, never a display form (``repr``/``str``/``to_dict``/``to_json`` never show
the key). Left out: a user's own ``httpx`` clients (they cannot be pickled) and the connection
pool, which each process opens for itself.
"""

from __future__ import annotations

from typing import Any

__all__ = ["picklable_state"]

_NOT_PICKLED = frozenset({"http_client", "http_async_client"})
_PRIVATE_NOT_PICKLED = frozenset({"_client", "_limits"})  # rebuilt by __init__


def picklable_state(state: dict[str, Any]) -> dict[str, Any]:
    """``state`` (a pydantic ``__getstate__`` result) without user clients and connections."""
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
