"""Retries: what is retried, how often, how long we wait, and never mid-stream.

The policy: ``docs/protocol-notes.md`` §8.3. Back-off sleeps are recorded, not slept (the ``sleeps``
fixture replaces the standard library's ``time.sleep`` / ``asyncio.sleep`` as the transport sees
them).
"""

from __future__ import annotations

import email.utils
import json
import time

import httpx
import pytest

from minimax_core import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    ChatParams,
    ContextOverflowError,
    InsufficientBalanceError,
    InvalidRequestError,
    RateLimitError,
    ServerError,
    StreamInterruptedError,
)
from minimax_core._retry import RetryPolicy, retry_after_seconds

from .support import (
    FakeServer,
    Runner,
    base_resp,
    chunk,
    completion,
    fail,
    hi,
    json_reply,
    make_client,
    mm_error,
    raw_reply,
    sse,
    sse_reply,
)

PARAMS = ChatParams(model="MiniMax-M2.7")
OK_REPLY = json_reply(completion("done"))
OK_STREAM = sse_reply(sse(chunk("done", finish="stop")))
RATE_LIMIT_429 = json_reply(
    mm_error("rate limit exceeded(RPM) (1002)", "rate_limit_error", 429), 429
)
RATE_LIMIT_200 = json_reply(base_resp(1002, "rate limit exceeded(RPM)"))


def base(attempt: int) -> float:
    """The documented schedule: 0.5 s, 1 s, 2 s ... capped at 8 s (jitter takes up to 25 % off)."""
    return min(0.5 * 2.0**attempt, 8.0)


def assert_backoff(delays: list[float]) -> None:
    for attempt, delay in enumerate(delays):
        assert 0.75 * base(attempt) <= delay <= base(attempt), (attempt, delay)


# --- the pure policy ---------------------------------------------------------------------


def test_backoff_is_exponential_with_jitter_within_bounds() -> None:
    policy = RetryPolicy(max_retries=10)
    for attempt in range(10):
        samples = [policy.delay(attempt, True) for _ in range(200)]
        expected = min(0.5 * 2**attempt, 8.0)
        assert all(d is not None and 0.75 * expected <= d <= expected for d in samples)
        assert len(set(samples)) > 1, "jitter: the delays vary"
    # The cap.
    assert max(policy.delay(9, True) or 0 for _ in range(50)) <= 8.0


def test_give_up_when_not_retryable_or_out_of_retries() -> None:
    policy = RetryPolicy(max_retries=2)
    assert policy.delay(0, False) is None
    assert policy.delay(1, True) is not None
    assert policy.delay(2, True) is None
    assert RetryPolicy(max_retries=0).delay(0, True) is None


def test_retry_after_headers() -> None:
    now = 1_800_000_000.0
    date = email.utils.formatdate(now + 7, usegmt=True)
    assert retry_after_seconds(httpx.Headers({"Retry-After": "3"})) == 3.0
    assert retry_after_seconds(httpx.Headers({"Retry-After": "1.5"})) == 1.5
    assert retry_after_seconds(httpx.Headers({"Retry-After": date}), now=now) == 7.0
    assert retry_after_seconds(httpx.Headers({"Retry-After": date}), now=now + 60) == 0.0
    assert retry_after_seconds(httpx.Headers({"retry-after-ms": "250"})) == 0.25
    # retry-after-ms is the more precise one when both are present.
    both = httpx.Headers({"retry-after-ms": "1500", "Retry-After": "2"})
    assert retry_after_seconds(both) == 1.5
    assert retry_after_seconds(httpx.Headers({"retry-after-ms": "x", "Retry-After": "2"})) == 2.0
    assert retry_after_seconds(httpx.Headers({"Retry-After": "-4"})) == 0.0
    assert retry_after_seconds(httpx.Headers({"Retry-After": "soon"})) is None
    assert retry_after_seconds(httpx.Headers({})) is None
    assert retry_after_seconds(None) is None


def test_an_http_date_retry_after_is_relative_to_now() -> None:
    date = email.utils.formatdate(time.time() + 30, usegmt=True)
    waited = retry_after_seconds(httpx.Headers({"Retry-After": date}))
    assert waited is not None
    assert 25 <= waited <= 30


def test_retry_after_beats_backoff_but_over_long_ones_are_not_waited_for() -> None:
    policy = RetryPolicy(max_retries=3, max_retry_after=60)
    assert policy.delay(0, True, httpx.Headers({"Retry-After": "0"})) == 0.0
    assert policy.delay(0, True, httpx.Headers({"Retry-After": "42"})) == 42.0
    assert policy.delay(0, True, httpx.Headers({"Retry-After": "3600"})) is None


