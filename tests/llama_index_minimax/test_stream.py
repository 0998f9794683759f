"""stream_chat / astream_chat / stream_complete / astream_complete on every route.

LlamaIndex streams whole messages: each response carries the message so far plus the new text in
``delta`` (and new reasoning in ``additional_kwargs["thinking_delta"]``); the last one must equal
what the non-streamed call returns.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from minimax_core import EmptyAnswerWarning
from minimax_emulator.testing import EmulatorServer
from tests.llama_index_minimax.helpers import (
    MODES,
    ROUTES,
    block_kinds,
    chat,
    chat_bodies,
    complete,
    stream_chat,
    stream_complete,
    thinking,
    user,
    wire_message,
)

QUESTION = "Explain streaming in one sentence, café 思考 included."


def thinking_text(message: Any) -> str:
    return "".join(b.content or "" for b in thinking(message))


@pytest.mark.parametrize(("api", "model"), ROUTES)
@MODES
async def test_streamed_messages_are_cumulative_and_end_equal_to_chat(
    make_llm: Any, api: str, model: str, mode: str
) -> None:
    llm = make_llm(api, model)
    responses = await stream_chat(llm, [user(QUESTION)], mode)
    whole = await chat(llm, [user(QUESTION)], mode)

    text_so_far = reasoning_so_far = ""
    for response in responses:
        text_so_far += response.delta or ""
        reasoning_so_far += response.additional_kwargs.get("thinking_delta", "")
        assert response.message.content == text_so_far  # cumulative, no repeats
        assert thinking_text(response.message) == reasoning_so_far
        assert "<think>" not in text_so_far
        assert "</think>" not in text_so_far
    assert text_so_far == whole.message.content == f"Echo: {QUESTION}"
    assert reasoning_so_far == thinking_text(whole.message) != ""
    # really streamed: the reasoning came in several pieces, the answer after it
    pieces = [
        r.additional_kwargs["thinking_delta"]
        for r in responses
        if "thinking_delta" in r.additional_kwargs
    ]
    assert len(pieces) >= 2
    first_text = next(i for i, r in enumerate(responses) if r.delta)
    assert all("thinking_delta" not in r.additional_kwargs for r in responses[first_text:])

    last = responses[-1]
    assert last.message.blocks == whole.message.blocks  # replay data and token counts included
    assert block_kinds(last.message) == ["thinking", "text"]
    assert last.additional_kwargs == whole.additional_kwargs
    assert last.additional_kwargs["total_tokens"] > 0
    assert last.raw is not None
    assert whole.raw is not None
    assert last.raw["usage"] == whole.raw["usage"]
    assert last.raw["finish_reason"] == "stop"


@pytest.mark.parametrize(("api", "model"), ROUTES)
@MODES
async def test_stream_complete_deltas_add_up_to_complete(
    make_llm: Any, api: str, model: str, mode: str
) -> None:
    llm = make_llm(api, model)
    responses = await stream_complete(llm, QUESTION, mode)
    whole = await complete(llm, QUESTION, mode)
    reference = await chat(llm, [user(QUESTION)], mode)

    text = "".join(r.delta or "" for r in responses)
    assert [r.text for r in responses] == [
        "".join(r.delta or "" for r in responses[: i + 1]) for i in range(len(responses))
    ]
    assert text == responses[-1].text == whole.text == f"Echo: {QUESTION}"
    reasoning = "".join(r.additional_kwargs.get("thinking_delta", "") for r in responses)
    assert reasoning == thinking_text(reference.message)
    assert (
        responses[-1].additional_kwargs["total_tokens"] == whole.additional_kwargs["total_tokens"]
    )


@MODES
async def test_cumulative_reasoning_snapshots_are_not_duplicated(
    make_llm: Any, emulator: EmulatorServer, mode: str
) -> None:
    # The global host sends reasoning_details as growing snapshots, the China host as pieces.
    llm = make_llm(default_headers={"X-Emulator": "reasoning=cumulative"})
    responses = await stream_chat(llm, [user(QUESTION)], mode)
    reasoning = "".join(r.additional_kwargs.get("thinking_delta", "") for r in responses)
    (body,) = chat_bodies(emulator)
    wire = wire_message(emulator, "openai", body)
    assert reasoning == wire["reasoning_details"][0]["text"]
    (block,) = thinking(responses[-1].message)
    assert block.content == reasoning
    assert block.additional_information["reasoning_details"] == wire["reasoning_details"]


@pytest.mark.parametrize(
    "spec",
    [
        "empty_role=true; done=false",
        "usage_zero_chunks=true",
        "chunks=12; reasoning_chunks=9",
    ],
)
@pytest.mark.parametrize(("api", "model"), ROUTES)
async def test_framing_quirks_do_not_change_the_answer(
    make_llm: Any, api: str, model: str, spec: str
) -> None:
    quirky = make_llm(api, model, default_headers={"X-Emulator": spec})
    responses = await stream_chat(quirky, [user(QUESTION)], "async")
    whole = await chat(quirky, [user(QUESTION)], "async")
    assert "".join(r.delta or "" for r in responses) == whole.message.content
    assert responses[-1].message.blocks == whole.message.blocks
    assert responses[-1].additional_kwargs["total_tokens"] > 0  # zero-usage chunks ignored


@pytest.mark.parametrize(("api", "model"), ROUTES)
@MODES
async def test_reasoning_that_uses_the_whole_budget_is_flagged(
    make_llm: Any, api: str, model: str, mode: str
) -> None:
    llm = make_llm(api, model, default_headers={"X-Emulator": "finish=length"})
    with pytest.warns(EmptyAnswerWarning, match="max_tokens"):
        whole = await chat(llm, [user(QUESTION)], mode)
    with pytest.warns(EmptyAnswerWarning):
        responses = await stream_chat(llm, [user(QUESTION)], mode)
    for response in (whole, responses[-1]):
        assert response.message.content == ""
        assert thinking_text(response.message)
        assert response.raw is not None
        assert response.raw["empty_answer"] is True
        assert response.raw["finish_reason"] == "length"


@MODES
async def test_an_abandoned_stream_leaves_the_client_usable(
    make_llm: Any, emulator: EmulatorServer, mode: str
) -> None:
    llm = make_llm(default_headers={"X-Emulator": "chunks=20"})
    if mode == "sync":
        gen = llm.stream_chat([user("first")])
        next(gen)
        gen.close()
    else:
        agen = await llm.astream_chat([user("first")])
        await agen.__anext__()
        await agen.aclose()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        response = await chat(llm, [user("second")], mode)
    assert response.message.content is not None
    assert response.message.content.startswith("Echo: second part 0:")
    assert len(chat_bodies(emulator)) == 2
