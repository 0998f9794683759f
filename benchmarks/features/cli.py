"""The command line: run the probes, print the table, write ``results/features.md``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import benchmarks.features
from benchmarks.features.render import render
from benchmarks.features.table import run

RESULTS = Path(__file__).resolve().parent.parent / "results"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.features", description=benchmarks.features.__doc__
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="directory for features.md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--only", default="", help="comma-separated row keys (prints only)")
    args = parser.parse_args(argv)
    only = [s.strip() for s in args.only.split(",") if s.strip()]

    def log(message: str) -> None:
        print(f"[features {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    date = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    results = run(only, log)
    if only:
        for key, cells in results.items():
            for client, cell in cells.items():
                print(f"{key:13} {client:12} {cell.status} {cell.evidence}")
        return 0
    markdown = render(results, date)
    print(markdown)
    if not args.no_write:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "features.md").write_text(markdown + "\n", encoding="utf-8")
        log(f"wrote {args.out / 'features.md'}")
    return 0
