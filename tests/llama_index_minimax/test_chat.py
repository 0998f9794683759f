"""chat / achat / complete / acomplete on every route: clean text, ThinkingBlock, usage."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from llama_index.core.base.llms.types import ChatMessage
from llama_index.core.callbacks import CallbackManager, TokenCountingHandler
from llama_index.core.prompts import PromptTemplate

from minimax_emulator.testing import EmulatorServer
from tests.llama_index_minimax.helpers import (
    MODES,
    ROUTES,
    anthropic_details,
    block_kinds,
    chat,
    chat_bodies,
    complete,
    thinking,
    user,
    user_turn,
    wire_answer,
    wire_message,
    wire_reasoning,
)

QUESTION = "What is 2 + 2? Answer briefly, please."


def wire_truth(api: str, message: dict[str, Any]) -> tuple[str, str]:
    """(reasoning, visible answer) of a raw emulator reply, split by hand for each route."""
    return wire_reasoning(api, message), wire_answer(api, message)


@pytest.mark.parametrize(("api", "model"), ROUTES)
@MODES
async def test_chat_answer_is_clean_and_reasoning_is_a_thinking_block(
    make_llm: Any, emulator: EmulatorServer, api: str, model: str, mode: str
) -> None:
    llm = make_llm(api, model)
    response = await chat(llm, [user(QUESTION)], mode)

    body = chat_bodies(emulator)[0]
    wire = wire_message(emulator, api, body)
    reasoning, answer = wire_truth(api, wire)
    message = response.message
    assert message.role == "assistant"
    assert message.content == answer == f"Echo: {QUESTION}"
    assert "<think>" not in message.content
    assert "</think>" not in message.content
    assert block_kinds(message) == ["thinking", "text"]  # reasoning first, then the answer
    (block,) = thinking(message)
    assert block.content == reasoning
    assert "<think>" not in (block.content or "")
    if api == "anthropic":
        # the route counts no reasoning tokens apart (output_tokens holds thinking and answer)
        assert block.num_tokens is None
        assert "reasoning_tokens" not in response.additional_kwargs
        # kept for replay: each thinking block with its text and signature
        assert block.additional_information == {
            "provider": "minimax",
            "reasoning_details": anthropic_details(wire),
        }
    else:
        assert block.num_tokens == response.additional_kwargs["reasoning_tokens"] > 0


@pytest.mark.parametrize(("api", "model"), ROUTES)
async def test_each_route_asks_for_reasoning_the_way_it_is_delivered(
    make_llm: Any, emulator: EmulatorServer, api: str, model: str
) -> None:
    await chat(make_llm(api, model), [user("Hello")], "sync")
    (body,) = chat_bodies(emulator)
    assert emulator.requests[0].path.endswith(
        {
            "openai": "/v1/chat/completions",
            "native": "/v1/text/chatcompletion_v2",
            "dashscope": "/compatible-mode/v1/chat/completions",
            "anthropic": "/anthropic/v1/messages",
        }[api]
    )
    # openai: split reasoning fields; native: inline <think> in content; dashscope: its own field;
    # anthropic: thinking blocks, which M2.7 always sends (no `thinking` field needed)
    assert body.get("reasoning_split") is (True if api == "openai" else None)
    assert body["model"] == model
    assert body["messages"] == [user_turn(api, "Hello")]
    if api == "anthropic":
        assert "thinking" not in body
        assert body["max_tokens"] > 0  # required on this route


@pytest.mark.parametrize(("api", "model"), ROUTES)
@MODES
async def test_usage_is_in_additional_kwargs_and_raw(
    make_llm: Any, emulator: EmulatorServer, api: str, model: str, mode: str
) -> None:
    response = await chat(make_llm(api, model), [user(QUESTION)], mode)
    usage = response.additional_kwargs
    assert usage["prompt_tokens"] > 0
    if api == "anthropic":
        # no reasoning count on this route; prompt tokens = uncached input + cache reads + writes
        wire = wire_message(emulator, api, chat_bodies(emulator)[0])["usage"]
        assert "reasoning_tokens" not in usage
        assert usage["completion_tokens"] == wire["output_tokens"] > 0
        assert (usage["cached_tokens"], usage["cache_creation_tokens"]) == (
            wire["cache_read_input_tokens"],
            wire["cache_creation_input_tokens"],
        )
        assert usage["prompt_tokens"] == (
            wire["input_tokens"]
            + wire["cache_read_input_tokens"]
            + wire["cache_creation_input_tokens"]
        )
    else:
        assert usage["completion_tokens"] > usage["reasoning_tokens"] > 0
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    raw = response.raw
    assert raw is not None
    assert raw["usage"] == usage
    assert raw["model"] == model
    assert raw["finish_reason"] == "stop"
    assert raw["id"]
    assert raw["request_id"]
    assert raw["empty_answer"] is False


@pytest.mark.parametrize(("api", "model"), ROUTES)
@MODES
async def test_cached_tokens_reported_on_a_repeated_long_prompt(
    make_llm: Any, api: str, model: str, mode: str
) -> None:
    llm = make_llm(api, model)
    long_prompt = "Summarise this report. " + "The quarterly figures rose. " * 110
    messages = [
        ChatMessage(role="system", content="You are a careful analyst."),
        user(long_prompt),
    ]
    first = await chat(llm, messages, mode)
    second = await chat(llm, messages, mode)
    assert first.additional_kwargs.get("cached_tokens", 0) == 0
    cached = second.additional_kwargs["cached_tokens"]
    assert 512 <= cached <= second.additional_kwargs["prompt_tokens"]
    assert second.raw is not None
    assert second.raw["usage"]["cached_tokens"] == cached


@pytest.mark.parametrize(("api", "model"), ROUTES)
@MODES
async def test_complete_returns_the_clean_answer_with_usage(
    make_llm: Any, emulator: EmulatorServer, api: str, model: str, mode: str
) -> None:
    response = await complete(make_llm(api, model), "Say hi to Ada", mode)
    assert response.text == "Echo: Say hi to Ada"
    assert "<think>" not in response.text
    assert response.additional_kwargs["total_tokens"] > 0
    if api == "anthropic":  # the route counts no reasoning tokens apart
        assert "reasoning_tokens" not in response.additional_kwargs
    else:
        assert response.additional_kwargs["reasoning_tokens"] > 0
    assert response.raw is not None
    assert response.raw["finish_reason"] == "stop"
    (body,) = chat_bodies(emulator)
    assert body["messages"] == [user_turn(api, "Say hi to Ada")]


@MODES
async def test_several_system_messages_are_merged_into_one(
    make_llm: Any, emulator: EmulatorServer, mode: str
) -> None:
    messages = [
        ChatMessage(role="system", content="You are terse."),
        ChatMessage(role="developer", content="Answer in English."),
        user("Hi"),
    ]
    response = await chat(make_llm(), messages, mode)  # two system messages: 2013 on MiniMax
    assert response.message.content == "Echo: Hi"
    (body,) = chat_bodies(emulator)
    assert body["messages"] == [
        {"role": "system", "content": "You are terse.\n\nAnswer in English."},
        {"role": "user", "content": "Hi"},
    ]


@MODES
async def test_m3_with_thinking_disabled_answers_without_reasoning(
    make_llm: Any, emulator: EmulatorServer, mode: str
) -> None:
    llm = make_llm("openai", "MiniMax-M3", thinking="disabled")
    response = await chat(llm, [user("Hi")], mode)
    assert block_kinds(response.message) == ["text"]
    assert response.message.content == "Echo: Hi"
    assert chat_bodies(emulator)[0]["thinking"] == {"type": "disabled"}


@pytest.mark.parametrize("api", ["openai", "native"])
async def test_a_model_that_does_not_think_gives_only_text(make_llm: Any, api: str) -> None:
    response = await chat(make_llm(api, "MiniMax-Text-01"), [user("Hi")], "sync")
    assert block_kinds(response.message) == ["text"]
    assert response.message.content == "Echo: Hi"
    assert response.additional_kwargs.get("reasoning_tokens", 0) == 0


@MODES
async def test_call_kwargs_override_the_model_settings(
    make_llm: Any, emulator: EmulatorServer, mode: str
) -> None:
    extra = {"mask_sensitive_info": False}
    llm = make_llm(temperature=0.3, max_tokens=4000, additional_kwargs=extra)
    await chat(llm, [user("Hi")], mode)
    await chat(llm, [user("Hi")], mode, temperature=0.9, max_tokens=3000, top_p=0.5)
    first, second = chat_bodies(emulator)
    assert (first["temperature"], first["max_completion_tokens"]) == (0.3, 4000)
    assert first["mask_sensitive_info"] is False
    assert (second["temperature"], second["max_completion_tokens"], second["top_p"]) == (
        0.9,
        3000,
        0.5,
    )


@MODES
async def test_stop_sequences_cut_the_answer(
    make_llm: Any, emulator: EmulatorServer, mode: str
) -> None:
    response = await chat(make_llm(stop=["STOP"]), [user("one two STOP three")], mode)
    assert response.message.content == "Echo: one two "
    assert chat_bodies(emulator)[0]["stop"] == ["STOP"]


@MODES
async def test_a_reply_is_replayed_with_its_reasoning_on_the_next_turn(
    make_llm: Any, emulator: EmulatorServer, mode: str
) -> None:
    llm = make_llm()
    history = [user("Hi")]
    first = await chat(llm, history, mode)
    history += [first.message, user("And again")]
    second = await chat(llm, history, mode)
    assert second.message.content == "Echo: And again"
    first_body, second_body = chat_bodies(emulator)[:2]
    wire = wire_message(emulator, "openai", first_body)
    assistant = second_body["messages"][1]
    assert assistant["role"] == "assistant"
    assert assistant["content"] == "Echo: Hi"
    assert assistant["reasoning_details"] == wire["reasoning_details"]  # verbatim


def test_async_calls_work_across_event_loops(make_llm: Any) -> None:
    # scripts and notebooks call asyncio.run() again and again: pooled clients must follow
    llm = make_llm()
    for text in ("one", "two"):
        response = asyncio.run(llm.achat([user(text)]))
        assert response.message.content == f"Echo: {text}"


def test_predict_uses_the_system_prompt(make_llm: Any, emulator: EmulatorServer) -> None:
    llm = make_llm(system_prompt="You are terse.")
    answer = llm.predict(PromptTemplate("Tell me about {topic}."), topic="owls")
    assert answer == "Echo: Tell me about owls."
    assert chat_bodies(emulator)[0]["messages"] == [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "Tell me about owls."},
    ]


@pytest.mark.parametrize("kind", ["chat", "astream_chat"])
async def test_llama_index_token_counting_reads_minimax_usage(make_llm: Any, kind: str) -> None:
    # LlamaIndex's own usage tooling takes the counts from the response, not a tokenizer guess
    counter = TokenCountingHandler()
    llm = make_llm(callback_manager=CallbackManager([counter]))
    if kind == "chat":
        last = llm.chat([user(QUESTION)])
    else:
        last = [r async for r in await llm.astream_chat([user(QUESTION)])][-1]
    (event,) = counter.llm_token_counts
    assert event.prompt_token_count == last.additional_kwargs["prompt_tokens"]
    assert event.completion_token_count == last.additional_kwargs["completion_tokens"]
