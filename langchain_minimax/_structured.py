"""``with_structured_output`` for MiniMax: tool calling by default, robust to text answers.

MiniMax-M2.x/M3 do not enforce ``response_format`` (only MiniMax-Text-01 enforces ``json_schema``)
and ignore forced ``tool_choice``. So:

* ``function_calling`` (default): the schema is bound as a tool and forced (instruction + recovery
  of JSON from a text answer, in the core); a reply that still holds no call raises
  ``OutputParserException`` (or lands in ``parsing_error`` with ``include_raw=True``) instead of
  silently parsing to ``None``.
* ``json_schema``: enforced natively on MiniMax-Text-01; on other models it falls back to
  ``function_calling`` (logged), since MiniMax would accept and ignore it.
* ``json_mode``: JSON asked for in the prompt (with the schema when one is given) and parsed
  leniently (code fences and surrounding prose tolerated).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from operator import itemgetter
from typing import Any, Literal

from langchain_core.exceptions import OutputParserException
from langchain_core.language_models import LanguageModelInput
from langchain_core.messages import BaseMessage
from langchain_core.output_parsers import JsonOutputParser, PydanticOutputParser
from langchain_core.output_parsers.openai_tools import (
    JsonOutputKeyToolsParser,
    PydanticToolsParser,
)
from langchain_core.outputs import Generation
from langchain_core.runnables import Runnable, RunnableMap, RunnablePassthrough
from langchain_core.utils.function_calling import convert_to_json_schema, convert_to_openai_tool
from langchain_core.utils.pydantic import is_basemodel_subclass

from minimax_core import json_objects

__all__ = ["Method", "structured_runnable"]

logger = logging.getLogger("langchain_minimax")
Method = Literal["function_calling", "json_schema", "json_mode"]

_NO_CALL = (
    "MiniMax answered in text instead of calling the `{name}` tool, and no JSON object could be "
    "read from the answer. Answer: {text!r}"
)


def _require(parsed: Any, result: list[Generation], name: str) -> Any:
    if parsed is None:
        text = result[0].text if result else ""
        raise OutputParserException(_NO_CALL.format(name=name, text=text[:300]), llm_output=text)
    return parsed


class _RequiredPydanticToolsParser(PydanticToolsParser):
    def parse_result(self, result: list[Generation], *, partial: bool = False) -> Any:
        parsed = super().parse_result(result, partial=partial)
        return parsed if partial else _require(parsed, result, self.tools[0].__name__)


class _RequiredKeyToolsParser(JsonOutputKeyToolsParser):
    def parse_result(self, result: list[Generation], *, partial: bool = False) -> Any:
        parsed = super().parse_result(result, partial=partial)
        return parsed if partial else _require(parsed, result, self.key_name)


def _recover(result: list[Generation], partial: bool, error: OutputParserException) -> Any:
    """The first JSON object in a text answer that is not JSON as a whole (prose, fences)."""
    if partial:
        return None
    found = json_objects(result[0].text if result else "")
    if not found:
        raise error
    return found[0]


class _LenientJsonParser(JsonOutputParser):
    """JSON from a text answer: the whole text, a fenced block, or the first object in prose."""

    def parse_result(self, result: list[Generation], *, partial: bool = False) -> Any:
        try:
            return super().parse_result(result, partial=partial)
        except OutputParserException as error:
            return _recover(result, partial, error)


class _LenientPydanticParser(PydanticOutputParser):  # type: ignore[type-arg]
    def parse_result(self, result: list[Generation], *, partial: bool = False) -> Any:
        try:
            return super().parse_result(result, partial=partial)
        except OutputParserException as error:
            found = _recover(result, partial, error)
            return None if found is None else self.pydantic_object.model_validate(found)


_Parser = Runnable[BaseMessage, Any]
_Model = Runnable[LanguageModelInput, BaseMessage]


def structured_runnable(
    *,
    schema: Any,
    method: Method,
    include_raw: bool,
    strict: bool | None,
    native_json_schema: bool,
    bind: Callable[..., _Model],
    bind_tools: Callable[..., _Model],
) -> Runnable[LanguageModelInput, Any]:
    if schema is None and method != "json_mode":
        raise ValueError(f"schema is required for method={method!r}")
    if method == "json_schema" and not native_json_schema:
        logger.debug("json_schema is not enforced by this model: using function_calling")
        method = "function_calling"
    is_pydantic = isinstance(schema, type) and is_basemodel_subclass(schema)
    output_format = {
        "kwargs": {"method": method, "strict": strict},
        "schema": convert_to_openai_tool(schema) if schema is not None else None,
    }
    parser: _Parser
    if method == "function_calling":
        llm, parser = _function_calling(schema, is_pydantic, output_format, bind_tools)
    elif method in ("json_schema", "json_mode"):
        llm = bind(
            response_format=_response_format(method, schema),
            ls_structured_output_format=output_format,
        )
        parser = (
            _LenientPydanticParser(pydantic_object=schema) if is_pydantic else _LenientJsonParser()
        )
    else:
        raise ValueError(
            f"method must be 'function_calling', 'json_schema' or 'json_mode', got {method!r}"
        )
    return _with_raw(llm, parser) if include_raw else llm | parser


def _function_calling(
    schema: Any, is_pydantic: bool, output_format: dict[str, Any], bind_tools: Callable[..., _Model]
) -> tuple[_Model, _Parser]:
    """The schema bound as a tool and forced; a reply with no call raises."""
    name = convert_to_openai_tool(schema)["function"]["name"]
    llm = bind_tools(
        [schema],
        tool_choice=name,
        structured_output=True,
        ls_structured_output_format=output_format,
    )
    parser: _Parser
    if is_pydantic:
        parser = _RequiredPydanticToolsParser(tools=[schema], first_tool_only=True)
    else:
        parser = _RequiredKeyToolsParser(key_name=name, first_tool_only=True)
    return llm, parser


def _response_format(method: Method, schema: Any) -> dict[str, Any]:
    """``response_format`` for ``json_schema`` (enforced natively) or ``json_mode``."""
    if method == "json_schema":
        json_schema = convert_to_json_schema(schema)
        name = str(json_schema.get("title") or "output").replace(" ", "_")
        return {"type": "json_schema", "json_schema": {"name": name[:64], "schema": json_schema}}
    return {
        "type": "json_object",
        "schema": convert_to_json_schema(schema) if schema is not None else None,
    }


def _with_raw(llm: _Model, parser: _Parser) -> Runnable[LanguageModelInput, Any]:
    """``{"raw", "parsed", "parsing_error"}``: a parsing error is returned, not raised."""
    parse = RunnablePassthrough.assign(
        parsed=itemgetter("raw") | parser, parsing_error=lambda _: None
    )
    fallback = RunnablePassthrough.assign(parsed=lambda _: None)
    return RunnableMap(raw=llm) | parse.with_fallbacks([fallback], exception_key="parsing_error")
