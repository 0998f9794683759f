"""Every error carrier maps to the right class, code, status and request id.

The rules: ``docs/protocol-notes.md`` §8. Carriers: an HTTP error status with MiniMax's or
DashScope's body (or a non-JSON one), an HTTP-200 ``base_resp`` failure (native routes, embeddings),
a JSON error answering a stream request, and an error object inside a stream. Recorded replies:
``tests/fixtures/captures``.
"""

from __future__ import annotations

import json
import pickle
from typing import Any

import httpx
import pytest

from minimax_core import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    ChatParams,
    ContentFilterError,
    ContextOverflowError,
    InsufficientBalanceError,
    InvalidInputError,
    InvalidRequestError,
    MalformedResponseError,
    MiniMaxError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    StreamInterruptedError,
    ToolChoiceError,
)
from minimax_core._failures import response_error
from minimax_core._io import as_error
from minimax_core._protocol import ChatStreamDecoder, interpret_chat, interpret_embeddings
from minimax_core._request import prepare_chat
from minimax_core._types import UserMessage
from minimax_core.errors import classify, code_from_message

from .support import (
    KEY,
    FakeServer,
    Runner,
    base_resp,
    capture,
    chunk,
    fail,
    hi,
    json_reply,
    make_client,
    meta,
    mm_error,
    raw_reply,
    sse,
    sse_reply,
)


def prepared(api: str = "openai", stream: bool = False) -> Any:
    return prepare_chat(
        [UserMessage("hi")], ChatParams(model="MiniMax-M2.7"), api=api, stream=stream
    )


def chat_error(status: int, body: bytes, headers: dict[str, str] | None = None) -> MiniMaxError:
    with pytest.raises(MiniMaxError) as info:
        interpret_chat(prepared(), meta(status, headers), body)
    return info.value


# --- recorded replies ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "cls", "code", "request_id"),
    [
        (
            "openai-chat-error-400-2013-context-window.fixture.json",
            ContextOverflowError,
            2013,
            "0640ba842245a2234f67f9f955956ba6",
        ),
        (
            "openai-chat-error-400-2013-malformed-json.fixture.json",
            InvalidRequestError,
            2013,
            "0640ba8346a7d50dcbd5cc18c5075e36",
        ),
        (
            "openai-chat-error-400-2013-missing-messages.fixture.json",
            InvalidRequestError,
            2013,
            "0640ba8316d8b09293f1c3611e31f804",
        ),
        (
            # An unknown model is a 400 / 2013, not a 404 (``docs/protocol-notes.md`` §8.2).
            "openai-chat-error-400-2013-unknown-model.fixture.json",
            InvalidRequestError,
            2013,
            "0640ba836689481a9c9410847decb247",
        ),
        (
            "openai-chat-error-401-1004-bad-key.fixture.json",
            AuthenticationError,
            1004,
            "0640ba838096cbdbe96fe03bc1654ebe",
        ),
    ],
)
def test_openai_route_http_errors(
    name: str, cls: type[MiniMaxError], code: int, request_id: str
) -> None:
    status, headers, body = capture(name)
    assert status is not None
    error = chat_error(status, body, headers)
    assert type(error) is cls
    assert (error.status_code, error.code, error.request_id) == (status, code, request_id)
    assert not error.is_retryable
    # The server's own words are kept.
    assert json.loads(body)["error"]["message"].split(" (")[0][:30] in error.message
    # Response headers ride along (Retry-After would be read from them).
    assert error.headers is not None
    assert error.headers["Trace-Id"] == request_id


def test_unknown_model_is_not_a_context_overflow_nor_not_found() -> None:
    status, headers, body = capture("openai-chat-error-400-2013-unknown-model.fixture.json")
    error = chat_error(status or 0, body, headers)
    assert not isinstance(error, (ContextOverflowError, NotFoundError))


