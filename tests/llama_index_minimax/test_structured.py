"""Structured output: structured_predict (+ async, + streamed) and as_structured_llm, via a
forced tool call (MiniMax ignores tool_choice "required": the request asks for it in the prompt)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from llama_index.core.prompts import PromptTemplate
from pydantic import BaseModel

from minimax_emulator.testing import EmulatorServer
from tests.llama_index_minimax.helpers import (
    MODES,
    ROUTES,
    chat_bodies,
    completion_json,
    mock_client,
    system_of,
    tool_specs,
    turns,
    user,
    user_turn,
)

PROMPT = PromptTemplate("Write a song called {title} lasting {seconds} seconds.")
ASKED = "Write a song called Blue lasting 180 seconds."


class Song(BaseModel):
    """A song with its length."""

    title: str
    length_seconds: int


async def structured_predict(llm: Any, mode: str, **prompt_args: Any) -> Any:
    if mode == "sync":
        return llm.structured_predict(Song, PROMPT, **prompt_args)
    return await llm.astructured_predict(Song, PROMPT, **prompt_args)


async def stream_structured_predict(llm: Any, mode: str, **prompt_args: Any) -> list[Any]:
    if mode == "sync":
        return list(llm.stream_structured_predict(Song, PROMPT, **prompt_args))
    return [o async for o in await llm.astream_structured_predict(Song, PROMPT, **prompt_args)]


@pytest.mark.parametrize(("api", "model"), ROUTES)
@MODES
async def test_structured_predict_returns_the_model(
    make_llm: Any, emulator: EmulatorServer, api: str, model: str, mode: str
) -> None:
    song = await structured_predict(make_llm(api, model), mode, title="Blue", seconds=180)
    assert song == Song(title="Blue", length_seconds=180)  # strings: the name in the prompt

    (body,) = chat_bodies(emulator)
    ((name, schema),) = tool_specs(api, body)
    assert name == "Song"
    assert set(schema["properties"]) == {"title", "length_seconds"}
    system = system_of(api, body)
    assert system is not None
    assert "You must call the tool `Song`" in system
    assert turns(api, body)[0] == user_turn(api, ASKED)
    if api == "anthropic":  # a call is required, one at a time (not enforced: asked above too)
        assert body["tool_choice"] == {"type": "any", "disable_parallel_tool_use": True}


@pytest.mark.parametrize(("api", "model"), ROUTES)
@MODES
async def test_stream_structured_predict_ends_with_the_whole_model(
    make_llm: Any, api: str, model: str, mode: str
) -> None:
    partials = await stream_structured_predict(
        make_llm(api, model), mode, title="Blue", seconds=180
    )
    assert len(partials) >= 2
    final = partials[-1]
    assert Song.model_validate(final.model_dump()) == Song(title="Blue", length_seconds=180)


@MODES
async def test_as_structured_llm_chat_returns_the_object(
    make_llm: Any, emulator: EmulatorServer, mode: str
) -> None:
    structured = make_llm().as_structured_llm(Song)
    messages = [user(ASKED)]
    if mode == "sync":
        response = structured.chat(messages)
    else:
        response = await structured.achat(messages)
    assert response.raw == Song(title="Blue", length_seconds=180)
    assert json.loads(response.message.content) == {"title": "Blue", "length_seconds": 180}
    assert chat_bodies(emulator)[0]["tools"][0]["function"]["name"] == "Song"


@MODES
async def test_as_structured_llm_streams(make_llm: Any, mode: str) -> None:
    structured = make_llm().as_structured_llm(Song)
    if mode == "sync":
        responses = list(structured.stream_chat([user(ASKED)]))
    else:
        responses = [r async for r in await structured.astream_chat([user(ASKED)])]
    assert responses[-1].raw == Song(title="Blue", length_seconds=180)


@MODES
async def test_structured_output_answered_as_json_text_is_recovered(
    make_llm: Any, mode: str
) -> None:
    bodies: list[dict[str, Any]] = []

    def minimax(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        text = 'Here you go:\n```json\n{"title": "Blue", "length_seconds": 180}\n```'
        return httpx.Response(200, json=completion_json(text))

    sync_client, async_client = mock_client(minimax)
    llm = make_llm(
        base_url="https://api.minimax.io", http_client=sync_client, http_async_client=async_client
    )
    song = await structured_predict(llm, mode, title="Blue", seconds=180)
    assert song == Song(title="Blue", length_seconds=180)
    assert len(bodies) == 1  # recovered from the text, not asked again
