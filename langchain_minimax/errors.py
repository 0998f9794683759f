"""MiniMax errors as LangChain sees them.

Every error raised by :class:`~langchain_minimax.ChatMiniMax` and
:class:`~langchain_minimax.MiniMaxEmbeddings` is an instance of one of these classes, each of which
inherits both the ``minimax_core`` class (``except minimax_core.RateLimitError``) and the matching
``langchain_core.exceptions.Model*Error`` (``except ModelRateLimitError``), so code written for
either keeps working. The classes mirror the core hierarchy (a ``ContextOverflowError`` is an
``InvalidRequestError``, an ``APITimeoutError`` an ``APIConnectionError``). A missing forced tool
call is a :class:`ToolChoiceError`, which is also an ``OutputParserException``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from langchain_core import exceptions as lc

import minimax_core as core

__all__ = [
    "APIConnectionError",
    "APITimeoutError",
    "AuthenticationError",
    "ContentFilterError",
    "ContextOverflowError",
    "InsufficientBalanceError",
    "InvalidRequestError",
    "MalformedResponseError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "StreamInterruptedError",
    "ToolChoiceError",
    "translate_errors",
]


class AuthenticationError(core.AuthenticationError, lc.ModelAuthenticationError):
    pass


class PermissionDeniedError(core.PermissionDeniedError, lc.ModelPermissionDeniedError):
    pass


class InsufficientBalanceError(core.InsufficientBalanceError, lc.ModelPermissionDeniedError):
    pass


class InvalidRequestError(core.InvalidRequestError, lc.ModelInvalidRequestError):
    pass


class ContextOverflowError(InvalidRequestError, core.ContextOverflowError, lc.ContextOverflowError):
    pass


class NotFoundError(core.NotFoundError, lc.ModelNotFoundError):
    pass


class RateLimitError(core.RateLimitError, lc.ModelRateLimitError):
    pass


class ContentFilterError(core.ContentFilterError, lc.ModelInvalidRequestError):
    pass


class ServerError(core.ServerError, lc.ModelAPIError):
    pass


class APIConnectionError(core.APIConnectionError, lc.ModelConnectionError):
    pass


class APITimeoutError(APIConnectionError, core.APITimeoutError, lc.ModelTimeoutError):
    pass


class StreamInterruptedError(core.StreamInterruptedError, lc.ModelConnectionError):
    pass


class MalformedResponseError(core.MalformedResponseError, lc.ModelAPIError):
    pass


class ToolChoiceError(core.ToolChoiceError, lc.OutputParserException):
    def __init__(self, message: str, *, text: str = "", **kwargs: Any) -> None:
        core.ToolChoiceError.__init__(self, message, text=text, **kwargs)
        lc.OutputParserException.__init__(self, message, llm_output=text)


# Most specific first: the first class the error is an instance of decides.
_MAP: tuple[tuple[type[core.MiniMaxError], type[core.MiniMaxError]], ...] = (
    (core.ContextOverflowError, ContextOverflowError),
    (core.AuthenticationError, AuthenticationError),
    (core.InsufficientBalanceError, InsufficientBalanceError),
    (core.PermissionDeniedError, PermissionDeniedError),
    (core.InvalidRequestError, InvalidRequestError),
    (core.NotFoundError, NotFoundError),
    (core.RateLimitError, RateLimitError),
    (core.ContentFilterError, ContentFilterError),
    (core.ServerError, ServerError),
    (core.APITimeoutError, APITimeoutError),
    (core.APIConnectionError, APIConnectionError),
    (core.StreamInterruptedError, StreamInterruptedError),
    (core.MalformedResponseError, MalformedResponseError),
)


def to_langchain_error(error: core.MiniMaxError) -> core.MiniMaxError:
    """The LangChain-flavoured twin of a core error (same message and fields)."""
    for source, target in _MAP:
        if isinstance(error, target):
            return error
        if isinstance(error, source):
            twin = target(
                error.message,
                status_code=error.status_code,
                code=error.code,
                request_id=error.request_id,
                is_retryable=error.is_retryable,
                body=error.body,
                headers=error.headers,
            )
            if isinstance(error, core.StreamInterruptedError) and isinstance(
                twin, core.StreamInterruptedError
            ):
                twin.partial_text = error.partial_text
            return twin
    return error


@contextmanager
def translate_errors() -> Iterator[None]:
    """Re-raise core errors as their LangChain twins (works in sync, async and generators)."""
    try:
        yield
    except core.MiniMaxError as exc:
        twin = to_langchain_error(exc)
        if twin is exc:
            raise
        raise twin from exc