def test_bad_key_message_names_the_region_mismatch() -> None:
    status, headers, body = capture("openai-chat-error-401-1004-bad-key.fixture.json")
    message = str(chat_error(status or 0, body, headers))
    assert "api.minimax.io" in message
    assert "api.minimaxi.com" in message
    assert "region" in message


def test_native_http_200_base_resp_failure() -> None:
    status, headers, body = capture("native-files-list-http200-1004-bad-key.fixture.json")
    assert status == 200
    with pytest.raises(AuthenticationError) as info:
        interpret_chat(prepared("native"), meta(status, headers), body)
    error = info.value
    assert (error.status_code, error.code) == (200, 1004)
    # Trace-Id: the id MiniMax puts in error bodies and asks for in support requests.
    assert error.request_id == "0640ba83a3280cd782f714aefb8c6318"
    assert "region" in str(error)


def test_embeddings_http_200_rate_limit() -> None:
    _, _, body = capture("embeddings-http200-1002-rpm.doc.json")
    with pytest.raises(RateLimitError) as info:
        interpret_embeddings(1, meta(200, {"Trace-Id": "t-1"}), body)
    assert (info.value.code, info.value.status_code, info.value.request_id) == (1002, 200, "t-1")
    assert info.value.is_retryable
    assert "rate limit exceeded(RPM)" in str(info.value)


def test_embeddings_http_200_invalid_params() -> None:
    _, _, body = capture("embeddings-http200-2013-missing-texts.doc.json")
    with pytest.raises(InvalidRequestError) as info:
        interpret_embeddings(1, meta(200), body)
    assert info.value.code == 2013
    assert "texts" in str(info.value)
    assert not info.value.is_retryable


@pytest.mark.parametrize(
    "name",
    [
        "openai-chat-error-400-2013-web-search-tool.doc.json",
        "openai-chat-error-400-2013-invalid-tool-type.doc.json",
    ],
)
def test_error_body_without_known_status_uses_its_http_code(name: str) -> None:
    _, _, body = capture(name)
    error = response_error(None, body)
    assert isinstance(error, InvalidRequestError)
    assert (error.status_code, error.code) == (400, 2013)


# --- stream carriers -----------------------------------------------------------------------


def decode_stream(status: int, content_type: str, body: bytes) -> MiniMaxError:
    decoder = ChatStreamDecoder(prepared(stream=True))
    decoder.begin(meta(status, {"content-type": content_type, "Trace-Id": "trace-s"}))

    def read() -> None:
        if content_type == "text/event-stream" and status < 400:
            decoder.feed(body)
            decoder.close()
        else:
            decoder.whole(body)

    with pytest.raises(MiniMaxError) as info:
        read()
    return info.value


def test_json_error_answering_a_stream_request() -> None:
    body = json.dumps(mm_error("rate limit exceeded(RPM) (1002)", "rate_limit_error", 429))
    error = decode_stream(429, "application/json", body.encode())
    assert isinstance(error, RateLimitError)
    assert (error.status_code, error.code) == (429, 1002)
    assert error.is_retryable


def test_minimax_error_object_inside_a_stream() -> None:
    event = mm_error("insufficient balance (1008)", "insufficient_balance_error", 402)
    error = decode_stream(200, "text/event-stream", sse(chunk("Hel"), event))
    assert isinstance(error, InsufficientBalanceError)
    assert (error.code, error.status_code) == (1008, 402)
    assert error.request_id == "0640ba8300000000000000000000beef"


def test_base_resp_failure_inside_a_stream() -> None:
    event = {"id": "x", "choices": [], **base_resp(1002, "rate limit exceeded(RPM)")}
    error = decode_stream(200, "text/event-stream", sse(chunk("Hel"), event))
    assert isinstance(error, RateLimitError)
    assert (error.code, error.status_code, error.request_id) == (1002, 200, "trace-s")


