"""Each route (OpenAI-compatible, native with inline ``<think>``, DashScope), every call style.

The pain point this proves away (``docs/protocol-notes.md`` §9.1): reasoning leaking into the answer
or getting lost. Whatever the route and however the reply is read, ``content`` is the clean answer,
the reasoning is in ``additional_kwargs["reasoning_content"]`` and in a standard ``reasoning``
block, streams deliver it as deltas before the answer, and a streamed reply adds up to exactly the
non-streamed one.
"""

from __future__ import annotations

import warnings
from typing import Any, cast

import pytest
from langchain_core._api import LangChainBetaWarning
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.tools import tool

from minimax_emulator.signatures import sign_thinking
from tests.langchain_minimax._support import (
    CALLS,
    MODES,
    ROUTES,
    aggregate,
    as_message,
    bodies,
    chat,
    invoke,
    reasoning_of,
    run,
    run_stream,
)

PROMPT = "What is the capital of France?"


@tool
def get_weather(city: str) -> str:
    """Get the current weather for a city."""
    return f"Sunny in {city}"


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("route", ROUTES)
async def test_content_is_the_clean_answer_and_reasoning_is_separate(emulator, route, call):
    message = as_message(await run(chat(emulator, route), PROMPT, call))

    assert message.content == f"Echo: {PROMPT}"
    reasoning = reasoning_of(message)
    assert "«What is the capital of France?»" in reasoning
    assert "<think>" not in reasoning
    assert "</think>" not in reasoning
    blocks = message.content_blocks
    assert [b["type"] for b in blocks] == ["reasoning", "text"]
    reasoning_block, text_block = blocks
    assert reasoning_block["type"] == "reasoning"  # narrows the block types for mypy
    assert text_block["type"] == "text"
    assert reasoning_block["reasoning"] == reasoning
    assert text_block["text"] == message.content
    kwargs = message.additional_kwargs
    if route == "openai":  # reasoning_split: MiniMax's raw items are kept for replay
        (detail,) = kwargs["reasoning_details"]
        assert detail["type"] == "reasoning.text"
        assert detail["format"] == "MiniMax-response-v1"
        assert detail["text"] == reasoning
        assert bodies(emulator)[0]["reasoning_split"] is True
    elif route == "native":  # inline <think>: the original content is kept for replay
        raw = kwargs["raw_content"]
        assert raw.startswith("<think>\n")
        assert raw.endswith(f"</think>\n\n{message.content}")
        assert reasoning in raw
        assert "reasoning_split" not in bodies(emulator)[0]
    elif route == "anthropic":  # the thinking block, kept with its signature for replay
        (detail,) = kwargs["reasoning_details"]
        assert detail == {
            "type": "thinking",
            "format": "anthropic-thinking",
            "index": 0,
            "text": reasoning,
            "signature": sign_thinking(reasoning),  # the emulator's signature of that text
        }
        assert "raw_content" not in kwargs
        assert "reasoning_split" not in bodies(emulator)[0]
    else:
        assert "reasoning_details" not in kwargs
        assert "raw_content" not in kwargs


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("route", ROUTES)
async def test_output_version_v1_puts_reasoning_and_text_blocks_in_content(emulator, route, call):
    message = await run(chat(emulator, route, output_version="v1"), PROMPT, call)

    assert isinstance(message.content, list)
    types = [block["type"] for block in message.content]
    assert types == ["reasoning", "text"]
    assert message.content[0]["reasoning"] == reasoning_of(message)
    assert message.content[1]["text"] == f"Echo: {PROMPT}"
    assert "<think>" not in str(message.content)


_SHAPES: dict[str, list[str]] = {
    # stream shapes MiniMax produces on each route (``docs/protocol-notes.md`` §4)
    "openai": [
        "",
        "reasoning=cumulative",
        "done=false",
        "empty_role=true",
        "usage_zero_chunks=true",
    ],
    "native": ["", "summary=false", "done=true", "empty_role=true", "usage_zero_chunks=true"],
    "dashscope": ["", "done=false"],
    "anthropic": ["", "done=true"],  # done=true: M3 streams reported ending with [DONE]
}


def _comparable(message: AIMessage) -> dict[str, Any]:
    meta = message.response_metadata
    return {
        "content": message.content,
        "additional_kwargs": message.additional_kwargs,
        "tool_calls": message.tool_calls,
        "invalid_tool_calls": message.invalid_tool_calls,
        "usage_metadata": message.usage_metadata,
        "finish_reason": meta["finish_reason"],
        "model_name": meta["model_name"],
        "model_provider": meta["model_provider"],
    }


