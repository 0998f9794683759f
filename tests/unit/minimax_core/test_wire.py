"""Wire models: strict requests, permissive responses (``docs/protocol-notes.md`` §12.1)."""

from __future__ import annotations

import json

import pydantic
import pytest

from minimax_core import MalformedResponseError, reasoning_text_of
from minimax_core._failures import parse_chunk
from minimax_core._wire import (
    ChatCompletion,
    ChatRequest,
    EmbeddingsRequest,
    EmbeddingsResponse,
    FunctionSpec,
    Usage,
    WireMessage,
)

from .support import STREAMS


def test_request_json_leaves_out_unset_fields_and_keeps_extras() -> None:
    request = ChatRequest.model_validate(
        {
            "model": "MiniMax-M2.7",
            "messages": [{"role": "user", "content": "hi"}],
            "mask_sensitive_info": True,
        }
    )
    assert json.loads(request.to_json()) == {
        "model": "MiniMax-M2.7",
        "messages": [{"role": "user", "content": "hi"}],
        "mask_sensitive_info": True,
    }


def test_requests_are_strict() -> None:
    with pytest.raises(pydantic.ValidationError):
        WireMessage.model_validate({"role": "user", "content": "hi", "tool_call": {}})
    with pytest.raises(pydantic.ValidationError):
        WireMessage.model_validate({"role": "developer", "content": "hi"})
    with pytest.raises(pydantic.ValidationError):
        ChatRequest.model_validate({"model": "m", "messages": [], "max_tokens": "10"})


@pytest.mark.parametrize("name", ["get_weather", "a.b-c_1", "x" * 64])
def test_valid_function_names(name: str) -> None:
    FunctionSpec(name=name, parameters={})


@pytest.mark.parametrize("name", ["", "get weather", "x" * 65, "naïve"])
def test_invalid_function_names(name: str) -> None:
    with pytest.raises(pydantic.ValidationError):
        FunctionSpec(name=name, parameters={})


def test_embeddings_request() -> None:
    body = EmbeddingsRequest(model="embo-01", texts=["a", "b"], type="query").to_json()
    assert json.loads(body) == {"model": "embo-01", "texts": ["a", "b"], "type": "query"}
    with pytest.raises(pydantic.ValidationError):
        EmbeddingsRequest(model="embo-01", texts=["a"], type="document")  # type: ignore[arg-type]


def test_responses_keep_unknown_fields() -> None:
    body = (STREAMS / "openai-unsplit-think.json").read_bytes()
    parsed = parse_chunk(body, None)
    assert parsed.model_extra is not None
    assert parsed.model_extra["input_sensitive"] is False
    assert parsed.choices is not None
    message = parsed.choices[0].message
    assert message is not None
    assert message.model_extra == {"name": "MiniMax AI", "audio_content": ""}
    assert parsed.is_summary


def test_chunks_are_not_summaries() -> None:
    chunk = parse_chunk(b'{"object": "chat.completion.chunk", "choices": []}', None)
    assert not chunk.is_summary


@pytest.mark.parametrize("data", [b"{oops", "[1, 2]", b'{"choices": "nope"}'])
def test_unparsable_payloads_are_malformed(data: str | bytes) -> None:
    with pytest.raises(MalformedResponseError, match="not a valid chat payload"):
        parse_chunk(data, None)


def test_malformed_message_shows_a_preview_of_the_data() -> None:
    with pytest.raises(MalformedResponseError, match="broken-é"):
        parse_chunk("broken-é" * 100, None)


def test_zero_usage_is_empty() -> None:
    assert Usage.model_validate({"total_tokens": 0, "total_characters": 0}).is_empty
    assert not Usage.model_validate({"prompt_tokens": 1}).is_empty


def test_reasoning_text_of_details() -> None:
    items = [{"text": "a"}, {"type": "reasoning.encrypted"}, "junk", {"text": None}, {"text": "b"}]
    assert reasoning_text_of(items) == "ab"  # type: ignore[arg-type]


def test_embeddings_response() -> None:
    reply = EmbeddingsResponse.model_validate_json(b'{"vectors": [[1, 2.5]], "total_tokens": 4}')
    assert reply.vectors == [[1.0, 2.5]]
    assert reply.base_resp is None


def test_completion_model_defaults() -> None:
    empty = ChatCompletion()
    assert (empty.choices, empty.usage, empty.error) == (None, None, None)
