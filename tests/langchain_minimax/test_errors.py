"""Errors through the adapter, every carrier on every route (``docs/protocol-notes.md`` §8).

Each failure surfaces as a ``langchain_minimax.errors`` class that is at once the
``minimax_core`` class and the matching ``langchain_core.exceptions.Model*Error``: MiniMax's
HTTP errors (OpenAI route), HTTP-200 ``base_resp`` failures (native), DashScope's error bodies,
JSON errors answering a stream request, errors inside a stream, dropped connections and malformed
chunks. Retries happen where they should and never once part of a stream reached the caller. The
API key never appears in what an error prints. Bad input is refused before anything is sent.
"""

from __future__ import annotations

import socket
import traceback
from typing import Any

import httpx
import pytest
from langchain_core import exceptions as lc
from langchain_core.messages import (
    AIMessage,
    FunctionMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)

import minimax_core as core
from langchain_minimax import ChatMiniMax
from langchain_minimax import errors as ours
from tests.langchain_minimax._support import (
    CALLS,
    MODES,
    ROUTES,
    aggregate,
    bodies,
    chat,
    invoke,
    is_stream,
    run,
)
from tests.support import API_KEY

PROMPT = "What is the capital of France?"
# a long question gives a long echo: many answer chunks to cut a stream in the middle of
LONG_QUESTION = "Please repeat this sentence about the old harbour of Marseille. " * 5


def _text_of(error: BaseException) -> str:
    """Everything a user could see printed: str, repr and the full traceback with its causes."""
    return "\n".join([str(error), repr(error), "".join(traceback.format_exception(error))])


def _assert_typed(error: BaseException, ours_cls: type, core_cls: type, lc_cls: type) -> None:
    assert type(error) is ours_cls
    assert isinstance(error, core_cls)
    assert isinstance(error, lc_cls)
    assert isinstance(error, core.MiniMaxError)
    assert isinstance(error, lc.LangChainException)


FAILURES = [
    # fail kind, our class, core class, langchain class
    ("1004", ours.AuthenticationError, core.AuthenticationError, lc.ModelAuthenticationError),
    ("2049", ours.AuthenticationError, core.AuthenticationError, lc.ModelAuthenticationError),
    ("2013", ours.InvalidRequestError, core.InvalidRequestError, lc.ModelInvalidRequestError),
    (
        "1008",
        ours.InsufficientBalanceError,
        core.InsufficientBalanceError,
        lc.ModelPermissionDeniedError,
    ),
    (
        "2061",
        ours.PermissionDeniedError,
        core.PermissionDeniedError,
        lc.ModelPermissionDeniedError,
    ),
    ("1026", ours.ContentFilterError, core.ContentFilterError, lc.ModelInvalidRequestError),
]
HTTP_STATUS = {"1004": 401, "2049": 401, "2013": 400, "1008": 402, "2061": 500, "1026": 400}
# the Anthropic route's statuses (docs/protocol-notes.md §8.2: 1008 arrives as 500 api_error)
ANTHROPIC_STATUS = {**HTTP_STATUS, "1008": 500}


# every call style for the first two kinds; one sync and one async style for the others
_FAILURE_CASES = [
    pytest.param(*failure, call, id=f"{failure[0]}-{call}")
    for n, failure in enumerate(FAILURES)
    for call in (CALLS if n < 2 else ("invoke", "astream"))
]


@pytest.mark.parametrize(("kind", "ours_cls", "core_cls", "lc_cls", "call"), _FAILURE_CASES)
@pytest.mark.parametrize("route", ROUTES)
async def test_reported_failures_raise_typed_errors_and_are_not_retried(
    emulator, route, kind, ours_cls, core_cls, lc_cls, call
):
    llm = chat(emulator, route, spec=f"fail={kind}")

    with pytest.raises(ours_cls) as caught:
        await run(llm, PROMPT, call)

    error = caught.value
    _assert_typed(error, ours_cls, core_cls, lc_cls)
    assert error.is_retryable is False
    assert len(emulator.requests) == 1
    assert error.request_id
    assert len(error.request_id) == 32
    assert error.request_id in str(error)
    if route == "openai":
        assert (error.status_code, error.code) == (HTTP_STATUS[kind], int(kind))
    elif route == "native":  # MiniMax's native route reports failures with HTTP 200
        assert (error.status_code, error.code) == (200, int(kind))
    elif route == "anthropic":  # the code in the message decides over the HTTP status
        assert (error.status_code, error.code) == (ANTHROPIC_STATUS[kind], int(kind))
    if ours_cls is ours.AuthenticationError:
        if route == "dashscope":
            assert "DASHSCOPE_API_KEY" in str(error)
        else:  # the usual cause: a key from the other region's platform
            assert "region='cn'" in str(error)
            assert "api.minimaxi.com" in str(error)
    assert API_KEY not in _text_of(error)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("route", ROUTES)
