"""LlamaIndex messages → MiniMax requests: history produced elsewhere (other providers' thinking
blocks, OpenAI-style tool calls in additional_kwargs), images, roles."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from llama_index.core.base.llms.types import (
    ChatMessage,
    ImageBlock,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
)
from openai.types.chat import ChatCompletionMessageFunctionToolCall
from openai.types.chat.chat_completion_message_function_tool_call import Function

from minimax_core import InvalidInputError
from minimax_emulator.testing import EmulatorServer
from tests.llama_index_minimax.helpers import (
    MODES,
    ROUTES,
    anthropic_replay,
    chat,
    chat_bodies,
    tool_results,
    user,
    user_turn,
    wire_message,
)

ARGS = '{"a": 2, "b": 3}'
OPENAI_CALL = {"id": "call_abc", "type": "function", "function": {"name": "add", "arguments": ARGS}}
TOOL_RESULT = ChatMessage(role="tool", content="5", additional_kwargs={"tool_call_id": "call_abc"})


def plain_detail(text: str) -> list[dict[str, Any]]:
    return [
        {
            "type": "reasoning.text",
            "id": "reasoning-text-1",
            "format": "MiniMax-response-v1",
            "index": 0,
            "text": text,
        }
    ]


def expected_assistant(api: str, reasoning: str, content: str = "") -> dict[str, Any]:
    """How each route wants an assistant turn with plain reasoning text sent back."""
    if api == "anthropic":  # one unsigned thinking block (no signature to send), then the call
        blocks: list[dict[str, Any]] = [{"type": "thinking", "thinking": reasoning}]
        if content:
            blocks.append({"type": "text", "text": content})
        blocks.append(
            {"type": "tool_use", "id": "call_abc", "name": "add", "input": json.loads(ARGS)}
        )
        return {"role": "assistant", "content": blocks}
    turn: dict[str, Any] = {"role": "assistant", "tool_calls": [OPENAI_CALL]}
    if api == "openai":
        turn.update(content=content, reasoning_details=plain_detail(reasoning))
    elif api == "native":
        turn.update(content=f"<think>\n{reasoning}\n</think>\n\n{content}")
    else:
        turn.update(content=content, reasoning_content=reasoning)
    return turn


@pytest.mark.parametrize(("api", "model"), ROUTES)
@MODES
async def test_history_from_another_provider_is_replayed_in_the_routes_form(
    make_llm: Any, emulator: EmulatorServer, api: str, model: str, mode: str
) -> None:
    history = [
        user("Please add 2 and 3."),
        ChatMessage(  # e.g. from an OpenAI-compatible integration: calls in additional_kwargs
            role="assistant",
            blocks=[ThinkingBlock(content="I should call add."), TextBlock(text="")],
            additional_kwargs={"tool_calls": [OPENAI_CALL]},
        ),
        TOOL_RESULT,
    ]
    response = await chat(make_llm(api, model), history, mode)
    assert response.message.content == "Based on the tool results: 5."
    (body,) = chat_bodies(emulator)
    assert body["messages"] == [
        user_turn(api, "Please add 2 and 3."),
        expected_assistant(api, "I should call add."),
        *tool_results(api, [("call_abc", "5")]),
    ]


@MODES
async def test_openai_sdk_tool_call_objects_are_read(
    make_llm: Any, emulator: EmulatorServer, mode: str
) -> None:
    call = ChatCompletionMessageFunctionToolCall(
        id="call_abc", type="function", function=Function(name="add", arguments=ARGS)
    )
    history = [
        user("Please add 2 and 3."),
        ChatMessage(role="assistant", content="", additional_kwargs={"tool_calls": [call]}),
        TOOL_RESULT,
    ]
    await chat(make_llm(), history, mode)
    assert chat_bodies(emulator)[0]["messages"][1] == {
        "role": "assistant",
        "content": "",
        "tool_calls": [OPENAI_CALL],  # no reasoning: none is sent
    }


@MODES
async def test_foreign_signatures_and_reasoning_formats_are_not_sent_verbatim(
    make_llm: Any, emulator: EmulatorServer, mode: str
) -> None:
    anthropic_like = ThinkingBlock(
        content="Adding ",
        additional_information={"signature": "sig-FROM-ANTHROPIC"},
    )
    other_format = ThinkingBlock(
        content="two numbers.",
        additional_information={
            "reasoning_details": [
                {"type": "reasoning.encrypted", "format": "anthropic-claude-v1", "data": "xyz"}
            ]
        },
    )
    history = [
        user("Please add 2 and 3."),
        ChatMessage(
            role="assistant",
            blocks=[
                anthropic_like,
                other_format,
                ToolCallBlock(tool_call_id="call_abc", tool_name="add", tool_kwargs=ARGS),
            ],
        ),
        TOOL_RESULT,
    ]
    await chat(make_llm(), history, mode)
    body = chat_bodies(emulator)[0]
    assert body["messages"][1] == expected_assistant("openai", "Adding two numbers.")
    assert "sig-FROM-ANTHROPIC" not in json.dumps(body)
    assert "anthropic-claude-v1" not in json.dumps(body)


@pytest.mark.parametrize(("api", "model"), ROUTES)
async def test_our_own_turn_survives_a_json_round_trip(
    make_llm: Any, emulator: EmulatorServer, api: str, model: str
) -> None:
    # memories and chat stores persist messages as JSON: the replay data must survive that
    llm = make_llm(api, model)
    first = llm.chat([user("Hi")])
    stored = ChatMessage.model_validate_json(first.message.model_dump_json())
    llm.chat([user("Hi"), stored, user("Again")])
    _, after = chat_bodies(emulator)
    direct = llm.chat([user("Hi"), first.message, user("Again")])
    assert direct.message.content == "Echo: Again"
    assert after == chat_bodies(emulator)[2]
    turn = after["messages"][1]
    if api == "native":
        assert turn["content"].startswith("<think>\n")
        assert turn["content"].endswith("</think>\n\nEcho: Hi")
    elif api == "anthropic":  # the thinking block with its signature, then the text, verbatim
        wire = wire_message(emulator, api, chat_bodies(emulator)[0])
        assert turn == anthropic_replay(wire)
        assert [b["type"] for b in turn["content"]] == ["thinking", "text"]
        assert turn["content"][1] == {"type": "text", "text": "Echo: Hi"}
    else:
        assert turn["content"] == "Echo: Hi"


async def test_an_assistant_turn_without_reasoning_sends_none(
    make_llm: Any, emulator: EmulatorServer
) -> None:
    history = [user("Hi"), ChatMessage(role="assistant", content="Hello there"), user("Again")]
    for api in ("openai", "native", "dashscope"):
        await chat(make_llm(api), history, "async")
    for body in chat_bodies(emulator):
        assert body["messages"][1] == {"role": "assistant", "content": "Hello there"}


async def test_chatbot_and_model_roles_are_assistant_turns(
    make_llm: Any, emulator: EmulatorServer
) -> None:
    history = [
        user("Hi"),
        ChatMessage(role="chatbot", content="Hello"),
        user("And?"),
        ChatMessage(role="model", content="More"),
        user("Bye"),
    ]
    await chat(make_llm(), history, "sync")
    assert [m["role"] for m in chat_bodies(emulator)[0]["messages"]] == [
        "user", "assistant", "user", "assistant", "user",
    ]  # fmt: skip


async def test_invalid_argument_json_in_history_is_sent_as_an_empty_object(
    make_llm: Any, emulator: EmulatorServer
) -> None:
    # MiniMax answers 2013 to invalid arguments JSON in history
    history = [
        user("Please add 2 and 3."),
        ChatMessage(
            role="assistant",
            blocks=[
                ToolCallBlock(tool_call_id="call_abc", tool_name="add", tool_kwargs="{not json")
            ],
        ),
        TOOL_RESULT,
    ]
    response = await chat(make_llm(), history, "sync")
    assert response.message.content == "Based on the tool results: 5."
    call = chat_bodies(emulator)[0]["messages"][1]["tool_calls"][0]
    assert call["function"]["arguments"] == "{}"


PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAHnOcQAAAAABJRU5ErkJggg=="
)


@MODES
async def test_images_go_to_a_vision_model(
    make_llm: Any, emulator: EmulatorServer, mode: str
) -> None:
    message = ChatMessage(
        role="user",
        blocks=[
            TextBlock(text="What is in these?"),
            ImageBlock(url="https://example.com/cat.png", detail="low"),
            ImageBlock(image=PNG, image_mimetype="image/png"),
        ],
    )
    response = await chat(make_llm("openai", "MiniMax-M3"), [message], mode)
    assert response.message.content is not None
    assert response.message.content.startswith("Echo: What is in these?")
    parts = chat_bodies(emulator)[0]["messages"][0]["content"]
    assert parts[0] == {"type": "text", "text": "What is in these?"}
    assert parts[1] == {
        "type": "image_url",
        "image_url": {"url": "https://example.com/cat.png", "detail": "low"},
    }
    assert parts[2]["image_url"]["url"] == "data:image/png;base64," + base64.b64encode(PNG).decode()


@MODES
async def test_an_image_for_a_text_only_model_is_refused_before_sending(
    make_llm: Any, emulator: EmulatorServer, mode: str
) -> None:
    message = ChatMessage(
        role="user", blocks=[TextBlock(text="Look"), ImageBlock(url="https://example.com/a.png")]
    )
    with pytest.raises(InvalidInputError, match="does not read images"):
        await chat(make_llm(), [message], mode)
    assert emulator.requests == []
