"""How fast the servers themselves are: the emulator directly vs the replay server in front of it.

Measured with the cheapest client there is (raw httpx; for streams, only splitting SSE lines, no
JSON), interleaved. The difference between the two servers is server time that the emulator would
add to every client's number; it is why the latency, streaming and memory sections use the replay
server (see replay_server.py). The burst section uses the emulator directly: there the server only
sleeps 50 ms, and a raw asyncio client shows it answers 500 concurrent calls close to the ideal.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from benchmarks import clients
from benchmarks.servers import emulator, replayed_emulator
from benchmarks.stats import median


def _latency(client: httpx.Client, calls: int) -> list[float]:
    out = []
    for _ in range(calls):
        start = time.perf_counter_ns()
        client.post("/v1/chat/completions", json=clients.RAW_BODY).raise_for_status()
        out.append((time.perf_counter_ns() - start) / 1e6)
    return out


def _stream_rate(client: httpx.Client) -> float:
    start = time.perf_counter_ns()
    n = 0
    with client.stream("POST", "/v1/chat/completions", json=clients.RAW_STREAM_BODY) as response:
        for line in response.iter_lines():
            if line.startswith("data: "):
                n += 1
    return n / ((time.perf_counter_ns() - start) / 1e9)


def measure_servers(rounds: int, calls: int, shaping: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for label, fault in (("non_streamed", None), ("streamed", shaping)):
        with emulator(fault) as direct, replayed_emulator(fault) as replay:
            pools = {
                "emulator": httpx.Client(base_url=direct, headers=clients.RAW_HEADERS),
                "replay": httpx.Client(base_url=replay, headers=clients.RAW_HEADERS),
            }
            try:
                for pool in pools.values():  # warm-up (and the replay server's recording)
                    _latency(pool, 20) if fault is None else _stream_rate(pool)
                samples: dict[str, list[float]] = {name: [] for name in pools}
                for round_no in range(rounds):
                    order = list(pools) if round_no % 2 == 0 else list(pools)[::-1]
                    for name in order:
                        if fault is None:
                            samples[name].extend(_latency(pools[name], calls))
                        else:
                            samples[name].append(_stream_rate(pools[name]))
            finally:
                for pool in pools.values():
                    pool.close()
        unit = "median_ms" if fault is None else "median_sse_events_per_s"
        out[label] = {name: {unit: median(values)} for name, values in samples.items()}
    return out
