"""The one error path: any answer (status, headers, body, stream event) → a complete typed error.

MiniMax reports failures through four carriers: an HTTP error status with a JSON body (OpenAI
route: ``{"type":"error","error":{...},"request_id":...}``; DashScope: ``{"error":{...}}``), an
HTTP 200 whose ``base_resp.status_code`` is not 0 (native routes), a JSON error answering a stream
request, and an error object inside a stream. Every one goes through :func:`response_error`, which
reads the report from the wire models, looks the failure up in ``errors``' table
(:func:`~minimax_core.errors.classify`) and builds the error with everything it will ever carry:
the request id, the response headers (``Retry-After``) and a message with the API key masked.
Failures no server reported (a broken connection, a body that is not MiniMax's protocol) are built
here too.
"""

from __future__ import annotations

from typing import Literal, TypeVar

from pydantic import BaseModel, ValidationError

from minimax_core._http import ResponseMeta
from minimax_core._wire import (
    AnthropicDoc,
    ChatCompletion,
    DashScopeDoc,
    EmbeddingsResponse,
    ErrorDetail,
    ErrorEnvelope,
)
from minimax_core.errors import (
    APIConnectionError,
    APITimeoutError,
    MalformedResponseError,
    MiniMaxError,
    classify,
)

__all__ = [
    "check_status",
    "connection_error",
    "malformed",
    "parse_chunk",
    "parse_embeddings",
    "redact",
    "response_error",
]

Reply = ErrorEnvelope | ChatCompletion | EmbeddingsResponse | AnthropicDoc | DashScopeDoc
R = TypeVar("R", bound=BaseModel)


def redact(text: str, secret: str) -> str:
    """``text`` with the API key masked: a server or proxy may echo it back."""
    if len(secret) >= 8 and secret in text:
        return text.replace(secret, "***")
    return text


def _reports_nothing(reply: Reply, status: int | None) -> bool:
    base = reply.base_resp
    return (
        (status is None or status < 400)
        and getattr(reply, "error", None) is None
        and _top_level_error(reply) is None
        and (base is None or base.status_code == 0)
    )


def _top_level_error(reply: Reply) -> ErrorDetail | None:
    """DashScope's native protocol puts ``code``/``message`` at the top level."""
    if not isinstance(reply, ErrorEnvelope | DashScopeDoc) or reply.code is None:
        return None
    return ErrorDetail(code=reply.code, message=reply.message or str(reply.code))


def response_error(meta: ResponseMeta | None, reply: bytes | Reply) -> MiniMaxError | None:
    """The error an answer reports, or ``None`` if it reports none."""
    status = meta.status if meta is not None else None
    if isinstance(reply, bytes):
        body = reply
        try:
            reply = ErrorEnvelope.model_validate_json(body) if body.strip() else ErrorEnvelope()
        except ValidationError:
            return _not_json(meta, body)
    elif _reports_nothing(reply, status):
        return None  # every ordinary stream chunk: no header lookups
    report = _report(reply, status)
    if report is None:
        return None
    status, code, name, message = report
    secret = meta.secret if meta is not None else ""
    return classify(
        status_code=status,
        code=code,
        message=redact(message, secret),
        request_id=getattr(reply, "request_id", None) or (meta.request_id if meta else None),
        name=name,
        headers=meta.headers if meta is not None else None,
        model=meta.model if meta is not None else None,
    )


