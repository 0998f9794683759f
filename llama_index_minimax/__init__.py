"""MiniMax for LlamaIndex: the :class:`MiniMax` LLM and :class:`MiniMaxEmbedding`.

The errors they raise are ``minimax_core``'s classes, re-exported here to catch from this package
(``except llama_index_minimax.RateLimitError``); :class:`MiniMaxError` is the base of all of them.
"""

from llama_index_minimax.base import MiniMax
from llama_index_minimax.embeddings import MiniMaxEmbedding
from minimax_core import (
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

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "ContentFilterError",
    "ContextOverflowError",
    "InsufficientBalanceError",
    "InvalidInputError",
    "InvalidRequestError",
    "MalformedResponseError",
    "MiniMax",
    "MiniMaxEmbedding",
    "MiniMaxError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "StreamInterruptedError",
    "ToolChoiceError",
]
