"""Standard content blocks for MiniMax messages (LangChain's ``content_blocks`` and v1 output).

Registered for ``model_provider="minimax"``: reasoning (from ``additional_kwargs``) first, then
the text, then tool calls. While streaming, tool-call fragments carry their own ``lc_``-prefixed
block index, so that with ``output_version="v1"`` they never merge into the reasoning or text
block that LangChain numbers 0, 1, … (which the generic parser lets happen).
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.messages import content as types
from langchain_core.messages.block_translators import register_translator

__all__ = ["register"]


def _head(message: AIMessage) -> list[types.ContentBlock]:
    blocks: list[types.ContentBlock] = []
    reasoning = message.additional_kwargs.get("reasoning_content")
    if isinstance(reasoning, str) and reasoning:
        blocks.append({"type": "reasoning", "reasoning": reasoning})
    content: Any = message.content
    if isinstance(content, str):
        if content:
            blocks.append({"type": "text", "text": content})
    else:  # already a list (v1 content, or blocks put there by the caller)
        for block in content:
            if isinstance(block, str):
                blocks.append({"type": "text", "text": block})
            elif isinstance(block, dict) and block.get("type") not in (
                "reasoning",
                "tool_call",
                "tool_call_chunk",
            ):
                blocks.append(block)  # type: ignore[arg-type]
    return blocks


def translate_content(message: AIMessage) -> list[types.ContentBlock]:
    blocks = _head(message)
    for call in message.tool_calls:
        blocks.append(
            {"type": "tool_call", "id": call["id"], "name": call["name"], "args": call["args"]}
        )
    for invalid in message.invalid_tool_calls:
        blocks.append(
            {
                "type": "invalid_tool_call",
                "id": invalid.get("id"),
                "name": invalid.get("name"),
                "args": invalid.get("args"),
                "error": invalid.get("error"),
            }
        )
    return blocks


def translate_content_chunk(message: AIMessageChunk) -> list[types.ContentBlock]:
    if message.chunk_position == "last":
        return translate_content(message)
    blocks = _head(message)
    for fragment in message.tool_call_chunks:
        block: types.ToolCallChunk = {
            "type": "tool_call_chunk",
            "id": fragment.get("id"),
            "name": fragment.get("name"),
            "args": fragment.get("args"),
        }
        if (index := fragment.get("index")) is not None:
            block["index"] = f"lc_tool_call_{index}"
        blocks.append(block)
    return blocks


def register() -> None:
    register_translator("minimax", translate_content, translate_content_chunk)
