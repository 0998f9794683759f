"""Framework-free MiniMax protocol core: configuration, model catalog, request shaping, stream
decoding, reasoning split and replay, typed errors, retries and one sync + one async driver.

``minimax_core`` depends only on the standard library, ``httpx`` (with aiohttp under its async
pool) and ``pydantic``; the LangChain and LlamaIndex adapters are thin layers over
:class:`MiniMaxClient`. Names are imported on first use: ``import minimax_core`` is cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from minimax_core._version import __version__

if TYPE_CHECKING:
    from minimax_core._assembler import (
        EmptyAnswerWarning,
    )
    from minimax_core._catalog import (
        CATALOG,
        ModelInfo,
        model_info,
    )
    from minimax_core._client import (
        AsyncChatStream,
        ChatStream,
        MiniMaxClient,
    )
    from minimax_core._config import (
        ClientConfig,
    )
    from minimax_core._forcing import json_objects, tool_choice_name
    from minimax_core._reasoning import reasoning_text_of, replayable_details
    from minimax_core._settings import ClientSettings
    from minimax_core._tokens import MESSAGE_OVERHEAD, estimate_tokens
    from minimax_core._types import (
        AssistantMessage,
        ChatDelta,
        ChatMessage,
        ChatParams,
        ChatResult,
        ImagePart,
        InvalidToolCall,
        Reasoning,
        SystemMessage,
        TextPart,
        TokenUsage,
        ToolCall,
        ToolCallChunk,
        ToolDefinition,
        ToolMessage,
        UserMessage,
    )
    from minimax_core.errors import (
        APIConnectionError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        ContentFilterError,
        ContextOverflowError,
        InsufficientBalanceError,
        InvalidInputError,
        InvalidRequestError,
        MalformedResponseError,
        MiniMaxError,
        NotFoundError,
        PermissionDeniedError,
        RateLimitError,
        ServerError,
        StreamInterruptedError,
        ToolChoiceError,
    )

_EXPORTS: dict[str, str] = {
    "ClientSettings": "minimax_core._settings",
    "tool_choice_name": "minimax_core._forcing",
    "json_objects": "minimax_core._forcing",
    "estimate_tokens": "minimax_core._tokens",
    "MESSAGE_OVERHEAD": "minimax_core._tokens",
    "reasoning_text_of": "minimax_core._reasoning",
    "replayable_details": "minimax_core._reasoning",
    "EmptyAnswerWarning": "minimax_core._assembler",
    "CATALOG": "minimax_core._catalog",
    "ModelInfo": "minimax_core._catalog",
    "model_info": "minimax_core._catalog",
    "AsyncChatStream": "minimax_core._client",
    "ChatStream": "minimax_core._client",
    "MiniMaxClient": "minimax_core._client",
    "ClientConfig": "minimax_core._config",
    "APIConnectionError": "minimax_core.errors",
    "APIStatusError": "minimax_core.errors",
    "APITimeoutError": "minimax_core.errors",
    "AuthenticationError": "minimax_core.errors",
    "ContentFilterError": "minimax_core.errors",
    "ContextOverflowError": "minimax_core.errors",
    "InsufficientBalanceError": "minimax_core.errors",
    "InvalidInputError": "minimax_core.errors",
    "InvalidRequestError": "minimax_core.errors",
    "MalformedResponseError": "minimax_core.errors",
    "MiniMaxError": "minimax_core.errors",
    "NotFoundError": "minimax_core.errors",
    "PermissionDeniedError": "minimax_core.errors",
    "RateLimitError": "minimax_core.errors",
    "ServerError": "minimax_core.errors",
    "StreamInterruptedError": "minimax_core.errors",
    "ToolChoiceError": "minimax_core.errors",
    "AssistantMessage": "minimax_core._types",
    "ChatDelta": "minimax_core._types",
    "ChatMessage": "minimax_core._types",
    "ChatParams": "minimax_core._types",
    "ChatResult": "minimax_core._types",
    "ImagePart": "minimax_core._types",
    "InvalidToolCall": "minimax_core._types",
    "Reasoning": "minimax_core._types",
    "SystemMessage": "minimax_core._types",
    "TextPart": "minimax_core._types",
    "TokenUsage": "minimax_core._types",
    "ToolCall": "minimax_core._types",
    "ToolCallChunk": "minimax_core._types",
    "ToolDefinition": "minimax_core._types",
    "ToolMessage": "minimax_core._types",
    "UserMessage": "minimax_core._types",
}

__all__ = [
    "CATALOG",
    "MESSAGE_OVERHEAD",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AssistantMessage",
    "AsyncChatStream",
    "AuthenticationError",
    "ChatDelta",
    "ChatMessage",
    "ChatParams",
    "ChatResult",
    "ChatStream",
    "ClientConfig",
    "ClientSettings",
    "ContentFilterError",
    "ContextOverflowError",
    "EmptyAnswerWarning",
    "ImagePart",
    "InsufficientBalanceError",
    "InvalidInputError",
    "InvalidRequestError",
    "InvalidToolCall",
    "MalformedResponseError",
    "MiniMaxClient",
    "MiniMaxError",
    "ModelInfo",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "Reasoning",
    "ServerError",
    "StreamInterruptedError",
    "SystemMessage",
    "TextPart",
    "TokenUsage",
    "ToolCall",
    "ToolCallChunk",
    "ToolChoiceError",
    "ToolDefinition",
    "ToolMessage",
    "UserMessage",
    "__version__",
    "estimate_tokens",
    "json_objects",
    "model_info",
    "reasoning_text_of",
    "replayable_details",
    "tool_choice_name",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'minimax_core' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
