"""Tool schemas are sent self-contained: ``$ref`` inlined, nullable ``anyOf`` flattened, ``strict``
dropped; recursive or absurdly deep schemas are refused before sending (issue 16)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel

from minimax_core import ChatParams, InvalidInputError, ToolDefinition, UserMessage
from minimax_core._request import prepare_chat
from minimax_core._schema import harden


class Address(BaseModel):
    street: str
    city: str


class Person(BaseModel):
    """A person with a home and maybe a second home."""

    name: str
    home: Address
    second_home: Address | None = None
    nickname: str | None = None
    previous: list[Address] = []


class Node(BaseModel):
    value: int
    children: list[Node] = []


def refs_in(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if "$ref" in node else []
        return found + [r for v in node.values() for r in refs_in(v)]
    if isinstance(node, list):
        return [r for v in node for r in refs_in(v)]
    return []


def test_pydantic_defs_are_inlined_and_optionals_flattened() -> None:
    schema = harden(Person.model_json_schema(), "person")
    assert refs_in(schema) == []
    assert "$defs" not in schema
    properties = schema["properties"]
    assert properties["home"]["type"] == "object"
    assert set(properties["home"]["properties"]) == {"street", "city"}
    # Optional[Address] → the Address object itself (the null alternative dropped), default kept
    assert properties["second_home"]["type"] == "object"
    assert properties["second_home"]["default"] is None
    assert "anyOf" not in properties["second_home"]
    assert properties["nickname"]["type"] == "string"
    assert properties["previous"]["items"]["properties"]["city"] == {
        "title": "City",
        "type": "string",
    }


def test_keys_beside_a_ref_win_and_the_input_is_not_changed() -> None:
    schema = {
        "type": "object",
        "properties": {"where": {"$ref": "#/definitions/Place", "description": "Where to go"}},
        "definitions": {"Place": {"type": "string", "description": "A place"}},
        "strict": True,
    }
    before = json.dumps(schema, sort_keys=True)
    out = harden(schema, "go")
    assert out == {
        "type": "object",
        "properties": {"where": {"type": "string", "description": "Where to go"}},
    }
    assert json.dumps(schema, sort_keys=True) == before


def test_a_real_union_is_kept() -> None:
    schema = {
        "type": "object",
        "properties": {"x": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
    }
    assert harden(schema)["properties"]["x"]["anyOf"] == [{"type": "string"}, {"type": "integer"}]


def test_a_recursive_schema_is_refused_clearly() -> None:
    with pytest.raises(InvalidInputError, match="recursive"):
        harden(Node.model_json_schema(), "tree")


def test_an_undefined_ref_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="does not define"):
        harden({"type": "object", "properties": {"a": {"$ref": "#/$defs/Missing"}}}, "t")


def test_an_absurdly_deep_schema_is_a_typed_error_not_a_recursion_error() -> None:
    node: dict[str, Any] = {"type": "string"}
    for _ in range(5000):
        node = {"type": "object", "properties": {"x": node}}
    with pytest.raises(InvalidInputError, match="nested more than"):
        harden(node, "deep")


@pytest.mark.parametrize("api", ["openai", "native", "dashscope", "anthropic", "dashscope-native"])
def test_every_route_sends_the_hardened_schema(api: str) -> None:
    tool = ToolDefinition("save_person", "Save a person", Person.model_json_schema())
    model = "MiniMax-M2.5" if api.startswith("dashscope") else "MiniMax-M2.7"
    prepared = prepare_chat(
        [UserMessage("Save Ada")], ChatParams(model=model, tools=[tool]), api=api, stream=False
    )
    body = json.loads(prepared.body)
    tools = body["tools"] if "tools" in body else body["parameters"]["tools"]
    sent = json.dumps(tools)
    assert "$ref" not in sent
    assert "$defs" not in sent
    assert '"street"' in sent


def test_a_recursive_tool_is_refused_before_sending() -> None:
    tool = ToolDefinition("tree", "A tree", Node.model_json_schema())
    with pytest.raises(InvalidInputError, match="recursive"):
        prepare_chat(
            [UserMessage("x")],
            ChatParams(model="MiniMax-M2.7", tools=[tool]),
            api="openai",
            stream=False,
        )
