"""The report's per-section Markdown: one renderer per measured section (latency, streaming,
burst, imports, memory, the servers themselves), and the lookup and formatting helpers they share
with ``report.py``."""

from __future__ import annotations

from typing import Any

from benchmarks.clients import ASYNC_LABELS, PEER_OF, SPECS, peer_of

__all__ = ["IDEAL_S", "PEER_OF"]

IDEAL_S = 0.050  # the server's latency in the burst section
PEER_HEADER = (
    "× peer (ChatOpenAI / OpenAILike; ours with api='anthropic': ChatAnthropic / Anthropic)"
)


def _get(results: dict[str, Any], *path: str) -> Any:
    node: Any = results
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _fmt(value: float | None, spec: str = ".2f", suffix: str = "") -> str:
    return "–" if value is None else f"{value:{spec}}{suffix}"


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


def _table(headers: list[str], rows: list[list[str]], align: str = "") -> list[str]:
    align = align or "l" + "r" * (len(headers) - 1)
    marks = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(marks) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _vs_peer(key: str, clients: dict[str, Any], field: str) -> str:
    """The row's value over its peer's (see ``clients.peer_of``); "–" if the peer is missing."""
    peer = peer_of(key)
    if peer is None or SPECS[key].role == "limit":
        return ""
    if peer not in clients:
        return "– (peer not measured)"
    return _fmt(_ratio(clients[key][field], clients[peer][field]), suffix="×")


def _unavailable_note(section: dict[str, Any]) -> list[str]:
    missing: dict[str, str] = section.get("unavailable") or {}
    return [f"Not measured: {SPECS[key].label}: {why}" for key, why in missing.items()] + (
        [""] if missing else []
    )


def _latency_section(results: dict[str, Any]) -> list[str]:
    lat = _get(results, "sections", "latency")
    if not lat:
        return []
    cl = lat["clients"]
    raw = _get(cl, "raw_httpx", "median_ms")
    cfg = results["config"]
    lines = [
        "## Non-streamed call latency",
        "",
        f"`invoke()` / `chat()` of one short prompt; {cl[next(iter(cl))]['calls']} calls per "
        f"client ({cfg['latency_rounds']} interleaved rounds of {cfg['latency_block']}), after "
        f"{cfg['latency_warmup']} warm-up calls each. Server: {results['server_description']}.",
        "",
    ]
    rows = [
        [
            SPECS[key].label,
            f"{v['median_ms']:.3f}",
            f"{v['p90_ms']:.3f}",
            _fmt(_ratio(v["median_ms"], raw), suffix="×") if key != "raw_httpx" else "1×",
            _vs_peer(key, cl, "median_ms"),
        ]
        for key, v in cl.items()
    ]
    lines += _table(["client", "median ms", "p90 ms", "× raw httpx", PEER_HEADER], rows)
    lines += ["", _replay_note(lat), "", *_unavailable_note(lat)]
    return lines


def _replay_note(section: dict[str, Any]) -> str:
    rep = section.get("replay")
    if not rep:
        return "Server: the emulator directly."
    return (
        f"Replay server during measurement: {rep['hits']} replayed answers, "
        f"{rep['misses_during_measurement']} new (un-replayed) requests."
    )


def _streaming_section(results: dict[str, Any]) -> list[str]:
    st = _get(results, "sections", "streaming")
    if not st:
        return []
    cl = st["clients"]
    raw = _get(cl, "raw_httpx", "median_chunks_per_s")
    cfg = results["config"]
    lines = [
        "## Streaming",
        "",
        f"`stream()` / `stream_chat()` of an answer of {cfg['stream_reasoning']:,} reasoning + "
        f'{cfg["stream_content"]:,} content chunks (emulator `--fault "chunks='
        f'{cfg["stream_content"]}; reasoning_chunks={cfg["stream_reasoning"]}"`), every item '
        f"the public API yields counted; median over {cfg['stream_rounds']} interleaved streams "
        "per client. Peers that do not ask for `reasoning_split` get the reasoning inline as "
        "`<think>` text in the content chunks (same chunk count). On the Anthropic route "
        "(`/anthropic/v1/messages`) the reasoning is a signed `thinking` block, and a client may "
        "also yield the block bookkeeping (the block's start, its signature). Raw httpx: "
        "`iter_lines()` + `json.loads` per event.",
        "",
    ]
    rows = [
        [
            SPECS[key].label,
            str(v["chunks"]),
            f"{v['median_chunks_per_s']:,.0f}",
            f"{v['median_ms_per_stream']:.1f}",
            _fmt(_ratio(v["median_chunks_per_s"], raw), suffix="×"),
            _vs_peer(key, cl, "median_chunks_per_s"),
        ]
        for key, v in cl.items()
    ]
    headers = ["client", "items yielded", "chunks/s", "ms per stream", "× raw httpx", PEER_HEADER]
    lines += _table(headers, rows)
    lines += ["", _replay_note(st), "", *_unavailable_note(st)]
    return lines


