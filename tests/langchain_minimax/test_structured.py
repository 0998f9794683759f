"""``with_structured_output``: every schema kind and method, what is sent, and robustness to
MiniMax answering in text (M2.x/M3 enforce neither ``response_format`` nor forced tools;
``docs/protocol-notes.md`` §9.10)."""

from __future__ import annotations

import itertools
from typing import Annotated, Any

import pytest
from langchain_core.exceptions import OutputParserException
from langchain_core.messages import AIMessage
from pydantic import BaseModel, Field
from typing_extensions import TypedDict

from tests.langchain_minimax._support import (
    CALLS,
    MODES,
    ROUTES,
    Scripted,
    as_message,
    bodies,
    chat,
    completion,
    invoke,
    run,
    run_stream,
    system_text,
    tool_schemas,
)

PROMPT = "Ann is 31 years old"


class Person(BaseModel):
    """A person mentioned in the text."""

    name: str = Field(description="The person's name")
    age: int = Field(description="Age in years")


class PersonDict(TypedDict):
    """A person mentioned in the text."""

    name: Annotated[str, ..., "The person's name"]
    age: Annotated[int, ..., "Age in years"]


PERSON_SCHEMA: dict[str, Any] = {
    "title": "Person",
    "description": "A person mentioned in the text.",
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
    "required": ["name", "age"],
}

SCHEMAS = [
    pytest.param(Person, id="pydantic"),
    pytest.param(PersonDict, id="typeddict"),
    pytest.param(PERSON_SCHEMA, id="json_schema_dict"),
]
# the emulator fills string fields with the user's text and integers with its numbers
EXPECTED = {"name": PROMPT, "age": 31}


def _as_dict(value: Any) -> Any:
    return value.model_dump() if isinstance(value, BaseModel) else value


def _check_parsed(schema: Any, parsed: Any) -> None:
    if schema is Person:
        assert isinstance(parsed, Person)
    else:
        assert isinstance(parsed, dict)
    assert _as_dict(parsed) == EXPECTED


def _tool_name(schema: Any) -> str:
    name: str = schema["title"] if isinstance(schema, dict) else schema.__name__
    return name


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("schema", SCHEMAS)
@pytest.mark.parametrize("route", ROUTES)
async def test_function_calling_is_the_default(emulator, route, schema, call):
    structured = chat(emulator, route).with_structured_output(schema)

    result = await run(structured, PROMPT, call)

    parsed = result[-1] if isinstance(result, list) else result
    _check_parsed(schema, parsed)
    (body,) = bodies(emulator)
    assert [t["name"] for t in tool_schemas(route, body)] == [_tool_name(schema)]
    assert "response_format" not in body
    if route == "anthropic":  # the route takes a named tool_choice; the instruction stays too
        assert body["tool_choice"] == {"type": "tool", "name": _tool_name(schema)}
    else:
        assert "tool_choice" not in body
    assert f"You must call the tool `{_tool_name(schema)}` now." in system_text(route, body)
    assert not [key for key in body if "structured" in key or key.startswith("ls_")]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("schema", SCHEMAS)
async def test_json_schema_on_m2_falls_back_to_tool_calling(emulator, schema, mode):
    structured = chat(emulator, model="MiniMax-M2.7").with_structured_output(
        schema, method="json_schema"
    )

    _check_parsed(schema, await invoke(structured, PROMPT, mode))

    (body,) = bodies(emulator)
    assert "response_format" not in body  # M2.7 would accept it and ignore it
    assert [t["function"]["name"] for t in body["tools"]] == [_tool_name(schema)]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("schema", SCHEMAS)
