"""Throughput of the MiniMax emulator itself, measured with raw httpx clients.

Starts ``minimax-emulator`` in a subprocess on a free 127.0.0.1 port and prints:
* non-streamed requests/s from one sequential client, twice: ``httpx.Client.post(json=...)`` and
  httpx's own transport (``httpx.HTTPTransport.handle_request`` with one prepared request, the
  rawest httpx there is); for each, the CPU time per request of the client and of the emulator
  process, and from the latter the emulator's capacity on one core. On this 2-core machine a
  sequential client's rate is 1 / (client CPU + emulator CPU + loopback wake-ups), and the
  ``httpx.Client`` layer alone costs more CPU than the whole emulator (see the printed split);
* the same from 4 threads sharing one ``httpx.Client``, and from two client processes,
* streamed chunks/s (2,000-chunk answers, counted as SSE events),
* wall time of 500 concurrent requests with ``latency_ms=50`` (must not serialise), from a
  minimal asyncio HTTP/1.1 client (the server's capacity) and from ``httpx.AsyncClient`` (whose
  pool bookkeeping, encode/httpcore#1035, dominates at this concurrency).

Run: ``.venv/bin/python -m benchmarks.emulator_throughput [--seconds 3]``. Numbers are printed,
never asserted. All traffic stays on 127.0.0.1 and every loop is bounded in time and count.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from benchmarks.servers import ForeignCpu, children_cpu_seconds, emulator

HEADERS = {"Authorization": "Bearer bench-key"}
CHAT = {"model": "MiniMax-M2.7", "messages": [{"role": "user", "content": "What is 7 times 8?"}]}
MAX_REQUESTS = 200_000


@dataclass(frozen=True)
class Sequential:
    rate: float  # requests/s
    client_us: float  # this process's CPU per request
    emulator_us: float | None  # the emulator process's CPU per request (None: unknown)


def _measure(call: Callable[[], None], seconds: float) -> Sequential:
    for _ in range(50):  # warm-up
        call()
    server_start, cpu_start = children_cpu_seconds(), time.process_time()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds and count < MAX_REQUESTS:
        call()
        count += 1
    elapsed = time.perf_counter() - start
    client_us = (time.process_time() - cpu_start) / count * 1e6
    server_end = children_cpu_seconds()
    emulator_us = None
    if server_start is not None and server_end is not None:
        emulator_us = (server_end - server_start) / count * 1e6
    return Sequential(count / elapsed, client_us, emulator_us)


def non_stream_sequential(base: str, seconds: float) -> Sequential:
    """One ``httpx.Client``, one request after another, as a script would call it."""

    def call() -> None:
        client.post("/v1/chat/completions", json=CHAT).raise_for_status()

    with httpx.Client(base_url=base, headers=HEADERS) as client:
        return _measure(call, seconds)


def non_stream_transport(base: str, seconds: float) -> Sequential:
    """httpx without its client layer: one ``HTTPTransport`` (one keep-alive connection) sending
    one prepared request again and again; the response is read in full and checked."""
    request = httpx.Request("POST", base + "/v1/chat/completions", json=CHAT, headers=HEADERS)

    def call() -> None:
        response = transport.handle_request(request)
        try:
            response.read()
        finally:
            response.close()
        if response.status_code != 200:
            raise RuntimeError(f"emulator answered {response.status_code}: {response.content!r}")

    with httpx.HTTPTransport() as transport:
        return _measure(call, seconds)


def non_stream_threads(base: str, seconds: float, threads: int = 4) -> float:
    limits = httpx.Limits(max_connections=threads, max_keepalive_connections=threads)
    counts = [0] * threads
    with httpx.Client(base_url=base, headers=HEADERS, limits=limits) as client:
        client.post("/v1/chat/completions", json=CHAT).raise_for_status()
        start = time.perf_counter()

        def work(slot: int) -> None:
            while time.perf_counter() - start < seconds and counts[slot] < MAX_REQUESTS:
                client.post("/v1/chat/completions", json=CHAT).raise_for_status()
                counts[slot] += 1

        workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        return sum(counts) / (time.perf_counter() - start)


def _process_worker(base: str, seconds: float, queue: Any) -> None:
    queue.put(non_stream_sequential(base, seconds).rate)


def non_stream_processes(base: str, seconds: float, processes: int = 2) -> float:
    """Several client processes, one ``httpx.Client`` each: the emulator's own capacity."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [
        context.Process(target=_process_worker, args=(base, seconds, queue))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    rates = [queue.get(timeout=seconds + 60) for _ in workers]
    for worker in workers:
        worker.join(timeout=10)
    return float(sum(rates))


def stream_chunks(base: str, seconds: float, chunks: int = 2000) -> tuple[float, int]:
    body = {**CHAT, "stream": True, "reasoning_split": True}
    headers = {**HEADERS, "X-Emulator": f"chunks={chunks}; reasoning_chunks=20"}
    events, requests = 0, 0
    with httpx.Client(base_url=base, headers=headers) as client:
        start = time.perf_counter()
        while time.perf_counter() - start < seconds and requests < 10_000:
            with client.stream("POST", "/v1/chat/completions", json=body) as response:
                response.raise_for_status()
                tail = b""
                for raw in response.iter_raw():
                    data = tail + raw
                    events += data.count(b"\n\n")
                    tail = data[-1:]  # a "\n\n" split across two reads
            requests += 1
        return events / (time.perf_counter() - start), requests