def _burst_section(results: dict[str, Any]) -> list[str]:
    b = _get(results, "sections", "burst")
    if not b:
        return []
    cfg = results["config"]
    lines = [
        "## 500 concurrent async calls, server latency 50 ms",
        "",
        f"`asyncio.gather` of {cfg['burst_concurrency']} calls on a fresh client in a fresh "
        "process (cold: the first burst; warm: the next burst on the same client), emulator "
        f"with `--fault latency_ms=50` in its own process; median of {cfg['burst_rounds']} "
        "interleaved runs. Ideal: 50 ms.",
        "",
    ]
    rows = []
    for key, v in b["clients"].items():
        label = (
            "server capacity (raw asyncio, no pool)" if key == "raw_asyncio" else ASYNC_LABELS[key]
        )
        errors = f"{v['errors']}" + (f" ({v['error_types']})" if v["errors"] else "")
        rows.append(
            [
                label,
                f"{v['cold_s']:.3f}",
                f"{v['cold_s'] / IDEAL_S:.0f}×",
                f"{v['warm_s']:.3f}",
                f"{v['warm_s'] / IDEAL_S:.0f}×",
                errors,
                str(v["wrong_answers"]),
            ]
        )
    lines += _table(
        ["client", "cold s", "cold × ideal", "warm s", "warm × ideal", "errors", "wrong answers"],
        rows,
    )
    lines += [""]
    return lines


def _import_section(results: dict[str, Any]) -> list[str]:
    imp = _get(results, "sections", "imports")
    if not imp:
        return []
    peers = {
        "langchain_minimax": "langchain_openai",
        "llama_index_minimax": "llama_index.llms.openai_like",
        "langchain_community.chat_models.minimax": "langchain_openai",
        "llama_index.llms.minimax": "llama_index.llms.openai_like",
        "langchain_core.language_models": "langchain_openai",
        "llama_index.core.llms": "llama_index.llms.openai_like",
    }
    lines = [
        "## Cold import time",
        "",
        f"Each `import` timed in a fresh interpreter (start-up excluded), precompiled bytecode, "
        f"median of {results['config']['import_runs']} interleaved runs.",
        "",
    ]
    rows = []
    for name, v in imp.items():
        peer = peers.get(name)
        rows.append(
            [
                f"`import {name}`" if "+" not in name else f"`import {name.replace(' +', ',')}`",
                f"{v['median_ms']:.0f}",
                f"{v['min_ms']:.0f}",
                f"{_fmt(_ratio(v['median_ms'], imp[peer]['median_ms']), suffix='×')} `{peer}`"
                if peer in imp
                else "",
            ]
        )
    lines += _table(["import", "median ms", "min ms", "× peer"], rows, "lrrl")
    lines += [""]
    return lines


def _memory_section(results: dict[str, Any]) -> list[str]:
    mem = _get(results, "sections", "memory")
    if not mem:
        return []
    cl = mem["clients"]
    floors = {"langchain": "lc_floor", "llama-index": "li_floor"}
    lines = [
        f"## Memory while streaming {results['config']['memory_chunks']:,} chunks",
        "",
        "Fresh process per client; chunks consumed and discarded. **tracemalloc peak**: Python "
        "heap allocated during the (second, warm) stream and alive at its peak — the compared "
        "number. **RSS delta**: peak RSS during the first stream minus RSS before it (modules "
        "that load on first use were loaded beforehand by a throw-away client). LangChain's "
        "`stream()` keeps every chunk until the end, so its floor grows with the stream; "
        "LlamaIndex's yields cumulative messages and keeps none.",
        "",
    ]
    rows = []
    for key, v in cl.items():
        spec = SPECS[key]
        floor = floors.get(spec.framework)
        beyond = (
            f"{(v['tracemalloc_peak_bytes'] - cl[floor]['tracemalloc_peak_bytes']) / 1e6:+.1f}"
            if floor in cl and key != floor
            else ""
        )
        rows.append(
            [
                spec.label,
                f"{v['chunks']:,}",
                f"{v['tracemalloc_peak_bytes'] / 1e6:.1f}",
                f"{v['tracemalloc_peak_bytes'] / max(v['chunks'], 1):,.0f}",
                beyond,
                f"{v['rss_delta_bytes'] / 1e6:.1f}",
            ]
        )
    lines += _table(
        [
            "client",
            "items",
            "tracemalloc peak MB",
            "peak bytes / item",
            "MB beyond framework floor",
            "RSS delta MB",
        ],
        rows,
    )
    lines += [""]
    return lines


def _calibration_section(results: dict[str, Any]) -> list[str]:
    cal = _get(results, "sections", "calibration")
    if not cal:
        return []
    ns, st = cal["non_streamed"], cal["streamed"]
    return [
        "## The servers themselves",
        "",
        "Raw httpx against the emulator directly vs against the replay server in front of it "
        "(interleaved): the difference is server time the emulator would add to every client.",
        "",
        *_table(
            ["server", "non-streamed call, median ms", "stream, SSE events/s (lines only)"],
            [
                [
                    name,
                    f"{ns[name]['median_ms']:.3f}",
                    f"{st[name]['median_sse_events_per_s']:,.0f}",
                ]
                for name in ("emulator", "replay")
            ],
        ),
        "",
    ]
