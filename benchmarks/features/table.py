"""The table's rows, in order, each with its probe, and the loop that runs every probe for every
client."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benchmarks.features.clients import CLIENTS, NO, OK, Cell, ClientSpec
from benchmarks.features.probes_calls import (
    probe_errors,
    probe_retries,
    probe_systems,
    probe_temperature,
    probe_usage,
)
from benchmarks.features.probes_client import probe_m3, probe_secrets
from benchmarks.features.probes_reasoning import probe_reasoning, probe_replay, probe_think_free
from benchmarks.features.probes_tools import (
    probe_no_arg_tool,
    probe_stream_tools,
    probe_structured,
    probe_tool_history,
)
from benchmarks.features.support import exc_text


@dataclass(frozen=True)
class Row:
    key: str
    title: str
    probe: Callable[[ClientSpec], Cell] | None


ROWS: list[Row] = [
    Row("think_free", "Answer free of `<think>` (invoke and stream)", probe_think_free),
    Row("reasoning", "Reasoning exposed (invoke and stream)", probe_reasoning),
    Row("replay", "Reasoning replayed in a multi-turn tool loop", probe_replay),
    Row("stream_tools", "Streamed tool calls arrive", probe_stream_tools),
    Row("tool_history", "Tool history from `.tool_calls` / `ToolCallBlock`", probe_tool_history),
    Row("structured", "Structured output (Pydantic) on MiniMax-M2.7", probe_structured),
    Row("temperature", "`temperature=0` accepted", probe_temperature),
    Row("systems", "Two system messages accepted", probe_systems),
    Row("no_arg_tool", "A no-argument tool accepted", probe_no_arg_tool),
    Row("usage", "Usage: reasoning tokens (invoke, stream) and cached tokens", probe_usage),
    Row("errors", "Typed errors (native `base_resp` 1008; OpenAI route 1004)", probe_errors),
    Row("retries", "Retries: 429 retried, 1008-as-429 not", probe_retries),
    Row("m3", "MiniMax-M3: function calling, 1,000,000-token context", probe_m3),
    Row("secrets", "API key absent from repr / serialisation", probe_secrets),
    Row("emulator", "Offline emulator shipped for your tests", None),
]


def run_probe(row: Row, spec: ClientSpec) -> Cell:
    if row.probe is None:
        if spec.key.startswith("ours"):
            return Cell(OK, "`minimax_emulator` ships with this package (not probed)")
        return Cell(NO, "none shipped (not probed)")
    try:
        return row.probe(spec)
    except Exception as exc:  # a probe that raises is ❌ with the exception
        return Cell(NO, exc_text(exc))


def run(only: list[str] | None = None, log: Callable[[str], None] | None = None) -> dict[str, Any]:
    for name in list(os.environ):
        if name.startswith(("MINIMAX_", "DASHSCOPE_", "OPENAI_")):
            del os.environ[name]
    os.environ["LANGSMITH_TRACING"] = "false"
    os.environ["LANGCHAIN_TRACING_V2"] = "false"
    warnings.filterwarnings("ignore")
    results: dict[str, dict[str, Cell]] = {}
    for row in ROWS:
        if only and row.key not in only:
            continue
        results[row.key] = {}
        for spec in CLIENTS:
            if log:
                log(f"{row.key} / {spec.key}")
            results[row.key][spec.key] = run_probe(row, spec)
    return results
