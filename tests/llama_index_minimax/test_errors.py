"""Typed minimax_core errors through the adapter, retries, stream failures, and bad input refused
before anything is sent."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from llama_index.core.base.llms.types import AudioBlock, ChatMessage, TextBlock

from minimax_core import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    ContextOverflowError,
    InsufficientBalanceError,
    InvalidInputError,
    InvalidRequestError,
    MalformedResponseError,
    RateLimitError,
    ServerError,
    StreamInterruptedError,
)
from minimax_emulator.testing import EmulatorServer
from tests.llama_index_minimax.helpers import (
    ROUTES,
    answer_events,
    chat_bodies,
    thinking,
    user,
    wire_message,
    wire_reasoning,
)

KINDS = pytest.mark.parametrize("kind", ["chat", "achat", "stream_chat", "astream_chat"])
WRONG_KEY = "sk-wrong-key-0123456789abcdef"


async def call(llm: Any, kind: str, messages: list[ChatMessage]) -> list[Any]:
    """Run one chat call of ``kind``; the responses it produced (all of them for streams)."""
    if kind == "chat":
        return [llm.chat(messages)]
    if kind == "achat":
        return [await llm.achat(messages)]
    if kind == "stream_chat":
        return list(llm.stream_chat(messages))
    return [r async for r in await llm.astream_chat(messages)]


async def call_collecting(llm: Any, kind: str, messages: list[ChatMessage], got: list[Any]) -> None:
    """Like :func:`call`, but keeps what a stream yielded before it failed."""
    if kind == "stream_chat":
        got.extend(llm.stream_chat(messages))
    else:
        async for response in await llm.astream_chat(messages):
            got.append(response)


@pytest.mark.parametrize(("api", "model"), ROUTES)
@KINDS
async def test_a_wrong_key_names_the_region_mismatch(
    make_llm: Any, emulator: EmulatorServer, api: str, model: str, kind: str
) -> None:
    llm = make_llm(api, model, api_key=WRONG_KEY)
    with pytest.raises(AuthenticationError) as caught:
        await call(llm, kind, [user("Hi")])
    error = caught.value
    if api == "dashscope":  # an Alibaba Cloud key, not a MiniMax one
        assert "DASHSCOPE_API_KEY" in str(error)
    else:  # a key from the other region's platform is the usual cause
        assert "region" in str(error)
        assert "platform.minimaxi.com" in str(error)
    assert WRONG_KEY not in str(error)
    assert WRONG_KEY not in repr(error)
    assert error.request_id
    assert not error.is_retryable
    if api == "openai":
        assert (error.status_code, error.code) == (401, 1004)
    elif api == "native":
        assert (error.status_code, error.code) == (200, 1004)  # HTTP 200 + base_resp
    else:
        assert error.status_code == 401
    assert len(chat_bodies(emulator)) == 1  # never retried


@KINDS
async def test_invalid_params_2013_is_not_retried(
    make_llm: Any, emulator: EmulatorServer, kind: str
) -> None:
    llm = make_llm(default_headers={"X-Emulator": "fail=2013"})
    with pytest.raises(InvalidRequestError) as caught:
        await call(llm, kind, [user("Hi")])
    assert caught.value.code == 2013
    assert len(chat_bodies(emulator)) == 1


@pytest.mark.parametrize(
    ("api", "spec", "kind"),
    [
        ("openai", "fail=429x1", "chat"),
        ("openai", "fail=429x1", "astream_chat"),
        ("native", "fail=1002x1", "achat"),  # HTTP 200 + base_resp 1002
        ("dashscope", "fail=429x1", "stream_chat"),
        ("anthropic", "fail=429x1", "achat"),  # HTTP 429 rate_limit_error
        ("anthropic", "fail=429x1", "astream_chat"),
    ],
)
async def test_rate_limits_are_retried_then_succeed(
    make_llm: Any, emulator: EmulatorServer, api: str, spec: str, kind: str
) -> None:
    llm = make_llm(api, default_headers={"X-Emulator": spec})
    responses = await call(llm, kind, [user("Hi")])
    assert responses[-1].message.content == "Echo: Hi"
    first, second = chat_bodies(emulator)  # one rejected attempt, one retry
    assert first == second


async def test_rate_limits_beyond_max_retries_raise(
    make_llm: Any, emulator: EmulatorServer
) -> None:
    llm = make_llm(max_retries=1, default_headers={"X-Emulator": "fail=429"})
    with pytest.raises(RateLimitError) as caught:
        await call(llm, "achat", [user("Hi")])
    assert caught.value.status_code == 429
    assert caught.value.is_retryable
    assert len(chat_bodies(emulator)) == 2


@KINDS
async def test_native_http_200_base_resp_errors_are_typed(
    make_llm: Any, emulator: EmulatorServer, kind: str
) -> None:
    llm = make_llm("native", default_headers={"X-Emulator": "fail=1008"})
    with pytest.raises(InsufficientBalanceError) as caught:
        await call(llm, kind, [user("Hi")])
    assert (caught.value.status_code, caught.value.code) == (200, 1008)
    assert "Top up" in str(caught.value)
    assert len(chat_bodies(emulator)) == 1


@pytest.mark.parametrize(("api", "model"), ROUTES)
@pytest.mark.parametrize("kind", ["stream_chat", "astream_chat"])
async def test_an_error_inside_a_stream_is_raised_and_not_retried(
    make_llm: Any, emulator: EmulatorServer, api: str, model: str, kind: str
) -> None:
    # paced writes, and the error after 4 events of the answer: its start reaches the caller first
    spec = f"stream_error={answer_events(api, 4)}:1000; chunk_ms=15"
    llm = make_llm(api, model, default_headers={"X-Emulator": spec})
    got: list[Any] = []
    with pytest.raises(ServerError) as caught:
        await call_collecting(llm, kind, [user("Hi")], got)
    if api != "dashscope":  # DashScope names its errors ("internal_error"), MiniMax numbers them
        assert caught.value.code == 1000
    assert got  # part of the answer had reached the caller: retrying would duplicate it
    shown = "".join(r.additional_kwargs.get("thinking_delta", "") for r in got)
    assert shown
    assert "".join(b.content or "" for b in thinking(got[-1].message)) == shown
    (body,) = chat_bodies(emulator)
    assert wire_reasoning(api, wire_message(emulator, api, body)).startswith(shown.strip())


async def test_an_error_before_anything_reached_the_caller_is_retried(
    make_llm: Any, emulator: EmulatorServer
) -> None:
    llm = make_llm(max_retries=1, default_headers={"X-Emulator": "stream_error=0:1000"})
    with pytest.raises(ServerError):
        await call(llm, "astream_chat", [user("Hi")])
    assert len(chat_bodies(emulator)) == 2


@pytest.mark.parametrize(("api", "model"), ROUTES)
@pytest.mark.parametrize("kind", ["stream_chat", "astream_chat"])
async def test_a_dropped_connection_mid_stream_is_interrupted_not_truncated(
    make_llm: Any, emulator: EmulatorServer, api: str, model: str, kind: str
) -> None:
    # cut after 2 events of the answer (the Anthropic route's framing events carry none of it)
    spec = f"disconnect_after={answer_events(api, 2)}"
    llm = make_llm(api, model, default_headers={"X-Emulator": spec})
    got: list[Any] = []
    with pytest.raises(StreamInterruptedError) as caught:
        await call_collecting(llm, kind, [user("Hi")], got)
    assert got
    assert caught.value.partial_text == (got[-1].message.content or "")
    assert len(chat_bodies(emulator)) == 1  # sent once


@pytest.mark.parametrize("kind", ["stream_chat", "astream_chat"])
async def test_a_malformed_chunk_is_a_typed_error(
    make_llm: Any, emulator: EmulatorServer, kind: str
) -> None:
    llm = make_llm(default_headers={"X-Emulator": "malformed_chunk=2"})
    with pytest.raises(MalformedResponseError):
        await call_collecting(llm, kind, [user("Hi")], [])
    assert len(chat_bodies(emulator)) == 1


@pytest.mark.parametrize("kind", ["stream_chat", "astream_chat"])
async def test_a_json_error_answering_a_stream_request_is_typed(
    make_llm: Any, emulator: EmulatorServer, kind: str
) -> None:
    llm = make_llm(default_headers={"X-Emulator": "json_error_on_stream=2013"})
    with pytest.raises(InvalidRequestError):
        await call(llm, kind, [user("Hi")])
    assert len(chat_bodies(emulator)) == 1


async def test_a_prompt_too_long_for_the_model_is_a_context_overflow(make_llm: Any) -> None:
    llm = make_llm("openai", "abab6.5t-chat")  # 8,192-token context
    with pytest.raises(ContextOverflowError):
        await call(llm, "chat", [user("word " * 20_000)])


async def test_a_model_the_service_does_not_know_is_an_invalid_request(make_llm: Any) -> None:
    with pytest.raises(InvalidRequestError, match="unknown model"):
        await call(make_llm("openai", "MiniMax-M9-preview"), "achat", [user("Hi")])


@pytest.mark.parametrize("kind", ["chat", "astream_chat"])
async def test_a_slow_server_times_out(make_llm: Any, kind: str) -> None:
    llm = make_llm(timeout=0.3, max_retries=0, default_headers={"X-Emulator": "first_byte_ms=2000"})
    with pytest.raises(APITimeoutError):
        await call(llm, kind, [user("Hi")])


@pytest.mark.parametrize("kind", ["chat", "astream_chat"])
async def test_an_unreachable_server_is_a_connection_error(make_llm: Any, kind: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again before the call: nothing listens there
    llm = make_llm(base_url=f"http://127.0.0.1:{port}", max_retries=0)
    with pytest.raises(APIConnectionError):
        await call(llm, kind, [user("Hi")])


# -- refused before sending -------------------------------------------------------------------

ASSISTANT_CALL = ChatMessage(
    role="assistant",
    content="",
    additional_kwargs={
        "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "add", "arguments": "{}"}}
        ]
    },
)
BAD_INPUT = {
    "negative temperature": ({"temperature": -0.5}, [user("Hi")], "temperature must be >= 0"),
    "thinking off on M2.7": ({"thinking": "disabled"}, [user("Hi")], "always thinks"),
    "tool message without id": (
        {},
        [user("add 2 and 3"), ASSISTANT_CALL, ChatMessage(role="tool", content="5")],
        "tool_call_id",
    ),
    "tool result with no call": (
        {},
        [
            user("Hi"),
            ChatMessage(role="tool", content="5", additional_kwargs={"tool_call_id": "x"}),
        ],
        "does not follow",
    ),
    "audio in a user message": (
        {},
        [
            ChatMessage(
                role="user",
                blocks=[TextBlock(text="Listen:"), AudioBlock(audio=b"RIFF0000", format="wav")],
            )
        ],
        "AudioBlock",
    ),
    "max_tokens above the model limit": ({"max_tokens": 10_000_000}, [user("Hi")], "limit"),
}


@pytest.mark.parametrize(("fields", "messages", "match"), BAD_INPUT.values(), ids=BAD_INPUT)
@KINDS
async def test_bad_input_is_refused_before_sending(
    make_llm: Any,
    emulator: EmulatorServer,
    fields: dict[str, Any],
    messages: list[ChatMessage],
    match: str,
    kind: str,
) -> None:
    llm = make_llm(**fields)
    with pytest.raises(InvalidInputError, match=match) as caught:
        await call(llm, kind, messages)
    assert isinstance(caught.value, ValueError)  # also what LlamaIndex code expects
    assert emulator.requests == []


@pytest.mark.parametrize(("api", "model"), ROUTES)
@pytest.mark.parametrize("kind", ["chat", "astream_chat"])
async def test_temperature_zero_works(
    make_llm: Any, emulator: EmulatorServer, api: str, model: str, kind: str
) -> None:
    # MiniMax rejects 0 (range (0, 1]); the old integration failed here
    responses = await call(make_llm(api, model, temperature=0), kind, [user("Hi")])
    assert responses[-1].message.content == "Echo: Hi"
    assert 0 < chat_bodies(emulator)[0]["temperature"] <= 0.01
