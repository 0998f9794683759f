"""Errors raised by the MiniMax client, and the table that says which failure raises which.

::

    MiniMaxError                      status_code, code, message, request_id, is_retryable
    ├── APIStatusError                an answer from the server that reports a failure
    │   ├── AuthenticationError       1004, 2049, HTTP 401      (often: key of the other region)
    │   ├── PermissionDeniedError     2038, 2044, 2061, HTTP 403 (plan or account may not)
    │   ├── InsufficientBalanceError  1008, 1028, 1030, HTTP 402
    │   ├── InvalidRequestError       1042, 2013, HTTP 400/413/422 (and any other 4xx)
    │   │   └── ContextOverflowError  2013 "context window exceeds limit"
    │   ├── NotFoundError             HTTP 404
    │   ├── RateLimitError            1002, 1039, 1041, 2045, 2056, 2062, HTTP 429
    │   ├── ContentFilterError        1026, 1027
    │   └── ServerError               1000, 1001, 1013, 1024, 1033, HTTP 408/500/502/503/504/529
    ├── APIConnectionError            the server could not be reached
    │   └── APITimeoutError           connect/read/write/pool timeout
    ├── InvalidInputError             refused before sending (also a ValueError)
    ├── StreamInterruptedError        a stream ended (or broke) before its finish_reason
    ├── MalformedResponseError        the server sent something that is not MiniMax's protocol
    └── ToolChoiceError               a forced tool call was answered with text that holds no call

The codes and statuses above are those of the table at the end of this module
(:data:`RULES_BY_CODE`, :data:`RULES_BY_STATUS`, :data:`RULES_BY_NAME`, :data:`RULES_BY_CLASS`),
the one source of which class a failure raises, whether it is retried and what the message
advises; a test keeps this tree and the README's error table in step with it.

MiniMax reports failures through four carriers: an HTTP error status with a JSON body (OpenAI route:
``{"type":"error","error":{...},"request_id":...}``; DashScope: ``{"error":{...}}``), an HTTP 200
whose ``base_resp.status_code`` is not 0 (native routes), a JSON error answering a stream request,
and an error object inside a stream; ``minimax_core._failures`` reads every one of them and
:func:`classify` builds the error from the table. When the HTTP status and MiniMax's code
disagree (HTTP 429 carrying 1008), the code decides the class and whether to retry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

__all__ = [
    "RULES_BY_CLASS",
    "RULES_BY_CODE",
    "RULES_BY_NAME",
    "RULES_BY_STATUS",
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
    "Rule",
    "ServerError",
    "StreamInterruptedError",
    "ToolChoiceError",
    "classify",
    "rule_for",
]


class MiniMaxError(Exception):
    """Base class of every error this package raises about a MiniMax call."""

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
        #: Whether the request may succeed if sent again unchanged (from :data:`RULES_BY_CLASS`
        #: unless the carrier's rule said otherwise).
        self.is_retryable = _class_retried(type(self)) if is_retryable is None else is_retryable
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


class ContentFilterError(APIStatusError):
    """The input (1026) or the output (1027) was flagged as sensitive."""


class ServerError(APIStatusError):
    """MiniMax had an internal problem or is overloaded."""


class APIConnectionError(MiniMaxError):
    """The server could not be reached, or the connection broke before an answer arrived."""


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
# The table: which error each reported failure raises, whether it is retried, what to do about it
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rule:
    """What one kind of failure means: the class raised, whether it is retried, a hint."""

    error: type[MiniMaxError]
    retried: bool
    hint: str | None = None


def _region_hint(lead: str) -> str:
    return (
        f"{lead} Keys are bound to a region: a key from platform.minimax.io works only with "
        "region='global' (api.minimax.io), a key from platform.minimaxi.com only with "
        "region='cn' (api.minimaxi.com)."
    )


#: MiniMax's codes (``base_resp.status_code``, or the ``(NNNN)`` suffix of a compatible route's
#: message). A code decides over the HTTP status it arrives with.
RULES_BY_CODE: Final[Mapping[int, Rule]] = MappingProxyType(
    {
        1000: Rule(ServerError, True),
        1001: Rule(ServerError, True),
        1002: Rule(
            RateLimitError,
            True,
            "Requests per minute exceeded: slow down (use a rate limiter) or raise max_retries.",
        ),
        1004: Rule(AuthenticationError, False, _region_hint("Check MINIMAX_API_KEY.")),
        1008: Rule(
            InsufficientBalanceError,
            False,
            "Top up the account, or check that this key type (pay-as-you-go vs plan) has quota.",
        ),
        1013: Rule(ServerError, True),
        1024: Rule(ServerError, True),
        1026: Rule(
            ContentFilterError,
            False,
            "MiniMax's content filter flagged the input: rephrase it or remove the flagged part "
            "(sending it again unchanged fails the same way).",
        ),
        1027: Rule(
            ContentFilterError,
            False,
            "MiniMax's content filter flagged the model's output: rephrase the request, or ask "
            "again (a new answer may pass).",
        ),
        1028: Rule(InsufficientBalanceError, False),
        1030: Rule(InsufficientBalanceError, False),
        1033: Rule(ServerError, True),
        1039: Rule(
            RateLimitError, True, "Tokens per minute exceeded: send fewer tokens per minute."
        ),
        1041: Rule(RateLimitError, True),
        1042: Rule(InvalidRequestError, False),
        2013: Rule(InvalidRequestError, False),
        2038: Rule(PermissionDeniedError, False),
        2044: Rule(PermissionDeniedError, False),
        2045: Rule(RateLimitError, True),
        2049: Rule(AuthenticationError, False, _region_hint("The key was not accepted.")),
        2056: Rule(
            RateLimitError,
            False,
            "The plan's usage window is used up; it resets at the time MiniMax names.",
        ),
        2061: Rule(
            PermissionDeniedError,
            False,
            "Your plan does not include this model: pick another model or key.",
        ),
        2062: Rule(RateLimitError, True),
    }
)

#: HTTP statuses, when no code decides. Any other 5xx: ``ServerError``, not retried; any other
#: 4xx: ``InvalidRequestError``.
RULES_BY_STATUS: Final[Mapping[int, Rule]] = MappingProxyType(
    {
        400: Rule(InvalidRequestError, False),
        401: Rule(AuthenticationError, False, RULES_BY_CODE[1004].hint),
        402: Rule(InsufficientBalanceError, False),
        403: Rule(PermissionDeniedError, False),
        404: Rule(NotFoundError, False),
        408: Rule(ServerError, True),
        413: Rule(InvalidRequestError, False),
        422: Rule(InvalidRequestError, False),
        429: Rule(RateLimitError, True),
        500: Rule(ServerError, True),
        502: Rule(ServerError, True),
        503: Rule(ServerError, True),
        504: Rule(ServerError, True),
        529: Rule(ServerError, True),
    }
)

_DASHSCOPE_AUTH_HINT = (
    "Check DASHSCOPE_API_KEY: api='dashscope' and api='dashscope-native' need an Alibaba Cloud "
    "Model Studio key (from the mainland-China console), not a MiniMax one."
)

#: DashScope's textual error codes (``error.code``), normalised: lower case, no ``_``, the part
#: before the first ``.`` (``Throttling.RateQuota`` → ``throttling``). They decide like a code,
#: which matters inside streams, where there is no HTTP status to fall back on.
RULES_BY_NAME: Final[Mapping[str, Rule]] = MappingProxyType(
    {
        "invalidapikey": Rule(AuthenticationError, False, _DASHSCOPE_AUTH_HINT),
        "accessdenied": Rule(PermissionDeniedError, False),
        "arrearage": Rule(InsufficientBalanceError, False),
        "invalidparameter": Rule(InvalidRequestError, False),
        "invalidparametererror": Rule(InvalidRequestError, False),
        "datainspectionfailed": Rule(ContentFilterError, False),
        "modelnotfound": Rule(NotFoundError, False),
        "limitrequests": Rule(RateLimitError, True),
        "throttling": Rule(RateLimitError, True),
        "internalerror": Rule(ServerError, True),
        "serviceunavailable": Rule(ServerError, True),
    }
)

#: Failures that no server reported (the most specific class first). A stream cut before any of
#: it reached the caller is retried by the drivers like the connection failure it is; once part
#: of it was delivered, never.
RULES_BY_CLASS: Final[tuple[Rule, ...]] = (
    Rule(APIConnectionError, True),
    Rule(StreamInterruptedError, False),
    Rule(MalformedResponseError, False),
    Rule(InvalidInputError, False),
    Rule(ToolChoiceError, False),
    Rule(MiniMaxError, False),
)

_UNKNOWN_SERVER_CODE = Rule(ServerError, False)
_OTHER_5XX = Rule(ServerError, False)
_OTHER = Rule(InvalidRequestError, False)


def _class_retried(cls: type[MiniMaxError]) -> bool:
    if issubclass(cls, APIStatusError):
        # Built by hand (not from a report): as the table says for the class's typical failure.
        return any(r.retried for r in RULES_BY_STATUS.values() if r.error is cls)
    return next(rule.retried for rule in RULES_BY_CLASS if issubclass(cls, rule.error))


_CODE_SUFFIX = re.compile(r"\((\d{3,6})\)\s*$")
_UNKNOWN_MODEL = re.compile(r"model\W*(not found|not exist|does not exist)|unknown model", re.I)
_CONTEXT_OVERFLOW = re.compile(r"context (window|length)|too many tokens|exceeds? .*limit", re.I)


def code_from_message(message: str) -> int | None:
    """The MiniMax code carried as a ``(NNNN)`` suffix in compatible-route messages."""
    match = _CODE_SUFFIX.search(message)
    return int(match.group(1)) if match else None


def rule_for(*, status_code: int | None, code: int | None, name: str | None = None) -> Rule:
    """The table's rule for one reported failure: code, then textual name, then HTTP status."""
    if code is not None and code in RULES_BY_CODE:
        return RULES_BY_CODE[code]
    named = RULES_BY_NAME.get(name.split(".", 1)[0].replace("_", "").lower()) if name else None
    if named is not None:
        return named
    if status_code is not None and status_code >= 400:
        return RULES_BY_STATUS.get(status_code) or (_OTHER_5XX if status_code >= 500 else _OTHER)
    if code is not None and 1000 <= code < 2000:
        return _UNKNOWN_SERVER_CODE
    return _OTHER


