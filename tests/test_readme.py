"""Every Python example in README.md runs, in order, against the emulator."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support import API_KEY

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def python_blocks() -> list[str]:
    return BLOCK.findall(README.read_text(encoding="utf-8"))


def test_the_readme_has_examples_for_both_frameworks() -> None:
    text = "\n".join(python_blocks())
    assert "ChatMiniMax" in text
    assert "llama_index_minimax" in text
    assert "EmulatorServer" in text


def test_readme_examples_run(emulator, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("MINIMAX_BASE_URL", emulator.base_url)
    monkeypatch.setenv("MINIMAX_API_KEY", API_KEY)
    monkeypatch.delenv("MINIMAX_REGION", raising=False)
    namespace: dict[str, object] = {"__name__": "readme"}
    for number, block in enumerate(python_blocks(), start=1):
        try:
            exec(compile(block, f"README.md python block {number}", "exec"), namespace)
        except Exception as exc:  # pragma: no cover - the failure message is the point
            pytest.fail(f"README python block {number} failed: {exc!r}\n---\n{block}")
    out = capsys.readouterr().out
    assert "<think>" not in out
    assert "1536" in out  # the embeddings example printed the dimension
