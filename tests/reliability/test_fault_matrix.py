"""The fault matrix: every failure MiniMax (or the network, or a proxy) can produce, as one table
driven through both adapters, sync and async, over real loopback sockets.

Each row names a fault, the call it hits (a chat call, a streamed chat, an embedding), and what a
user must observe: the answer after exactly N+1 attempts, or a typed error after exactly the
attempts the retry rules allow, with a message that says what to do. Retries are observed where
they happen: the emulator's request journal (or :class:`RawServer`'s counter) counts attempts,
and the waits between them are read from the transport's retry log and checked against the
backoff bounds (0.5 s then 1 s, each up to 25 % shorter for jitter) and against the wall clock.

Already covered elsewhere, and not repeated here:

* every non-retried code on every route, in every call style, through LangChain
  (``tests/langchain_minimax/test_errors.py::test_reported_failures_raise_typed_errors_…``), and
  HTTP 429 carrying 1008 (the code decides);
* a JSON error answering a stream request with a non-retried code
  (``test_a_json_error_answering_a_stream_request`` in both adapters' ``test_errors.py``);
* a stream cut mid-way: ``StreamInterruptedError`` with ``partial_text``, sent once, never
  turned into a complete message (``test_a_dropped_stream_*`` in LangChain's and
  ``test_a_dropped_connection_*`` in LlamaIndex's ``test_errors.py``), and errors inside streams,
  retried only before the first chunk reached the caller;
* a slow first byte with ``max_retries=0`` (``test_a_slow_server_is_a_timeout_error``,
  ``test_a_slow_server_times_out``) and a refused connection for chat
  (``test_an_unreachable_server_is_a_connection_error`` in both), also for the raw async
  transport (``tests/integration/test_async_transport.py``);
* the pure retry decision and its backoff arithmetic (``tests/unit/minimax_core/test_retry.py``).

The rows below are what those leave open: N>1 failures then success, 1039, persistent 500/529
with the backoff actually waited, the non-retried codes through LlamaIndex and every code's
actionable message, retryable JSON errors answering a stream request, a stream cut before any
text on every attempt, malformed bodies and proxy pages, a stream that stalls after part of the
answer was shown, timeouts that are retried, and the same faults for embeddings.
"""

from __future__ import annotations

import json
import logging
import time
import traceback
from dataclasses import dataclass, field
from typing import Any, cast

import pytest

import minimax_core as core
from minimax_emulator.testing import EmulatorServer
from tests.reliability._support import (
    ADAPTERS,
    MODES,
    RawServer,
    Seen,
    ask,
    chat_model,
    chunk,
    closed_port_url,
    embed,
    embedding_model,
    http_response,
)
from tests.support import API_KEY, Route

PROMPT = "Is the old harbour open today?"


def _event(content: str, finish: str | None = None) -> bytes:
    choice: dict[str, Any] = {"index": 0, "delta": {"role": "assistant", "content": content}}
    if finish:
        choice["finish_reason"] = finish
    body = {"id": "c1", "object": "chat.completion.chunk", "model": "MiniMax-M2.7"}
    return f"data: {json.dumps({**body, 'choices': [choice]})}\n\n".encode()


#: A completion cut off in the middle of its JSON.
TRUNCATED_JSON = http_response(
    200,
    b'{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":'
    b'{"role":"assistant","content":"The harbour is op',
)
#: Not JSON, not even UTF-8.
BAD_UTF8 = http_response(200, b"\xff\xfe<html>\xc3(</html>")
#: What a reverse proxy answers when MiniMax is unreachable behind it.
PROXY_502 = http_response(
    502, b"<html><body><h1>502 Bad Gateway</h1>nginx</body></html>", "text/html"
)
#: Two events of an answer, then silence (longer than the client's read timeout).
STALLED_STREAM = (
    http_response(200, b"", "text/event-stream", chunked=True),
    chunk(_event("The harbour ")),
    chunk(_event("is open")),
    2.0,
)
TRUNCATED_VECTORS = http_response(200, b'{"vectors":[[0.125,0.25,')


@dataclass(frozen=True)
class Fault:
    id: str
    #: "chat", "stream" (a streamed chat) or "embed"
    call: str
    attempts: int
    #: the core error class name, or None: the call succeeds
    error: str | None = None
    #: the emulator's X-Emulator header (emulator rows)
    spec: str | None = None
    #: what a RawServer answers instead of the emulator; "refused": nothing listens
    raw: tuple[bytes | float, ...] | str | None = None
    api: Route = "openai"
    settings: dict[str, Any] = field(default_factory=dict)
    #: phrases the error message must contain (what went wrong, what to do)
    says: tuple[str, ...] = ()
    status: int | None = None
    code: int | None = None
    #: stream rows: what the caller had been shown when it failed ("" = nothing)
    shown: str | None = None
    #: the error's ``is_retryable`` (default: whether it was retried)
    retryable: bool | None = None


