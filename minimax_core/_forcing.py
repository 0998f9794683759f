"""Forcing a tool call on a service that ignores ``tool_choice`` "required" and named choices.

MiniMax accepts ``tool_choice: "required"`` / a named function and silently ignores both
(``docs/protocol-notes.md`` §5). When a caller forces a tool (LangChain ``tool_choice="any"`` or a
name, LlamaIndex ``tool_required=True``, structured output), the request carries an explicit
instruction (:func:`forcing_instruction`); if the model still answers in text, :func:`recover_call`
tries once to read the call's arguments from JSON in that text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from minimax_core._types import (
    AssistantMessage,
    ChatMessage,
    ChatParams,
    ChatResult,
    ToolCall,
    ToolDefinition,
    ToolMessage,
    UserMessage,
)

__all__ = [
    "ForcedTool",
    "forcing_instruction",
    "json_objects",
    "recover_call",
    "repair_request",
    "tool_choice_name",
]


@dataclass(frozen=True, slots=True)
class ForcedTool:
    """A forced tool choice: ``name`` is the required tool, or ``None`` for "any of ``tools``"."""

    tools: tuple[ToolDefinition, ...]
    name: str | None = None

    @property
    def candidates(self) -> list[ToolDefinition]:
        if self.name is None:
            return list(self.tools)
        return [t for t in self.tools if t.name == self.name]


def tool_choice_name(choice: Any) -> str | None:
    """Any framework's ``tool_choice`` → ``"auto"``/``"none"``/``"any"``/a tool name (or None).

    Accepted: None/False (no preference), True/``"any"``/``"required"`` (some tool), a tool name,
    ``"auto"``/``"none"``, OpenAI's ``{"type": "function", "function": {"name": ...}}``,
    ``{"type": "required" | "auto" | "none"}`` and ``{"name": ...}`` dicts, and Anthropic's
    ``{"type": "any" | "auto" | "none"}`` / ``{"type": "tool", "name": ...}``. Anything else is a
    ``ValueError`` (raised before anything is sent).
    """
    if choice is None or choice is False:
        return None
    if choice is True or choice in ("any", "required"):
        return "any"
    if isinstance(choice, str):
        if not choice.strip():
            raise ValueError("tool_choice must not be an empty string")
        return choice
    if isinstance(choice, dict):
        return _dict_choice(choice)
    raise ValueError(f"Unrecognised tool_choice {choice!r}")


def _dict_choice(choice: dict[str, Any]) -> str:
    kind = choice.get("type")
    function = choice.get("function")
    name = function.get("name") if isinstance(function, dict) else None
    name = name or choice.get("name")
    if kind in (None, "function", "tool") and isinstance(name, str) and name:
        return name
    if kind in ("any", "required"):
        return "any"
    if kind in ("auto", "none") and name is None:
        return str(kind)
    raise ValueError(
        f"Unrecognised tool_choice {choice!r}: use 'auto', 'none', 'any'/'required', a tool name, "
        "{'type': 'function', 'function': {'name': ...}} or {'type': 'tool', 'name': ...}"
    )


def forcing_instruction(forced: ForcedTool) -> str:
    if forced.name is not None:
        return (
            f"You must call the tool `{forced.name}` now. Reply with a call of `{forced.name}` "
            "and nothing else; do not answer in plain text."
        )
    names = ", ".join(f"`{t.name}`" for t in forced.tools)
    return (
        f"You must call one of the provided tools ({names}) now. Reply with a tool call and "
        "nothing else; do not answer in plain text."
    )


def json_objects(text: str) -> list[dict[str, Any]]:
    """The JSON objects written in ``text`` (bare, fenced or in prose), in order."""
    decoder = json.JSONDecoder()
    found: list[dict[str, Any]] = []
    start = text.find("{")
    while start >= 0:
        try:
            value, end = decoder.raw_decode(text, start)
        except ValueError:
            start = text.find("{", start + 1)
            continue
        if isinstance(value, dict):
            found.append(value)
        start = text.find("{", end)
    return found


def _fits(tool: ToolDefinition, args: dict[str, Any]) -> bool:
    properties = tool.parameters.get("properties")
    required = tool.parameters.get("required") or []
    if not isinstance(properties, dict):
        return True
    if any(name not in args for name in required):
        return False
    return all(key in properties for key in args) or not properties


def recover_call(text: str, forced: ForcedTool) -> ToolCall | None:
    """Read a forced call from a text answer, or ``None`` if the text holds none."""
    candidates = forced.candidates
    if not candidates:
        return None
    by_name = {t.name: t for t in candidates}
    for obj in json_objects(text):
        name, args = obj.get("name"), obj.get("arguments", obj.get("parameters"))
        if isinstance(name, str) and name in by_name and isinstance(args, dict):
            return _call(name, args)
        for tool in candidates:
            if _fits(tool, obj):
                return _call(tool.name, obj)
    return None


def _call(name: str, args: dict[str, Any]) -> ToolCall:
    raw = json.dumps(args, ensure_ascii=False)
    digest = hashlib.sha1(f"{name}:{raw}".encode(), usedforsecurity=False).hexdigest()[:12]
    return ToolCall(id=f"call_recovered_{digest}", name=name, arguments=args, raw_arguments=raw)


def _answered(messages: Sequence[ChatMessage]) -> set[str]:
    """Names of the tools called and answered since the user last spoke."""
    names: dict[str, str] = {}
    answered: set[str] = set()
    for message in messages:
        if isinstance(message, UserMessage):
            names, answered = {}, set()
        elif isinstance(message, AssistantMessage):
            names.update({call.id: call.name for call in message.tool_calls})
        elif isinstance(message, ToolMessage) and message.tool_call_id in names:
            answered.add(names[message.tool_call_id])
    return answered


def repair_request(
    messages: Sequence[ChatMessage],
    params: ChatParams,
    result: ChatResult,
    *,
    attempt: int,
    limit: int,
) -> tuple[list[ChatMessage], ChatParams] | None:
    """The next request when MiniMax answered a forced tool choice in text, or ``None``.

    MiniMax does not enforce ``tool_choice``; after a tool result, models often answer instead of
    calling the forced tool (LangChain's structured agents force one then). The repair sends the
    conversation, the model's text, and an explicit instruction, with only the required tool (a
    named choice) or the tools not yet called and answered since the user last spoke (``any``)
    offered. At most ``limit`` repairs; the caller raises ``ToolChoiceError`` after that.
    """
    if not result.tool_call_missing or attempt >= limit or not params.tools:
        return None
    tools = list(params.tools)
    if result.required_tool is not None:
        offered = [t for t in tools if t.name == result.required_tool]
    else:
        done = _answered(messages)
        offered = [t for t in tools if t.name not in done] or tools
    names = ", ".join(f"`{t.name}`" for t in offered)
    instruction = (
        f"Your last reply was text, but a tool call is required. Call {names} now"
        if len(offered) == 1
        else f"Your last reply was text, but a tool call is required. Call one of {names} now"
    ) + ", with arguments taken from the conversation. Reply with the tool call only."
    # The text goes back (the model sees what it said); a call of another tool does not: it has
    # no result, and MiniMax rejects a call left unanswered in history.
    said = AssistantMessage(content=result.message.content, reasoning=result.message.reasoning)
    choice = result.required_tool or "any"
    return (
        [*messages, said, UserMessage(instruction)],
        replace(params, tools=offered, tool_choice=choice),
    )