async def _raw_post(host: str, port: int, request: bytes) -> bytes:
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(request)
    await writer.drain()
    data = await reader.read()  # Connection: close -> read to EOF
    writer.close()
    return data[:12]


async def burst_raw(base: str, concurrency: int = 500, latency_ms: int = 50) -> float:
    """500 concurrent connections from a minimal asyncio HTTP/1.1 client (server capacity)."""
    host, port = base.removeprefix("http://").split(":")
    body = json.dumps(CHAT).encode()
    request = (
        "POST /v1/chat/completions HTTP/1.1\r\nHost: emulator\r\n"
        f"Authorization: {HEADERS['Authorization']}\r\nX-Emulator: latency_ms={latency_ms}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode() + body
    start = time.perf_counter()
    heads = await asyncio.gather(*(_raw_post(host, int(port), request) for _ in range(concurrency)))
    elapsed = time.perf_counter() - start
    assert set(heads) == {b"HTTP/1.1 200"}, set(heads)
    return elapsed


async def burst(base: str, concurrency: int = 500, latency_ms: int = 50) -> float:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {**HEADERS, "X-Emulator": f"latency_ms={latency_ms}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits) as client:
        start = time.perf_counter()
        replies = await asyncio.gather(
            *(client.post("/v1/chat/completions", json=CHAT) for _ in range(concurrency))
        )
        elapsed = time.perf_counter() - start
    assert all(r.status_code == 200 for r in replies)
    return elapsed


def _sequential(results: list[Sequential]) -> str:
    """Median over the rounds (and their range); the CPU split is the median round's."""
    ranked = sorted(results, key=lambda result: result.rate)
    mid = ranked[len(ranked) // 2]
    line = (
        f"{mid.rate:6.0f} req/s (rounds {ranked[0].rate:.0f}–{ranked[-1].rate:.0f}); "
        f"CPU per request: client {mid.client_us:4.0f} µs"
    )
    if mid.emulator_us is None:
        return line
    capacity = 1e6 / mid.emulator_us if mid.emulator_us else float("inf")
    return line + f", emulator {mid.emulator_us:4.0f} µs (= {capacity:,.0f} req/s on one core)"


def _others(cpu: ForeignCpu) -> str:
    """How much CPU other processes used since the last line (the machine may be shared)."""
    used = cpu.lap()
    return "" if used is None else f"  [other processes: {used:.1f} CPU-s]"


def cpu_reference() -> float:
    """Seconds for a 3-million-step pure-Python loop: the CPU speed these numbers ran at."""
    start, total = time.perf_counter(), 0
    for step in range(3_000_000):
        total += step
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0, help="duration of each loop")
    parser.add_argument(
        "--rounds", type=int, default=3, help="interleaved rounds of the sequential loops (median)"
    )
    args = parser.parse_args()
    with emulator() as base:
        print(f"emulator at {base}; CPU reference loop {cpu_reference():.3f} s (lower is faster)")
        cpu = ForeignCpu()
        measures = {
            "httpx.Client.post ": non_stream_sequential,
            "httpx.HTTPTransport": non_stream_transport,
        }
        runs: dict[str, list[Sequential]] = {label: [] for label in measures}
        for round_no in range(args.rounds):  # interleaved, so a slow spell hits both
            order = list(measures) if round_no % 2 == 0 else list(measures)[::-1]
            for label in order:
                runs[label].append(measures[label](base, args.seconds))
        others = _others(cpu)  # over all rounds of both
        for label, results in runs.items():
            print(f"non-stream, {label}, sequential : {_sequential(results)}{others}")
        rate = non_stream_threads(base, args.seconds)
        print(f"non-stream, 4 threads sharing 1 httpx.Client : {rate:6.0f} req/s{_others(cpu)}")
        rate = non_stream_processes(base, args.seconds)
        print(f"non-stream, 2 processes, 1 httpx.Client each : {rate:6.0f} req/s{_others(cpu)}")
        chunk_rate, requests = stream_chunks(base, args.seconds)
        print(
            f"stream, 2,000-chunk answers                    : {chunk_rate:6.0f} chunks/s "
            f"({requests} streams){_others(cpu)}"
        )
        elapsed = asyncio.run(burst_raw(base))
        print(
            f"500 concurrent x latency_ms=50, raw asyncio    : {elapsed:6.3f} s wall{_others(cpu)}"
        )
        elapsed = asyncio.run(burst(base))
        label = "500 concurrent x latency_ms=50, httpx          "
        print(f"{label}: {elapsed:6.3f} s wall{_others(cpu)}")
        print(f"CPU reference loop at the end: {cpu_reference():.3f} s")


if __name__ == "__main__":
    main()
