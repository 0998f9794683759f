"""MiniMax errors and their carriers (one per route family).

* OpenAI-compatible route: real HTTP status + ``{"type":"error","error":{"type","message (NNNN)",
  "http_code"},"request_id"}``.
* Native chat and embeddings: HTTP 200 + ``base_resp.status_code != 0`` (``choices``/``vectors``
  null). Transport faults (500/502/503/529) keep their HTTP status on every route.
* DashScope compatible mode: HTTP status + ``{"error":{"code","message","type"},"request_id"}``.
* DashScope native API: HTTP status + ``{"code","message","request_id"}`` (see
  :func:`dashscope_native_payload`).
* Anthropic-compatible route: HTTP status + ``{"type":"error","error":{"type","message (NNNN)"},
  "request_id"}`` (plus a top-level ``base_resp`` for MiniMax-coded errors, see
  :func:`anthropic_error`).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import jsonfast

AUTH_MESSAGE = (
    "login fail: Please carry the API secret key in the 'Authorization' field of the request header"
)

#: code -> (HTTP status on the OpenAI route, error.type)
_OPENAI_STATUS: dict[int, tuple[int, str]] = {
    2013: (400, "bad_request_error"),
    1026: (400, "bad_request_error"),
    1004: (401, "authorized_error"),
    2049: (401, "authorized_error"),
    1008: (402, "insufficient_balance_error"),
    1027: (422, "unprocessable_entity_error"),
    1002: (429, "rate_limit_error"),
    1039: (429, "rate_limit_error"),
    2056: (429, "rate_limit_error"),
    2062: (429, "rate_limit_error"),
    1000: (500, "server_error"),
    1033: (500, "server_error"),
    2061: (500, "server_error"),
}

_TYPE_FOR_STATUS = {
    400: "bad_request_error",
    401: "authorized_error",
    402: "insufficient_balance_error",
    422: "unprocessable_entity_error",
    429: "rate_limit_error",
    529: "overloaded_error",
}


@dataclass(eq=False)
class ApiError(Exception):
    """A MiniMax error. ``message`` is the text without the ``(NNNN)`` suffix."""

    code: int
    message: str
    status: int = 0  # HTTP status on the OpenAI route (0: derived from the code)
    transport: bool = False  # keep ``status`` on native routes too (gateway-level faults)
    forced: bool = False  # ``status`` set by a fault's ``@STATUS`` (kept on the Anthropic route)

    def __post_init__(self) -> None:
        if not self.status:
            self.status = _OPENAI_STATUS.get(self.code, (500, "server_error"))[0]

    @property
    def error_type(self) -> str:
        return _TYPE_FOR_STATUS.get(self.status, "server_error")

    def __str__(self) -> str:
        return f"{self.message} ({self.code})"


def invalid(message: str) -> ApiError:
    """A 2013 "invalid params" error."""
    return ApiError(2013, f"invalid params, {message}")


def fault_error(kind: str, model: str = "", status: int | None = None) -> ApiError:
    """The error injected by ``fail=<kind>`` (``status`` overrides the OpenAI-route status)."""
    if kind in {"429", "1002"}:
        err = ApiError(1002, "rate limit exceeded(RPM)", 429)
    elif kind == "1039":
        err = ApiError(1039, "rate limit exceeded(TPM)")
    elif kind == "1008":
        err = ApiError(1008, "insufficient balance")
    elif kind == "1004":
        err = ApiError(1004, AUTH_MESSAGE)
    elif kind == "2049":
        err = ApiError(2049, "invalid api key")
    elif kind == "1026":
        err = ApiError(1026, "input new_sensitive")
    elif kind == "2061":
        err = ApiError(2061, f"your current token plan not support model, {model}")
    elif kind == "1033":
        err = ApiError(1033, "system error")
    elif kind == "2013":
        err = invalid("rejected by the emulator's fail=2013 fault")
    elif kind == "1000":
        err = ApiError(1000, "unknown error")
    else:  # transport-level: 500 502 503 529
        texts = {
            "500": "unknown error",
            "502": "bad gateway",
            "503": "service unavailable",
            "529": "the server cluster is overloaded, please retry later",
        }
        err = ApiError(1000, texts[kind], int(kind), transport=True)
    if status is not None:
        err.status = status
        err.forced = True
    return err


_dumps = jsonfast.dumps


def openai_error(err: ApiError, request_id: str) -> tuple[int, bytes]:
    body = {
        "type": "error",
        "error": {"type": err.error_type, "message": str(err), "http_code": str(err.status)},
        "request_id": request_id,
    }
    return err.status, _dumps(body)


def base_resp(err: ApiError) -> dict[str, object]:
    return {"status_code": err.code, "status_msg": err.message}


#: code -> HTTP status on the Anthropic-compatible route (docs/protocol-notes.md §8.2): 2013 400,
#: 1004/2049 401, rate limits 429, 1008/2061/1000/1033 500 (observed). 1026 → 400 is assumed
#: (as on the OpenAI route); an unlisted code → 500.
_ANTHROPIC_STATUS: dict[int, int] = {
    2013: 400,
    1026: 400,
    1004: 401,
    2049: 401,
    1002: 429,
    1039: 429,
    2056: 429,
    2062: 429,
    1008: 500,
    2061: 500,
    1000: 500,
    1033: 500,
}
#: HTTP status -> ``error.type`` (MiniMax's Anthropic reference: the Anthropic vocabulary)
_ANTHROPIC_TYPE: dict[int, str] = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    529: "overloaded_error",
}


def anthropic_error_payload(err: ApiError, request_id: str) -> tuple[int, dict[str, object]]:
    """(HTTP status, body) of ``err`` on the Anthropic-compatible route.

    Known: the envelope and the status per code (docs/protocol-notes.md §8.2). MiniMax's reference
    examples add a non-Anthropic top-level ``base_resp`` to replies, and the M2.7-era reference
    schema lists error codes for it (1013 among them); no recorded error body shows it. Assumed:
    this route has no HTTP-200 errors, and every MiniMax-coded error (validation, auth, rate
    limit, balance, plan: the faults the native route sends as HTTP 200 + ``base_resp``) carries
    ``base_resp: {status_code, status_msg}`` next to the envelope; gateway faults (500, 502, 503,
    529 injected as transport faults) carry the envelope only. ``@STATUS`` overrides the status.
    """
    status = err.status if err.transport or err.forced else _ANTHROPIC_STATUS.get(err.code, 500)
    body: dict[str, object] = {
        "type": "error",
        "error": {"type": _ANTHROPIC_TYPE.get(status, "api_error"), "message": str(err)},
        "request_id": request_id,
    }
    if not err.transport:
        body["base_resp"] = base_resp(err)
    return status, body


def anthropic_error(err: ApiError, request_id: str) -> tuple[int, bytes]:
    status, body = anthropic_error_payload(err, request_id)
    return status, _dumps(body)


def native_error(err: ApiError, request_id: str, model: str = "") -> tuple[int, bytes]:
    body = native_error_payload(err, request_id, model)
    return (err.status if err.transport else 200), _dumps(body)


def native_error_payload(err: ApiError, request_id: str, model: str = "") -> dict[str, object]:
    return {
        "id": request_id,
        "choices": None,
        "created": 0,
        "model": model,
        "object": "",
        "usage": None,
        "input_sensitive": False,
        "output_sensitive": False,
        "input_sensitive_type": 0,
        "output_sensitive_type": 0,
        "output_sensitive_int": 0,
        "base_resp": base_resp(err),
    }


def embeddings_error(err: ApiError) -> tuple[int, bytes]:
    body = {"vectors": None, "base_resp": base_resp(err)}
    return (err.status if err.transport else 200), _dumps(body)


#: MiniMax code -> (HTTP status, code, type, message) in DashScope's vocabulary.
_DASHSCOPE: dict[int, tuple[int, str, str, str]] = {
    1004: (401, "invalid_api_key", "invalid_request_error", "Incorrect API key provided. "),
    2049: (401, "invalid_api_key", "invalid_request_error", "Incorrect API key provided. "),
    1002: (
        429,
        "limit_requests",
        "limit_requests",
        "Requests rate limit exceeded, please try again later.",
    ),
    1039: (
        429,
        "limit_requests",
        "limit_requests",
        "Requests rate limit exceeded, please try again later.",
    ),
    1008: (
        400,
        "Arrearage",
        "Arrearage",
        "Access denied, please make sure your account is in good standing.",
    ),
    1026: (
        400,
        "data_inspection_failed",
        "data_inspection_failed",
        "Input data may contain inappropriate content.",
    ),
    2061: (403, "AccessDenied", "AccessDenied", "Access denied."),
}


def dashscope_error(err: ApiError, request_id: str) -> tuple[int, bytes]:
    if err.transport:
        status, code, etype, message = (
            err.status,
            "ServiceUnavailable",
            "internal_error",
            err.message,
        )
    elif err.code == 2013:
        text = err.message.removeprefix("invalid params, ")
        status, code, etype = 400, "invalid_parameter_error", "invalid_request_error"
        message = f"<400> InternalError.Algo.InvalidParameter: {text}"
    elif err.code == 404:
        status, code, etype, message = 404, "model_not_found", "invalid_request_error", err.message
    else:
        status, code, etype, message = _DASHSCOPE.get(
            err.code,
            (
                500,
                "internal_error",
                "internal_error",
                "An internal error has occured, please try again later or contact service support.",
            ),
        )
    body = {"error": {"code": code, "message": message, "type": etype}, "request_id": request_id}
    return status, _dumps(body)


def dashscope_model_not_found(model: str) -> ApiError:
    return ApiError(
        404, f"The model `{model}` does not exist or you do not have access to it.", 404
    )


_DASHSCOPE_INTERNAL = (
    "An internal error has occured, please try again later or contact service support."
)
#: MiniMax code -> (HTTP status, code, message) on DashScope's native API (Model Studio's error
#: code list). 1039 (tokens per minute) as plain "Throttling" is assumed.
_DASHSCOPE_NATIVE: dict[int, tuple[int, str, str]] = {
    1004: (401, "InvalidApiKey", "Invalid API-key provided."),
    2049: (401, "InvalidApiKey", "Invalid API-key provided."),
    1002: (429, "Throttling.RateQuota", "Requests rate limit exceeded, please try again later."),
    1039: (429, "Throttling", "Requests throttling triggered."),
    1008: (400, "Arrearage", "Access denied, please make sure your account is in good standing."),
    1026: (400, "DataInspectionFailed", "Input data may contain inappropriate content."),
    2061: (403, "AccessDenied", "Access denied."),
}


def dashscope_native_payload(err: ApiError, request_id: str) -> tuple[int, dict[str, object]]:
    """(HTTP status, body) of ``err`` on DashScope's native API: ``{"code","message",
    "request_id"}``. Validation errors are 400 ``InvalidParameter`` with the ``<400>
    InternalError.Algo.InvalidParameter:`` prefix the service puts on them; an unknown model is
    404 ``ModelNotFound``; injected gateway faults keep their HTTP status as ``InternalError``
    (assumed); ``@STATUS`` overrides the status."""
    if err.code == 2013:
        text = err.message.removeprefix("invalid params, ")
        message = f"<400> InternalError.Algo.InvalidParameter: {text}"
        status, code = 400, "InvalidParameter"
    elif err.code == 404:
        status, code, message = 404, "ModelNotFound", err.message
    elif err.transport:
        status, code, message = err.status, "InternalError", err.message
    else:
        status, code, message = _DASHSCOPE_NATIVE.get(
            err.code, (500, "InternalError", _DASHSCOPE_INTERNAL)
        )
    if err.forced:
        status = err.status
    return status, {"code": code, "message": message, "request_id": request_id}


def dashscope_native_error(err: ApiError, request_id: str) -> tuple[int, bytes]:
    status, body = dashscope_native_payload(err, request_id)
    return status, _dumps(body)


def tutorial_error_body(code: str, message: str) -> bytes:
    """The native-API tutorial's error shape (``tutorial_error=`` fault): HTTP 200, ``base_resp``
    only."""
    return _dumps({"base_resp": {"status_code": int(code), "status_msg": message}})
