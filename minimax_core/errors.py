"""Errors raised by the MiniMax client, and the one function that classifies them.

::

    MiniMaxError                      status_code, code, message, request_id, is_retryable
    ├── APIStatusError                an answer from the server that reports a failure
    │   ├── AuthenticationError       1004, 2049, HTTP 401      (often: key of the other region)
    │   ├── PermissionDeniedError     2044, 2061, HTTP 403      (plan or account may not)
    │   ├── InsufficientBalanceError  1008, 1028, 1030, HTTP 402
    │   ├── InvalidRequestError       2013, HTTP 400/413/422
    │   │   └── ContextOverflowError  2013 "context window exceeds limit"
    │   ├── NotFoundError             HTTP 404
    │   ├── RateLimitError            1002, 1039, 1041, 2045, 2056, 2062, HTTP 429
    │   ├── ContentFilterError        1026, 1027
    │   └── ServerError               1000, 1001, 1013, 1024, 1033, HTTP 5xx/529
    ├── APIConnectionError            the server could not be reached
    │   └── APITimeoutError           connect/read/write/pool timeout
    ├── InvalidInputError             refused before sending (also a ValueError)
    ├── StreamInterruptedError        a stream ended (or broke) before its finish_reason
    ├── MalformedResponseError        the server sent something that is not MiniMax's protocol
    └── ToolChoiceError               a forced tool call was answered with text that holds no call

MiniMax reports failures through four carriers: an HTTP error status with a JSON body (OpenAI route:
``{"type":"error","error":{...},"request_id":...}``; DashScope: ``{"error":{...}}``), an HTTP 200
whose ``base_resp.status_code`` is not 0 (native routes), a JSON error answering a stream request,
and an error object inside a stream. :func:`classify` turns every one of them into an instance of
this hierarchy. When the HTTP status and MiniMax's code disagree (HTTP 429 carrying 1008), the code
decides the class and whether to retry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

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
    "MiniMaxError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "StreamInterruptedError",
    "ToolChoiceError",
    "classify",
]


class MiniMaxError(Exception):
    """Base class of every error this package raises about a MiniMax call."""

    #: Whether the request may succeed if sent again unchanged.
    default_retryable: bool = False

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        code: int | None = None,
        request_id: str | None = None,
        is_retryable: bool | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.code = code
        self.request_id = request_id
        self.is_retryable = self.default_retryable if is_retryable is None else is_retryable
        self.body = body
        #: Response headers of the failed attempt (``Retry-After`` is read from here).
        self.headers = headers

    def __str__(self) -> str:
        parts = [self.message]
        extra = []
        if self.status_code is not None:
            extra.append(f"HTTP {self.status_code}")
        if self.code is not None:
            extra.append(f"code {self.code}")
        if self.request_id:
            extra.append(f"request_id {self.request_id}")
        if extra:
            parts.append(f"[{', '.join(extra)}]")
        return " ".join(parts)

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only constructor: keep errors picklable (worker processes re-raise them).
        # Subclass attributes (``partial_text``, ``text``) travel as state; the raw body and
        # headers stay behind (they need not be picklable).
        state = {k: v for k, v in vars(self).items() if k not in _REBUILT}
        return (
            _rebuild,
            (
                type(self),
                self.message,
                self.status_code,
                self.code,
                self.request_id,
                self.is_retryable,
            ),
            state or None,
        )


_REBUILT = frozenset(
    {"message", "status_code", "code", "request_id", "is_retryable", "body", "headers"}
)


def _rebuild(
    cls: type[MiniMaxError],
    message: str,
    status_code: int | None,
    code: int | None,
    request_id: str | None,
    is_retryable: bool,
) -> MiniMaxError:
    return cls(
        message,
        status_code=status_code,
        code=code,
        request_id=request_id,
        is_retryable=is_retryable,
    )


class InvalidInputError(MiniMaxError, ValueError):
    """The request cannot be sent as given (bad parameters or messages); nothing was sent."""


class APIStatusError(MiniMaxError):
    """The server answered and reported a failure."""


class AuthenticationError(APIStatusError):
    """The API key is missing, wrong, or belongs to the other region's platform."""


class PermissionDeniedError(APIStatusError):
    """The key is valid but may not use this API or model (plan gating)."""


class InsufficientBalanceError(APIStatusError):
    """The account (or this key type's quota) has no balance left."""


class InvalidRequestError(APIStatusError):
    """MiniMax rejected the request's parameters (code 2013)."""


class ContextOverflowError(InvalidRequestError):
    """The prompt does not fit the model's context window."""


class NotFoundError(APIStatusError):
    """The URL does not exist (check ``base_url``)."""


class RateLimitError(APIStatusError):
    """Too many requests or tokens per minute, or a plan's usage window is used up."""

    default_retryable = True


class ContentFilterError(APIStatusError):
    """The input (1026) or the output (1027) was flagged as sensitive."""


class ServerError(APIStatusError):
    """MiniMax had an internal problem or is overloaded."""

    default_retryable = True


class APIConnectionError(MiniMaxError):
    """The server could not be reached, or the connection broke before an answer arrived."""

    default_retryable = True


class APITimeoutError(APIConnectionError):
    """Connecting, sending or waiting for the answer took longer than the configured timeout."""


class StreamInterruptedError(MiniMaxError):
    """A stream ended before MiniMax said it was finished: the answer is incomplete.

    Never retried automatically once part of the answer reached the caller (it would duplicate
    text); ``partial_text`` holds what arrived.
    """

    def __init__(self, message: str, *, partial_text: str = "", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.partial_text = partial_text


class MalformedResponseError(MiniMaxError):
    """The server sent something that is not MiniMax's protocol (invalid JSON, a broken event)."""


class ToolChoiceError(MiniMaxError, ValueError):
    """A tool call was required but the model answered in text from which none could be recovered.

    MiniMax ignores ``tool_choice`` "required" and named choices; this package asks for the call
    in the prompt and recovers JSON from a text answer. When both fail the result says so
    (``ChatResult.tool_call_missing``) and the adapters raise this (a ``ValueError``; in LangChain
    also an ``OutputParserException``).
    """

    def __init__(self, message: str, *, text: str = "", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.text = text


# --------------------------------------------------------------------------------------------
# Classification
# --------------------------------------------------------------------------------------------

_CODE_CLASSES: dict[int, tuple[type[APIStatusError], bool]] = {
    1000: (ServerError, True),
    1001: (ServerError, True),
    1002: (RateLimitError, True),
    1004: (AuthenticationError, False),
    1008: (InsufficientBalanceError, False),
    1013: (ServerError, True),
    1024: (ServerError, True),
    1026: (ContentFilterError, False),
    1027: (ContentFilterError, False),
    1028: (InsufficientBalanceError, False),
    1030: (InsufficientBalanceError, False),
    1033: (ServerError, True),
    1039: (RateLimitError, True),
    1041: (RateLimitError, True),
    1042: (InvalidRequestError, False),
    2013: (InvalidRequestError, False),
    2038: (PermissionDeniedError, False),
    2044: (PermissionDeniedError, False),
    2045: (RateLimitError, True),
    2049: (AuthenticationError, False),
    2056: (RateLimitError, False),
    2061: (PermissionDeniedError, False),
    2062: (RateLimitError, True),
}

_RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504, 529})

_CODE_SUFFIX = re.compile(r"\((\d{3,6})\)\s*$")
_CONTEXT_OVERFLOW = re.compile(r"context (window|length)|too many tokens|exceeds? .*limit", re.I)

_HINTS: dict[int, str] = {
    1004: (
        "Check MINIMAX_API_KEY. Keys are bound to a region: a key from platform.minimax.io works "
        "only with region='global' (api.minimax.io), a key from platform.minimaxi.com only with "
        "region='cn' (api.minimaxi.com)."
    ),
    2049: (
        "The key was not accepted. Keys are bound to a region: a key from platform.minimax.io "
        "works only with region='global' (api.minimax.io), a key from platform.minimaxi.com only "
        "with region='cn' (api.minimaxi.com)."
    ),
    1008: "Top up the account, or check that this key type (pay-as-you-go vs plan) has quota.",
    2056: "The plan's usage window is used up; it resets at the time MiniMax names.",
    2061: "Your plan does not include this model: pick another model or key.",
    1002: "Requests per minute exceeded: slow down (use a rate limiter) or raise max_retries.",
    1039: "Tokens per minute exceeded: send fewer tokens per minute.",
    1026: (
        "MiniMax's content filter flagged the input: rephrase it or remove the flagged part "
        "(sending it again unchanged fails the same way)."
    ),
    1027: (
        "MiniMax's content filter flagged the model's output: rephrase the request, or ask "
        "again (a new answer may pass)."
    ),
}