def test_dashscope_error_body() -> None:
    body = {
        "error": {
            "code": "InvalidApiKey",
            "message": "Invalid API-key provided.",
            "type": "invalid_request_error",
        },
        "request_id": "ds-req-1",
    }
    error = chat_error(401, json.dumps(body).encode())
    assert isinstance(error, AuthenticationError)
    assert (error.status_code, error.code, error.request_id) == (401, None, "ds-req-1")
    assert "Invalid API-key provided." in str(error)


def test_dashscope_throttling_is_a_retryable_rate_limit() -> None:
    body = {"error": {"code": "Throttling.RateQuota", "message": "Requests rate limit exceeded."}}
    error = chat_error(429, json.dumps(body).encode())
    assert isinstance(error, RateLimitError)
    assert error.is_retryable


@pytest.mark.parametrize("code", ["1039", 1039])
def test_numeric_error_code_field_is_used(code: str | int) -> None:
    body = {"error": {"code": code, "message": "token limit"}}
    error = chat_error(429, json.dumps(body).encode())
    assert (type(error), error.code) == (RateLimitError, 1039)


def test_non_json_502_html_page() -> None:
    body = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    error = chat_error(502, body, {"content-type": "text/html"})
    assert isinstance(error, ServerError)
    assert error.status_code == 502
    assert error.is_retryable
    assert "502 Bad Gateway" in str(error)


def test_empty_error_body_is_classified_by_status() -> None:
    error = chat_error(503, b"")
    assert isinstance(error, ServerError)
    assert error.is_retryable


def test_http_status_without_error_fields() -> None:
    error = chat_error(404, b'{"path": "/v1/chat/completion"}')
    assert isinstance(error, NotFoundError)


def test_http_429_carrying_1008_is_insufficient_balance_and_not_retried() -> None:
    body = json.dumps(mm_error("insufficient balance (1008)", "rate_limit_error", 429))
    error = chat_error(429, body.encode())
    assert isinstance(error, InsufficientBalanceError)
    assert not error.is_retryable
    assert error.status_code == 429


def test_context_window_on_the_native_route() -> None:
    body = json.dumps(base_resp(2013, "invalid params, context window exceeds limit"))
    with pytest.raises(ContextOverflowError):
        interpret_chat(prepared("native"), meta(200), body.encode())


def test_2049_names_the_region_and_hosts() -> None:
    body = json.dumps(base_resp(2049, "invalid api key"))
    with pytest.raises(AuthenticationError) as info:
        interpret_chat(prepared("native"), meta(200), body.encode())
    message = str(info.value)
    assert "invalid api key" in message
    assert "api.minimax.io" in message
    assert "api.minimaxi.com" in message


def test_error_http_code_sent_as_a_number_is_understood() -> None:
    body = {
        "type": "error",
        "error": {"type": "rate_limit_error", "message": "slow (1002)", "http_code": 429},
    }
    error = response_error(meta(200), json.dumps(body).encode())
    assert isinstance(error, RateLimitError)
    assert (error.status_code, error.code) == (429, 1002)


def test_success_bodies_report_no_error() -> None:
    assert response_error(meta(200), b'{"base_resp":{"status_code":0}}') is None
    assert response_error(meta(200), b"") is None


def test_non_json_success_body_is_malformed() -> None:
    error = response_error(meta(200, {"Trace-Id": "r-1"}), b"<html>")
    assert isinstance(error, MalformedResponseError)
    assert error.request_id == "r-1"


# --- classification table (``docs/protocol-notes.md`` §8.1, §8.3) -------------------------


