"""MiniMax for LangChain: :class:`ChatMiniMax` and :class:`MiniMaxEmbeddings`.

The error classes they raise (:mod:`langchain_minimax.errors`) are exported here too; each is both
the ``minimax_core`` error and the matching ``langchain_core`` exception.
"""

from langchain_minimax.chat_models import ChatMiniMax
from langchain_minimax.embeddings import MiniMaxEmbeddings
from langchain_minimax.errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    ContentFilterError,
    ContextOverflowError,
    InsufficientBalanceError,
    InvalidRequestError,
    MalformedResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    StreamInterruptedError,
    ToolChoiceError,
)

__all__ = [
    "APIConnectionError",
    "APITimeoutError",
    "AuthenticationError",
    "ChatMiniMax",
    "ContentFilterError",
    "ContextOverflowError",
    "InsufficientBalanceError",
    "InvalidRequestError",
    "MalformedResponseError",
    "MiniMaxEmbeddings",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "StreamInterruptedError",
    "ToolChoiceError",
]
