"""POST /v1/embeddings: shape, unit length, determinism, retrieval sanity."""

from __future__ import annotations

import math
from typing import Any

import pytest

from minimax_emulator.embeddings import embed

from .conftest import call_asgi

PATH = "/v1/embeddings"
DOCS = [
    "The Eiffel Tower is in Paris, the capital of France.",
    "Cats are small domesticated carnivorous mammals that purr.",
    "Python is a programming language with dynamic typing.",
    "The Great Wall of China is visible across northern China.",
]


def vectors(app: Any, texts: list[str], kind: str = "db") -> list[list[float]]:
    got = call_asgi(app, PATH, {"model": "embo-01", "texts": texts, "type": kind})
    assert got.status == 200
    body = got.json()
    assert body["base_resp"] == {"status_code": 0, "status_msg": "success"}
    assert body["total_tokens"] > 0
    result: list[list[float]] = body["vectors"]
    return result


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_shape_and_unit_length(app: Any) -> None:
    result = vectors(app, ["foo", "bar", "baz", "", "漢字 é"])
    assert len(result) == 5
    for vector in result:
        assert len(vector) == 1536
        assert math.isclose(math.sqrt(sum(v * v for v in vector)), 1.0, rel_tol=1e-9)


def test_deterministic_and_type_independent(app: Any) -> None:
    assert vectors(app, ["hello world"], "db") == vectors(app, ["hello world"], "query")
    assert vectors(app, ["hello world"]) == [embed("hello world")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Where is the Eiffel Tower?", 0),
        ("Do cats purr?", 1),
        ("Which programming language has dynamic typing?", 2),
        ("Tell me about the wall in China", 3),
    ],
)
def test_retrieval_ranks_the_relevant_document_first(app: Any, query: str, expected: int) -> None:
    docs = vectors(app, DOCS, "db")
    (question,) = vectors(app, [query], "query")
    scores = [cosine(question, doc) for doc in docs]
    assert max(range(len(DOCS)), key=scores.__getitem__) == expected


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"model": "embo-01", "input": ["x"]},
         "invalid params, binding: expr_path=texts, cause=missing required parameter"),
        ({"texts": ["x"], "type": "db"},
         "invalid params, binding: expr_path=model, cause=missing required parameter"),
        ({"model": "embo-01", "texts": ["x"]},
         "invalid params, binding: expr_path=type, cause=missing required parameter"),
        ({"model": "embo-01", "texts": ["x"], "type": "search"},
         "invalid params, type should be db or query, got search"),
        ({"model": "text-embedding-3-small", "texts": ["x"], "type": "db"},
         "invalid params, unknown model 'text-embedding-3-small'"),
    ],
)  # fmt: skip
def test_errors_are_http_200_base_resp(app: Any, body: dict[str, Any], message: str) -> None:
    got = call_asgi(app, PATH, body)
    assert got.status == 200
    assert got.json() == {
        "vectors": None,
        "base_resp": {"status_code": 2013, "status_msg": message},
    }


def test_missing_key_is_http_200_1004(app: Any) -> None:
    got = call_asgi(app, PATH, {"model": "embo-01", "texts": ["x"], "type": "db"}, auth=False)
    assert got.status == 200
    assert got.json()["base_resp"]["status_code"] == 1004
