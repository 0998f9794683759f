"""Pydantic models of MiniMax's wire shapes: the only place that reads raw payloads.

Requests are strict (a typo in our own request building fails loudly, before anything is sent);
responses use ``extra="allow"`` so that fields MiniMax adds later pass through untouched. The same
response model serves non-streamed completions, stream chunks and the native route's final summary,
because MiniMax uses one envelope for all three.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "AnthropicBlock",
    "AnthropicDelta",
    "AnthropicDoc",
    "AnthropicMessage",
    "AnthropicUsage",
    "BaseResp",
    "ChatCompletion",
    "Choice",
    "DashScopeDoc",
    "DashScopeOutput",
    "DashScopeUsage",
    "EmbeddingsRequest",
    "EmbeddingsResponse",
    "ErrorDetail",
    "ErrorEnvelope",
    "FunctionSpec",
    "Message",
    "ToolCallDelta",
    "ToolSpec",
    "Usage",
    "WireFunctionCall",
    "WireMessage",
    "WireToolCall",
]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class _Response(BaseModel):
    model_config = ConfigDict(extra="allow")


# --------------------------------------------------------------------------------------------
# Requests
# --------------------------------------------------------------------------------------------


class WireFunctionCall(_Request):
    name: str
    arguments: str


class WireToolCall(_Request):
    id: str
    type: Literal["function"] = "function"
    function: WireFunctionCall


class WireMessage(_Request):
    role: Literal["system", "user", "assistant", "tool"]
    content: str | list[dict[str, Any]] | None = None
    name: str | None = None
    tool_calls: list[WireToolCall] | None = None
    tool_call_id: str | None = None
    reasoning_details: list[dict[str, Any]] | None = None
    reasoning_content: str | None = None


class FunctionSpec(_Request):
    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-.]+$")
    description: str | None = None
    parameters: dict[str, Any]


class ToolSpec(_Request):
    type: Literal["function"] = "function"
    function: FunctionSpec


class ChatRequest(BaseModel):
    """A chat request body. Extra fields (``model_kwargs``) are passed through as given."""

    model_config = ConfigDict(extra="allow", strict=True)

    model: str
    messages: list[WireMessage]
    stream: bool | None = None
    stream_options: dict[str, Any] | None = None
    max_completion_tokens: int | None = None
    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    stop: list[str] | None = None
    tools: list[ToolSpec] | None = None
    tool_choice: str | None = None
    parallel_tool_calls: bool | None = None
    response_format: dict[str, Any] | None = None
    reasoning_split: bool | None = None
    thinking: dict[str, Any] | None = None

    def to_json(self) -> bytes:
        return self.__pydantic_serializer__.to_json(self, exclude_none=True)


class EmbeddingsRequest(_Request):
    model: str
    texts: list[str]
    type: Literal["db", "query"]

    def to_json(self) -> bytes:
        return self.__pydantic_serializer__.to_json(self)


# --------------------------------------------------------------------------------------------
# Responses
# --------------------------------------------------------------------------------------------


class BaseResp(_Response):
    status_code: int = 0
    status_msg: str | None = None


class FunctionDelta(_Response):
    name: str | None = None
    arguments: str | None = None


class ToolCallDelta(_Response):
    index: int | None = None
    id: str | None = None
    type: str | None = None
    function: FunctionDelta | None = None


class Message(_Response):
    """A message (non-streamed) or a delta (streamed): MiniMax uses the same fields for both."""

    role: str | None = None
    content: str | None = None
    reasoning_content: str | None = None
    reasoning_details: list[dict[str, Any]] | None = None
    tool_calls: list[ToolCallDelta] | None = None


class Choice(_Response):
    index: int = 0
    delta: Message | None = None
    message: Message | None = None
    finish_reason: str | None = None


class CompletionTokensDetails(_Response):
    reasoning_tokens: int | None = None


class PromptTokensDetails(_Response):
    cached_tokens: int | None = None
    #: Tokens written to the prompt cache (the Anthropic route's ``cache_creation_input_tokens``).
    cache_creation_tokens: int | None = None


class Usage(_Response):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    completion_tokens_details: CompletionTokensDetails | None = None
    prompt_tokens_details: PromptTokensDetails | None = None

    @property
    def is_empty(self) -> bool:
        """Old builds put an all-zero usage on every chunk; that means "no usage here"."""
        return self.prompt_tokens == 0 and self.completion_tokens == 0 and self.total_tokens == 0


class ErrorDetail(_Response):
    type: str | None = None
    message: str | None = None
    code: str | int | None = None
    #: A string in MiniMax's bodies; accepted as a number too (proxies re-serialise it).
    http_code: str | int | None = None


class ChatCompletion(_Response):
    """A completion, a stream chunk, or the native stream's final summary."""

    id: str | None = None
    object: str | None = None
    model: str | None = None
    created: int | None = None
    choices: list[Choice] | None = None
    usage: Usage | None = None
    base_resp: BaseResp | None = None
    # An error object can arrive where a chunk was expected.
    type: str | None = None
    error: ErrorDetail | None = None
    request_id: str | None = None
    #: Web search results a Model Studio answer reports (``enable_search``).
    search_info: dict[str, Any] | None = None

    @property
    def is_summary(self) -> bool:
        """The native route ends streams with the complete message; only its usage is new."""
        return self.object == "chat.completion"


