"""The class docstrings are the user guide: every Python example in them runs, in order, against
the emulator (one namespace per class), and the values the examples claim in trailing comments
(``len(query)  # 1536``) are checked. A guide that drifts from the code fails here."""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from typing import Any

import pytest
from langchain_core.messages import AIMessage

from langchain_minimax import ChatMiniMax, MiniMaxEmbeddings
from tests.support import API_KEY

_DIRECTIVE = re.compile(r"^(\s*)\.\. code-block:: python\s*$")
_FENCE = re.compile(r"^(\s*)```python\s*$")
_CLASS_CLAIM = re.compile(r"^([A-Z]\w*)\(")


def python_examples(doc: str) -> list[str]:
    """The ``.. code-block:: python`` and ```` ```python ```` blocks of a docstring, in order."""
    lines = doc.splitlines()
    blocks: list[str] = []
    i = 0
    while i < len(lines):
        directive, fence = _DIRECTIVE.match(lines[i]), _FENCE.match(lines[i])
        i += 1
        if directive:
            indent = len(directive.group(1))
            body: list[str] = []
            while i < len(lines) and (
                not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent
            ):
                body.append(lines[i])
                i += 1
            blocks.append(textwrap.dedent("\n".join(body)).strip() + "\n")
        elif fence:
            body = []
            while i < len(lines) and not lines[i].strip().startswith("```"):
                body.append(lines[i])
                i += 1
            i += 1
            blocks.append(textwrap.dedent("\n".join(body)).strip() + "\n")
    return blocks


def _matches(value: Any, expected: Any) -> bool:
    """``expected`` from a comment; ``...`` stands for anything."""
    if expected is Ellipsis:
        return True
    if isinstance(expected, list):
        return (
            isinstance(value, list)
            and len(value) == len(expected)
            and all(_matches(v, e) for v, e in zip(value, expected, strict=True))
        )
    if isinstance(expected, dict):
        return isinstance(value, dict) and all(
            k in value and _matches(value[k], e) for k, e in expected.items()
        )
    return bool(value == expected)


def _check_claim(source_line: str, value: Any) -> bool:
    """Check what a trailing ``# comment`` says the expression's value is; False if it says none."""
    if "#" not in source_line:
        return False
    claim = source_line.split("#", 1)[1].strip()
    match = _CLASS_CLAIM.match(claim)
    if match:
        assert type(value).__name__ == match.group(1), (source_line, value)
        return True
    try:
        expected = ast.literal_eval(claim)
    except (ValueError, SyntaxError):
        return False  # prose, not a value
    assert _matches(value, expected), (source_line, value)
    return True


def run_examples(blocks: list[str]) -> tuple[dict[str, Any], int]:
    """Run the blocks in one namespace, statement by statement; the namespace and claims checked."""
    namespace: dict[str, Any] = {"__name__": "docstring_examples"}
    checked = 0
    for block in blocks:
        tree = ast.parse(block)
        lines = block.splitlines()
        for statement in tree.body:
            if isinstance(statement, ast.Expr):
                value = eval(compile(ast.Expression(statement.value), "<doc>", "eval"), namespace)
                last = lines[(statement.end_lineno or statement.lineno) - 1]
                checked += _check_claim(last, value)
            else:
                module = ast.Module(body=[statement], type_ignores=[])
                exec(compile(module, "<doc>", "exec"), namespace)
    return namespace, checked


@pytest.fixture
def guide_env(emulator, monkeypatch):
    monkeypatch.setenv("MINIMAX_BASE_URL", emulator.base_url)
    monkeypatch.setenv("MINIMAX_API_KEY", API_KEY)
    for name in ("MINIMAX_REGION", "MINIMAX_GROUP_ID", "DASHSCOPE_API_KEY", "DASHSCOPE_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return emulator


def test_chat_model_guide_runs(guide_env, capsys):
    blocks = python_examples(inspect.getdoc(ChatMiniMax) or "")
    assert len(blocks) >= 9, "instantiate, invoke, stream, async, reasoning, tools, ..."

    namespace, checked = run_examples(blocks)

    assert checked >= 2  # content_blocks types, the structured result type
    printed = capsys.readouterr().out
    assert "Echo: What is the capital of France?" in printed
    assert "<think>" not in printed
    msg = namespace["msg"]
    assert isinstance(msg, AIMessage)
    assert msg.usage_metadata
    assert namespace["ai_msg"].tool_calls[0]["name"] == "get_weather"
    assert isinstance(namespace["follow_up"], AIMessage)
    paths = {r.path for r in guide_env.requests}
    assert paths == {"/v1/chat/completions"}  # the routes example only constructs


def test_embeddings_guide_runs(guide_env):
    blocks = python_examples(inspect.getdoc(MiniMaxEmbeddings) or "")
    assert len(blocks) >= 2

    namespace, checked = run_examples(blocks)

    assert checked >= 1
    assert len(namespace["vectors"]) == 2
    hits = namespace["store"].similarity_search("Where is Paris?", k=1)
    assert hits[0].page_content == "Paris is in France."


def test_the_extractor_finds_both_block_styles():
    doc = """Intro.

    Example:
        .. code-block:: python

            x = 1
            if x:
                y = 2

        Text again.

    ```python
    z = 3
    ```
    """
    assert python_examples(inspect.cleandoc(doc)) == ["x = 1\nif x:\n    y = 2\n", "z = 3\n"]
