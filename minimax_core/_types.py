"""Framework-neutral values that adapters exchange with the core.

Adapters translate LangChain / LlamaIndex messages into these, and read results back from them.
Plain slotted dataclasses: cheap to build on every call and every stream chunk.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "AssistantMessage",
    "ChatDelta",
    "ChatMessage",
    "ChatParams",
    "ChatResult",
    "ImagePart",
    "InvalidToolCall",
    "Reasoning",
    "SystemMessage",
    "TextPart",
    "TokenUsage",
    "ToolCall",
    "ToolCallChunk",
    "ToolDefinition",
    "ToolMessage",
    "UserMessage",
]


@dataclass(slots=True, frozen=True)
class TextPart:
    text: str


@dataclass(slots=True, frozen=True)
class ImagePart:
    """An image by URL or ``data:`` URI (MiniMax-Text-01 and MiniMax-M3 only)."""

    url: str
    detail: str | None = None


ContentPart = TextPart | ImagePart


@dataclass(slots=True)
class Reasoning:
    """A turn's reasoning, kept in the form it arrived in so it can be replayed exactly.

    ``details`` are MiniMax's ``reasoning_details`` items verbatim; ``inline`` is the original
    ``content`` string with its ``<think>`` block when the reasoning arrived inline.
    """

    text: str = ""
    details: list[dict[str, Any]] | None = None
    inline: str | None = None

    def __bool__(self) -> bool:
        return bool(self.text or self.details or self.inline)


@dataclass(slots=True, frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: dict[str, Any]
    #: The arguments exactly as the model produced them (kept for replay).
    raw_arguments: str | None = None

    @classmethod
    def from_history(cls, call_id: str, name: str, arguments: Any) -> ToolCall:
        """A call found in a conversation, its arguments a dict or a JSON string as given.

        A string is replayed verbatim; one that is not valid JSON is replayed as ``{}``,
        because MiniMax rejects invalid argument JSON in history (2013).
        """
        if isinstance(arguments, dict):
            return cls(call_id, name, arguments)
        if not isinstance(arguments, str):
            return cls(call_id, name, {})
        try:
            value = json.loads(arguments or "{}")
        except ValueError:
            return cls(call_id, name, {}, raw_arguments="{}")
        return cls(call_id, name, value if isinstance(value, dict) else {}, arguments or "{}")


@dataclass(slots=True, frozen=True)
class InvalidToolCall:
    """A tool call whose arguments are not valid JSON; kept so nothing is lost."""

    id: str | None
    name: str | None
    raw_arguments: str
    error: str


@dataclass(slots=True)
class SystemMessage:
    content: str
    role: Literal["system"] = "system"


@dataclass(slots=True)
class UserMessage:
    content: str | list[ContentPart]
    name: str | None = None
    role: Literal["user"] = "user"


@dataclass(slots=True)
class AssistantMessage:
    content: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    reasoning: Reasoning | None = None
    name: str | None = None
    role: Literal["assistant"] = "assistant"


@dataclass(slots=True)
class ToolMessage:
    tool_call_id: str
    content: str
    role: Literal["tool"] = "tool"


ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage


@dataclass(slots=True, frozen=True)
class ToolDefinition:
    """A function the model may call. ``parameters`` is a JSON schema (object)."""

    name: str
    description: str = ""
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True, frozen=True)
class TokenUsage:
    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    reasoning_tokens: int | None = None
    #: Input tokens read from the prompt cache (included in ``input_tokens``).
    cached_tokens: int | None = None
    #: Input tokens written to the prompt cache (included in ``input_tokens``).
    cache_creation_tokens: int | None = None


@dataclass(slots=True)
class ToolCallChunk:
    """A fragment of a streamed tool call (``id``/``name`` only on the first fragment)."""

    index: int
    id: str | None = None
    name: str | None = None
    arguments: str = ""


@dataclass(slots=True)
class ChatDelta:
    """What one stream event adds to the answer."""

    text: str = ""
    reasoning: str = ""
    reasoning_details: list[dict[str, Any]] | None = None
    tool_call_chunks: list[ToolCallChunk] = field(default_factory=list)
    finish_reason: str | None = None
    usage: TokenUsage | None = None
    id: str | None = None
    model: str | None = None
    #: On the last delta only: the original ``content`` with its ``<think>`` block, when the
    #: reasoning arrived inline (kept to replay it verbatim).
    raw_content: str | None = None

    def __bool__(self) -> bool:
        return bool(
            self.text
            or self.reasoning
            or self.reasoning_details
            or self.tool_call_chunks
            or self.finish_reason
            or self.usage
            or self.raw_content
        )


@dataclass(slots=True)
class ChatResult:
    """A complete answer (non-streamed, or a finished stream)."""

    message: AssistantMessage
    finish_reason: str | None
    usage: TokenUsage | None
    id: str | None
    model: str | None
    request_id: str | None = None
    invalid_tool_calls: list[InvalidToolCall] = field(default_factory=list)
    #: True when the model spent its whole ``max_tokens`` budget on reasoning.
    empty_answer: bool = False
    #: True when a forced tool call was recovered from a text answer.
    tool_call_recovered: bool = False
    #: True when a tool call was forced but the answer holds none: text holding no recoverable
    #: call, or (a named ``tool_choice``) only calls of other tools.
    tool_call_missing: bool = False
    #: The tool a named ``tool_choice`` asked for (None: no named choice).
    required_tool: str | None = None
    #: Web search results the answer reported (Model Studio's ``enable_search``), if any.
    search_info: dict[str, Any] | None = None
    #: Extra round trips made because MiniMax answered a forced tool choice in text.
    tool_choice_repairs: int = 0

    def tool_choice_failure(self) -> str | None:
        """What went wrong when a forced tool call is missing (``None``: nothing did). The one
        wording both adapters raise their ``ToolChoiceError`` with."""
        if not self.tool_call_missing:
            return None
        called = ", ".join(f"`{call.name}`" for call in self.message.tool_calls)
        if called:
            return f"The model called {called} instead of the required tool `{self.required_tool}`."
        return (
            "The model answered in text instead of calling the required tool, and no tool "
            f"arguments could be read from its answer: {self.message.content[:200]!r}"
        )


@dataclass(frozen=True, slots=True)
class ChatParams:
    """What to ask for, besides the messages (the adapters map their fields onto this)."""

    model: str
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    stop: Sequence[str] | None = None
    #: ``"adaptive"`` / ``"disabled"`` (also accepted: bools, ``{"type": ...}``).
    thinking: Any = None
    tools: Sequence[ToolDefinition] | None = None
    #: ``"auto"``, ``"none"``, ``"any"``/``"required"``, or a tool's name.
    tool_choice: str | None = None
    parallel_tool_calls: bool | None = None
    #: ``{"type": "json_schema", "json_schema": {...}}`` (models that enforce it only), or
    #: ``{"type": "json_object", "schema": {...}?}`` (asked for in the prompt).
    response_format: dict[str, Any] | None = None
    #: Ask for token usage at the end of a stream (``stream_options.include_usage``).
    stream_usage: bool = True
    #: Model Studio's web search (``api="dashscope"`` / ``"dashscope-native"``, models that have
    #: it), and its ``search_options`` (e.g. ``{"forced_search": True}``).
    enable_search: bool | None = None
    search_options: dict[str, Any] | None = None
    #: Extra request fields passed through unchanged (``model_kwargs``).
    extra: dict[str, Any] = field(default_factory=dict)
