"""The deterministic rule-based brain."""

from __future__ import annotations

import json
from typing import Any

import pytest

from minimax_emulator.schema_fill import fill_schema, integers_in, strings_in

from .conftest import call_asgi, chat

OPENAI = "/v1/chat/completions"


def tool(name: str, properties: dict[str, Any] | None = None, **schema: Any) -> dict[str, Any]:
    parameters = {"type": "object", "properties": properties or {}, **schema}
    return {"type": "function", "function": {"name": name, "description": name,
            "parameters": parameters}}  # fmt: skip


MAGIC = tool("magic_function", {"input": {"type": "integer", "exclusiveMinimum": -1000,
             "exclusiveMaximum": 1000}}, required=["input"])  # fmt: skip
WEATHER = tool("get_weather", {"location": {"type": "string"}})
NO_ARGS = tool("magic_function_no_args")


def message(app: Any, body: dict[str, Any]) -> dict[str, Any]:
    got = call_asgi(app, OPENAI, {**body, "reasoning_split": True})
    assert got.status == 200, got.body
    result: dict[str, Any] = got.json()["choices"][0]["message"]
    return result


def calls(app: Any, body: dict[str, Any]) -> list[tuple[str, Any]]:
    found = message(app, body).get("tool_calls") or []
    return [(c["function"]["name"], json.loads(c["function"]["arguments"])) for c in found]


def test_magic_function_example(app: Any) -> None:
    body = chat("What is the value of magic_function(3)? Use the tool.", tools=[MAGIC])
    assert calls(app, body) == [("magic_function", {"input": 3})]


def test_no_argument_tool(app: Any) -> None:
    assert calls(app, chat("Hello", tools=[NO_ARGS])) == [("magic_function_no_args", {})]


def test_unicode_is_echoed_into_string_arguments(app: Any) -> None:
    customer = tool("unicode_customer", {"customer_name": {"type": "string"},
                    "description": {"type": "string"}})  # fmt: skip
    text = "Create a customer named '你好啊集团' with description 'こんにちは株式会社'."
    ((name, args),) = calls(app, chat(text, tools=[customer]))
    assert name == "unicode_customer"
    assert "你好啊集团" in args["customer_name"]
    assert "こんにちは株式会社" in args["description"]


def test_named_tool_is_chosen_latest_message_first(app: Any) -> None:
    assert calls(app, chat("Weather in Paris? use get_weather", tools=[MAGIC, WEATHER]))[0][0] == (
        "get_weather"
    )
    assert calls(app, chat("Hello!", tools=[MAGIC, WEATHER]))[0][0] == "magic_function"
    body = {"model": "MiniMax-M2.7", "tools": [MAGIC, WEATHER], "messages": [
        {"role": "system", "content": "Always answer with get_weather."},
        {"role": "user", "content": "Paris"}]}  # fmt: skip
    assert calls(app, body) == [("get_weather", {"location": "Paris"})]


def test_parallel_calls_when_two_tools_are_named(app: Any) -> None:
    body = chat("Use get_weather for Oslo and magic_function on 7.", tools=[MAGIC, WEATHER])
    result = message(app, body)["tool_calls"]
    assert [c["function"]["name"] for c in result] == ["get_weather", "magic_function"]
    assert [c["index"] for c in result] == [0, 1]
    assert [c["id"].rsplit("_", 1)[1] for c in result] == ["1", "2"]
    assert len({c["id"].rsplit("_", 1)[0] for c in result}) == 1
    assert json.loads(result[1]["function"]["arguments"]) == {"input": 7}


def test_integers_are_spread_over_parameters_in_order(app: Any) -> None:
    add = tool("add", {"a": {"type": "integer"}, "b": {"type": "number"}})
    assert calls(app, chat("add 2 and 3", tools=[add])) == [("add", {"a": 2, "b": 3})]


def test_tool_choice_none_answers_in_text(app: Any) -> None:
    result = message(app, chat("magic_function(3)", tools=[MAGIC], tool_choice="none"))
    assert "tool_calls" not in result
    assert result["content"] == "Echo: magic_function(3)"