# --- counts, through the client (sync and async) ------------------------------------------


@pytest.mark.parametrize(
    "failure", [RATE_LIMIT_429, RATE_LIMIT_200], ids=["http-429", "http-200-1002"]
)
@pytest.mark.parametrize("failures", [1, 2])
def test_rate_limits_are_retried_until_success(
    runner: Runner, sleeps: list[float], failure: object, failures: int
) -> None:
    server = FakeServer(*[failure] * failures, OK_REPLY)  # type: ignore[arg-type]
    client = make_client(server, max_retries=2, api="native")
    result = runner.chat(client, hi(), PARAMS)
    assert result.message.content == "done"
    assert server.count == failures + 1
    assert len(sleeps) == failures
    assert_backoff(sleeps)
    # Every attempt sends the same request.
    assert len({r.content for r in server.requests}) == 1


@pytest.mark.parametrize(
    ("reply", "cls"),
    [
        (json_reply(mm_error("unknown error, 999 (1000)", "server_error", 500), 500), ServerError),
        (json_reply(mm_error("overloaded", "overloaded_error", 529), 529), ServerError),
        (raw_reply(b"<html>502 Bad Gateway</html>", 502, "text/html"), ServerError),
        (RATE_LIMIT_429, RateLimitError),
    ],
    ids=["500", "529", "502-html", "429"],
)
@pytest.mark.parametrize("max_retries", [0, 2, 3])
def test_persistent_failures_take_exactly_max_retries_plus_one_attempts(
    runner: Runner, sleeps: list[float], reply: object, cls: type, max_retries: int
) -> None:
    server = FakeServer(reply)  # type: ignore[arg-type]
    client = make_client(server, max_retries=max_retries)
    with pytest.raises(cls):
        runner.chat(client, hi(), PARAMS)
    assert server.count == max_retries + 1
    assert len(sleeps) == max_retries
    assert_backoff(sleeps)


@pytest.mark.parametrize(
    ("reply", "cls"),
    [
        (
            json_reply(mm_error("invalid params (2013)", "bad_request_error", 400), 400),
            InvalidRequestError,
        ),
        (
            json_reply(
                mm_error("context window exceeds limit (2013)", "bad_request_error", 400), 400
            ),
            ContextOverflowError,
        ),
        (
            json_reply(mm_error("login fail (1004)", "authorized_error", 401), 401),
            AuthenticationError,
        ),
        (json_reply(base_resp(1004, "token not match group")), AuthenticationError),
        (json_reply(base_resp(2049, "invalid api key")), AuthenticationError),
        (
            json_reply(mm_error("insufficient balance (1008)", "rate_limit_error", 429), 429),
            InsufficientBalanceError,
        ),
        (json_reply(base_resp(1008, "insufficient balance")), InsufficientBalanceError),
    ],
    ids=["2013", "2013-context", "401-1004", "200-1004", "200-2049", "429-1008", "200-1008"],
)
def test_errors_that_cannot_succeed_are_sent_once(
    runner: Runner, sleeps: list[float], reply: object, cls: type
) -> None:
    server = FakeServer(reply, OK_REPLY)  # type: ignore[arg-type]
    with pytest.raises(cls):
        runner.chat(make_client(server, max_retries=3, api="native"), hi(), PARAMS)
    assert server.count == 1
    assert sleeps == []


@pytest.mark.parametrize(
    ("headers", "waited"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"retry-after-ms": "250"}, 0.25),
        ({"Retry-After": "0"}, 0.0),
    ],
)
def test_retry_after_is_honoured(
    runner: Runner, sleeps: list[float], headers: dict[str, str], waited: float
) -> None:
    limited = json_reply(
        mm_error("rate limit exceeded(RPM) (1002)", "rate_limit_error", 429), 429, headers
    )
    server = FakeServer(limited, OK_REPLY)
    runner.chat(make_client(server), hi(), PARAMS)
    assert server.count == 2
    assert sleeps == [waited]


def test_retry_after_as_an_http_date_is_honoured(runner: Runner, sleeps: list[float]) -> None:
    date = email.utils.formatdate(time.time() + 20, usegmt=True)
    limited = json_reply(
        mm_error("busy (1002)", "rate_limit_error", 429), 429, {"Retry-After": date}
    )
    server = FakeServer(limited, OK_REPLY)
    runner.chat(make_client(server), hi(), PARAMS)
    assert len(sleeps) == 1
    assert 15 <= sleeps[0] <= 20


