"""``POST /v1/embeddings``: deterministic feature-hashed bag-of-words vectors (1536-d, unit length).

Tokens are lower-cased ``\\w+`` words (a trailing plural "s" dropped from words longer than three
letters); each token adds a signed weight to one of 1536 buckets chosen by CRC-32; common function
words weigh 0.2. ``type`` ("db"/"query") does not change the vector, so a query and a document
sharing words have a high cosine and retrieval works.
"""

from __future__ import annotations

import math
import re
import zlib
from functools import lru_cache
from typing import Any

from . import jsonfast
from .catalog import EMBEDDING_DIM, EMBEDDING_MODELS
from .errors import ApiError, invalid
from .tokens import count_tokens

_WORD = re.compile(r"\w+")
# fmt: off
_STOP_WORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "by", "did", "do", "does", "for", "from", "has",
    "have", "how", "i", "in", "is", "it", "its", "me", "my", "of", "on", "or", "that", "the",
    "this", "to", "was", "were", "what", "when", "where", "which", "who", "why", "will",
    "with", "you", "your",
))
# fmt: on


@lru_cache(maxsize=65_536)
def _bucket(token: str) -> tuple[int, float]:
    digest = zlib.crc32(token.encode("utf-8"))
    sign = 1.0 if digest & 0x8000_0000 else -1.0
    weight = 0.2 if token in _STOP_WORDS else 1.0
    return digest % EMBEDDING_DIM, sign * weight


def embed(text: str) -> list[float]:
    weights: dict[int, float] = {}
    for word in _WORD.findall(text.lower()):
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        index, value = _bucket(word)
        weights[index] = weights.get(index, 0.0) + value
    norm = math.sqrt(sum(v * v for v in weights.values()))
    vector = [0.0] * EMBEDDING_DIM
    if norm == 0.0:
        vector[0] = 1.0
        return vector
    for index, value in weights.items():
        vector[index] = value / norm
    return vector


def validate(body: Any) -> tuple[list[str], str]:
    if not isinstance(body, dict):
        raise invalid("Mismatch type embeddings.Request with value array")
    model = body.get("model")
    if not model:
        raise invalid("binding: expr_path=model, cause=missing required parameter")
    if model not in EMBEDDING_MODELS:
        raise invalid(f"unknown model '{model}'")
    texts = body.get("texts")
    if texts is None:
        raise invalid("binding: expr_path=texts, cause=missing required parameter")
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise invalid("Mismatch type []string with value " + type(texts).__name__)
    kind = body.get("type")
    if kind is None:
        raise invalid("binding: expr_path=type, cause=missing required parameter")
    if kind not in {"db", "query"}:
        raise invalid(f"type should be db or query, got {kind}")
    return texts, kind


def response_body(texts: list[str]) -> bytes:
    vectors = [embed(text) for text in texts]
    payload = {
        "vectors": vectors,
        "total_tokens": sum(count_tokens(text) for text in texts),
        "base_resp": {"status_code": 0, "status_msg": "success"},
    }
    return jsonfast.dumps(payload)


def handle(body: Any) -> bytes:
    """A successful body, or raises :class:`ApiError`."""
    texts, _ = validate(body)
    return response_body(texts)


__all__ = ["ApiError", "embed", "handle", "validate"]
