"""metadata from the model catalog (context window, output budget, function calling), unknown
models, class_name."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from llama_index.core.agent.workflow import FunctionAgent
from llama_index.core.base.llms.types import MessageRole
from llama_index.core.tools import FunctionTool

from llama_index_minimax import MiniMax, MiniMaxEmbedding
from minimax_emulator.testing import EmulatorServer
from tests.llama_index_minimax.helpers import (
    add,
    chat_bodies,
    completion_json,
    mock_client,
    multiply,
    user,
)


@pytest.mark.parametrize(
    ("model", "context_window", "num_output"),
    [
        ("MiniMax-M3", 1_000_000, 131_072),  # the old integration said 204,800 and no tools
        ("MiniMax-M2.7", 204_800, 65_536),
        ("MiniMax-M2.7-highspeed", 204_800, 65_536),
        ("MiniMax-M2.5", 204_800, 65_536),
        ("MiniMax-M2.1", 204_800, 65_536),
        ("MiniMax-M2", 204_800, 65_536),
        ("MiniMax/MiniMax-M2.5", 204_800, 65_536),
        ("MiniMax-M1", 1_000_000, 8_192),
        ("MiniMax-Text-01", 1_000_192, 2_048),
        ("abab6.5s-chat", 245_760, 2_048),
    ],
)
def test_metadata_comes_from_the_catalog(model: str, context_window: int, num_output: int) -> None:
    meta = MiniMax(model=model).metadata
    assert meta.model_name == model
    assert meta.context_window == context_window
    assert meta.num_output == num_output
    assert meta.is_chat_model is True
    assert meta.is_function_calling_model is True
    assert meta.system_role == MessageRole.SYSTEM


def test_max_tokens_is_the_output_budget() -> None:
    assert MiniMax(model="MiniMax-M3", max_tokens=4096).metadata.num_output == 4096


def test_an_unknown_model_is_still_usable() -> None:
    bodies: list[dict[str, Any]] = []

    def minimax(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return httpx.Response(200, json=completion_json("Hello!", model="MiniMax-M9-preview"))

    sync_client, _ = mock_client(minimax)
    llm = MiniMax(
        model="MiniMax-M9-preview",
        api_key="sk-test",  # type: ignore[arg-type]
        base_url="https://api.minimax.io",
        http_client=sync_client,
        max_tokens=300_000,  # no catalog limit to enforce for a model this package does not know
    )
    meta = llm.metadata
    assert (meta.model_name, meta.context_window, meta.is_function_calling_model) == (
        "MiniMax-M9-preview",
        204_800,
        True,
    )
    assert llm.chat([user("Hi")]).message.content == "Hello!"
    assert bodies[0]["model"] == "MiniMax-M9-preview"
    assert bodies[0]["max_completion_tokens"] == 300_000


async def test_m3_drives_a_function_agent(make_llm: Any, emulator: EmulatorServer) -> None:
    # FunctionAgent refuses an LLM whose metadata says it cannot call functions
    agent = FunctionAgent(tools=[add, multiply], llm=make_llm("openai", "MiniMax-M3"))
    result = await agent.run("Please multiply 6 and 7.")
    assert str(result) == "Based on the tool results: 42."
    assert chat_bodies(emulator)[0]["model"] == "MiniMax-M3"


def test_m3_predict_and_call_uses_native_function_calling(
    make_llm: Any, emulator: EmulatorServer
) -> None:
    llm = make_llm("openai", "MiniMax-M3")
    result = llm.predict_and_call([FunctionTool.from_defaults(add)], user_msg="add 20 and 22")
    assert result.response == "42"
    assert chat_bodies(emulator)[0]["tools"][0]["function"]["name"] == "add"


def test_class_names_are_stable_and_serialised() -> None:
    assert MiniMax.class_name() == "MiniMax_LLM"
    assert MiniMax().to_dict()["class_name"] == "MiniMax_LLM"
    assert MiniMaxEmbedding.class_name() == "MiniMaxEmbedding"
    assert MiniMaxEmbedding().to_dict()["class_name"] == "MiniMaxEmbedding"
    assert MiniMaxEmbedding().model_name == "embo-01"
