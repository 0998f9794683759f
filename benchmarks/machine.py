"""What the numbers were measured on: CPU, cores, OS, Python, package versions, git state."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks.servers import ROOT

PACKAGES = (
    "minimax-integrations",
    "langchain-core",
    "langchain-openai",
    "langchain-community",
    "langchain-anthropic",
    "openai",
    "anthropic",
    "llama-index-core",
    "llama-index-llms-openai",
    "llama-index-llms-openai-like",
    "llama-index-llms-minimax",
    "llama-index-llms-anthropic",  # not installable with the lock (see benchmarks/README.md)
    "httpx",
    "httpcore",
    "httpcore2",
    "httpx-sse",
    "aiohttp",
    "pydantic",
    "pydantic-core",
    "orjson",
    "uvicorn",
    "uvloop",
    "httptools",
)


OURS = (
    "minimax_core",
    "langchain_minimax",
    "llama_index_minimax",
    "minimax_emulator",
    "benchmarks",
)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_commit() -> str:
    return _git("rev-parse", "--short", "HEAD")


def describe() -> dict[str, Any]:
    versions = package_versions()
    status = _git("status", "--porcelain", "--", *OURS, ":(exclude)benchmarks/results")
    dirty = sorted({line.split()[-1].split("/")[0] for line in status.splitlines() if line.strip()})
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory": _memory(),
        "os": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_implementation()} {sys.version.split()[0]}",
        "packages": versions,
        "git_commit": git_commit(),
        "git_dirty": dirty,  # our directories with uncommitted changes, measured as they were
        "load_average_at_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }
