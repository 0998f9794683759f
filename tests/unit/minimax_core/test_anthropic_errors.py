"""The Anthropic-compatible route's failures, over a fake transport, sync and async: the route's
error envelope ``{"type":"error","error":{"type","message"},"request_id"}`` on an HTTP error
status, MiniMax's ``base_resp`` on an HTTP 200, a JSON error answering a stream request, and
``event: error`` inside a stream (``docs/protocol-notes.md`` §6, §8.2).
"""

from __future__ import annotations

from typing import Any

import pytest

from minimax_core import (
    AuthenticationError,
    ChatParams,
    ContentFilterError,
    InsufficientBalanceError,
    InvalidRequestError,
    MiniMaxError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)

from .anthropic_support import ant_error, event, events, message, stream_events, stream_of, text
from .support import KEY, FakeServer, Runner, hi, json_reply, make_client, sse_reply

PARAMS = ChatParams(model="MiniMax-M2.7")
OK = json_reply(message(text("Paris.")))
OK_STREAM = sse_reply(stream_of(message(text("Paris."))))

# (HTTP status, error type, message, class, retried): the documented statuses and types, with
# the codes MiniMax puts at the end of the message (observed: 2061 → 500, 1000 → 500).
FAILURES = [
    (401, "authentication_error", "invalid api key (2049)", AuthenticationError, False),
    (429, "rate_limit_error", "rate limit exceeded(RPM) (1002)", RateLimitError, True),
    (500, "api_error", "unknown error, 999 (1000)", ServerError, True),
    (529, "overloaded_error", "Overloaded", ServerError, True),
    (
        500,
        "api_error",
        "your current token plan not support model, MiniMax-M3 (2061)",
        PermissionDeniedError,
        False,
    ),
    (500, "api_error", "insufficient balance (1008)", InsufficientBalanceError, False),
    (
        400,
        "invalid_request_error",
        "invalid params, tool id not found (2013)",
        InvalidRequestError,
        False,
    ),
    (404, "not_found_error", "Not found", NotFoundError, False),
]
IDS = [f"{f[0]}-{f[1]}" for f in FAILURES]


def client_for(server: FakeServer, **config: Any) -> Any:
    return make_client(server, api="anthropic", **config)


@pytest.mark.parametrize("stream", [False, True], ids=["chat", "stream"])
@pytest.mark.parametrize(("status", "type_", "text_", "cls", "retried"), FAILURES, ids=IDS)
def test_an_http_error_is_typed_and_retried_as_the_table_says(
    runner: Runner,
    stream: bool,
    status: int,
    type_: str,
    text_: str,
    cls: type[MiniMaxError],
    retried: bool,
    sleeps: list[float],
) -> None:
    server = FakeServer(json_reply(ant_error(type_, text_, request_id="req-42"), status))
    client = client_for(server, max_retries=2)
    if stream:
        outcome = runner.stream(client, hi(), PARAMS)
        error = outcome.error
        assert outcome.deltas == []
    else:
        with pytest.raises(MiniMaxError) as info:
            runner.chat(client, hi(), PARAMS)
        error = info.value
    assert type(error) is cls
    assert error.status_code == status
    assert error.request_id == "req-42"
    assert error.is_retryable is retried
    assert text_ in error.message
    assert server.count == (3 if retried else 1)
    assert len(sleeps) == (2 if retried else 0)


def test_an_invalid_key_names_the_region_and_the_code(runner: Runner) -> None:
    body = ant_error("authentication_error", "invalid api key (2049)", request_id="r")
    server = FakeServer(json_reply(body, 401))
    with pytest.raises(AuthenticationError) as info:
        runner.chat(client_for(server), hi(), PARAMS)
    error = info.value
    assert error.code == 2049
    assert error.request_id == "r"
    assert "region='global'" in str(error)
    assert "region='cn'" in str(error)
    assert server.count == 1


@pytest.mark.parametrize("max_retries", [0, 1, 4])
def test_max_retries_is_respected(runner: Runner, max_retries: int, sleeps: list[float]) -> None:
    server = FakeServer(
        json_reply(ant_error("rate_limit_error", "rate limit exceeded(RPM) (1002)"), 429)
    )
    with pytest.raises(RateLimitError):
        runner.chat(client_for(server, max_retries=max_retries), hi(), PARAMS)
    assert server.count == 1 + max_retries
    assert len(sleeps) == max_retries


@pytest.mark.parametrize("stream", [False, True], ids=["chat", "stream"])
def test_a_retried_failure_then_the_answer(runner: Runner, stream: bool) -> None:
    overloaded = json_reply(ant_error("overloaded_error", "Overloaded"), 529)
    server = FakeServer(overloaded, OK_STREAM if stream else OK)
    client = client_for(server)
    if stream:
        outcome = runner.stream(client, hi(), PARAMS)
        assert outcome.error is None
        assert outcome.text == "Paris."
    else:
        assert runner.chat(client, hi(), PARAMS).message.content == "Paris."
    assert server.count == 2


# --- HTTP 200 carriers ------------------------------------------------------------------------


