"""``python -m benchmarks``: every client side by side, in one run (see benchmarks/README.md).

Sections, in order: servers (calibration), latency, streaming, burst, imports, memory. Prints the
report and, for a full run, writes ``benchmarks/results/latest.md`` and ``latest.json``.
``--only features`` (opt-in, never part of the default run) also runs the README feature-table
probes, ``benchmarks/features/``, in a subprocess; ``python -m benchmarks.features`` runs them
alone and writes ``benchmarks/results/features.md``.
Numbers are printed and recorded, never asserted; only *correctness* is checked (every client's
answer must be right and every stream complete), because a fast wrong client proves nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks import calibration, imports, latency, machine, report
from benchmarks.clients import ASYNC_KEYS, SPECS
from benchmarks.servers import ROOT, ForeignCpu, bench_env, emulator, replayed_emulator
from benchmarks.stats import median, rotated

SECTIONS = ("calibration", "latency", "streaming", "burst", "imports", "memory")
#: Opt-in sections: behaviour probes, not measurements; run only when named in ``--only``.
EXTRA_SECTIONS = ("features",)
RESULTS = Path(__file__).resolve().parent / "results"

FULL: dict[str, Any] = {
    "latency_rounds": 25,
    "latency_block": 16,  # 400 calls per client
    "latency_warmup": 30,
    "stream_reasoning": 200,
    "stream_content": 2000,
    "stream_rounds": 12,
    "stream_warmup": 2,
    "burst_concurrency": 500,
    "burst_rounds": 2,
    "burst_keys": ["raw_asyncio", *ASYNC_KEYS],
    "import_runs": 5,
    "memory_chunks": 20_000,
    "memory_reasoning": 2_000,
    "calibration_rounds": 4,
    "calibration_calls": 100,
}
QUICK: dict[str, Any] = {
    **FULL,
    "latency_rounds": 4,
    "latency_block": 10,
    "latency_warmup": 5,
    "stream_rounds": 3,
    "stream_warmup": 1,
    "burst_rounds": 1,
    "burst_keys": [
        "raw_asyncio",
        "lc_floor",
        "li_floor",
        "chat_openai",
        "openai_like",
        "chat_minimax",
        "li_minimax",
        "chat_anthropic",
        "chat_minimax_anthropic",
        "li_minimax_anthropic",
    ],
    "import_runs": 2,
    "memory_chunks": 2_000,
    "memory_reasoning": 200,
    "calibration_rounds": 2,
    "calibration_calls": 50,
}

MEMORY_KEYS = [
    "lc_floor",
    "chat_minimax",
    "chat_openai",
    "li_floor",
    "li_minimax",
    "openai_like",
    "raw_httpx",
]


def _log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _server(kind: str, fault: str | None) -> Any:
    return replayed_emulator(fault) if kind == "replay" else emulator(fault)


def _worker(module: str, *args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        env=bench_env(),
        cwd=ROOT,
        timeout=600,
    )
    if out.returncode:
        raise RuntimeError(f"{module} {args[0]} failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def run_burst(cfg: dict[str, Any]) -> dict[str, Any]:
    keys: list[str] = cfg["burst_keys"]
    runs: dict[str, list[list[dict[str, Any]]]] = {key: [] for key in keys}
    with emulator("latency_ms=50") as url:
        for round_no in range(cfg["burst_rounds"]):
            for key in rotated(keys, round_no):
                _log(f"burst {key} (round {round_no + 1})")
                runs[key].append(
                    _worker("benchmarks.burst", key, url, str(cfg["burst_concurrency"]), "2")[
                        "bursts"
                    ]
                )
    out: dict[str, Any] = {}
    for key, rounds in runs.items():
        errors: Counter[str] = Counter()
        for bursts in rounds:
            for b in bursts:
                errors.update(b["error_types"])
        out[key] = {
            "cold_s": median([bursts[0]["seconds"] for bursts in rounds]),
            "warm_s": median([bursts[1]["seconds"] for bursts in rounds]),
            "errors": sum(errors.values()),
            "error_types": dict(errors),
            "wrong_answers": sum(b["wrong_answers"] for bursts in rounds for b in bursts),
            "runs": rounds,
        }
    return {"clients": out}


def run_memory(cfg: dict[str, Any], server: str) -> dict[str, Any]:
    n, reasoning = cfg["memory_chunks"], cfg["memory_reasoning"]
    out: dict[str, Any] = {}
    with (
        _server(server, f"chunks={n - reasoning}; reasoning_chunks={reasoning}") as url,
        _server(server, "chunks=18; reasoning_chunks=2") as warm_url,
    ):
        for key in MEMORY_KEYS:
            _log(f"memory {key}")
            result = _worker("benchmarks.memory", key, url, str(n), warm_url)
            if not n <= result["chunks"] <= n + 3:
                raise AssertionError(f"memory {key}: {result['chunks']} items, expected {n}")
            out[key] = result
    return {"clients": out}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: few iterations, results printed only (not comparable)",
    )
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections (default all: {','.join(SECTIONS)}; "
        f"opt-in: {','.join(EXTRA_SECTIONS)})",
    )
    parser.add_argument(
        "--server",
        choices=["replay", "emulator"],
        default="replay",
        help="latency/streaming/memory server: the replay server in front of the "
        "emulator (default) or the emulator directly",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="directory for latest.md/latest.json (default: benchmarks/results "
        "for a full run of all sections, nowhere for --quick or --only)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    cfg = QUICK if args.quick else FULL
    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(sections) - set(SECTIONS) - set(EXTRA_SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    extras = [s for s in EXTRA_SECTIONS if s in sections]
    sections = [s for s in sections if s not in EXTRA_SECTIONS]
    out_dir = args.out
    if (
        out_dir is None
        and not args.quick
        and set(sections) == set(SECTIONS)
        and args.server == "replay"
    ):
        out_dir = RESULTS
    if extras and not sections:
        return _run_features(out_dir)

    results = _new_results(args.quick, cfg, args.server)
    imports.compile_project()  # our packages are editable installs: precompile (see imports.py)
    for section in [s for s in SECTIONS if s in sections]:
        _log(f"section {section}")
        cpu, start = ForeignCpu(), time.perf_counter()
        results["sections"][section] = _run_section(section, cfg, args.server)
        results["section_seconds"][section] = round(time.perf_counter() - start, 1)
        results["foreign_cpu_s"][section] = cpu.lap()

    results["targets"] = report.targets(results)
    markdown = report.render(results)
    print(markdown)
    if out_dir is not None:
        _write(out_dir, markdown, results)
    return _run_features(out_dir) if extras else 0


def _new_results(quick: bool, cfg: dict[str, Any], server: str) -> dict[str, Any]:
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "quick": quick,
        "machine": machine.describe(),
        "config": dict(cfg),
        "server_description": (
            "the replay server (the emulator's recorded bytes, benchmarks/replay_server.py)"
            if server == "replay"
            else "the emulator directly"
        ),
        "sections": {},
        "foreign_cpu_s": {},
        "section_seconds": {},
    }


def _run_section(section: str, cfg: dict[str, Any], server: str) -> Any:
    """One measured section's data (see the module docstring for the order)."""
    keys = list(SPECS)
    shaping = f"chunks={cfg['stream_content']}; reasoning_chunks={cfg['stream_reasoning']}"
    if section == "calibration":
        return calibration.measure_servers(
            cfg["calibration_rounds"], cfg["calibration_calls"], shaping
        )
    if section == "latency":
        with _server(server, None) as url:
            return latency.measure_latency(
                url, keys, cfg["latency_rounds"], cfg["latency_block"], cfg["latency_warmup"]
            )
    if section == "streaming":
        with _server(server, shaping) as url:
            return latency.measure_streaming(
                url,
                keys,
                cfg["stream_rounds"],
                cfg["stream_warmup"],
                cfg["stream_reasoning"],
                cfg["stream_content"],
            )
    if section == "burst":
        return run_burst(cfg)
    if section == "imports":
        return imports.measure_imports(cfg["import_runs"])
    return run_memory(cfg, server)


def _write(out_dir: Path, markdown: str, results: dict[str, Any]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "latest.md").write_text(markdown + "\n", encoding="utf-8")
    (out_dir / "latest.json").write_text(
        json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    _log(f"wrote {out_dir / 'latest.md'} and {out_dir / 'latest.json'}")


def _run_features(out_dir: Path | None) -> int:
    """The feature probes in their own process (their emulator threads stay out of this one)."""
    _log("section features")
    where = ["--out", str(out_dir)] if out_dir is not None else ["--no-write"]
    command = [sys.executable, "-m", "benchmarks.features", *where]
    return subprocess.run(command, env=bench_env(), cwd=ROOT, timeout=900, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