@pytest.mark.parametrize(
    ("code", "cls", "retryable"),
    [
        (1000, ServerError, True),
        (1001, ServerError, True),
        (1002, RateLimitError, True),
        (1004, AuthenticationError, False),
        (1008, InsufficientBalanceError, False),
        (1013, ServerError, True),
        (1024, ServerError, True),
        (1026, ContentFilterError, False),
        (1027, ContentFilterError, False),
        (1033, ServerError, True),
        (1039, RateLimitError, True),
        (1041, RateLimitError, True),
        (2013, InvalidRequestError, False),
        (2044, PermissionDeniedError, False),
        (2045, RateLimitError, True),
        (2049, AuthenticationError, False),
        (2056, RateLimitError, False),
        (2061, PermissionDeniedError, False),
        (2062, RateLimitError, True),
    ],
)
@pytest.mark.parametrize("status", [None, 200, 400, 429, 500])
def test_the_code_decides_over_the_status(
    code: int, cls: type[MiniMaxError], retryable: bool, status: int | None
) -> None:
    error = classify(status_code=status, code=code, message="x")
    assert type(error) is cls
    assert error.is_retryable is retryable
    assert (error.code, error.status_code) == (code, status)


@pytest.mark.parametrize(
    ("status", "cls", "retryable"),
    [
        (400, InvalidRequestError, False),
        (401, AuthenticationError, False),
        (402, InsufficientBalanceError, False),
        (403, PermissionDeniedError, False),
        (404, NotFoundError, False),
        (408, ServerError, True),
        (413, InvalidRequestError, False),
        (422, InvalidRequestError, False),
        (429, RateLimitError, True),
        (500, ServerError, True),
        (501, ServerError, False),
        (502, ServerError, True),
        (503, ServerError, True),
        (504, ServerError, True),
        (529, ServerError, True),
    ],
)
def test_the_status_decides_without_a_code(
    status: int, cls: type[MiniMaxError], retryable: bool
) -> None:
    error = classify(status_code=status, code=None, message="no code here")
    assert (type(error), error.is_retryable) == (cls, retryable)


def test_code_is_read_from_the_message_suffix() -> None:
    assert code_from_message("invalid params, unknown model 'x' (2013)") == 2013
    assert code_from_message("rate limit (1002)  ") == 1002
    assert code_from_message("no code (12) here") is None
    error = classify(status_code=400, code=None, message="web_search is not support (2013)")
    assert error.code == 2013


def test_unknown_codes() -> None:
    assert type(classify(status_code=None, code=1999, message="?")) is ServerError
    assert not classify(status_code=None, code=1999, message="?").is_retryable
    assert type(classify(status_code=503, code=1999, message="?")) is ServerError
    assert classify(status_code=503, code=1999, message="?").is_retryable
    assert type(classify(status_code=None, code=2999, message="?")) is InvalidRequestError
    assert type(classify(status_code=None, code=None, message="?")) is InvalidRequestError


def test_empty_message_still_says_something() -> None:
    assert "2013" in str(classify(status_code=None, code=2013, message=""))
    assert str(classify(status_code=None, code=None, message="")).startswith("MiniMax error")


def test_auth_status_without_code_still_gets_the_region_hint() -> None:
    assert "region" in str(classify(status_code=401, code=None, message="Unauthorized"))


def test_str_shows_status_code_and_request_id() -> None:
    error = classify(status_code=400, code=2013, message="bad", request_id="rid-7")
    assert str(error) == "bad [HTTP 400, code 2013, request_id rid-7]"
    assert str(MiniMaxError("plain")) == "plain"


def test_hierarchy() -> None:
    assert issubclass(ContextOverflowError, InvalidRequestError)
    assert issubclass(APITimeoutError, APIConnectionError)
    for cls in (AuthenticationError, RateLimitError, ServerError, NotFoundError):
        assert issubclass(cls, APIStatusError)
    assert issubclass(InvalidInputError, ValueError)
    assert issubclass(InvalidInputError, MiniMaxError)


def test_transport_exceptions_become_connection_errors() -> None:
    request = httpx.Request("POST", "https://api.minimax.io/v1/chat/completions")
    timeout = as_error(httpx.ReadTimeout("read timed out", request=request))
    refused = as_error(httpx.ConnectError("connection refused", request=request))
    assert isinstance(timeout, APITimeoutError)
    assert timeout.is_retryable
    assert type(refused) is APIConnectionError
    assert refused.is_retryable
    assert as_error(KeyError("not ours")) is None
    mine = RateLimitError("x")
    assert as_error(mine) is mine


