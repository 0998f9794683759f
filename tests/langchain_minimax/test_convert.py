"""Every message form LangChain users produce reaches MiniMax in the shape it accepts.

Strings and tuples, ``ChatMessage`` roles, list content, names, images (OpenAI, v1 standard and
Anthropic blocks) on a vision model, Anthropic ``tool_use`` / ``tool_result`` turns, tool results
given as blocks or objects. Each case asserts the request body the emulator received.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import (
    AIMessage,
    ChatMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)

import minimax_core as core
from tests.langchain_minimax._support import MODES, bodies, chat, invoke


@pytest.mark.parametrize("mode", MODES)
async def test_strings_tuples_and_chat_message_roles(emulator, mode):
    messages = [
        ChatMessage(role="developer", content="Be brief."),
        ("system", "Use English."),
        ("human", "Hi"),
        ("ai", "Hello!"),
        ChatMessage(role="assistant", content="Anything else?"),
        ChatMessage(role="user", content="What is 2+2?"),
    ]

    answer = await invoke(chat(emulator), messages, mode)

    assert answer.content == "Echo: What is 2+2?"
    assert bodies(emulator)[0]["messages"] == [
        {"role": "system", "content": "Be brief.\n\nUse English."},
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello!"},
        {"role": "assistant", "content": "Anything else?"},
        {"role": "user", "content": "What is 2+2?"},
    ]


@pytest.mark.parametrize("mode", MODES)
async def test_text_blocks_are_joined_and_names_kept(emulator, mode):
    messages = [
        SystemMessage([{"type": "text", "text": "Be "}, "brief."]),
        HumanMessage(
            [{"type": "text", "text": "What is "}, {"type": "text", "text": "2+2?"}], name="ann"
        ),
    ]

    answer = await invoke(chat(emulator), messages, mode)

    assert answer.content == "Echo: What is 2+2?"
    assert bodies(emulator)[0]["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "What is 2+2?", "name": "ann"},
    ]


@pytest.mark.parametrize("mode", MODES)
async def test_images_in_every_block_format_reach_a_vision_model(emulator, mode):
    question = HumanMessage(
        [
            {"type": "text", "text": "Compare these."},
            {
                "type": "image_url",
                "image_url": {"url": "https://example.com/a.png", "detail": "low"},
            },
            {"type": "image", "base64": "iVBORw0KGgo=", "mime_type": "image/png"},
            {"type": "image", "url": "https://example.com/b.webp"},
            {
                "type": "image",
                "source": {"type": "base64", "media_type": "image/jpeg", "data": "/9j/4AAQ"},
            },
        ]
    )

    answer = await invoke(chat(emulator, model="MiniMax-M3"), [question], mode)

    assert answer.content == "Echo: Compare these."
    (user,) = bodies(emulator)[0]["messages"]
    assert user["content"] == [
        {"type": "text", "text": "Compare these."},
        {"type": "image_url", "image_url": {"url": "https://example.com/a.png", "detail": "low"}},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
        {"type": "image_url", "image_url": {"url": "https://example.com/b.webp"}},
        {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,/9j/4AAQ"}},
    ]


@pytest.mark.parametrize("mode", MODES)
async def test_an_anthropic_style_tool_turn(emulator, mode):
    messages = [
        HumanMessage("What is the weather in Paris?"),
        AIMessage(
            [
                {"type": "text", "text": "Checking."},
                {
                    "type": "tool_use",
                    "id": "toolu_1",
                    "name": "get_weather",
                    "input": {"city": "Paris"},
                },
            ]
        ),
        HumanMessage(
            [
                {
                    "type": "tool_result",
                    "tool_use_id": "toolu_1",
                    "content": [{"type": "text", "text": "Sunny"}],
                },
                {"type": "text", "text": "Summarise it."},
            ]
        ),
    ]

    await invoke(chat(emulator), messages, mode)

    assert bodies(emulator)[0]["messages"] == [
        {"role": "user", "content": "What is the weather in Paris?"},
        {
            "role": "assistant",
            "content": "Checking.",
            "tool_calls": [
                {
                    "id": "toolu_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "toolu_1", "content": "Sunny"},
        {"role": "user", "content": "Summarise it."},
    ]


@pytest.mark.parametrize(
    ("content", "sent"),
    [
        ("plain", "plain"),
        ([{"type": "text", "text": "a"}, {"type": "text", "text": "b"}], "ab"),
        ([{"temperature": 24, "unit": "°C"}], '[{"temperature": 24, "unit": "°C"}]'),
    ],
    ids=["string", "text_blocks", "objects"],
)
@pytest.mark.parametrize("mode", MODES)
async def test_tool_results_are_sent_as_text(emulator, mode, content: Any, sent: str):
    call = {"name": "get_weather", "args": {"city": "Paris"}, "id": "call_1"}
    messages = [
        HumanMessage("Weather?"),
        AIMessage("", tool_calls=[call]),
        ToolMessage(content, tool_call_id="call_1"),
    ]

    answer = await invoke(chat(emulator), messages, mode)

    assert answer.content == f"Based on the tool results: {sent}."
    assert bodies(emulator)[0]["messages"][2] == {
        "role": "tool",
        "tool_call_id": "call_1",
        "content": sent,
    }


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "message",
    [
        SystemMessage([{"type": "image_url", "image_url": {"url": "https://x/y.png"}}]),
        HumanMessage([{"type": "audio", "base64": "AAAA", "mime_type": "audio/wav"}]),
        HumanMessage([{"type": "file", "url": "https://x/doc.pdf"}]),
    ],
    ids=["image_in_system", "audio", "file"],
)
async def test_content_minimax_cannot_read_is_refused_before_sending(emulator, message, mode):
    with pytest.raises(core.InvalidInputError, match="not"):
        await invoke(chat(emulator, model="MiniMax-M3"), [message], mode)

    assert emulator.requests == []


def test_token_counting_works_without_a_tokenizer_package() -> None:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, trim_messages

    from langchain_minimax import ChatMiniMax

    llm = ChatMiniMax(model="MiniMax-M2.7", api_key="k")  # type: ignore[arg-type]
    assert llm.get_num_tokens("abcd" * 10) == 10
    history = [
        SystemMessage("You are terse."),
        HumanMessage("word " * 400),
        AIMessage("ok"),
        HumanMessage("Last question?"),
    ]
    counted = llm.get_num_tokens_from_messages(history)
    assert counted > 500
    kept = trim_messages(
        history, max_tokens=60, token_counter=llm, strategy="last", include_system=True
    )
    assert kept[0].content == "You are terse."
    assert kept[-1].content == "Last question?"
    assert all("word word" not in str(m.content) for m in kept)
