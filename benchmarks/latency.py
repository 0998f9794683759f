"""Non-streamed call latency and streamed chunks per second, every client in one process,
interleaved.

Both sections run in the benchmark's main process (the server is another process). Every client
is built once, checked once (its answer text must contain the emulator's answer; a stream must
yield the expected number of chunks and end with the last part), warmed up, and then measured in
rounds: each round gives every client one block of calls (latency) or one stream (chunks/s), in an
order rotated round by round, so drift (thermal, a neighbour's CPU, the server's allocator) lands on
everyone alike. ``gc.freeze()`` after setup moves the objects of all the imported frameworks out of
the collector's view, so a full collection triggered by one client is not slowed down by the other
clients' modules (each client would run alone in a real program).

A peer that cannot be built here (:class:`clients.Unavailable`) or whose first call raises is left
out and listed under ``unavailable`` with the reason; a wrong answer or an incomplete stream, or
any failure of ours, stops the run.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from benchmarks import clients
from benchmarks.servers import replay_stats
from benchmarks.stats import median, quantile, rotated

T = TypeVar("T")


def _stats_or_none(url: str) -> dict[str, int] | None:
    try:
        return replay_stats(url)
    except Exception:  # the emulator itself (--server emulator) has no replay stats
        return None


def _build_checked(
    keys: Sequence[str], url: str, stream_parts: int, check: Callable[[str, clients.Client], T]
) -> tuple[dict[str, clients.Client], dict[str, T], dict[str, str]]:
    """Build every client and run ``check`` once on each: the built clients, the checks' results
    and, for peers that cannot be built or whose check call raised, the reason."""
    built: dict[str, clients.Client] = {}
    checks: dict[str, T] = {}
    unavailable: dict[str, str] = {}
    for key in keys:
        try:
            client = clients.build(key, url, stream_parts=stream_parts)
        except clients.Unavailable as exc:
            unavailable[key] = str(exc)
            continue
        try:
            checks[key] = check(key, client)
        except AssertionError:
            raise  # a wrong answer or an incomplete stream: never hidden
        except Exception as exc:
            if clients.SPECS[key].role != "peer":
                raise
            client.close()
            unavailable[key] = f"its first call raised {type(exc).__name__}: {str(exc)[:300]}"
            continue
        built[key] = client
    return built, checks, unavailable


def _check_answer(key: str, client: clients.Client) -> str:
    text = client.call()
    if clients.EXPECTED_ANSWER not in text:
        raise AssertionError(f"{key}: unexpected answer {text[:200]!r}")
    return text[-60:]


def measure_latency(
    url: str, keys: Sequence[str], rounds: int, block: int, warmup: int
) -> dict[str, Any]:
    built, checks, unavailable = _build_checked(keys, url, 0, _check_answer)
    keys = list(built)
    for _ in range(warmup):
        for client in built.values():
            client.call()
    before = _stats_or_none(url)
    gc.collect()
    gc.freeze()
    samples: dict[str, list[float]] = {key: [] for key in keys}
    try:
        for round_no in range(rounds):
            for key in rotated(keys, round_no):
                call, out = built[key].call, samples[key]
                for _ in range(block):
                    start = time.perf_counter_ns()
                    call()
                    out.append((time.perf_counter_ns() - start) / 1e6)
    finally:
        gc.unfreeze()
        for client in built.values():
            client.close()
    after = _stats_or_none(url)
    results = {
        key: {
            "median_ms": median(values),
            "p90_ms": quantile(values, 0.9),
            "min_ms": min(values),
            "calls": len(values),
            "answer_tail": checks[key],
            "samples_ms": [round(v, 4) for v in values],
        }
        for key, values in samples.items()
    }
    return {
        "clients": results,
        "replay": _replay_delta(before, after),
        "unavailable": unavailable,
    }


def _replay_delta(
    before: dict[str, int] | None, after: dict[str, int] | None
) -> dict[str, int] | None:
    if before is None or after is None:
        return None
    return {
        "hits": after["hits"] - before["hits"],
        "misses_during_measurement": after["misses"] - before["misses"],
    }


def measure_streaming(
    url: str, keys: Sequence[str], rounds: int, warmup: int, reasoning: int, content: int
) -> dict[str, Any]:
    """Chunks/s over streams of ``reasoning`` + ``content`` chunks (floors: as many parts)."""
    expected = reasoning + content

    def check(key: str, client: clients.Client) -> int:
        count, text = client.stream_text()
        last_part = f"part {expected - 1 if key.endswith('floor') else content - 1}: "
        # every client yields one item per chunk, plus at most a few bookkeeping items
        most = expected + clients.SPECS[key].extra_items
        if not expected <= count <= most or last_part not in text:
            raise AssertionError(
                f"{key}: yielded {count} items (expected {expected}..{most}); "
                f"last part present: {last_part in text}; tail {text[-120:]!r}"
            )
        return count

    built, counts, unavailable = _build_checked(keys, url, expected, check)
    keys = list(built)
    for _ in range(warmup):
        for client in built.values():
            client.stream()
    before = _stats_or_none(url)
    gc.collect()
    gc.freeze()
    rates: dict[str, list[float]] = {key: [] for key in keys}
    seconds: dict[str, list[float]] = {key: [] for key in keys}
    try:
        for round_no in range(rounds):
            for key in rotated(keys, round_no):
                stream = built[key].stream
                start = time.perf_counter_ns()
                n = stream()
                elapsed = (time.perf_counter_ns() - start) / 1e9
                if n != counts[key]:
                    raise AssertionError(f"{key}: {n} items, first run gave {counts[key]}")
                rates[key].append(n / elapsed)
                seconds[key].append(elapsed)
    finally:
        gc.unfreeze()
        for client in built.values():
            client.close()
    after = _stats_or_none(url)
    results = {
        key: {
            "chunks": counts[key],
            "median_chunks_per_s": median(rates[key]),
            "median_ms_per_stream": median(seconds[key]) * 1e3,
            "streams": len(rates[key]),
            "rates": [round(r) for r in rates[key]],
        }
        for key in keys
    }
    return {
        "clients": results,
        "replay": _replay_delta(before, after),
        "unavailable": unavailable,
    }