# --- pickling and the key -----------------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        classify(status_code=429, code=1002, message="slow down", request_id="r-1"),
        classify(status_code=400, code=2013, message="context window exceeds limit"),
        APITimeoutError("timed out"),
        StreamInterruptedError("cut", partial_text="Hello wor", request_id="r-2"),
        ToolChoiceError("no call", text="plain text answer"),
        MalformedResponseError("junk"),
        InvalidInputError("bad input"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_survive_a_pickle_round_trip(error: MiniMaxError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    for attribute in ("message", "status_code", "code", "request_id", "is_retryable"):
        assert getattr(copy, attribute) == getattr(error, attribute)
    for attribute in ("partial_text", "text"):
        if hasattr(error, attribute):
            assert getattr(copy, attribute) == getattr(error, attribute)


def assert_no_key(error: BaseException) -> None:
    for text in (str(error), repr(error), *map(str, error.args)):
        assert KEY not in text
        assert KEY[7:] not in text


@pytest.mark.parametrize(
    "reply",
    [
        json_reply(json.loads(capture("openai-chat-error-401-1004-bad-key.fixture.json")[2]), 401),
        # A proxy or server that echoes the credentials back must not put them in our errors.
        raw_reply(f"Bad header Authorization: Bearer {KEY}".encode(), 400, "text/plain"),
        json_reply(mm_error(f"invalid api key {KEY} (2049)", "authorized_error", 401), 401),
        json_reply(base_resp(1004, f"token {KEY} not match group")),
        fail(lambda r: httpx.ConnectError("[Errno 111] Connection refused", request=r)),
    ],
    ids=["401-capture", "echoed-in-text", "echoed-in-json", "echoed-in-base-resp", "connect"],
)
def test_the_api_key_never_appears_in_an_error(runner: Runner, reply: Any) -> None:
    server = FakeServer(reply)
    client = make_client(server, max_retries=0)
    with pytest.raises(MiniMaxError) as info:
        runner.chat(client, hi(), ChatParams(model="MiniMax-M2.7"))
    assert_no_key(info.value)
    outcome = runner.stream(client, hi(), ChatParams(model="MiniMax-M2.7"))
    assert outcome.error is not None
    assert_no_key(outcome.error)


def test_the_api_key_never_appears_in_an_error_inside_a_stream(runner: Runner) -> None:
    event = mm_error(f"key {KEY} was revoked (1004)", "authorized_error", 401)
    server = FakeServer(sse_reply(sse(chunk("partial "), event)))
    outcome = runner.stream(make_client(server), hi(), ChatParams(model="MiniMax-M2.7"))
    assert isinstance(outcome.error, AuthenticationError)
    assert_no_key(outcome.error)


@pytest.mark.parametrize(
    ("api", "reply"),
    [
        # the native tutorial's HTTP-200 shape
        (
            "native",
            json_reply({"base_resp": {"status_code": 400, "status_msg": "model not found"}}),
        ),
        # Model Studio's native protocol
        (
            "dashscope-native",
            json_reply(
                {"code": "ModelNotFound", "message": "Model not exist.", "request_id": "r"}, 404
            ),
        ),
    ],
    ids=["tutorial-400", "dashscope-native-404"],
)
def test_an_unknown_model_error_names_the_model(runner: Runner, api: str, reply: Any) -> None:
    server = FakeServer(reply)
    with pytest.raises(MiniMaxError) as info:
        runner.chat(make_client(server, api=api), hi(), ChatParams(model="MiniMax-M9"))
    assert "'MiniMax-M9' is not served here" in str(info.value)
    assert not info.value.is_retryable
    assert server.count == 1