class EmbeddingsResponse(_Response):
    vectors: list[list[float]] | None = None
    total_tokens: int | None = None
    base_resp: BaseResp | None = None


class ErrorEnvelope(_Response):
    """Any of MiniMax's error bodies: OpenAI route, DashScope (nested ``error``, or top-level
    ``code``/``message`` on its native protocol), or a bare ``base_resp``."""

    type: str | None = None
    error: ErrorDetail | None = None
    request_id: str | None = None
    base_resp: BaseResp | None = None
    code: str | int | None = None
    message: str | None = None


# --------------------------------------------------------------------------------------------
# The Anthropic-compatible route (``/anthropic/v1/messages``)
# --------------------------------------------------------------------------------------------


class AnthropicUsage(_Response):
    input_tokens: int | None = None
    output_tokens: int | None = None
    cache_creation_input_tokens: int | None = None
    cache_read_input_tokens: int | None = None


class AnthropicBlock(_Response):
    """A content block: ``text``, ``thinking``, ``redacted_thinking``, ``tool_use`` or one this
    package does not know (ignored)."""

    type: str
    text: str | None = None
    thinking: str | None = None
    signature: str | None = None
    data: str | None = None
    id: str | None = None
    name: str | None = None
    input: dict[str, Any] | None = None


class AnthropicDelta(_Response):
    type: str | None = None
    text: str | None = None
    thinking: str | None = None
    signature: str | None = None
    partial_json: str | None = None
    stop_reason: str | None = None
    stop_sequence: str | None = None


class AnthropicMessage(_Response):
    id: str | None = None
    model: str | None = None
    usage: AnthropicUsage | None = None


class AnthropicDoc(_Response):
    """Any document of the route: a whole message, a stream event, or an error."""

    type: str | None = None
    # a whole message
    id: str | None = None
    model: str | None = None
    content: list[AnthropicBlock] | None = None
    stop_reason: str | None = None
    usage: AnthropicUsage | None = None
    # stream events
    message: AnthropicMessage | None = None
    index: int | None = None
    content_block: AnthropicBlock | None = None
    delta: AnthropicDelta | None = None
    # failures
    error: ErrorDetail | None = None
    base_resp: BaseResp | None = None
    request_id: str | None = None


# --------------------------------------------------------------------------------------------
# Model Studio's native DashScope protocol (``/api/v1/services/aigc/text-generation/generation``)
# --------------------------------------------------------------------------------------------


class DashScopeUsage(_Response):
    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int | None = None
    output_tokens_details: CompletionTokensDetails | None = None
    prompt_tokens_details: PromptTokensDetails | None = None


class DashScopeOutput(_Response):
    choices: list[Choice] | None = None
    #: Web search results (``enable_search``), when the reply carries them.
    search_info: dict[str, Any] | None = None


class DashScopeDoc(_Response):
    """A reply or stream event of the native protocol, or its error body."""

    output: DashScopeOutput | None = None
    usage: DashScopeUsage | None = None
    request_id: str | None = None
    code: str | int | None = None
    message: str | None = None
    base_resp: BaseResp | None = None
