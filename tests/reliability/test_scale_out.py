"""Scale-out: models shipped to worker processes the way Ray, Dask and Spark ship them (pickled,
into ``concurrent.futures.ProcessPoolExecutor`` workers, with the default start method and with
``spawn``), and large LangChain batches kept inside MiniMax's RPM limit by ``max_concurrency``
plus LangChain's ``InMemoryRateLimiter``.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import pickle
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest
from langchain_core.rate_limiters import InMemoryRateLimiter

import minimax_core as core
from minimax_emulator.testing import EmulatorServer
from tests.reliability._support import MODES, ask, chat_model, embedding_model
from tests.reliability._workers import use_models
from tests.support import API_KEY

#: Only the emulator of this module accepts it; the workers' environment does not have it.
KEY = "sk-scale-out-0123456789abcdef"


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(api_keys=[KEY]) as emulator:
        yield emulator


def models(base_url: str) -> dict[str, Any]:
    return {
        "chat langchain": chat_model("langchain", base_url, api_key=KEY),
        "chat llamaindex": chat_model("llamaindex", base_url, api_key=KEY),
        "embeddings langchain": embedding_model("langchain", base_url, api_key=KEY),
        "embeddings llamaindex": embedding_model("llamaindex", base_url, api_key=KEY),
    }


def test_pickling_is_quiet(server: EmulatorServer, caplog: pytest.LogCaptureFixture) -> None:
    """Shipping a model to a worker pickles it every time: no warning each time it happens."""
    built = models(server.base_url)
    asyncio.run(built["embeddings llamaindex"].aget_query_embedding("warm the per-loop limit"))
    with caplog.at_level(logging.WARNING):
        for model in built.values():
            pickle.loads(pickle.dumps(model))
    assert [r.getMessage() for r in caplog.records] == []


# fork in a process with threads (the emulator's) is what the default start method does here;
# the warning some Python versions give about it concerns this test process, not the library
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
@pytest.mark.xdist_group("cpu-bound")  # see test_load.py
@pytest.mark.parametrize("start_method", [None, "spawn"], ids=["default", "spawn"])
def test_models_pickle_and_work_in_worker_processes(
    server: EmulatorServer, start_method: str | None
) -> None:
    assert "MINIMAX_API_KEY" not in os.environ  # the key travels in the pickle, nowhere else
    built = models(server.base_url)
    # the parent has pooled connections open before the workers start (fork copies them)
    assert ask(built["chat langchain"], "parent", "sync") == "Echo: parent"
    server.clear()
    jobs = [f"job {i}" for i in range(4)]
    parent_answers: list[str] = []
    stop = threading.Event()

    def parent_keeps_working() -> None:
        # had a worker inherited the parent's keep-alive sockets, answers would cross here
        while not stop.is_set():
            parent_answers.append(ask(built["chat langchain"], "parent again", "sync"))

    context = multiprocessing.get_context(start_method)
    # two forked workers; one spawned (a fresh interpreter importing both frameworks: seconds)
    workers = 1 if context.get_start_method() == "spawn" else 2
    thread = threading.Thread(target=parent_keeps_working)
    thread.start()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results = list(pool.map(use_models, [built] * len(jobs), jobs))
    finally:
        stop.set()
        thread.join()

    assert {r["pid"] for r in results}.isdisjoint({os.getpid()})
    for job, result in zip(jobs, results, strict=True):
        assert result["key in environment"] is False
        for name in ("chat langchain", "chat llamaindex"):
            assert result[name] == [f"Echo: {job}"] * 3, name
        for name in ("embeddings langchain", "embeddings llamaindex"):
            assert result[name] == [1536, 1536, True], name
    assert parent_answers
    assert set(parent_answers) == {"Echo: parent again"}
    worker_requests = len(server.requests) - len(parent_answers)
    assert worker_requests == len(jobs) * (2 * 3 + 2 * 2)  # nothing retried, nothing lost


# ---------------------------------------------------------------------------------------------
# Large batches inside the RPM limit
# ---------------------------------------------------------------------------------------------

#: The emulator's limit, over a window shortened from MiniMax's 60 s to 1 s: the same sliding
#: window arithmetic, so that a 60-call job runs in seconds instead of minutes.
WINDOW_S = 1.0
RPM = 40  # requests per window
RATE = 25.0  # the limiter's requests per second: 25 per window, room for network jitter
JOB = 60


@pytest.fixture
def limited() -> Iterator[EmulatorServer]:
    with EmulatorServer(api_keys=[API_KEY], rpm=RPM, rpm_window_s=WINDOW_S) as emulator:
        yield emulator


def run_batch(llm: Any, inputs: list[str], mode: str) -> list[Any]:
    config = {"max_concurrency": 8}
    if mode == "sync":
        return list(llm.batch(inputs, config=config, return_exceptions=True))
    return list(asyncio.run(llm.abatch(inputs, config=config, return_exceptions=True)))


@pytest.mark.parametrize("mode", MODES)
def test_a_rate_limiter_keeps_a_large_batch_inside_the_rpm_limit(
    limited: EmulatorServer, mode: str
) -> None:
    inputs = [f"item {i}" for i in range(JOB)]
    # without the limiter the same job trips the limit: the limit is real
    unlimited = chat_model("langchain", limited.base_url, max_retries=0)
    results = run_batch(unlimited, inputs, mode)
    assert any(isinstance(r, core.RateLimitError) for r in results)

    limited.clear()  # a fresh window
    limiter = InMemoryRateLimiter(
        requests_per_second=RATE, check_every_n_seconds=0.01, max_bucket_size=1
    )
    llm = chat_model("langchain", limited.base_url, max_retries=0, rate_limiter=limiter)
    results = run_batch(llm, inputs, mode)

    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors == []  # max_retries=0: a single 429 would be here
    assert [r.content for r in results] == [f"Echo: {item}" for item in inputs]
    assert len(limited.requests) == JOB
