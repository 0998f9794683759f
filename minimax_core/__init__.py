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
    from minimax_core.assembler import (
        EmptyAnswerWarning,
    )
    from minimax_core.catalog import (
        CATALOG,
        ModelInfo,
        model_info,
    )
    from minimax_core.client import (
        AsyncChatStream,
        ChatStream,
        MiniMaxClient,
    )
    from minimax_core.config import (
        ClientConfig,
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
    from minimax_core.types import (
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

_EXPORTS: dict[str, str] = {
    "EmptyAnswerWarning": "minimax_core.assembler",
    "CATALOG": "minimax_core.catalog",
    "ModelInfo": "minimax_core.catalog",
    "model_info": "minimax_core.catalog",
    "AsyncChatStream": "minimax_core.client",
    "ChatStream": "minimax_core.client",
    "MiniMaxClient": "minimax_core.client",
    "ClientConfig": "minimax_core.config",
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
    "AssistantMessage": "minimax_core.types",
    "ChatDelta": "minimax_core.types",
    "ChatMessage": "minimax_core.types",
    "ChatParams": "minimax_core.types",
    "ChatResult": "minimax_core.types",
    "ImagePart": "minimax_core.types",
    "InvalidToolCall": "minimax_core.types",
    "Reasoning": "minimax_core.types",
    "SystemMessage": "minimax_core.types",
    "TextPart": "minimax_core.types",
    "TokenUsage": "minimax_core.types",
    "ToolCall": "minimax_core.types",
    "ToolCallChunk": "minimax_core.types",
    "ToolDefinition": "minimax_core.types",
    "ToolMessage": "minimax_core.types",
    "UserMessage": "minimax_core.types",
}

__all__ = [
    "CATALOG",
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
    "model_info",
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