async def test_a_wrong_key_is_an_authentication_error_that_never_shows_the_key(
    emulator, route, mode
):
    canary = "sk-api-CANARY-9f8e7d6c5b4a3210"
    llm = chat(emulator, route, api_key=canary)

    with pytest.raises(ours.AuthenticationError) as caught:
        await invoke(llm, PROMPT, mode)

    assert canary not in _text_of(caught.value)
    assert canary not in repr(llm)
    assert canary not in str(llm.model_dump())


@pytest.mark.parametrize("mode", MODES)
async def test_a_key_echoed_back_by_a_server_is_masked(mode):
    def handler(request: httpx.Request) -> httpx.Response:
        auth = request.headers["authorization"]
        body = {
            "type": "error",
            "error": {"type": "bad_request_error", "message": f"bad header {auth} (2013)"},
        }
        return httpx.Response(400, json=body)

    transport = httpx.MockTransport(handler)
    llm = ChatMiniMax(
        api_key=API_KEY,  # type: ignore[arg-type]
        http_client=httpx.Client(transport=transport),
        http_async_client=httpx.AsyncClient(transport=transport),
    )

    with pytest.raises(ours.InvalidRequestError) as caught:
        await invoke(llm, PROMPT, mode)

    assert API_KEY not in _text_of(caught.value)
    assert "bad header Bearer ***" in str(caught.value)


def test_the_langchain_classes_mirror_the_core_hierarchy():
    names = [n for n in ours.__all__ if n != "translate_errors"]
    pairs = {name: (getattr(ours, name), getattr(core, name)) for name in names}
    for name, (mine, theirs) in pairs.items():
        assert issubclass(mine, theirs), name
        assert issubclass(mine, lc.ModelError) or mine is ours.ToolChoiceError, name
        for other, (mine2, theirs2) in pairs.items():
            assert issubclass(mine, mine2) == issubclass(theirs, theirs2), (name, other)
    assert issubclass(ours.ToolChoiceError, lc.OutputParserException)


@pytest.mark.parametrize("mode", MODES)
async def test_a_slow_server_is_a_timeout_error(emulator, mode):
    llm = chat(emulator, spec="first_byte_ms=600", timeout=0.1, max_retries=0)

    with pytest.raises(ours.APITimeoutError) as caught:
        await invoke(llm, PROMPT, mode)

    _assert_typed(caught.value, ours.APITimeoutError, core.APITimeoutError, lc.ModelTimeoutError)
    assert isinstance(caught.value, ours.APIConnectionError)
    assert isinstance(caught.value, lc.ModelConnectionError)
    assert caught.value.is_retryable is True


@pytest.mark.parametrize("mode", MODES)
async def test_an_unreachable_server_is_a_connection_error(mode):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    llm = ChatMiniMax(api_key=API_KEY, base_url=f"http://127.0.0.1:{port}", max_retries=0)  # type: ignore[arg-type]

    with pytest.raises(ours.APIConnectionError) as caught:
        await invoke(llm, PROMPT, mode)

    assert isinstance(caught.value, lc.ModelConnectionError)
    assert API_KEY not in _text_of(caught.value)


RETRIED = [
    # a transient failure once, then success: (route, fail kind, call)
    ("openai", "429", "invoke"),
    ("native", "1002", "astream"),  # HTTP 200 + base_resp 1002
    ("dashscope", "529", "ainvoke"),
    ("dashscope", "429", "stream"),
    ("anthropic", "529", "astream"),  # overloaded_error
    ("anthropic", "1002", "invoke"),  # 429 rate_limit_error
]