def _report(
    reply: Reply, status: int | None
) -> tuple[int | None, int | None, str | None, str] | None:
    """(HTTP status, MiniMax code, textual code, message) of the failure a reply reports."""
    error = getattr(reply, "error", None) or _top_level_error(reply)
    if isinstance(error, ErrorDetail) and (error.message or error.type):
        code = error.code if isinstance(error.code, int) else None
        if isinstance(error.code, str) and error.code.isdigit():
            code = int(error.code)
        http_code = "" if error.http_code is None else str(error.http_code)
        if (status is None or status < 400) and http_code.isdigit():
            status = int(http_code)
        name = error.code if isinstance(error.code, str) and code is None else None
        return status, code, name, error.message or error.type or "MiniMax error"
    base = reply.base_resp
    if base is not None and 0 < base.status_code < 1000:
        # The native tutorial's shape: an HTTP-like status inside an HTTP-200 body ("401 invalid
        # api key", "429 rate limit exceeded"): it means what that HTTP status means.
        return base.status_code, None, None, base.status_msg or ""
    if base is not None and base.status_code != 0:
        return status, base.status_code, None, base.status_msg or ""
    if status is not None and status >= 400:
        return status, None, None, f"HTTP {status} from MiniMax"
    return None


def _not_json(meta: ResponseMeta | None, body: bytes) -> MiniMaxError:
    if meta is not None and meta.status >= 400:
        text = body[:300].decode("utf-8", "replace").strip()
        return classify(
            status_code=meta.status,
            code=None,
            message=redact(f"HTTP {meta.status} with a non-JSON body: {text!r}", meta.secret),
            request_id=meta.request_id,
            headers=meta.headers,
        )
    return malformed(f"MiniMax sent a body that is not JSON: {body[:200]!r}", meta)


def malformed(message: str, meta: ResponseMeta | None) -> MalformedResponseError:
    """The error for an answer that is not MiniMax's protocol."""
    if meta is None:
        return MalformedResponseError(message)
    return MalformedResponseError(
        redact(message, meta.secret), request_id=meta.request_id, headers=meta.headers
    )


def connection_error(
    kind: Literal["timeout", "connection"], detail: str, secret: str
) -> APIConnectionError:
    """The error for a connection that failed or went silent (no answer to classify)."""
    if kind == "timeout":
        return APITimeoutError(redact(f"MiniMax did not answer in time ({detail})", secret))
    return APIConnectionError(redact(f"Could not talk to MiniMax ({detail})", secret))


def check_status(meta: ResponseMeta, body: bytes) -> None:
    """Raise the error an HTTP error status reports (its body read as any carrier)."""
    if meta.status >= 400:
        raise response_error(meta, body) or malformed(f"HTTP {meta.status}", meta)


def validated(model: type[R], data: str | bytes, meta: ResponseMeta | None, what: str) -> R:
    """One JSON document read as ``model``; one that is not is a :class:`MalformedResponseError`
    quoting it (``what``: who sent what it should have been)."""
    try:
        return model.model_validate_json(data)
    except ValidationError as exc:
        preview = data[:200] if isinstance(data, str) else data[:200].decode("utf-8", "replace")
        raise malformed(
            f"{what}: {preview!r} "
            f"({exc.error_count()} problem(s), first: {exc.errors()[0]['msg']})",
            meta,
        ) from None


def raise_reported(meta: ResponseMeta | None, reply: Reply) -> None:
    """Raise the failure a reply (or stream event) reports, if any."""
    error = response_error(meta, reply)
    if error is not None:
        raise error


def parse_chunk(data: str | bytes, meta: ResponseMeta | None) -> ChatCompletion:
    """One JSON document of a chat answer (a completion, a chunk, or an error object), checked:
    the failure it reports is raised."""
    chunk = validated(
        ChatCompletion, data, meta, "MiniMax sent data that is not a valid chat payload"
    )
    raise_reported(meta, chunk)
    return chunk


def parse_embeddings(body: bytes, meta: ResponseMeta) -> EmbeddingsResponse:
    """An embeddings answer, checked like a chat answer."""
    check_status(meta, body)
    try:
        reply = EmbeddingsResponse.model_validate_json(body)
    except ValueError:
        raise malformed(
            f"MiniMax sent an embeddings reply that is not JSON: {body[:200]!r}", meta
        ) from None
    error = response_error(meta, reply)
    if error is not None:
        raise error
    return reply
