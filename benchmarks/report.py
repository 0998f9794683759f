"""Targets, ratios and the Markdown report (printed, and written to ``results/latest.md``).

The per-section tables are in ``report_sections.py``."""

from __future__ import annotations

from typing import Any

from benchmarks.clients import OPENAI_ROUTE_OF, SPECS
from benchmarks.report_sections import (
    IDEAL_S,
    PEER_OF,
    _burst_section,
    _calibration_section,
    _fmt,
    _get,
    _import_section,
    _latency_section,
    _memory_section,
    _ratio,
    _streaming_section,
    _table,
)

__all__ = ["IDEAL_S", "PEER_OF", "render", "targets"]


# -- targets --------------------------------------------------------------------------------

Target = dict[str, Any]


def _target(name: str, value: str, ok: bool | None, threshold: str, bound: str) -> Target:
    return {
        "target": name,
        "measured": value,
        "ok": ok,
        "threshold": threshold,
        "best_possible": bound,
    }


def targets(results: dict[str, Any]) -> list[Target]:
    """Every target of issues #7 and #15 with its measured value, verdict and the best value the
    framework's own floor allows (so an impossible target shows as such)."""
    return [
        *_latency_targets(results),
        *_streaming_targets(results),
        *_route_targets(results),
        *_burst_targets(results),
        *_import_targets(results),
        *_memory_targets(results),
    ]


def _latency_targets(results: dict[str, Any]) -> list[Target]:
    lat = _get(results, "sections", "latency", "clients") or {}
    med = {k: v["median_ms"] for k, v in lat.items()}
    out = []
    for ours, peer, floor, label in (
        (
            "chat_minimax",
            "chat_openai",
            "lc_floor",
            "Non-streamed latency: ChatMiniMax / ChatOpenAI",
        ),
        (
            "li_minimax",
            "openai_like",
            "li_floor",
            "Non-streamed latency: MiniMax (LlamaIndex) / OpenAILike",
        ),
    ):
        r = _ratio(med.get(ours), med.get(peer))
        bound = _ratio(
            None if floor not in med or "raw_httpx" not in med else med[floor] + med["raw_httpx"],
            med.get(peer),
        )
        if r is not None:
            out.append(
                _target(
                    label,
                    f"{r:.2f}×",
                    r <= 0.70,
                    "≤ 0.70×",
                    f"{_fmt(bound)}× (framework floor + raw httpx)",
                )
            )
    return out


def _streaming_targets(results: dict[str, Any]) -> list[Target]:
    st = _get(results, "sections", "streaming", "clients") or {}
    rate = {k: v["median_chunks_per_s"] for k, v in st.items()}
    out = []
    for ours, peer, floor, label in (
        ("chat_minimax", "chat_openai", "lc_floor", "Streaming chunks/s: ChatMiniMax / ChatOpenAI"),
        (
            "li_minimax",
            "openai_like",
            "li_floor",
            "Streaming chunks/s: MiniMax (LlamaIndex) / OpenAILike",
        ),
    ):
        r = _ratio(rate.get(ours), rate.get(peer))
        combined = (
            1 / (1 / rate[floor] + 1 / rate["raw_httpx"])
            if floor in rate and "raw_httpx" in rate
            else None
        )
        if r is not None:
            out.append(
                _target(
                    label,
                    f"{r:.2f}×",
                    r >= 2.0,
                    "≥ 2×",
                    f"{_fmt(_ratio(combined, rate.get(peer)))}× "
                    "(framework floor + raw httpx per chunk)",
                )
            )
    return out


def _route_targets(results: dict[str, Any]) -> list[Target]:
    """Issue #15: our streaming on the Anthropic route within 10 % of our OpenAI route's."""
    st = _get(results, "sections", "streaming", "clients") or {}
    rate = {k: v["median_chunks_per_s"] for k, v in st.items()}
    out = []
    for anthropic, label in (
        ("chat_minimax_anthropic", "ChatMiniMax(api='anthropic') / ChatMiniMax(api='openai')"),
        ("li_minimax_anthropic", "MiniMax(api='anthropic') / MiniMax(api='openai') (LlamaIndex)"),
    ):
        openai = OPENAI_ROUTE_OF[anthropic]
        r = _ratio(rate.get(anthropic), rate.get(openai))
        if r is not None:
            out.append(
                _target(
                    f"Streaming chunks/s: {label}",
                    f"{r:.2f}× ({rate[anthropic]:,.0f} vs {rate[openai]:,.0f} chunks/s)",
                    r >= 0.90,
                    "≥ 0.90×",
                    "– (two routes of the same client, same run)",
                )
            )
    return out


def _burst_targets(results: dict[str, Any]) -> list[Target]:
    burst = _get(results, "sections", "burst", "clients") or {}
    capacity = _get(burst, "raw_asyncio", "warm_s")
    out = []
    for ours, floor, label in (
        ("chat_minimax", "lc_floor", "ChatMiniMax.ainvoke"),
        ("li_minimax", "li_floor", "MiniMax.achat (LlamaIndex)"),
    ):
        b = burst.get(ours)
        if b:
            ok = (
                b["errors"] == 0
                and b["wrong_answers"] == 0
                and b["cold_s"] <= 2.0
                and b["warm_s"] <= 0.8
            )
            out.append(
                _target(
                    f"500 concurrent calls × 50 ms: {label}",
                    f"cold {b['cold_s']:.2f} s ({b['cold_s'] / IDEAL_S:.0f}×), "
                    f"warm {b['warm_s']:.2f} s ({b['warm_s'] / IDEAL_S:.0f}×), "
                    f"{b['errors']} errors",
                    ok,
                    "0 errors, cold ≤ 2 s (40×), warm ≤ 0.8 s (16×)",
                    f"warm {_fmt(capacity)} s (server capacity, raw asyncio); "
                    f"{_fmt(_get(burst, floor, 'warm_s'))} s (framework floor, no I/O)",
                )
            )
    return out


