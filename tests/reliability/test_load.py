"""Load: one model instance of each adapter under 1,000 concurrent async calls, 200 concurrent
streams and 16 threads at once, against an emulator of its own (its journal counts every request;
the shared emulator's journal stays untouched for the other tests of this process).

Open file descriptors (``/proc/self/fd``: sockets of both ends, since the emulator runs in this
process) must come back to where they were: async pools are bound to their event loop and close
with it, so after ``asyncio.run`` returns nothing may stay open; the sync pool keeps at most one
idle keep-alive connection per thread that used it at once.
"""

from __future__ import annotations

import asyncio
import gc
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from minimax_emulator.testing import EmulatorServer
from tests.reliability._support import (
    ADAPTERS,
    ask,
    ask_async,
    chat_model,
    embed,
    embed_async,
    embedding_model,
)
from tests.support import API_KEY

CALLS = 1000
STREAMS = 200
EMBEDDINGS = 200
THREADS = 16

pytestmark = [
    pytest.mark.skipif(
        not os.path.isdir("/proc/self/fd"), reason="counts open descriptors in /proc/self/fd"
    ),
    # CPU-bound: one xdist worker runs these one after another while the other runs the
    # (mostly waiting) fault matrix, instead of two bursts fighting over two cores
    pytest.mark.xdist_group("cpu-bound"),
]


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(api_keys=[API_KEY]) as emulator:
        yield emulator


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def settled_fds(at_most: int, within: float = 10.0) -> int:
    """The open descriptor count once it is ``<= at_most`` (the emulator's end of a closed
    connection closes a moment after ours), or the count when ``within`` seconds ran out."""
    deadline = time.monotonic() + within
    while True:
        gc.collect()
        count = open_fds()
        if count <= at_most or time.monotonic() > deadline:
            return count
        time.sleep(0.05)


def failures(results: list[Any]) -> list[BaseException]:
    return [r for r in results if isinstance(r, BaseException)]


@pytest.mark.parametrize("adapter", ADAPTERS)
def test_1000_concurrent_calls_200_streams_and_200_embeddings_complete_without_errors(
    server: EmulatorServer, adapter: str
) -> None:
    model = chat_model(adapter, server.base_url)
    embedding = embedding_model(adapter, server.base_url)
    server.clear()
    baseline = settled_fds(open_fds())

    async def burst() -> tuple[list[Any], list[Any], list[Any]]:
        calls = await asyncio.gather(
            *(ask_async(model, f"call {i}") for i in range(CALLS)), return_exceptions=True
        )
        streams = await asyncio.gather(
            *(ask_async(model, f"stream {i}", stream=True) for i in range(STREAMS)),
            return_exceptions=True,
        )
        vectors = await asyncio.gather(
            *(embed_async(embedding, f"text {i % 20}") for i in range(EMBEDDINGS)),
            return_exceptions=True,
        )
        return calls, streams, vectors

    calls, streams, vectors = asyncio.run(burst())

    assert failures(calls) == []
    assert failures(streams) == []
    assert failures(vectors) == []
    # every caller got its own answer
    assert calls == [f"Echo: call {i}" for i in range(CALLS)]
    assert streams == [f"Echo: stream {i}" for i in range(STREAMS)]
    assert all(len(v) == 1536 for v in vectors)
    assert all(vectors[i] == vectors[i % 20] for i in range(EMBEDDINGS))
    assert vectors[0] != vectors[1]
    assert len(server.requests) == CALLS + STREAMS + EMBEDDINGS  # no retries were needed
    # the loop is closed: its connection pool went with it
    assert settled_fds(baseline) <= baseline


@pytest.mark.parametrize("adapter", ADAPTERS)
def test_16_threads_share_one_model_and_each_gets_its_own_answers(
    server: EmulatorServer, adapter: str
) -> None:
    model = chat_model(adapter, server.base_url)
    embedding = embedding_model(adapter, server.base_url)
    texts = [f"thread text {i}" for i in range(THREADS)]
    reference = {text: embed(embedding, text, "sync") for text in texts}
    assert len({tuple(v) for v in reference.values()}) == THREADS  # distinct texts and vectors
    baseline = settled_fds(open_fds())
    start = threading.Barrier(THREADS)

    def worker(n: int) -> list[tuple[str, Any, Any]]:
        start.wait()  # all threads call at once
        out: list[tuple[str, Any, Any]] = []
        for round_ in range(3):
            prompt = f"thread {n} round {round_}"
            out.append((prompt, ask(model, prompt, "sync"), f"Echo: {prompt}"))
            streamed = ask(model, prompt, "sync", stream=True)
            out.append((prompt + " (streamed)", streamed, f"Echo: {prompt}"))
            text = texts[(n + round_) % THREADS]
            out.append((text, embed(embedding, text, "sync"), reference[text]))
        return out

    for _ in range(2):  # a second round reuses the pooled connections instead of adding more
        with ThreadPoolExecutor(THREADS) as pool:
            results = [item for items in pool.map(worker, range(THREADS)) for item in items]
            start.reset()
        assert len(results) == THREADS * 9
        wrong = [(what, got) for what, got, expected in results if got != expected]
        assert wrong == []
        # idle keep-alive connections (both ends, one per thread at most) may stay pooled
        assert settled_fds(baseline + 2 * THREADS) <= baseline + 2 * THREADS