@pytest.mark.parametrize(("route", "kind", "call"), RETRIED)
async def test_rate_limits_and_overloads_are_retried_then_succeed(emulator, route, kind, call):
    llm = chat(emulator, route, spec=f"fail={kind}x1", max_retries=1)

    message = await run(llm, PROMPT, call)

    assert message.content == f"Echo: {PROMPT}"
    assert len(emulator.requests) == 2  # the failed attempt and its retry
    first, second = bodies(emulator)
    assert first == second


@pytest.mark.parametrize(
    ("route", "call"),
    [
        ("openai", "stream"),
        ("native", "astream"),
        ("dashscope", "ainvoke"),
        ("anthropic", "invoke"),
    ],
)
async def test_a_persistent_server_error_gives_up_after_max_retries(emulator, route, call):
    llm = chat(emulator, route, spec="fail=500", max_retries=1)

    with pytest.raises(ours.ServerError) as caught:
        await run(llm, PROMPT, call)

    _assert_typed(caught.value, ours.ServerError, core.ServerError, lc.ModelAPIError)
    assert caught.value.status_code == 500
    assert caught.value.is_retryable is True
    assert len(emulator.requests) == 2  # max_retries + 1 attempts


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("route", ROUTES)
async def test_a_json_error_answering_a_stream_request(emulator, route, mode):
    llm = chat(emulator, route, spec="json_error_on_stream=1008")

    with pytest.raises(ours.InsufficientBalanceError) as caught:
        await run(llm, PROMPT, "stream" if mode == "sync" else "astream")

    assert caught.value.request_id
    assert len(emulator.requests) == 1


async def _consume(llm: ChatMiniMax, value: Any, mode: str) -> tuple[list[Any], BaseException]:
    """Stream until it fails; the chunks the caller saw and the error."""
    seen: list[Any] = []
    try:
        if mode == "sync":
            for chunk in llm.stream(value):
                seen.append(chunk)
        else:
            async for chunk in llm.astream(value):
                seen.append(chunk)
    except Exception as exc:
        return seen, exc
    raise AssertionError("the stream did not fail")


# SSE events that carry neither reasoning nor answer text, per route: the Anthropic route frames
# a reply with message_start, ping and content_block_start before the first thinking_delta, and
# adds signature_delta, content_block_stop and the text block's content_block_start before the
# first text_delta. Fault positions (counted in events) are shifted by them, so that a cut falls
# at the same place in the reasoning or the answer as on the other routes.
_FRAMING_BEFORE_REASONING = {"openai": 0, "native": 0, "dashscope": 0, "anthropic": 3}
_FRAMING_BEFORE_TEXT = {"openai": 0, "native": 0, "dashscope": 0, "anthropic": 6}