@pytest.mark.parametrize("stream", [False, True], ids=["chat", "stream"])
@pytest.mark.parametrize(
    ("body", "cls", "retried"),
    [
        (
            {"base_resp": {"status_code": 1008, "status_msg": "insufficient balance"}},
            InsufficientBalanceError,
            False,
        ),
        (
            {"base_resp": {"status_code": 2049, "status_msg": "invalid api key"}},
            AuthenticationError,
            False,
        ),
        (
            {"base_resp": {"status_code": 1002, "status_msg": "rate limit exceeded(RPM)"}},
            RateLimitError,
            True,
        ),
        (
            {
                **message(text("ignored")),
                "base_resp": {"status_code": 1027, "status_msg": "output new_sensitive"},
            },
            ContentFilterError,
            False,
        ),
    ],
    ids=["1008", "2049", "1002", "1027-with-a-message"],
)
def test_a_base_resp_failure_on_http_200(
    runner: Runner, stream: bool, body: dict[str, Any], cls: type[MiniMaxError], retried: bool
) -> None:
    server = FakeServer(json_reply(body))
    client = client_for(server, max_retries=1)
    if stream:
        outcome = runner.stream(client, hi(), PARAMS)
        error = outcome.error
    else:
        with pytest.raises(MiniMaxError) as info:
            runner.chat(client, hi(), PARAMS)
        error = info.value
    assert isinstance(error, cls)
    assert error.code == body["base_resp"]["status_code"]
    assert body["base_resp"]["status_msg"] in error.message
    assert server.count == (2 if retried else 1)


@pytest.mark.parametrize("stream", [False, True], ids=["chat", "stream"])
@pytest.mark.parametrize(
    ("type_", "cls", "retried"),
    [
        ("overloaded_error", ServerError, True),
        ("api_error", ServerError, True),
        ("rate_limit_error", RateLimitError, True),
        ("authentication_error", AuthenticationError, False),
        ("permission_error", PermissionDeniedError, False),
        ("invalid_request_error", InvalidRequestError, False),
    ],
)
def test_an_error_body_on_http_200_is_typed_by_its_error_type(
    runner: Runner, stream: bool, type_: str, cls: type[MiniMaxError], retried: bool
) -> None:
    """No HTTP status to go by (a proxy answering 200) and no ``(NNNN)`` code: the route's
    error type says what failed."""
    server = FakeServer(
        json_reply(ant_error(type_, "Something failed")), OK_STREAM if stream else OK
    )
    client = client_for(server, max_retries=1)
    if stream:
        outcome = runner.stream(client, hi(), PARAMS)
        error = outcome.error
    else:
        try:
            runner.chat(client, hi(), PARAMS)
            error = None
        except MiniMaxError as exc:
            error = exc
    if retried:
        assert error is None  # the second attempt got the answer
        assert server.count == 2
    else:
        assert type(error) is cls
        assert server.count == 1


# --- errors inside a stream ----------------------------------------------------------------------


def started(answer: str) -> bytes:
    """A streamed answer's beginning: ``message_start``, ``ping``, a text block's first delta."""
    items = stream_events(message(text(answer)), count=1)
    return events(*items[:4])


@pytest.mark.parametrize(
    ("type_", "text_", "cls"),
    [
        ("overloaded_error", "Overloaded", ServerError),
        ("api_error", "unknown error, 999 (1000)", ServerError),
        ("rate_limit_error", "rate limit exceeded(RPM) (1002)", RateLimitError),
        ("api_error", "insufficient balance (1008)", InsufficientBalanceError),
        ("invalid_request_error", "output new_sensitive (1027)", ContentFilterError),
    ],
)
def test_an_error_event_after_text_is_raised_and_not_retried(
    runner: Runner, type_: str, text_: str, cls: type[MiniMaxError]
) -> None:
    error_event = event(ant_error(type_, text_, request_id="req-7"), "error").encode()
    server = FakeServer(sse_reply([started("Paris is "), error_event]), OK_STREAM)
    outcome = runner.stream(client_for(server, max_retries=3), hi(), PARAMS)
    assert outcome.text == "Paris is "
    assert isinstance(outcome.error, cls)
    assert text_ in outcome.error.message
    assert outcome.error.request_id == "req-7"
    assert server.count == 1  # text reached the caller: the answer is never asked for again


def test_an_error_event_before_any_text_is_retried(runner: Runner) -> None:
    items = stream_events(message(text("x")))
    error_event = event(ant_error("overloaded_error", "Overloaded"), "error")
    server = FakeServer(sse_reply(events(*items[:2], error_event)), OK_STREAM)
    outcome = runner.stream(client_for(server), hi(), PARAMS)
    assert outcome.error is None
    assert outcome.text == "Paris."
    assert server.count == 2


# --- the key never shows -------------------------------------------------------------------------


def assert_no_key(error: BaseException | None) -> None:
    assert error is not None
    for shown in (str(error), repr(error), *map(str, error.args)):
        assert KEY not in shown
        assert KEY[7:] not in shown


@pytest.mark.parametrize(
    "reply",
    [
        json_reply(ant_error("authentication_error", f"invalid api key {KEY} (2049)"), 401),
        json_reply(ant_error("authentication_error", f"x-api-key: {KEY} rejected")),
        json_reply(
            {"base_resp": {"status_code": 1004, "status_msg": f"token {KEY} not match group"}}
        ),
        sse_reply(
            [
                started("Hello "),
                event(
                    ant_error("authentication_error", f"key {KEY} revoked (1004)"), "error"
                ).encode(),
            ]
        ),
    ],
    ids=["401", "200-envelope", "base-resp", "in-stream"],
)
def test_the_api_key_never_appears_in_an_error(runner: Runner, reply: Any) -> None:
    server = FakeServer(reply)
    client = client_for(server, max_retries=0)
    try:
        runner.chat(client, hi(), PARAMS)
    except MiniMaxError as exc:
        assert_no_key(exc)
    outcome = runner.stream(client, hi(), PARAMS)
    assert_no_key(outcome.error)
