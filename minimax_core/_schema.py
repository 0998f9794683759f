"""Tool schemas made safe for MiniMax before they are sent.

MiniMax mangles tool arguments for some schema shapes — nested objects come back as JSON strings,
one-item arrays as ``{"item": ...}`` — and the reports tie it to ``$ref``/``$defs`` and
``anyOf``/``oneOf`` (``docs/protocol-notes.md`` §5); pydantic-ai inlines ``$defs`` for every
MiniMax model for the same reason. :func:`harden` therefore sends a self-contained schema:
``$ref`` replaced by the definition it points to (``$defs``/``definitions`` then dropped), a
nullable ``anyOf`` (``X | None``, what pydantic writes for ``Optional``) reduced to ``X``, and the
keys MiniMax rejects (``strict``) dropped. A recursive schema cannot be inlined and is a clear
error, as is one nested absurdly deep.
"""

from __future__ import annotations

from typing import Any

from minimax_core.errors import InvalidInputError

__all__ = ["harden"]

_MAX_DEPTH = 64
_DROPPED = frozenset({"strict", "$defs", "definitions", "$schema"})


def harden(schema: dict[str, Any], tool: str = "") -> dict[str, Any]:
    """A copy of ``schema`` with every ``$ref`` inlined and nullable ``anyOf`` flattened."""
    defs: dict[str, Any] = {}
    for key in ("definitions", "$defs"):
        found = schema.get(key)
        if isinstance(found, dict):
            defs.update({f"#/{key}/{name}": value for name, value in found.items()})
    out = _walk(schema, defs, (), 0, tool)
    assert isinstance(out, dict)
    return out


def _walk(node: Any, defs: dict[str, Any], seen: tuple[str, ...], depth: int, tool: str) -> Any:
    if depth > _MAX_DEPTH:
        raise InvalidInputError(f"Tool {tool!r}: its schema is nested more than {_MAX_DEPTH} deep")
    if isinstance(node, list):
        return [_walk(item, defs, seen, depth + 1, tool) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        return _inline(node, ref, defs, seen, depth, tool)
    out = {
        key: _walk(value, defs, seen, depth + 1, tool)
        for key, value in node.items()
        if key not in _DROPPED
    }
    return _flatten_nullable(out)


def _inline(
    node: dict[str, Any],
    ref: str,
    defs: dict[str, Any],
    seen: tuple[str, ...],
    depth: int,
    tool: str,
) -> Any:
    if ref in seen:
        raise InvalidInputError(
            f"Tool {tool!r}: its schema is recursive ({ref} refers to itself), which cannot be "
            "sent to MiniMax inlined; give the tool a non-recursive schema."
        )
    target = defs.get(ref)
    if target is None:
        raise InvalidInputError(
            f"Tool {tool!r}: its schema refers to {ref!r}, which it does not define"
        )
    resolved = _walk(target, defs, (*seen, ref), depth + 1, tool)
    # Keys beside the $ref (a field's description or default) win over the definition's.
    siblings = {k: _walk(v, defs, seen, depth + 1, tool) for k, v in node.items() if k != "$ref"}
    return {**resolved, **siblings} if isinstance(resolved, dict) else resolved


def _flatten_nullable(node: dict[str, Any]) -> dict[str, Any]:
    options = node.get("anyOf")
    if not isinstance(options, list) or len(options) != 2:
        return node
    real = [o for o in options if not (isinstance(o, dict) and o.get("type") == "null")]
    if len(real) != 1 or not isinstance(real[0], dict):
        return node
    rest = {k: v for k, v in node.items() if k != "anyOf"}
    return {**real[0], **rest}