@pytest.mark.parametrize("kind", ["2013", "1000"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("route", ROUTES)
async def test_an_error_inside_a_stream_is_raised_and_never_retried(emulator, route, mode, kind):
    # paced, so the first chunks reach the caller before the error event arrives
    after = 4 + _FRAMING_BEFORE_REASONING[route]
    llm = chat(emulator, route, spec=f"stream_error={after}:{kind}; chunk_ms=15")

    seen, error = await _consume(llm, PROMPT, mode)

    expected = ours.InvalidRequestError if kind == "2013" else ours.ServerError
    assert type(error) is expected
    assert isinstance(error, lc.ModelError)
    assert seen, "chunks arrived before the error"
    assert any(c.additional_kwargs.get("reasoning_content") for c in seen)
    assert len(emulator.requests) == 1  # even a retryable error: part of the answer was shown


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("route", ROUTES)
async def test_a_dropped_stream_raises_stream_interrupted_with_the_partial_text(
    emulator, route, mode
):
    full = await invoke(chat(emulator, route), LONG_QUESTION, mode)
    emulator.clear()
    llm = chat(emulator, route, spec=f"disconnect_after={9 + _FRAMING_BEFORE_TEXT[route]}")

    seen, error = await _consume(llm, LONG_QUESTION, mode)

    _assert_typed(
        error, ours.StreamInterruptedError, core.StreamInterruptedError, lc.ModelConnectionError
    )
    shown = "".join(c.content for c in seen)
    assert shown, "part of the answer had been shown"
    assert isinstance(error, core.StreamInterruptedError)  # asserted above; narrows for mypy
    assert error.partial_text == shown
    assert full.content.startswith(shown)
    assert len(shown) < len(full.content)
    assert len(emulator.requests) == 1  # not retried: it would duplicate the shown text
    assert API_KEY not in _text_of(error)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("route", ROUTES)
async def test_a_dropped_stream_never_becomes_a_complete_message(emulator, route, mode):
    llm = chat(emulator, route, spec="disconnect_after=9", streaming=True)

    with pytest.raises(ours.StreamInterruptedError):
        await invoke(llm, LONG_QUESTION, mode)

    assert len(emulator.requests) == 1


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("route", ROUTES)
async def test_a_malformed_chunk_is_a_malformed_response_error(emulator, route, mode):
    llm = chat(emulator, route, spec="malformed_chunk=2")

    _, error = await _consume(llm, PROMPT, mode)

    _assert_typed(error, ours.MalformedResponseError, core.MalformedResponseError, lc.ModelAPIError)
    assert len(emulator.requests) == 1


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("route", ROUTES)
async def test_a_prompt_over_the_context_window_is_a_context_overflow_error(emulator, route, mode):
    # abab6.5t-chat has an 8,192-token window; DashScope's MiniMax-M2.5 196,608 tokens; the
    # Anthropic route serves no abab model ("unknown model"), its M2.7 has 204,800 tokens
    model, words = {
        "dashscope": ("MiniMax-M2.5", 160_000),
        "anthropic": ("MiniMax-M2.7", 170_000),
    }.get(route, ("abab6.5t-chat", 9_000))
    llm = chat(emulator, route, model=model)

    with pytest.raises(ours.ContextOverflowError) as caught:
        await invoke(llm, "word " * words, mode)

    error = caught.value
    _assert_typed(
        error, ours.ContextOverflowError, core.ContextOverflowError, lc.ContextOverflowError
    )
    assert isinstance(error, ours.InvalidRequestError)
    assert isinstance(error, lc.ModelInvalidRequestError)
    assert "context window" in str(error)
    assert len(emulator.requests) == 1


# ---------------------------------------------------------------------------------------------
# Refused before anything is sent
# ---------------------------------------------------------------------------------------------

IMAGE = {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}
BAD_INPUT: dict[str, tuple[dict[str, Any], Any, str]] = {
    # case: (ChatMiniMax arguments, input, what the message says)
    "negative_temperature": ({"temperature": -0.5}, PROMPT, "temperature"),
    "zero_max_tokens": ({"max_tokens": 0}, PROMPT, "max_tokens"),
    "negative_max_tokens": ({"max_tokens": -5}, PROMPT, "max_tokens"),
    "max_tokens_over_the_model_limit": ({"max_tokens": 10_000_000}, PROMPT, "max_tokens"),
    "thinking_disabled_on_m2": ({"thinking": "disabled"}, PROMPT, "always thinks"),
    "image_on_m2": ({}, [HumanMessage([{"type": "text", "text": "What is it?"}, IMAGE])], "images"),
    "orphan_tool_message": (
        {},
        [HumanMessage(PROMPT), ToolMessage("Sunny", tool_call_id="call_nowhere")],
        "does not follow",
    ),
    "tool_result_after_a_user_turn": (
        {},
        [
            HumanMessage(PROMPT),
            AIMessage("", tool_calls=[{"name": "f", "args": {}, "id": "c1"}]),
            HumanMessage("Never mind."),
            ToolMessage("late", tool_call_id="c1"),
        ],
        "does not follow",
    ),
    "function_message": ({}, [FunctionMessage(content="42", name="f")], "FunctionMessage"),
}


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("case", BAD_INPUT)
async def test_bad_input_is_refused_before_anything_is_sent(emulator, case, call):
    kwargs, value, says = BAD_INPUT[case]
    llm = chat(emulator, **kwargs)

    with pytest.raises(ValueError, match=says) as caught:
        await run(llm, value, call)

    assert isinstance(caught.value, core.InvalidInputError)
    assert emulator.requests == []


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize(
    ("tools", "choice", "says"),
    [
        ([{"name": "get weather!", "description": "x", "parameters": {}}], None, "not valid"),
        ([{"name": "a" * 65, "description": "x", "parameters": {}}], None, "not valid"),
        (
            [{"name": "f", "description": "x", "parameters": {"type": "array"}}],
            None,
            "type 'object'",
        ),
        ([{"name": "f", "description": "x", "parameters": {}}], "g", "names no bound tool"),
    ],
    ids=["invalid_name", "name_too_long", "non_object_schema", "choice_names_no_tool"],
)
async def test_bad_tools_are_refused_before_anything_is_sent(emulator, tools, choice, says, call):
    llm = chat(emulator).bind_tools(tools, tool_choice=choice)

    with pytest.raises(ValueError, match=says):
        await run(llm, PROMPT, call)

    assert emulator.requests == []


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("route", ROUTES)
async def test_temperature_zero_is_sent_as_a_small_positive_value(emulator, route, call):
    llm = chat(emulator, route, temperature=0, top_p=0)

    message = await run(llm, PROMPT, call)

    assert message.content == f"Echo: {PROMPT}"  # the emulator, like MiniMax, rejects 0
    (body,) = bodies(emulator)
    assert body["temperature"] == 0.01
    assert body["top_p"] == 0.01


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("route", ROUTES)
async def test_several_system_messages_are_merged_into_one(emulator, route, call):
    messages = [
        SystemMessage("You are terse."),
        HumanMessage(PROMPT),
        SystemMessage("Answer in English."),
    ]

    message = await run(chat(emulator, route), messages, call)

    assert message.content == f"Echo: {PROMPT}"
    (body,) = bodies(emulator)
    if route == "anthropic":  # the top-level system field; no system role in messages
        assert body["system"] == "You are terse.\n\nAnswer in English."
        assert body["messages"] == [{"role": "user", "content": [{"type": "text", "text": PROMPT}]}]
    else:
        assert body["messages"] == [
            {"role": "system", "content": "You are terse.\n\nAnswer in English."},
            {"role": "user", "content": PROMPT},
        ]


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("route", ROUTES)
async def test_a_missing_key_fails_at_call_time_naming_the_variable(
    emulator, monkeypatch, route, call
):
    monkeypatch.delenv("MINIMAX_API_KEY", raising=False)
    monkeypatch.delenv("DASHSCOPE_API_KEY", raising=False)
    llm = ChatMiniMax(api=route, model=ROUTES[route], base_url=emulator.base_url)  # constructs

    with pytest.raises(ours.AuthenticationError) as caught:
        await run(llm, PROMPT, call)

    variable = "DASHSCOPE_API_KEY" if route == "dashscope" else "MINIMAX_API_KEY"
    assert variable in str(caught.value)
    assert isinstance(caught.value, lc.ModelAuthenticationError)
    assert emulator.requests == []
    if is_stream(call):
        assert caught.value.status_code is None


@pytest.mark.parametrize("mode", MODES)
async def test_errors_survive_streaming_aggregation_helpers(emulator, mode):
    """A failing stream used through ``invoke(streaming=True)`` raises the same typed error."""
    llm = chat(emulator, spec="stream_error=2:1026", streaming=True)

    with pytest.raises(ours.ContentFilterError):
        await invoke(llm, PROMPT, mode)

    ok = chat(emulator, streaming=True)
    assert aggregate([await invoke(ok, PROMPT, mode)]).content == f"Echo: {PROMPT}"


@pytest.mark.parametrize("mode", MODES)
async def test_minimax_code_decides_over_the_http_status(emulator, mode):
    # HTTP 429 carrying 1008 (insufficient balance): not a rate limit, so not retried
    llm = chat(emulator, spec="fail=1008@429", max_retries=2)

    with pytest.raises(ours.InsufficientBalanceError) as caught:
        await invoke(llm, PROMPT, mode)

    assert (caught.value.status_code, caught.value.code) == (429, 1008)
    assert not isinstance(caught.value, lc.ModelRateLimitError)
    assert len(emulator.requests) == 1
