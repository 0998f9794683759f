"""MiniMax for LangChain: :class:`ChatMiniMax` and :class:`MiniMaxEmbeddings`.

The error classes they raise (:mod:`langchain_minimax.errors`) are exported here too; each is both
the ``minimax_core`` error and the matching ``langchain_core`` exception. ``MiniMaxError`` (the base
of all of them), ``APIStatusError`` and ``InvalidInputError`` (bad input refused before sending,
a ``ValueError``) are the core's own classes.
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
from minimax_core import APIStatusError, InvalidInputError, MiniMaxError

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "ChatMiniMax",
    "ContentFilterError",
    "ContextOverflowError",
    "InsufficientBalanceError",
    "InvalidInputError",
    "InvalidRequestError",
    "MalformedResponseError",
    "MiniMaxEmbeddings",
    "MiniMaxError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "StreamInterruptedError",
    "ToolChoiceError",
]
