"""Fill a JSON schema with deterministic values taken from the user's text.

Rules: ``$ref``/``$defs``/``definitions`` resolved; ``anyOf``/``oneOf`` take the first non-null
branch; ``allOf`` merged; objects recurse over every property (optional ones included);
integers/numbers consume the integers of the user text in order when inside the bounds (else the
minimum or 0); strings take ``const``, the first ``enum`` value, the quoted phrases and then the
proper names of the user text in order, or else the whole text; booleans are
false; arrays are empty (``minItems`` items when required).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

_INTEGER = re.compile(r"(?<![\w.])-?\d+(?!\.?\w)")
_MAX_DEPTH = 8
# Quoted phrases: '…' (not an apostrophe inside a word), "…", «…», “…”, 「…」.
_QUOTED = re.compile(
    r"(?<!\w)'([^'\n]+?)'(?!\w)|\"([^\"\n]+)\"|«([^»\n]+)»|“([^”\n]+)”|「([^」\n]+)」"
)
# Runs of capitalised words that do not open a sentence ("in San Francisco", "to Kyoto").
_NAME = re.compile(r"(?<![.!?:]\s)(?<=[\s(])([A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)")


def integers_in(text: str) -> list[int]:
    return [int(m) for m in _INTEGER.findall(text)]


def strings_in(text: str) -> list[str]:
    """Values a string argument may take, in order: quoted phrases, then proper names."""
    quotes = list(_QUOTED.finditer(text))
    spans = [m.span() for m in quotes]
    names = [
        m.group(1)
        for m in _NAME.finditer(text)
        if m.group(1) not in {"I", "A"} and not any(a <= m.start() < b for a, b in spans)
    ]
    return [next(g for g in m.groups() if g) for m in quotes] + names


class SchemaFiller:
    def __init__(
        self,
        root: dict[str, Any],
        text: str,
        numbers: Iterator[int] | None = None,
        strings: Iterator[str] | None = None,
    ) -> None:
        self._root = root
        self._text = text
        self._numbers: Iterator[int] = numbers if numbers is not None else iter(integers_in(text))
        self._strings: Iterator[str] = strings if strings is not None else iter(strings_in(text))

    def fill(self) -> Any:
        return self._value(self._root, 0)

    def _resolve(self, schema: Any, depth: int) -> dict[str, Any]:
        for _ in range(_MAX_DEPTH):
            if not isinstance(schema, dict):
                return {}
            ref = schema.get("$ref")
            if not isinstance(ref, str):
                break
            target: Any = self._root
            for part in ref.lstrip("#/").split("/"):
                target = target.get(part) if isinstance(target, dict) and part else target
            rest = {k: v for k, v in schema.items() if k != "$ref"}
            schema = {**target, **rest} if isinstance(target, dict) else rest
        if not isinstance(schema, dict):
            return {}
        for key in ("anyOf", "oneOf"):
            branches = schema.get(key)
            if isinstance(branches, list) and branches:
                chosen = next(
                    (b for b in branches if not (isinstance(b, dict) and b.get("type") == "null")),
                    branches[0],
                )
                rest = {k: v for k, v in schema.items() if k != key}
                return self._resolve({**rest, **self._resolve(chosen, depth)}, depth)
        parts = schema.get("allOf")
        if isinstance(parts, list) and parts:
            merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
            for part in parts:
                resolved = self._resolve(part, depth)
                props = {**merged.get("properties", {}), **resolved.get("properties", {})}
                merged = {**merged, **resolved}
                if props:
                    merged["properties"] = props
            return merged
        return schema

    @staticmethod
    def _type(schema: dict[str, Any]) -> str:
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if isinstance(kind, str):
            return kind
        if "properties" in schema:
            return "object"
        if "items" in schema:
            return "array"
        if "enum" in schema or "const" in schema:
            return "enum"
        return "string"

    def _value(self, raw: Any, depth: int) -> Any:
        schema = self._resolve(raw, depth)
        if "const" in schema:
            return schema["const"]
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return enum[0]
        kind = self._type(schema)
        if depth >= _MAX_DEPTH:
            return {} if kind == "object" else None
        if kind == "object":
            props = schema.get("properties")
            if not isinstance(props, dict):
                return {}
            return {name: self._value(sub, depth + 1) for name, sub in props.items()}
        if kind in {"integer", "number"}:
            return self._number(schema, kind == "integer")
        if kind == "boolean":
            return False
        if kind == "array":
            count = schema.get("minItems")
            if isinstance(count, int) and count > 0:
                return [self._value(schema.get("items", {}), depth + 1) for _ in range(count)]
            return []
        if kind == "null":
            return None
        return self._string(schema)

    def _string(self, schema: dict[str, Any]) -> str:
        text = next(self._strings, None) or self._text
        limit = schema.get("maxLength")
        if isinstance(limit, int) and limit >= 0:
            text = text[:limit]
        return text

    def _number(self, schema: dict[str, Any], integral: bool) -> int | float:
        low = schema.get("minimum")
        high = schema.get("maximum")
        xlow = schema.get("exclusiveMinimum")
        xhigh = schema.get("exclusiveMaximum")

        def ok(v: float) -> bool:
            return not (
                (isinstance(low, (int, float)) and v < low)
                or (isinstance(high, (int, float)) and v > high)
                or (isinstance(xlow, (int, float)) and not isinstance(xlow, bool) and v <= xlow)
                or (isinstance(xhigh, (int, float)) and not isinstance(xhigh, bool) and v >= xhigh)
            )

        candidate = next(self._numbers, None)
        if candidate is not None and ok(candidate):
            return candidate
        fallbacks: list[float] = []
        if isinstance(low, (int, float)) and not isinstance(low, bool):
            fallbacks.append(math.ceil(low) if integral else low)
        if isinstance(xlow, (int, float)) and not isinstance(xlow, bool):
            fallbacks.append(math.floor(xlow) + 1)
        fallbacks.append(0)
        if isinstance(high, (int, float)) and not isinstance(high, bool):
            fallbacks.append(math.floor(high) if integral else high)
        if isinstance(xhigh, (int, float)) and not isinstance(xhigh, bool):
            fallbacks.append(math.ceil(xhigh) - 1)
        for value in fallbacks:
            if ok(value):
                return int(value) if integral or float(value).is_integer() else value
        return int(fallbacks[0]) if integral else fallbacks[0]


def fill_schema(
    schema: dict[str, Any],
    text: str,
    numbers: Iterator[int] | None = None,
    strings: Iterator[str] | None = None,
) -> Any:
    """Fill ``schema``; pass shared iterators to spread values over several calls."""
    return SchemaFiller(schema, text, numbers, strings).fill()