def _status_class(status: int) -> tuple[type[APIStatusError], bool]:
    if status == 401:
        return AuthenticationError, False
    if status == 402:
        return InsufficientBalanceError, False
    if status == 403:
        return PermissionDeniedError, False
    if status == 404:
        return NotFoundError, False
    if status == 429:
        return RateLimitError, True
    if status >= 500 or status == 408:
        return ServerError, status in _RETRYABLE_STATUS
    return InvalidRequestError, False


#: DashScope's textual error codes (``error.code``), normalised: lower case, no ``_``, the part
#: before the first ``.`` (``Throttling.RateQuota`` → ``throttling``).
_NAMED_CLASSES: dict[str, tuple[type[APIStatusError], bool]] = {
    "invalidapikey": (AuthenticationError, False),
    "accessdenied": (PermissionDeniedError, False),
    "arrearage": (InsufficientBalanceError, False),
    "invalidparameter": (InvalidRequestError, False),
    "invalidparametererror": (InvalidRequestError, False),
    "datainspectionfailed": (ContentFilterError, False),
    "modelnotfound": (NotFoundError, False),
    "limitrequests": (RateLimitError, True),
    "throttling": (RateLimitError, True),
    "internalerror": (ServerError, True),
    "serviceunavailable": (ServerError, True),
}

_DASHSCOPE_AUTH_HINT = (
    "Check DASHSCOPE_API_KEY: api='dashscope' needs an Alibaba Cloud Model Studio key, not a "
    "MiniMax one."
)


def _named_class(name: str | None) -> tuple[type[APIStatusError], bool] | None:
    if not name:
        return None
    return _NAMED_CLASSES.get(name.split(".", 1)[0].replace("_", "").lower())


def code_from_message(message: str) -> int | None:
    """The MiniMax code carried as a ``(NNNN)`` suffix in compatible-route messages."""
    match = _CODE_SUFFIX.search(message)
    return int(match.group(1)) if match else None


def classify(
    *,
    status_code: int | None,
    code: int | None,
    message: str,
    request_id: str | None = None,
    body: Any = None,
    name: str | None = None,
) -> APIStatusError:
    """Map one reported failure (from any carrier) to its error class.

    ``code`` is MiniMax's code (``base_resp.status_code``, or the ``(NNNN)`` suffix of the
    message); it decides over the HTTP status when both are present. ``name`` is a textual error
    code (DashScope's ``error.code``, e.g. ``"Throttling.RateQuota"``); it decides the same way,
    which matters inside streams, where there is no HTTP status to fall back on.
    """
    if code is None:
        code = code_from_message(message)
    named = _named_class(name)
    if code is not None and code in _CODE_CLASSES:
        cls, retryable = _CODE_CLASSES[code]
    elif named is not None:
        cls, retryable = named
    elif status_code is not None and status_code >= 400:
        cls, retryable = _status_class(status_code)
    elif code is not None and 1000 <= code < 2000:
        cls, retryable = ServerError, False
    else:
        cls, retryable = InvalidRequestError, False
    if cls is InvalidRequestError and _CONTEXT_OVERFLOW.search(message):
        cls = ContextOverflowError
    text = message or (f"MiniMax error {code}" if code is not None else "MiniMax error")
    hint = _HINTS.get(code) if code is not None else None
    if hint is None and cls is AuthenticationError:
        hint = _DASHSCOPE_AUTH_HINT if named is not None else _HINTS[1004]
    if hint:
        text = f"{text}. {hint}"
    return cls(
        text,
        status_code=status_code,
        code=code,
        request_id=request_id,
        is_retryable=retryable,
        body=body,
    )
