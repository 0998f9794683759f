"""``python -m benchmarks.features``: the README's feature table, probed against the emulator.

For every row of the "Why this package" table and every client, a concrete probe runs against an
in-process emulator (``minimax_emulator.testing.EmulatorServer``; this is about behaviour, not
speed) and records ✅ / ❌ / ⚠️ with a one-line evidence string: the leaked ``<think>`` prefix,
the exception raised, the request field the emulator received. Our two adapters are probed too,
as the control. Writes ``benchmarks/results/features.md`` (``--out`` elsewhere, ``--no-write`` to
only print).

Every client is built the way its documentation says, pointed at the emulator, with
``max_tokens=4096`` (the community class's default of 256 would be spent on reasoning) and the
model ``MiniMax-M2.7``. Where a client has a documented option that might make a row pass
(``reasoning_split`` in the request body, ``stream_usage=True``,
``with_structured_output(method="function_calling")``), the probe tries it after the default and
the evidence says which setting produced the result. A probe that raises is ❌ with the exception.
"""

from __future__ import annotations

from benchmarks.features.cli import RESULTS, main
from benchmarks.features.clients import CLIENTS, Cell, ClientSpec
from benchmarks.features.render import render
from benchmarks.features.table import ROWS, Row, run, run_probe

__all__ = [
    "CLIENTS",
    "RESULTS",
    "ROWS",
    "Cell",
    "ClientSpec",
    "Row",
    "main",
    "render",
    "run",
    "run_probe",
]
