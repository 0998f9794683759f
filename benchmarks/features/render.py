"""The Markdown output: the table, its caveats, and every cell's evidence."""

from __future__ import annotations

import sys

from benchmarks.features.clients import CLIENTS, MAX_TOKENS, Cell
from benchmarks.features.table import ROWS
from benchmarks.machine import PACKAGES, git_commit, package_versions

#: The packages whose behaviour the table describes (the HTTP stack is not).
FEATURE_PACKAGES = PACKAGES[: PACKAGES.index("llama-index-llms-minimax") + 1]

CAVEATS = (
    "The emulator's rule-based model calls an offered tool whenever the last message is the "
    "user's, whatever `tool_choice` says (MiniMax reportedly does not enforce it either). So the "
    "structured-output row shows whether a client offers the schema as a tool and parses the "
    "call, not how it copes when the model answers in text instead.",
    "With `reasoning_split` the emulator sends `reasoning_content` alongside `reasoning_details` "
    "(as documented for the OpenAI-compatible route); that string is what lets "
    "`llama-index-llms-minimax` build a `ThinkingBlock`. Whether the native route honours "
    "`reasoning_split` for M2.x is not documented; the emulator does, which is what makes the "
    "community class's answer clean in that setting.",
    "Replay is read from the second request the emulator received. The emulator accepts a "
    "history without reasoning, so a missing replay shows in the evidence, never as an error.",
    "The no-argument tool row checks what MiniMax's validation rejects (a tool without "
    "`parameters`); all five clients send an empty object schema.",
)


def render(results: dict[str, dict[str, Cell]], date: str) -> str:
    pkgs = ", ".join(f"{k} {v}" for k, v in package_versions(FEATURE_PACKAGES).items())
    lines = [
        "# Feature probes: the README table, checked against the emulator",
        "",
        f"Run {date} by `python -m benchmarks.features` at `{git_commit()}`; "
        f"Python {sys.version.split()[0]}; {pkgs}.",
        "",
        "Every cell is one probe against the offline emulator (`minimax_emulator`, in-process), "
        "model `MiniMax-M2.7` unless the row says otherwise, every client built as its "
        f"documentation says with `max_tokens={MAX_TOKENS}`. The emulator implements MiniMax's "
        "documented wire format and validation (temperature in (0, 1], one system message, tool "
        "results must follow their call: 2013); it is not the live service. ✅ works by default; "
        "⚠️ partly, or only with the option named; ❌ fails (the evidence says how). "
        "Methodology: the docstring of `benchmarks/features/__init__.py`.",
        "",
    ]
    header = ["", *[c.label for c in CLIENTS]]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for row in ROWS:
        cells = [results[row.key][c.key].status for c in CLIENTS]
        lines.append(f"| {row.title} | " + " | ".join(cells) + " |")
    lines += ["", "Limits of what this shows:", ""]
    lines += [f"- {c}" for c in CAVEATS]
    lines += ["", "## Evidence", ""]
    for row in ROWS:
        lines += [f"### {row.title}", ""]
        for c in CLIENTS:
            cell = results[row.key][c.key]
            lines.append(f"- **{c.label}** {cell.status} {cell.evidence.replace('|', '∣')}")
        lines.append("")
    return "\n".join(lines)
