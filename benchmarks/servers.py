"""Server processes for the benchmark, and a watch on the CPU other processes use meanwhile.

Every server runs in its own process: on this 2-core machine a server thread inside the measured
client would share the client's GIL and distort every number.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def bench_env() -> dict[str, str]:
    """The environment for servers and workers: no tracing, no stray MiniMax/OpenAI settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MINIMAX_", "DASHSCOPE_", "OPENAI_", "LANGCHAIN_", "LANGSMITH_"))
    }
    env["LANGSMITH_TRACING"] = "false"
    env["LANGCHAIN_TRACING_V2"] = "false"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


@contextmanager
def _process(command: list[str], health: str) -> Iterator[str]:
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, env=bench_env(), cwd=ROOT
    ) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            match = re.search(r"http://[\d.]+:\d+", line)
            if not match:
                raise RuntimeError(f"{command[2:4]} did not start: {line!r}")
            url = match.group(0)
            _wait_ready(url + health)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover - stuck server
                proc.kill()
                proc.wait(timeout=10)


def _wait_ready(url: str) -> None:
    deadline = time.monotonic() + 20
    while True:
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@contextmanager
def emulator(fault: str | None = None) -> Iterator[str]:
    """``python -m minimax_emulator`` on a free port (its own process); yields its base URL."""
    command = [sys.executable, "-m", "minimax_emulator", "--port", "0"]
    if fault:
        command += ["--fault", fault]
    with _process(command, "/_emulator/health") as url:
        yield url


@contextmanager
def replayed_emulator(fault: str | None = None) -> Iterator[str]:
    """The emulator behind :mod:`benchmarks.replay_server` (each in its own process); yields the
    replay server's base URL. See replay_server.py for why."""
    with (
        emulator(fault) as upstream,
        _process(
            [sys.executable, "-m", "benchmarks.replay_server", "--upstream", upstream],
            "/_replay/stats",
        ) as url,
    ):
        yield url


def replay_stats(url: str) -> dict[str, int]:
    stats: dict[str, int] = httpx.get(url + "/_replay/stats", timeout=5).json()
    return stats


def _live_children_ticks() -> int:
    """user + system clock ticks of this process's live children (servers, workers)."""
    me, ticks = str(os.getpid()), 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if stat[1] == me:
                ticks += int(stat[11]) + int(stat[12])
    return ticks


def children_cpu_seconds() -> float | None:
    """CPU seconds used so far by this process's live children (Linux /proc only, else None)."""
    try:
        return _live_children_ticks() / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


class ForeignCpu:
    """CPU seconds used by processes other than this one and its children (Linux /proc only).

    The machine may be shared: a busy neighbour halves the numbers, so every section records how
    much CPU others used while it was measured.
    """

    def __init__(self) -> None:
        self._start = self._sample()

    @staticmethod
    def _sample() -> tuple[int, int] | None:
        try:
            values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
            busy = sum(values) - values[3] - values[4]  # minus idle and iowait
            fields = Path(f"/proc/{os.getpid()}/stat").read_text().rsplit(")", 1)[1].split()
            # our own time, plus children already reaped (cutime, cstime)
            mine = int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
            mine += _live_children_ticks()
        except (OSError, IndexError, ValueError):
            return None
        return busy, mine

    def lap(self) -> float | None:
        """CPU-seconds used by other processes since the last lap (None where unknown)."""
        end = self._sample()
        start, self._start = self._start, end
        if start is None or end is None:
            return None
        foreign = ((end[0] - start[0]) - (end[1] - start[1])) / os.sysconf("SC_CLK_TCK")
        return round(max(foreign, 0.0), 2)