def test_an_over_long_retry_after_is_not_waited_for(runner: Runner, sleeps: list[float]) -> None:
    limited = json_reply(
        mm_error("usage window used up (1002)", "rate_limit_error", 429),
        429,
        {"Retry-After": "3600"},
    )
    server = FakeServer(limited, OK_REPLY)
    with pytest.raises(RateLimitError) as info:
        runner.chat(make_client(server), hi(), PARAMS)
    assert server.count == 1
    assert sleeps == []
    assert info.value.headers is not None
    assert info.value.headers["Retry-After"] == "3600"


@pytest.mark.parametrize(
    ("make", "cls"),
    [
        (
            lambda r: httpx.ConnectError("[Errno 111] Connection refused", request=r),
            APIConnectionError,
        ),
        (lambda r: httpx.RemoteProtocolError("Server disconnected", request=r), APIConnectionError),
        (lambda r: httpx.ConnectTimeout("timed out", request=r), APITimeoutError),
        (lambda r: httpx.ReadTimeout("timed out", request=r), APITimeoutError),
    ],
    ids=["connect", "disconnect", "connect-timeout", "read-timeout"],
)
def test_connection_errors_and_timeouts_are_retried(
    runner: Runner, sleeps: list[float], make: object, cls: type
) -> None:
    server = FakeServer(fail(make), OK_REPLY)  # type: ignore[arg-type]
    assert runner.chat(make_client(server), hi(), PARAMS).message.content == "done"
    assert server.count == 2
    # Persistent: max_retries + 1 attempts, then the typed error.
    server = FakeServer(fail(make))  # type: ignore[arg-type]
    with pytest.raises(cls) as info:
        runner.chat(make_client(server, max_retries=2), hi(), PARAMS)
    assert server.count == 3
    assert isinstance(info.value.__cause__, httpx.TransportError)


# --- streams -------------------------------------------------------------------------------


def test_no_retry_after_the_first_streamed_item(runner: Runner, sleeps: list[float]) -> None:
    """A stream that dies mid-way raises StreamInterruptedError; the request went out once."""
    broken = sse_reply(
        [sse(chunk("Hello "), done=False), sse(chunk("wor"), done=False)],
        error=httpx.RemoteProtocolError("peer closed connection without sending complete message"),
    )
    server = FakeServer(broken, OK_STREAM)
    outcome = runner.stream(make_client(server, max_retries=3), hi(), PARAMS)
    assert isinstance(outcome.error, StreamInterruptedError)
    assert outcome.error.partial_text == "Hello wor"
    assert outcome.text == "Hello wor"
    assert isinstance(outcome.error.__cause__, httpx.RemoteProtocolError)
    assert server.count == 1
    assert sleeps == []


def test_a_stream_that_goes_silent_mid_answer_keeps_the_partial_answer(
    runner: Runner, sleeps: list[float]
) -> None:
    """A read timeout after text was shown: not retried, and the text is not lost."""
    silent = sse_reply(
        [sse(chunk("Hello "), done=False), sse(chunk("wor"), done=False)],
        error=httpx.ReadTimeout("timed out", request=None),
    )
    server = FakeServer(silent, OK_STREAM)
    outcome = runner.stream(make_client(server, max_retries=3), hi(), PARAMS)
    assert isinstance(outcome.error, StreamInterruptedError)
    assert outcome.error.partial_text == outcome.text == "Hello wor"
    assert "went silent in the middle of the answer" in str(outcome.error)
    assert "did not answer in time" in str(outcome.error)
    assert isinstance(outcome.error.__cause__, httpx.ReadTimeout)
    assert server.count == 1
    assert sleeps == []


def test_a_stream_silent_before_its_first_item_on_every_attempt_is_a_timeout(
    runner: Runner, sleeps: list[float]
) -> None:
    """Nothing was shown: retried, then reported as the timeout it is."""
    silent = sse_reply(
        sse(chunk(""), done=False), error=httpx.ReadTimeout("timed out", request=None)
    )
    server = FakeServer(silent)
    outcome = runner.stream(make_client(server, max_retries=1), hi(), PARAMS)
    assert isinstance(outcome.error, APITimeoutError)
    assert server.count == 2
    assert len(sleeps) == 1