async def test_json_schema_on_text_01_is_enforced_natively(emulator, schema, mode):
    structured = chat(emulator, model="MiniMax-Text-01").with_structured_output(
        schema, method="json_schema"
    )

    _check_parsed(schema, await invoke(structured, PROMPT, mode))

    (body,) = bodies(emulator)
    assert "tools" not in body
    response_format = body["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["name"] == _tool_name(schema)
    sent_schema = response_format["json_schema"]["schema"]
    assert set(sent_schema["properties"]) == {"name", "age"}
    assert body["messages"] == [{"role": "user", "content": PROMPT}]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("schema", SCHEMAS)
@pytest.mark.parametrize("route", ROUTES)
async def test_json_mode_asks_in_the_prompt_and_parses_the_answer(emulator, route, schema, mode):
    structured = chat(emulator, route).with_structured_output(schema, method="json_mode")

    _check_parsed(schema, await invoke(structured, PROMPT, mode))

    (body,) = bodies(emulator)
    assert "tools" not in body
    assert "response_format" not in body  # not enforced by MiniMax: asked for in the prompt
    system = system_text(route, body)
    assert "Reply with one JSON object and nothing else" in system
    assert '"age"' in system  # the schema is part of the instruction


@pytest.mark.parametrize("mode", MODES)
async def test_json_mode_without_a_schema_returns_a_dict(emulator, mode):
    structured = chat(emulator).with_structured_output(method="json_mode")

    result = await invoke(structured, "Give me 'city' and 'country' for Paris", mode)

    assert result == {
        "city": "Give me 'city' and 'country' for Paris",
        "country": "Give me 'city' and 'country' for Paris",
    }


FENCED = '```json\n{"name": "Ann", "age": 31}\n```'
IN_PROSE = 'Sure! Here is the object: {"name": "Ann", "age": 31} — anything else?'


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("text", [FENCED, IN_PROSE], ids=["fenced", "in_prose"])
@pytest.mark.parametrize("schema", SCHEMAS)
async def test_json_mode_parses_fenced_or_embedded_json(schema, text, mode):
    script = Scripted(completion(text))

    result = await invoke(
        script.chat().with_structured_output(schema, method="json_mode"), PROMPT, mode
    )

    assert _as_dict(result) == {"name": "Ann", "age": 31}


@pytest.mark.parametrize("mode", MODES)
async def test_a_text_answer_holding_the_json_is_recovered_for_function_calling(mode):
    # the model ignored the forced tool and answered in text, with the arguments in it
    script = Scripted(completion('I will reply with JSON: {"name": "Ann", "age": 31}'))

    result = await invoke(script.chat().with_structured_output(Person), PROMPT, mode)

    assert result == Person(name="Ann", age=31)


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("route", ROUTES)
async def test_include_raw_gives_raw_parsed_and_no_error(emulator, route, call):
    structured = chat(emulator, route).with_structured_output(Person, include_raw=True)

    result = await run(structured, PROMPT, call)

    if isinstance(result, list):  # streamed: one key per item; the raw message in chunks
        merged: dict[str, Any] = {}
        for part in result:
            for key, value in part.items():
                merged[key] = merged[key] + value if key == "raw" and key in merged else value
        result = merged
        result["raw"] = as_message(result["raw"])
    assert set(result) == {"raw", "parsed", "parsing_error"}
    assert result["parsed"] == Person(name=PROMPT, age=31)
    assert result["parsing_error"] is None
    raw = result["raw"]
    assert isinstance(raw, AIMessage)
    assert raw.tool_calls[0]["name"] == "Person"
    assert raw.additional_kwargs["reasoning_content"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("schema", SCHEMAS)
async def test_a_text_only_reply_sets_parsing_error(schema, mode):
    script = Scripted(completion("I'd rather not say."))
    structured = script.chat().with_structured_output(schema, include_raw=True)

    result = await invoke(structured, PROMPT, mode)

    assert result["parsed"] is None
    assert isinstance(result["parsing_error"], OutputParserException)
    assert "I'd rather not say." in str(result["parsing_error"])
    assert result["raw"].content == "I'd rather not say."


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("schema", SCHEMAS)
async def test_a_text_only_reply_raises_without_include_raw(schema, mode):
    structured = Scripted(completion("No.")).chat().with_structured_output(schema)

    with pytest.raises(OutputParserException, match="answered in text"):
        await invoke(structured, PROMPT, mode)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("route", ROUTES)
async def test_streaming_structured_output_yields_parsed_chunks(emulator, route, mode):
    llm = chat(emulator, route)

    partial = await run_stream(llm.with_structured_output(PERSON_SCHEMA), PROMPT, mode)
    objects = await run_stream(llm.with_structured_output(Person), PROMPT, mode)

    assert len(partial) >= 2, "dict schemas stream growing partial objects"
    assert all(isinstance(p, dict) for p in partial)
    assert partial[-1] == EXPECTED
    for earlier, later in itertools.pairwise(partial):
        assert set(earlier) <= set(later)
    assert objects[-1] == Person(name=PROMPT, age=31)
    assert all(isinstance(o, Person) for o in objects)