FAULTS = [
    # -- transient failures, then success: exactly N+1 attempts -------------------------------
    Fault("429x2-then-ok", "chat", 3, spec="fail=429x2"),
    Fault("1039x1-then-ok", "stream", 2, spec="fail=1039x1"),
    Fault("native-200-1002x1-then-ok", "stream", 2, spec="fail=1002x1", api="native"),
    Fault("embed-429x1-then-ok", "embed", 2, spec="fail=429x1"),
    # -- persistent failures: typed error after max_retries + 1 attempts ----------------------
    Fault(
        "500-persistent",
        "chat",
        2,
        "ServerError",
        spec="fail=500",
        settings={"max_retries": 1},
        status=500,
    ),
    Fault(
        "529-persistent",
        "stream",
        2,
        "ServerError",
        spec="fail=529",
        settings={"max_retries": 1},
        says=("overloaded",),
        status=529,
    ),
    Fault(
        "json-error-on-stream-1039-persistent",
        "stream",
        2,
        "RateLimitError",
        spec="json_error_on_stream=1039",
        settings={"max_retries": 1},
        says=("Tokens per minute",),
        code=1039,
        shown="",
    ),
    Fault(
        "embed-503-persistent",
        "embed",
        2,
        "ServerError",
        spec="fail=503",
        settings={"max_retries": 1},
        status=503,
    ),
    # -- never retried: one attempt, a message that says what to do ----------------------------
    Fault(
        "2013",
        "chat",
        1,
        "InvalidRequestError",
        spec="fail=2013",
        says=("invalid params",),
        code=2013,
    ),
    Fault(
        "native-200-1004",
        "chat",
        1,
        "AuthenticationError",
        spec="fail=1004",
        api="native",
        says=("MINIMAX_API_KEY", "region='cn'"),
        status=200,
        code=1004,
    ),
    Fault(
        "2049-stream",
        "stream",
        1,
        "AuthenticationError",
        spec="fail=2049",
        says=("region",),
        status=401,
        code=2049,
        shown="",
    ),
    Fault(
        "native-200-1008-stream",
        "stream",
        1,
        "InsufficientBalanceError",
        spec="fail=1008",
        api="native",
        says=("Top up",),
        status=200,
        code=1008,
        shown="",
    ),
    Fault(
        "1026",
        "chat",
        1,
        "ContentFilterError",
        spec="fail=1026",
        says=("content filter", "rephrase"),
        code=1026,
    ),
    Fault(
        "native-200-2061",
        "chat",
        1,
        "PermissionDeniedError",
        spec="fail=2061",
        api="native",
        says=("plan", "another model"),
        status=200,
        code=2061,
    ),
    Fault(
        "embed-1008",
        "embed",
        1,
        "InsufficientBalanceError",
        spec="fail=1008",
        says=("Top up",),
        code=1008,
    ),
    # -- streams that break ------------------------------------------------------------------
    Fault(
        "cut-before-any-text-every-attempt",
        "stream",
        2,
        "StreamInterruptedError",
        spec="disconnect_after=0",
        settings={"max_retries": 1},
        says=("before any of the answer",),
        shown="",
    ),
    Fault(
        "stall-after-part-of-the-answer",
        "stream",
        1,
        "StreamInterruptedError",  # with the part that was shown in partial_text
        raw=STALLED_STREAM,
        settings={"timeout": 0.4, "max_retries": 2},
        says=("in the middle of the answer", "did not answer in time"),
        shown="The harbour is open",
    ),
    Fault(
        "malformed-sse-chunk",
        "stream",
        1,
        "MalformedResponseError",
        spec="malformed_chunk=3",
        says=("not a valid chat payload", "Invalid JSON"),
    ),
    # -- bodies that are not MiniMax's protocol ----------------------------------------------
    Fault(
        "truncated-json-body",
        "chat",
        1,
        "MalformedResponseError",
        raw=(TRUNCATED_JSON,),
        says=("not a valid chat payload", "The harbour is op"),
    ),
    Fault(
        "bad-utf8-body",
        "chat",
        1,
        "MalformedResponseError",
        raw=(BAD_UTF8,),
        says=("not a valid chat payload", "<html>"),
    ),
    Fault(
        "proxy-502-html-page",
        "chat",
        1,
        "ServerError",
        raw=(PROXY_502,),
        settings={"max_retries": 0},
        says=("non-JSON body", "502 Bad Gateway"),
        status=502,
        retryable=True,  # retried like MiniMax's own 502 (with max_retries=0: reported at once)
    ),
    Fault(
        "embed-truncated-json-body",
        "embed",
        1,
        "MalformedResponseError",
        raw=(TRUNCATED_VECTORS,),
        says=("not JSON", "0.125"),
    ),
    # -- timeouts and unreachable servers ----------------------------------------------------
    Fault(
        "first-byte-late-retried",
        "chat",
        2,
        "APITimeoutError",
        spec="first_byte_ms=1000",
        settings={"timeout": 0.2, "max_retries": 1},
        says=("did not answer in time",),
    ),
    Fault(
        "embed-first-byte-late",
        "embed",
        1,
        "APITimeoutError",
        spec="first_byte_ms=1000",
        settings={"timeout": 0.2, "max_retries": 0},
        retryable=True,
    ),
    Fault(
        "embed-connection-refused",
        "embed",
        1,
        "APIConnectionError",
        raw="refused",
        settings={"max_retries": 0},
        says=("Could not talk to MiniMax",),
        retryable=True,
    ),
]