@pytest.mark.parametrize("tools", [False, True], ids=["answer", "tool_call"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("route", "shape"), [(r, s) for r, shapes in _SHAPES.items() for s in shapes]
)
async def test_streamed_reply_adds_up_to_the_non_streamed_reply(
    emulator, route, shape, mode, tools
):
    llm = chat(emulator, route, spec=shape or None)
    runnable = llm.bind_tools([get_weather]) if tools else llm
    prompt = "What is the weather in Paris?" if tools else PROMPT

    whole = await invoke(runnable, prompt, mode)
    streamed = as_message(await run(runnable, prompt, "stream" if mode == "sync" else "astream"))

    assert _comparable(streamed) == _comparable(whole)
    assert whole.usage_metadata is not None
    if tools:
        assert whole.tool_calls
        assert whole.response_metadata["finish_reason"] == "tool_calls"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("route", ROUTES)
async def test_stream_chunks_carry_reasoning_deltas_before_the_answer(emulator, route, mode):
    chunks = await run_stream(chat(emulator, route), PROMPT, mode)

    assert all("<think>" not in c.content and "</think>" not in c.content for c in chunks)
    with_reasoning = [i for i, c in enumerate(chunks) if reasoning_of(c)]
    with_text = [i for i, c in enumerate(chunks) if c.content]
    assert len(with_reasoning) >= 2, "reasoning should arrive as deltas, not one blob"
    assert with_text
    assert max(with_reasoning) < min(with_text)
    for i in with_reasoning:  # each delta is a standard reasoning block too
        assert chunks[i].content_blocks[0] == {
            "type": "reasoning",
            "reasoning": reasoning_of(chunks[i]),
        }
    total = aggregate(chunks)
    assert "".join(reasoning_of(chunks[i]) for i in with_reasoning) == reasoning_of(total)
    assert "".join(c.content for c in chunks) == f"Echo: {PROMPT}"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("route", ROUTES)
async def test_stream_events_v3_deliver_reasoning_before_text(emulator, route, mode):
    llm = chat(emulator, route)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LangChainBetaWarning)
        if mode == "sync":
            stream = llm.stream_events(PROMPT, version="v3")
            events = list(stream)
        else:
            astream = await llm.astream_events(PROMPT, version="v3")
            events = [event async for event in astream]

    deltas = [e["delta"] for e in events if e["event"] == "content-block-delta"]
    kinds = [d["type"] for d in deltas]
    assert "reasoning-delta" in kinds
    assert "text-delta" in kinds
    assert kinds.index("text-delta") > max(
        i for i, kind in enumerate(kinds) if kind == "reasoning-delta"
    )
    reasoning = "".join(d["reasoning"] for d in deltas if d["type"] == "reasoning-delta")
    assert "«What is the capital of France?»" in reasoning
    assert "".join(d["text"] for d in deltas if d["type"] == "text-delta") == f"Echo: {PROMPT}"
    output = stream.output if mode == "sync" else await astream.output
    content = cast("list[dict[str, Any]]", output.content)  # v3: a list of v1 content blocks
    assert [b["type"] for b in content] == ["reasoning", "text"]
    assert content[0]["reasoning"] == reasoning
    finish = next(e for e in events if e["event"] == "message-finish")
    if route == "anthropic":  # the route's usage has no reasoning count, and none is invented
        assert "reasoning" not in finish["usage"].get("output_token_details", {})
        assert finish["usage"]["output_tokens"] > 0
    else:
        assert finish["usage"]["output_token_details"]["reasoning"] > 0


@pytest.mark.parametrize("route", ROUTES)
async def test_astream_events_v2_show_reasoning_blocks_before_text(emulator, route):
    # (v1/v2 events exist only as astream_events in langchain-core: no sync twin to test)
    llm = chat(emulator, route)
    events = [e async for e in llm.astream_events(PROMPT, version="v2")]

    chunks = [e["data"]["chunk"] for e in events if e["event"] == "on_chat_model_stream"]
    kinds = [b["type"] for chunk in chunks for b in chunk.content_blocks]
    assert kinds[0] == "reasoning"
    assert "text" in kinds
    assert "reasoning" not in kinds[kinds.index("text") :]
    (end,) = [e for e in events if e["event"] == "on_chat_model_end"]
    final = end["data"]["output"]
    assert isinstance(final, AIMessageChunk | AIMessage)
    assert final.content == f"Echo: {PROMPT}"
    assert reasoning_of(final)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("route", ROUTES)
async def test_streaming_true_invoke_uses_the_stream_and_gives_the_same_answer(
    emulator, route, mode
):
    plain = await invoke(chat(emulator, route), PROMPT, mode)
    emulator.clear()

    streamed = await invoke(chat(emulator, route, streaming=True), PROMPT, mode)

    (body,) = bodies(emulator)
    assert body["stream"] is True
    assert streamed.content == plain.content
    assert streamed.additional_kwargs == plain.additional_kwargs
    assert streamed.usage_metadata == plain.usage_metadata


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("route", ["openai", "native"])
async def test_thinking_can_be_switched_off_on_m3(emulator, route, call):
    llm = chat(emulator, route, model="MiniMax-M3", thinking="disabled")

    message = as_message(await run(llm, PROMPT, call))

    assert bodies(emulator)[0]["thinking"] == {"type": "disabled"}
    assert message.content == f"Echo: {PROMPT}"
    assert message.additional_kwargs == {}
    assert [b["type"] for b in message.content_blocks] == ["text"]
    assert message.usage_metadata is not None
    assert message.usage_metadata["output_token_details"]["reasoning"] == 0


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("route", ["openai", "native"])
async def test_adaptive_thinking_is_sent_to_m3_and_reasons(emulator, route, mode):
    message = await invoke(
        chat(emulator, route, model="MiniMax-M3", thinking="adaptive"), PROMPT, mode
    )

    assert bodies(emulator)[0]["thinking"] == {"type": "adaptive"}
    assert [b["type"] for b in message.content_blocks] == ["reasoning", "text"]


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("route", ["openai", "native"])
async def test_a_model_that_does_not_think_has_no_reasoning_block(emulator, route, call):
    message = as_message(await run(chat(emulator, route, model="MiniMax-Text-01"), PROMPT, call))

    assert message.content == f"Echo: {PROMPT}"
    assert message.additional_kwargs == {}
    assert message.content_blocks == [{"type": "text", "text": f"Echo: {PROMPT}"}]
    assert "thinking" not in bodies(emulator)[0]
