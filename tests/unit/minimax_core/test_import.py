"""``import minimax_core`` pulls in no framework and no server library (issue #2), and stays cheap:
the HTTP stack and the wire models load on first use (issue #7, cold starts)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FORBIDDEN = ("langchain", "langchain_core", "llama_index", "starlette", "uvicorn", "openai")
ROOT = Path(__file__).resolve().parents[3]

IMPORT_ONLY = """
import json, sys
import minimax_core
from minimax_core import MiniMaxClient, ChatParams, UserMessage
MiniMaxClient(api_key="k")
print(json.dumps(sorted(sys.modules)))
"""

FULL_USE = """
import json, sys
from minimax_core import MiniMaxClient, ChatParams, UserMessage
client = MiniMaxClient(api_key="k", base_url="http://127.0.0.1:9", max_retries=0)
try:  # one real call (nothing listens on port 9: the connection is refused at once)
    client.chat([UserMessage("hi")], ChatParams(model="MiniMax-M2.7"))
except Exception:
    pass
print(json.dumps(sorted(sys.modules)))
"""


def modules_after(probe: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return list(json.loads(done.stdout))


def top_level(modules: list[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_importing_the_core_and_building_a_client_loads_no_framework_and_no_http_stack() -> None:
    modules = modules_after(IMPORT_ONLY)
    assert "minimax_core._client" in modules
    assert top_level(modules).isdisjoint(FORBIDDEN)
    assert top_level(modules).isdisjoint({"httpx", "aiohttp"})
    assert "minimax_core._wire" not in modules


def test_using_the_core_loads_the_http_stack_but_still_no_framework() -> None:
    modules = modules_after(FULL_USE)
    assert "httpx" in modules
    assert "minimax_core._wire" in modules
    assert top_level(modules).isdisjoint(FORBIDDEN)