def test_a_stream_cut_cleanly_mid_answer_is_not_retried(
    runner: Runner, sleeps: list[float]
) -> None:
    server = FakeServer(sse_reply(sse(chunk("Hello "), done=False)), OK_STREAM)
    outcome = runner.stream(make_client(server, max_retries=3), hi(), PARAMS)
    assert isinstance(outcome.error, StreamInterruptedError)
    assert outcome.error.partial_text == "Hello "
    assert server.count == 1


def test_an_error_event_after_items_is_raised_not_retried(
    runner: Runner, sleeps: list[float]
) -> None:
    event = mm_error("rate limit exceeded(RPM) (1002)", "rate_limit_error", 429)
    server = FakeServer(sse_reply([sse(chunk("Hel"), done=False), sse(event)]), OK_STREAM)
    outcome = runner.stream(make_client(server, max_retries=3), hi(), PARAMS)
    assert isinstance(outcome.error, RateLimitError)
    assert outcome.text == "Hel"
    assert server.count == 1


@pytest.mark.parametrize(
    "first",
    [
        RATE_LIMIT_429,
        json_reply(mm_error("overloaded", "overloaded_error", 529), 529),
        fail(lambda r: httpx.ConnectError("refused", request=r)),
        # Only a role chunk arrived (nothing reached the caller), then the connection broke.
        sse_reply(
            sse(chunk(""), done=False), error=httpx.ReadError("connection reset", request=None)
        ),
        # The server closed the stream before sending anything.
        sse_reply(b""),
        # An error event before any item.
        sse_reply(sse(mm_error("busy (1002)", "rate_limit_error", 429))),
    ],
    ids=["429", "529", "connect", "reset-before-items", "empty", "error-event-first"],
)
def test_a_stream_that_fails_before_its_first_item_is_retried(
    runner: Runner, sleeps: list[float], first: object
) -> None:
    server = FakeServer(first, OK_STREAM)  # type: ignore[arg-type]
    outcome = runner.stream(make_client(server, max_retries=2), hi(), PARAMS)
    assert outcome.error is None
    assert outcome.text == "done"
    assert outcome.result is not None
    assert outcome.result.message.content == "done"
    assert server.count == 2
    assert len(sleeps) == 1
    # Both attempts were stream requests.
    assert all(json.loads(r.content)["stream"] is True for r in server.requests)


def test_an_error_in_the_same_read_as_the_first_item_is_retried(
    runner: Runner, sleeps: list[float]
) -> None:
    """Nothing reached the caller yet (the read is decoded whole), so a retry duplicates nothing."""
    event = mm_error("rate limit exceeded(RPM) (1002)", "rate_limit_error", 429)
    server = FakeServer(sse_reply(sse(chunk("Hel"), event)), OK_STREAM)
    outcome = runner.stream(make_client(server, max_retries=3), hi(), PARAMS)
    assert outcome.error is None
    assert outcome.text == "done"
    assert server.count == 2


def test_a_stream_that_keeps_failing_before_its_first_item_gives_up(
    runner: Runner, sleeps: list[float]
) -> None:
    server = FakeServer(RATE_LIMIT_429)
    outcome = runner.stream(make_client(server, max_retries=2), hi(), PARAMS)
    assert isinstance(outcome.error, RateLimitError)
    assert outcome.deltas == []
    assert server.count == 3
    assert_backoff(sleeps)


def test_a_stream_cut_after_its_headers_on_every_attempt_is_an_interrupted_stream(
    runner: Runner, sleeps: list[float]
) -> None:
    """Retried (nothing reached the caller), then reported as a cut stream, not a refused one."""
    cut = sse_reply(
        sse(chunk(""), done=False),
        error=httpx.RemoteProtocolError("peer closed connection without sending complete message"),
    )
    server = FakeServer(cut)
    outcome = runner.stream(make_client(server, max_retries=1), hi(), PARAMS)
    assert isinstance(outcome.error, StreamInterruptedError)
    assert outcome.error.partial_text == ""
    assert isinstance(outcome.error.__cause__, httpx.RemoteProtocolError)
    assert server.count == 2
    assert len(sleeps) == 1


def test_a_connection_refused_on_every_attempt_stays_a_connection_error(
    runner: Runner, sleeps: list[float]
) -> None:
    server = FakeServer(fail(lambda r: httpx.ConnectError("refused", request=r)))
    outcome = runner.stream(make_client(server, max_retries=1), hi(), PARAMS)
    assert isinstance(outcome.error, APIConnectionError)
    assert not isinstance(outcome.error, StreamInterruptedError)
    assert server.count == 2
