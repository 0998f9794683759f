"""Framework-free MiniMax protocol core: configuration, model catalog, request shaping, stream
decoding, reasoning split and replay, typed errors, retries and one sync + one async driver.

``minimax_core`` depends only on the standard library, ``httpx`` and ``pydantic``; the LangChain
and LlamaIndex adapters are thin layers over :class:`MiniMaxClient`.
"""

from minimax_core._version import __version__
from minimax_core.assembler import EmptyAnswerWarning
from minimax_core.catalog import CATALOG, ModelInfo, model_info
from minimax_core.client import AsyncChatStream, ChatStream, MiniMaxClient
from minimax_core.config import ClientConfig
from minimax_core.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    ContentFilterError,
    ContextOverflowError,
    InsufficientBalanceError,
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
from minimax_core.request import ChatParams, InvalidInputError
from minimax_core.types import (
    AssistantMessage,
    ChatDelta,
    ChatMessage,
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
