"""Token usage and response metadata, invoked and streamed alike.

``docs/protocol-notes.md`` §9.6, §9.8: usage missing or zero in streams; empty answers when thinking
eats ``max_tokens``.
"""

from __future__ import annotations

import warnings

import pytest

from minimax_core import EmptyAnswerWarning
from tests.langchain_minimax._support import (
    CALLS,
    MODES,
    ROUTES,
    Tee,
    aggregate,
    as_message,
    bodies,
    chat,
    is_stream,
    reasoning_of,
    run,
    run_stream,
    server_view,
)

PROMPT = "What is the capital of France?"
LONG = " ".join(f"Fact {i}: the archive keeps record number {i}." for i in range(150))


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("route", ROUTES)
async def test_usage_metadata_matches_what_the_server_reported(emulator, route, call):
    tee = Tee()
    llm = chat(emulator, route, http_client=tee.client(), http_async_client=tee.async_client())

    message = as_message(await run(llm, PROMPT, call))

    usage = message.usage_metadata
    reported = server_view(tee.raw[0])["usage"]
    assert usage is not None
    if route == "anthropic":
        # input_tokens is the uncached part there: the total adds the cache reads and writes;
        # output_tokens includes the thinking, which the route does not count apart
        assert usage["input_tokens"] == (
            reported["input_tokens"]
            + reported["cache_read_input_tokens"]
            + reported["cache_creation_input_tokens"]
        )
        assert usage["input_tokens"] > 0
        assert usage["output_tokens"] == reported["output_tokens"] > 0
        assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
        assert usage["input_token_details"] == {
            "cache_read": reported["cache_read_input_tokens"],
            "cache_creation": reported["cache_creation_input_tokens"],
        }
        assert "reasoning" not in usage.get("output_token_details", {})  # none invented
        return
    assert usage["input_tokens"] == reported["prompt_tokens"] > 0
    assert usage["output_tokens"] == reported["completion_tokens"] > 0
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    reasoning = usage["output_token_details"]["reasoning"]
    assert reasoning == reported["completion_tokens_details"]["reasoning_tokens"]
    assert 0 < reasoning < usage["output_tokens"]


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("route", ROUTES)
async def test_a_repeated_long_prompt_reports_cache_reads(emulator, route, call):
    tee = Tee()
    llm = chat(emulator, route, http_client=tee.client(), http_async_client=tee.async_client())
    prompt = f"{LONG}\n\nWhich record numbers does the archive keep?"

    first = as_message(await run(llm, prompt, call)).usage_metadata
    second = as_message(await run(llm, prompt, call)).usage_metadata

    assert first is not None
    assert second is not None
    assert first.get("input_token_details", {}).get("cache_read", 0) == 0
    cached = second["input_token_details"]["cache_read"]
    sent = server_view(tee.raw[1])["usage"]
    if route == "anthropic":  # cache_read_input_tokens; input_tokens there is the uncached rest
        written = sent["cache_creation_input_tokens"]
        assert cached == sent["cache_read_input_tokens"]
        assert second["input_token_details"]["cache_creation"] == written
        assert second["input_tokens"] == sent["input_tokens"] + cached + written
    else:
        assert cached == sent["prompt_tokens_details"]["cached_tokens"]
    assert 512 <= cached <= second["input_tokens"]
    assert second["input_tokens"] == first["input_tokens"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("route", ROUTES)
async def test_exactly_one_streamed_chunk_carries_usage(emulator, route, mode):
    # the native route repeats usage in its closing summary: still counted once
    chunks = await run_stream(chat(emulator, route), PROMPT, mode)

    with_usage = [c for c in chunks if c.usage_metadata]
    assert len(with_usage) == 1
    assert aggregate(chunks).usage_metadata == with_usage[0].usage_metadata
    if route == "anthropic":  # usage comes in message_start and again in message_delta
        assert "stream_options" not in bodies(emulator)[0]  # the route has no such field
        usage = with_usage[0].usage_metadata
        assert usage is not None
        assert usage["input_tokens"] > 0
        assert usage["output_tokens"] > 1  # message_delta's final count, not message_start's 1
    else:
        assert bodies(emulator)[0]["stream_options"] == {"include_usage": True}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("route", ROUTES)
async def test_stream_usage_false_sends_no_stream_options(emulator, route, mode):
    chunks = await run_stream(chat(emulator, route, stream_usage=False), PROMPT, mode)

    (body,) = bodies(emulator)
    assert body["stream"] is True
    assert "stream_options" not in body
    with_usage = [c for c in chunks if c.usage_metadata]
    if route == "native":  # the native summary object carries usage regardless
        assert len(with_usage) <= 1
    elif route == "anthropic":  # usage is part of the route's stream events, asked or not
        assert len(with_usage) == 1
        assert aggregate(chunks).usage_metadata == with_usage[0].usage_metadata
    else:
        assert with_usage == []
    assert aggregate(chunks).content == f"Echo: {PROMPT}"


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("route", ROUTES)
async def test_response_metadata(emulator, route, call):
    message = as_message(await run(chat(emulator, route), PROMPT, call))

    meta = message.response_metadata
    assert meta["model_provider"] == "minimax"
    assert meta["model_name"] == ("MiniMax-M2.5" if route == "dashscope" else "MiniMax-M2.7")
    assert meta["finish_reason"] == "stop"
    request_id = meta["request_id"]
    assert isinstance(request_id, str)
    assert len(request_id) == 32
    if route == "dashscope":  # a chatcmpl- id; the request id is the x-request-id header
        assert meta["id"].startswith("chatcmpl-")
        assert meta["id"].removeprefix("chatcmpl-").replace("-", "") == request_id
    else:  # MiniMax's body id is its Trace-Id
        assert meta["id"] == request_id
    assert "empty_answer" not in meta
    if not is_stream(call):
        assert message.id == meta["id"]


OVERRIDE = {
    "openai": "MiniMax-M2.5-highspeed",
    "native": "MiniMax-M3",
    "dashscope": "MiniMax/MiniMax-M2.1",
    "anthropic": "MiniMax-M2.7-highspeed",
}


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("route", ROUTES)
async def test_per_call_model_override(emulator, route, call):
    llm = chat(emulator, route)

    message = as_message(await run(llm, PROMPT, call, model=OVERRIDE[route]))

    assert bodies(emulator)[0]["model"] == OVERRIDE[route]
    assert message.response_metadata["model_name"] == OVERRIDE[route]
    assert llm.model_name == ("MiniMax-M2.5" if route == "dashscope" else "MiniMax-M2.7")


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize(
    "trigger",
    [
        pytest.param({"spec": "finish=length"}, id="finish_length"),
        pytest.param({"max_tokens": 8}, id="tiny_max_tokens"),
    ],
)
@pytest.mark.parametrize("route", ROUTES)
async def test_an_answer_lost_to_reasoning_is_flagged(emulator, route, trigger, call):
    llm = chat(emulator, route, **trigger)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        message = as_message(await run(llm, PROMPT, call))

    empty = [w for w in caught if issubclass(w.category, EmptyAnswerWarning)]
    assert len(empty) == 1
    assert "max_tokens" in str(empty[0].message)
    assert message.content == ""
    assert reasoning_of(message)
    assert message.response_metadata["empty_answer"] is True
    assert message.response_metadata["finish_reason"] == "length"
    if "max_tokens" in trigger:
        field = "max_tokens" if route in ("dashscope", "anthropic") else "max_completion_tokens"
        assert bodies(emulator)[0][field] == 8
        other = "max_completion_tokens" if field == "max_tokens" else "max_tokens"
        assert other not in bodies(emulator)[0]


@pytest.mark.parametrize("call", CALLS)
async def test_a_truncated_visible_answer_is_not_an_empty_answer(emulator, call):
    llm = chat(emulator, model="MiniMax-Text-01", spec="finish=length")  # does not think

    with warnings.catch_warnings():
        warnings.simplefilter("error", EmptyAnswerWarning)
        message = as_message(await run(llm, "Tell me everything about Paris", call))

    assert message.content
    assert message.response_metadata["finish_reason"] == "length"
    assert "empty_answer" not in message.response_metadata
