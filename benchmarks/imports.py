"""Cold import time: each import in a fresh interpreter, several runs, interleaved, median.

The child process times only the ``import`` statement (``time.perf_counter`` around it), not the
interpreter's start-up. Bytecode must be precompiled: the environment sets
``PYTHONDONTWRITEBYTECODE=1``, so without ``.pyc`` files every import would compile its sources
and the timings would mean nothing. ``uv sync --compile-bytecode`` compiles site-packages;
this project is installed editable, so :func:`compile_project` compiles its packages before the
runs (their sources are being edited while the benchmark is developed). One untimed run of every
import first warms the OS file cache.
"""

from __future__ import annotations

import compileall
import subprocess
import sys
from collections.abc import Sequence
from typing import Any

from benchmarks.servers import ROOT, bench_env
from benchmarks.stats import median, rotated

IMPORTS: dict[str, str] = {
    # ours
    "minimax_core": "import minimax_core",
    "langchain_minimax": "import langchain_minimax",
    "llama_index_minimax": "import llama_index_minimax",
    # peers
    "langchain_openai": "import langchain_openai",
    "langchain_community.chat_models.minimax": "import langchain_community.chat_models.minimax",
    "llama_index.llms.openai_like": "import llama_index.llms.openai_like",
    "llama_index.llms.minimax": "import llama_index.llms.minimax",
    # floors: what the frameworks (and the core's two dependencies) cost by themselves
    "langchain_core.language_models": "import langchain_core.language_models",
    "llama_index.core.llms": "import llama_index.core.llms",
    "httpx + pydantic": "import httpx, pydantic",
}

_CHILD = (
    "import time, warnings\n"
    "warnings.simplefilter('ignore')\n"
    "t = time.perf_counter()\n"
    "{statement}\n"
    "print(time.perf_counter() - t)\n"
)


def compile_project() -> None:
    for package in ("minimax_core", "langchain_minimax", "llama_index_minimax", "benchmarks"):
        compileall.compile_dir(str(ROOT / package), quiet=1)


def _time_import(statement: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD.format(statement=statement)],
        capture_output=True,
        text=True,
        env=bench_env(),
        cwd=ROOT,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def measure_imports(runs: int, names: Sequence[str] = tuple(IMPORTS)) -> dict[str, Any]:
    compile_project()
    for name in names:  # warm the page cache; not counted
        _time_import(IMPORTS[name])
    samples: dict[str, list[float]] = {name: [] for name in names}
    for run in range(runs):
        for name in rotated(list(names), run):
            samples[name].append(_time_import(IMPORTS[name]) * 1e3)
    return {
        name: {"median_ms": median(values), "min_ms": min(values), "runs_ms": values}
        for name, values in samples.items()
    }