def test_after_tool_results(app: Any) -> None:
    body = {"model": "MiniMax-M2.7", "tools": [MAGIC], "messages": [
        {"role": "user", "content": "magic_function(3)?"},
        {"role": "assistant", "content": "", "tool_calls": [
            {"id": "call_function_1234567890_1", "type": "function",
             "function": {"name": "magic_function", "arguments": '{"input": 3}'}}]},
        {"role": "tool", "tool_call_id": "call_function_1234567890_1",
         "content": "9"}]}  # fmt: skip
    assert message(app, body)["content"] == "Based on the tool results: 9."


def test_json_answer_from_quoted_keys(app: Any) -> None:
    text = "Tell me a joke about cats. Return a JSON with 'setup' and 'punchline' keys."
    content = message(app, chat(text))["content"]
    assert set(json.loads(content)) == {"setup", "punchline"}


def test_json_answer_from_schema_in_prompt(app: Any) -> None:
    schema = {"properties": {"title": {"type": "string"}, "length_seconds": {"type": "integer"}},
              "required": ["title", "length_seconds"]}  # fmt: skip
    example = '{"properties": {"foo": {"type": "array"}}}'
    system = f"Answer as JSON. Example schema {example}. Here is the schema:\n{json.dumps(schema)}"
    body = {"model": "MiniMax-M2.7", "messages": [{"role": "system", "content": system},
            {"role": "user", "content": "A song of 180 seconds"}]}  # fmt: skip
    assert json.loads(message(app, body)["content"]) == {
        "title": "A song of 180 seconds",
        "length_seconds": 180,
    }


def test_json_answer_fallback(app: Any) -> None:
    assert json.loads(message(app, chat("reply in json please"))["content"]) == {
        "answer": "reply in json please"
    }


def test_json_schema_response_format_on_text01_only(app: Any) -> None:
    fmt = {"type": "json_schema", "json_schema": {"name": "joke", "schema": {
        "type": "object", "properties": {"setup": {"type": "string"}, "rating": {
            "type": "integer", "minimum": 1, "maximum": 5}}}}}  # fmt: skip
    content = message(app, chat("cats, 9 of 10", model="MiniMax-Text-01", response_format=fmt))
    assert json.loads(content["content"]) == {"setup": "cats, 9 of 10", "rating": 1}
    assert "reasoning_content" not in content  # Text-01 does not think
    ignored = message(app, chat("cats", response_format=fmt))
    assert ignored["content"] == "Echo: cats"


def test_stop_sequences_cut_the_answer(app: Any) -> None:
    assert message(app, chat("hello you there", stop=["you"]))["content"] == "Echo: hello "
    assert message(app, chat("hello you", stop="ell"))["content"] == "Echo: h"


def test_same_request_same_reply(app: Any) -> None:
    body = chat("Use magic_function on 4", tools=[MAGIC])
    first, second = message(app, body), message(app, body)
    assert first == second


def test_reasoning_has_non_ascii(app: Any) -> None:
    reasoning = message(app, chat("Hi"))["reasoning_content"]
    assert "«Hi»" in reasoning
    assert any(ord(ch) > 0x2000 for ch in reasoning)


@pytest.mark.parametrize(
    ("model", "thinking", "thinks"),
    [
        ("MiniMax-M3", {"type": "disabled"}, False),
        ("MiniMax-M3", {"type": "adaptive"}, True),
        ("MiniMax-M3", None, True),
        ("MiniMax-M2.5", {"type": "disabled"}, True),
        ("MiniMax-Text-01", None, False),
        ("abab6.5s-chat", None, False),
    ],
)
def test_thinking_per_model(app: Any, model: str, thinking: Any, thinks: bool) -> None:
    extra = {"thinking": thinking} if thinking else {}
    body = chat("Hi", model=model, **extra)
    content = call_asgi(app, OPENAI, body).json()["choices"][0]["message"]["content"]
    assert content.startswith("<think>") is thinks
    assert content.endswith("Echo: Hi")