def _import_targets(results: dict[str, Any]) -> list[Target]:
    imp = _get(results, "sections", "imports") or {}
    ims = {k: v["median_ms"] for k, v in imp.items()}
    out = []
    for ours, peer, floor, limit, label in (
        (
            "langchain_minimax",
            "langchain_openai",
            "langchain_core.language_models",
            0.8,
            "import langchain_minimax / import langchain_openai",
        ),
        (
            "llama_index_minimax",
            "llama_index.llms.openai_like",
            "llama_index.core.llms",
            0.9,
            "import llama_index_minimax / import llama_index.llms.openai_like",
        ),
    ):
        r = _ratio(ims.get(ours), ims.get(peer))
        if r is not None:
            out.append(
                _target(
                    label,
                    f"{r:.2f}× ({ims[ours]:.0f} ms vs {ims[peer]:.0f} ms)",
                    r <= limit,
                    f"≤ {limit}×",
                    f"{_fmt(_ratio(ims.get(floor), ims.get(peer)))}× (framework floor)",
                )
            )
    if "minimax_core" in ims:
        out.append(
            _target(
                "import minimax_core",
                f"{ims['minimax_core']:.0f} ms",
                ims["minimax_core"] < 150,
                "< 150 ms",
                f"{_fmt(ims.get('httpx + pydantic'), '.0f')} ms (httpx + pydantic)",
            )
        )
    return out


def _memory_targets(results: dict[str, Any]) -> list[Target]:
    mem = _get(results, "sections", "memory", "clients") or {}
    out = []
    for ours, floor, peer, label in (
        ("chat_minimax", "lc_floor", "chat_openai", "ChatMiniMax.stream"),
        ("li_minimax", "li_floor", "openai_like", "MiniMax.stream_chat (LlamaIndex)"),
    ):
        if ours not in mem or floor not in mem:
            continue
        floor_peak = mem[floor]["tracemalloc_peak_bytes"]
        beyond = (mem[ours]["tracemalloc_peak_bytes"] - floor_peak) / 1e6
        peer_beyond = (
            (mem[peer]["tracemalloc_peak_bytes"] - floor_peak) / 1e6 if peer in mem else None
        )
        out.append(
            _target(
                f"Memory, {mem[ours]['chunks']:,} chunks: {label} beyond the framework floor",
                f"{beyond:+.1f} MB (peer {SPECS[peer].label}: {_fmt(peer_beyond, '+.1f')} MB)",
                None,
                "report (no numeric target)",
                f"{floor_peak / 1e6:.1f} MB is the floor itself",
            )
        )
    return out


# -- Markdown -------------------------------------------------------------------------------


def _verdict(ok: bool | None) -> str:
    return "ℹ️" if ok is None else ("✅" if ok else "❌")


def render(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        "# Benchmark results" + (" (quick smoke run: NOT comparable)" if results["quick"] else ""),
        "",
        f"Measured {results['date']} by `make bench` (`python -m benchmarks`) on: {m['cpu']}, "
        f"{m['cores']} cores, {m['memory']} RAM, {m['os']}, {m['python']}. Project at "
        f"`{m['git_commit']}`{_dirty(m)}. "
        "Methodology: [benchmarks/README.md](../README.md). Every section ran in one invocation, "
        "clients interleaved round by round against the same local server (a separate process).",
        "",
        "## Targets (issues #7 and #15)",
        "",
    ]
    rows = [
        [t["target"], t["measured"], t["threshold"], _verdict(t["ok"]), t["best_possible"]]
        for t in results["targets"]
    ]
    lines += _table(["goal", "measured", "target", "", "best possible (floor)"], rows, "llllr")
    lines += [""]

    lines += _latency_section(results) + _streaming_section(results) + _burst_section(results)
    lines += _import_section(results) + _memory_section(results) + _calibration_section(results)

    lines += ["## Environment", ""]
    lines.append(", ".join(f"{k} {v}" for k, v in m["packages"].items()) + ".")
    lines.append("")
    cpu = results.get("foreign_cpu_s", {})
    secs = results.get("section_seconds", {})
    if cpu or secs:
        lines.append(
            "Wall time per section, and CPU-seconds used meanwhile by *other* processes on this "
            "shared machine (a busy neighbour slows everything; the interleaving spreads it "
            "evenly): "
            + "; ".join(
                f"{name} {secs.get(name, 0):.0f} s / {_fmt(cpu.get(name), '.1f')} CPU-s"
                for name in secs
            )
            + "."
        )
        lines.append("")
    return "\n".join(lines)


def _dirty(m: dict[str, Any]) -> str:
    dirty = m.get("git_dirty")
    if not dirty:
        return ""
    if isinstance(dirty, list):
        return " with uncommitted changes in " + ", ".join(f"`{p}`" for p in dirty)
    return " (with uncommitted changes)"
