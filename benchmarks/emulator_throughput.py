"""Throughput of the MiniMax emulator itself, measured with raw httpx clients.

Starts ``minimax-emulator`` in a subprocess on a free 127.0.0.1 port and prints:
* non-streamed requests/s (one ``httpx.Client``: sequential, and from 4 threads sharing it; and
  two client processes with one client each, which shows the emulator's own capacity),
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
from typing import Any

import httpx

from benchmarks.servers import ForeignCpu, emulator

HEADERS = {"Authorization": "Bearer bench-key"}
CHAT = {"model": "MiniMax-M2.7", "messages": [{"role": "user", "content": "What is 7 times 8?"}]}
MAX_REQUESTS = 200_000


def non_stream_sequential(base: str, seconds: float) -> float:
    with httpx.Client(base_url=base, headers=HEADERS) as client:
        for _ in range(50):  # warm-up
            client.post("/v1/chat/completions", json=CHAT).raise_for_status()
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds and count < MAX_REQUESTS:
            client.post("/v1/chat/completions", json=CHAT).raise_for_status()
            count += 1
        return count / (time.perf_counter() - start)


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
    queue.put(non_stream_sequential(base, seconds))


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
    args = parser.parse_args()
    with emulator() as base:
        print(f"emulator at {base}; CPU reference loop {cpu_reference():.3f} s (lower is faster)")
        cpu = ForeignCpu()
        rate = non_stream_sequential(base, args.seconds)
        print(f"non-stream, 1 client sequential : {rate:8.0f} req/s{_others(cpu)}")
        rate = non_stream_threads(base, args.seconds)
        print(f"non-stream, 4 threads, 1 client : {rate:8.0f} req/s{_others(cpu)}")
        rate = non_stream_processes(base, args.seconds)
        print(f"non-stream, 2 client processes  : {rate:8.0f} req/s{_others(cpu)}")
        chunk_rate, requests = stream_chunks(base, args.seconds)
        print(
            f"stream, 2,000-chunk answers      : {chunk_rate:8.0f} chunks/s "
            f"({requests} streams){_others(cpu)}"
        )
        elapsed = asyncio.run(burst_raw(base))
        print(
            f"500 concurrent x latency_ms=50   : {elapsed:8.3f} s wall, raw asyncio{_others(cpu)}"
        )
        elapsed = asyncio.run(burst(base))
        print(f"500 concurrent x latency_ms=50   : {elapsed:8.3f} s wall, httpx{_others(cpu)}")
        print(f"CPU reference loop at the end: {cpu_reference():.3f} s")


if __name__ == "__main__":
    main()
