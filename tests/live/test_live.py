"""Against the real MiniMax service: opt-in, run only when MINIMAX_API_KEY is set.

``MINIMAX_REGION=cn`` for a platform.minimaxi.com key; ``MINIMAX_LIVE_MODEL`` picks the model
(default MiniMax-M2.7). These check the behaviours the emulator imitates on the real thing:
reasoning split from the answer, a tool loop with reasoning replayed, usage, embeddings.
"""

from __future__ import annotations

import os

import pytest
from langchain_core.messages import BaseMessage, HumanMessage, ToolMessage
from langchain_core.tools import tool
from llama_index.core.llms import ChatMessage

from langchain_minimax import ChatMiniMax, MiniMaxEmbeddings
from llama_index_minimax import MiniMax

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        not os.environ.get("MINIMAX_API_KEY"),
        reason="live tests talk to MiniMax and run only when MINIMAX_API_KEY is set",
    ),
]
MODEL = os.environ.get("MINIMAX_LIVE_MODEL", "MiniMax-M2.7")


@tool
def get_weather(city: str) -> str:
    """Get today's weather for a city."""
    return f"Sunny and 21 °C in {city}"


def test_langchain_answer_and_reasoning_are_apart() -> None:
    # The ignores: `max_tokens=` is accepted, but mypy knows only the field's alias,
    # `max_completion_tokens=` (as for langchain-openai's ChatOpenAI).
    msg = ChatMiniMax(model=MODEL, max_tokens=2048).invoke("What is 7 times 8? Just the number.")  # type: ignore[call-arg]
    assert "56" in msg.content
    assert "<think>" not in msg.content
    assert msg.additional_kwargs.get("reasoning_content")
    assert msg.usage_metadata is not None
    assert msg.usage_metadata["output_tokens"] > 0


def test_langchain_stream_matches_invoke_shape() -> None:
    llm = ChatMiniMax(model=MODEL, max_tokens=2048)  # type: ignore[call-arg]
    full = None
    for chunk in llm.stream("Name one primary colour."):
        full = chunk if full is None else full + chunk
    assert full is not None
    assert full.content
    assert "<think>" not in full.content
    assert full.usage_metadata is not None


def test_langchain_tool_loop_with_reasoning_replayed() -> None:
    llm = ChatMiniMax(model=MODEL, max_tokens=4096).bind_tools([get_weather])  # type: ignore[call-arg]
    history: list[BaseMessage] = [HumanMessage("What's the weather in Lisbon? Use the tool.")]
    reply = llm.invoke(history)
    assert reply.tool_calls
    history.append(reply)
    for call in reply.tool_calls:
        history.append(ToolMessage(get_weather.invoke(call["args"]), tool_call_id=call["id"]))
    final = llm.invoke(history)  # MiniMax rejects this (2013) if the history is wrong
    assert "21" in final.content or "Sunny" in final.content or "sunny" in final.content


def test_llama_index_chat_has_a_thinking_block() -> None:
    response = MiniMax(model=MODEL, max_tokens=2048).chat(
        [ChatMessage(role="user", content="What is 2 + 2? Just the number.")]
    )
    assert "4" in (response.message.content or "")
    assert any(block.block_type == "thinking" for block in response.message.blocks)


def test_embeddings() -> None:
    vector = MiniMaxEmbeddings().embed_query("Where is MiniMax based?")
    assert len(vector) == 1536