RETRY_LOG = "minimax_core"


def _retry_delays(caplog: pytest.LogCaptureFixture) -> list[float]:
    """The waits the transport announced ("retry k of n in x s"), in order."""
    return [
        float(cast("tuple[Any, ...]", r.args)[3])
        for r in caplog.records
        if r.name == RETRY_LOG and r.msg.startswith("MiniMax call failed")
    ]


def _printed(error: BaseException) -> str:
    return "\n".join([str(error), repr(error), "".join(traceback.format_exception(error))])


def _run(fault: Fault, adapter: str, mode: str, base_url: str, seen: Seen) -> Any:
    settings = {"max_retries": 2, **fault.settings}
    if fault.call == "embed":
        model = embedding_model(adapter, base_url, spec=fault.spec, **settings)
        return embed(model, PROMPT, mode)
    model = chat_model(adapter, base_url, api=fault.api, spec=fault.spec, **settings)
    return ask(model, PROMPT, mode, stream=fault.call == "stream", seen=seen)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("adapter", ADAPTERS)
@pytest.mark.parametrize("fault", FAULTS, ids=[f.id for f in FAULTS])
def test_fault_matrix(
    fault: Fault,
    adapter: str,
    mode: str,
    emulator: EmulatorServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger=RETRY_LOG)
    seen = Seen()
    outcome: Any = None
    error: BaseException | None = None
    started = time.monotonic()
    raw = RawServer(fault.raw) if isinstance(fault.raw, tuple) else None
    try:
        if raw is not None:
            with raw:
                outcome = _run(fault, adapter, mode, raw.base_url, seen)
        else:
            url = closed_port_url() if fault.raw == "refused" else emulator.base_url
            outcome = _run(fault, adapter, mode, url, seen)
    except Exception as exc:
        error = exc
    elapsed = time.monotonic() - started

    # attempts: exactly as many as the retry rules allow
    if raw is not None:
        assert raw.count == fault.attempts
    elif fault.raw is None:
        assert len(emulator.requests) == fault.attempts
        bodies = [r.json for r in emulator.requests]
        assert all(b == bodies[0] for b in bodies), "a retry must resend the same request"

    # the waits between them: announced, within the backoff bounds, and really waited
    delays = _retry_delays(caplog)
    assert len(delays) == fault.attempts - 1
    for k, delay in enumerate(delays):
        assert 0.75 * 0.5 * 2**k <= delay <= 0.5 * 2**k, (k, delay)
    assert elapsed >= sum(delays)
    assert elapsed < sum(delays) + 15  # loose: only catches a hang or a runaway retry loop

    if fault.error is None:
        assert error is None, f"unexpected {error!r}"
        if fault.call == "embed":
            assert len(outcome) == 1536
        else:
            assert outcome == f"Echo: {PROMPT}"
            assert seen.complete
        return

    assert error is not None, f"expected {fault.error}, got {outcome!r}"
    expected = getattr(core, fault.error)
    assert type(error).__name__ == fault.error
    assert isinstance(error, expected)
    if adapter == "langchain":  # LangChain's twin: also the matching langchain_core error
        assert type(error).__module__ == "langchain_minimax.errors"
    for phrase in fault.says:
        assert phrase in str(error), f"{phrase!r} not in {str(error)!r}"
    retryable = fault.attempts > 1 if fault.retryable is None else fault.retryable
    if not isinstance(error, core.StreamInterruptedError):  # retried only before any text
        assert error.is_retryable is retryable
    if fault.status is not None:
        assert error.status_code == fault.status
    if fault.code is not None:
        assert error.code == fault.code
    if isinstance(error, core.APIStatusError) and fault.raw is None:
        assert error.request_id, "a server-reported error carries the request id"
        assert error.request_id in str(error)
    assert API_KEY not in _printed(error)
    if fault.shown is not None:
        assert seen.text == fault.shown
        assert not seen.complete, "a broken stream must never end like a complete answer"
    if isinstance(error, core.StreamInterruptedError):
        assert error.partial_text == seen.text
