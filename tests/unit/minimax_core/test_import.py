"""``import minimax_core`` pulls in no framework and no server library (issue #2)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FORBIDDEN = ("langchain", "langchain_core", "llama_index", "starlette", "uvicorn", "openai")
ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import json, sys
import minimax_core
from minimax_core import MiniMaxClient, ChatParams, UserMessage
print(json.dumps(sorted(sys.modules)))
"""


def test_import_minimax_core_imports_no_framework() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    modules = json.loads(done.stdout)
    assert "minimax_core" in modules
    assert "httpx" in modules
    loaded = [m for m in modules if m.split(".")[0] in FORBIDDEN]
    assert loaded == []