def classify(
    *,
    status_code: int | None,
    code: int | None,
    message: str,
    request_id: str | None = None,
    body: Any = None,
    name: str | None = None,
    headers: Mapping[str, str] | None = None,
    model: str | None = None,
) -> APIStatusError:
    """Map one reported failure (from any carrier) to its error, complete.

    ``code`` is MiniMax's code (``base_resp.status_code``, or the ``(NNNN)`` suffix of the
    message); it decides over the HTTP status when both are present. ``name`` is a textual error
    code (DashScope's ``error.code``, e.g. ``"Throttling.RateQuota"``).
    """
    if code is None:
        code = code_from_message(message)
    rule = rule_for(status_code=status_code, code=code, name=name)
    cls = rule.error
    if cls is InvalidRequestError and _CONTEXT_OVERFLOW.search(message):
        cls = ContextOverflowError
    text = message or (f"MiniMax error {code}" if code is not None else "MiniMax error")
    if rule.hint:
        text = f"{text}. {rule.hint}"
    if model and _UNKNOWN_MODEL.search(message):
        text = (
            f"{text}. The model {model!r} is not served here: check `model=` and `api=` "
            "(Model Studio serves MiniMax-M2.5, MiniMax/MiniMax-M2.5 and MiniMax/MiniMax-M2.1)."
        )
    assert issubclass(cls, APIStatusError)
    return cls(
        text,
        status_code=status_code,
        code=code,
        request_id=request_id,
        is_retryable=rule.retried,
        body=body,
        headers=headers,
    )