def test_max_tokens_smaller_than_reasoning(app: Any) -> None:
    body = chat("Hi", max_tokens=5)
    reply = call_asgi(app, OPENAI, body).json()
    choice = reply["choices"][0]
    assert choice["finish_reason"] == "length"
    assert choice["message"]["content"].startswith("<think>\n")
    assert "</think>" not in choice["message"]["content"]
    assert reply["usage"]["completion_tokens"] <= 5
    assert reply["usage"]["completion_tokens_details"]["reasoning_tokens"] <= 5


def test_max_tokens_cuts_the_answer(app: Any) -> None:
    full = message(app, chat("a fairly long question about many things"))
    reasoning_tokens = (len(full["reasoning_content"].encode()) + 3) // 4
    cut = message(app, chat("a fairly long question about many things",
                            max_tokens=reasoning_tokens + 2))  # fmt: skip
    assert cut["content"] == full["content"][:8]


def test_schema_filler_rules() -> None:
    schema = {
        "$defs": {"Inner": {"type": "object", "properties": {"flag": {"type": "boolean"}}}},
        "type": "object",
        "properties": {
            "inner": {"$ref": "#/$defs/Inner"},
            "maybe": {"anyOf": [{"type": "null"}, {"type": "integer", "minimum": 10}]},
            "kind": {"type": "string", "enum": ["a", "b"]},
            "tags": {"type": "array", "items": {"type": "string"}},
            "ratio": {"type": "number", "maximum": 1, "exclusiveMinimum": 0},
            "count": {"type": ["integer", "null"]},
            "name": {"type": "string", "maxLength": 3},
        },
    }
    assert fill_schema(schema, "abcdef 12 7 -4") == {
        "inner": {"flag": False},
        "maybe": 12,
        "kind": "a",
        "tags": [],
        "ratio": 1,
        "count": -4,
        "name": "abc",
    }
    assert integers_in("v2 3.5 magic_function(3) -7, 10.") == [3, -7, 10]


def test_string_arguments_take_quoted_phrases_then_proper_names_then_the_text() -> None:
    assert strings_in("Book a table at 'Chez Marie' in Paris for Anna.") == [
        "Chez Marie",
        "Paris",
        "Anna",
    ]
    assert strings_in('Weather for "New York" please') == ["New York"]
    assert strings_in("What's the weather in San Francisco, CA?") == ["San Francisco", "CA"]
    assert strings_in("Hello there. Paris is big.") == []  # sentence starts are not names
    place = {"type": "object", "properties": {"city": {"type": "string"}}}
    assert fill_schema(place, "What's the weather in Lisbon?") == {"city": "Lisbon"}
    assert fill_schema(place, "what is the weather") == {"city": "what is the weather"}


def test_rag_prompts_are_answered_from_the_closest_context_sentence(app: Any) -> None:
    context = (
        "Context information is below.\n---------------------\n"
        "The Eiffel Tower stands in Paris.\n\nKeys from platform.minimaxi.com work only with\n"
        "the host api.minimaxi.com. Keys from platform.minimax.io work with api.minimax.io.\n"
        "---------------------\nGiven the context information, answer the query.\n"
        "Query: Which host takes keys from platform.minimaxi.com?\nAnswer: "
    )
    answer = message(app, chat(context))["content"]
    assert answer == (
        "From the context: Keys from platform.minimaxi.com work only with the host "
        "api.minimaxi.com."
    )
    system_context = {
        "model": "MiniMax-M2.7",
        "messages": [
            {"role": "system", "content": "Answer from this context: Rome is in Italy."},
            {"role": "user", "content": "Where is Rome?"},
        ],
    }
    assert message(app, system_context)["content"] == "From the context: Rome is in Italy."
    # No context, or nothing relevant in it: the usual echo.
    assert message(app, chat("Where is Rome?"))["content"] == "Echo: Where is Rome?"
