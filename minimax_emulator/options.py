"""Server options and the fault/shaping spec shared by the ``X-Emulator`` header and ``--fault``.

Spec syntax: ``key=value; key=value`` (whitespace around ``;`` and ``=`` is ignored).  The same
spec is accepted per server (``--fault SPEC`` / ``EmulatorOptions(fault=SPEC)``) and per request
(header ``X-Emulator: SPEC``); per-request keys override server-wide ones key by key.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

HEADER_NAME = "x-emulator"

#: Error kinds accepted by ``fail=``: HTTP statuses (transport faults) and MiniMax codes.
FAIL_KINDS: frozenset[str] = frozenset(
    {
        "429",
        "500",
        "502",
        "503",
        "529",
        "1000",
        "1002",
        "1004",
        "1008",
        "1026",
        "1033",
        "1039",
        "2013",
        "2049",
        "2061",
    }
)

#: ``tutorial_error=`` codes -> the ``base_resp.status_msg`` of the native-API tutorial's shapes.
TUTORIAL_ERRORS: dict[str, str] = {
    "400": "model not found",
    "401": "invalid api key",
    "429": "rate limit exceeded",
    "500": "internal server error",
    "502": "bad gateway",
    "503": "service unavailable",
}

SPEC_HELP = """\
X-Emulator header / --fault spec:  key=value; key=value; ...
  fail=WHAT[@STATUS][xN]  first N attempts of this request fail (no xN: always fail).
                          WHAT: 429 1002 1039 1008 2013 1004 2049 1026 2061 500 502 503 529
                          1000 1033. Counted per (api key, body hash, header value), so client
                          retries of the same request count down. @STATUS overrides the HTTP
                          status on the OpenAI, Anthropic and DashScope native routes
                          (e.g. fail=1008@429x1).
  tutorial_error=CODE[xN] any route: the first N attempts (no xN: all) get HTTP 200 with only
                          {"base_resp":{"status_code":CODE,"status_msg":...}}, the error shape
                          of the native-API tutorial. CODE: 400 (model not found), 401 (invalid
                          api key), 429 (rate limit exceeded), 500 502 503. Counted like fail=.
  disconnect_after=K      stream: drop the connection abruptly after K chunks
  malformed_chunk=K       stream: the K-th SSE event carries invalid JSON
  stream_error=K:CODE     stream: after K chunks an error object arrives inside the stream
  json_error_on_stream=CODE  stream request answered with a plain JSON error body
  first_byte_ms=MS        delay before the response headers
  latency_ms=MS           delay before answering (stream: after headers, before 1st chunk)
  chunk_ms=MS             delay between stream writes (one event per write)
  reasoning=incremental|cumulative   streamed reasoning_details text (default incremental)
  done=true|false         send `data: [DONE]` (default: true on OpenAI/DashScope compatible
                          mode, false on native, Anthropic and the DashScope native API)
  chunks=N                answer text in exactly N content chunks (benchmarks)
  reasoning_chunks=M      reasoning in exactly M chunks (benchmarks; thinking models)
  usage_zero_chunks=true  old builds: {"total_tokens":0,"total_characters":0} on every chunk
  empty_role=true         role:"" on every other chunk
  finish=length           stop early: finish_reason "length", only (part of) the reasoning
  summary=false           native route: omit the final chat.completion summary object
  ignore_forcing=true     every chat route: never call a tool, always answer in text (MiniMax
                          ignoring a forced tool_choice entirely, e.g. to test repair loops)
"""


class SpecError(ValueError):
    """An invalid ``X-Emulator`` header or ``--fault`` spec."""


@dataclass(frozen=True)
class FailSpec:
    kind: str
    times: int | None  # None: always
    status: int | None = None  # HTTP status override (OpenAI/DashScope routes)


@dataclass(frozen=True)
class Faults:
    """The effective per-request shaping (server spec merged with the header)."""

    fail: FailSpec | None = None
    tutorial_error: FailSpec | None = None
    disconnect_after: int | None = None
    malformed_chunk: int | None = None
    stream_error: tuple[int, str] | None = None
    json_error_on_stream: str | None = None
    first_byte_ms: int = 0
    latency_ms: int = 0
    chunk_ms: int = 0
    reasoning: str = "incremental"
    done: bool | None = None
    chunks: int | None = None
    reasoning_chunks: int | None = None
    usage_zero_chunks: bool = False
    empty_role: bool = False
    finish: str | None = None
    summary: bool = True
    ignore_forcing: bool = False


NO_FAULTS = Faults()


def _int(key: str, value: str, minimum: int = 0) -> int:
    try:
        number = int(value)
    except ValueError:
        raise SpecError(f"{key}: expected an integer, got {value!r}") from None
    if number < minimum:
        raise SpecError(f"{key}: must be >= {minimum}, got {number}")
    return number


def _bool(key: str, value: str) -> bool:
    lowered = value.lower()
    if lowered in {"true", "1", "yes", "on"}:
        return True
    if lowered in {"false", "0", "no", "off"}:
        return False
    raise SpecError(f"{key}: expected true or false, got {value!r}")


def _kind(key: str, value: str) -> str:
    if value not in FAIL_KINDS:
        raise SpecError(
            f"{key}: unknown error kind {value!r} (one of {', '.join(sorted(FAIL_KINDS))})"
        )
    return value


def _fail(value: str) -> FailSpec:
    times: int | None = None
    body = value
    if "x" in body:
        body, _, count = body.partition("x")
        times = _int("fail", count, minimum=1)
    status: int | None = None
    if "@" in body:
        body, _, status_text = body.partition("@")
        status = _int("fail", status_text, minimum=100)
        if status > 599:
            raise SpecError(f"fail: HTTP status out of range: {status}")
    return FailSpec(kind=_kind("fail", body), times=times, status=status)


def _tutorial(value: str) -> FailSpec:
    code, _, count = value.partition("x")
    if code not in TUTORIAL_ERRORS:
        known = ", ".join(TUTORIAL_ERRORS)
        raise SpecError(f"tutorial_error: unknown code {code!r} (one of {known})")
    return FailSpec(code, _int("tutorial_error", count, minimum=1) if count else None)


def _value(key: str, value: str) -> object:
    """The typed value of one ``key=value`` item."""
    if key == "fail":
        return _fail(value)
    if key == "tutorial_error":
        return _tutorial(value)
    if key in {"disconnect_after", "chunk_ms", "first_byte_ms", "latency_ms"}:
        return _int(key, value)
    if key in {"malformed_chunk", "chunks", "reasoning_chunks"}:
        return _int(key, value, minimum=1)
    if key == "stream_error":
        after, colon, code = value.partition(":")
        if not colon:
            raise SpecError("stream_error: expected K:CODE, e.g. stream_error=3:1000")
        return (_int(key, after), _kind(key, code.strip()))
    if key == "json_error_on_stream":
        return _kind(key, value)
    if key == "reasoning":
        if value not in {"incremental", "cumulative"}:
            raise SpecError("reasoning: expected incremental or cumulative")
        return value
    if key in {"done", "usage_zero_chunks", "empty_role", "summary", "ignore_forcing"}:
        return _bool(key, value)
    if key == "finish":
        if value != "length":
            raise SpecError("finish: only finish=length is supported")
        return value
    raise SpecError(f"unknown key {key!r}")


def parse_spec(spec: str) -> dict[str, object]:
    """Parse ``key=value; …`` into typed values keyed like :class:`Faults` fields."""
    parsed: dict[str, object] = {}
    for raw in spec.split(";"):
        item = raw.strip()
        if not item:
            continue
        key, sep, value = item.partition("=")
        key, value = key.strip().lower(), value.strip()
        if not sep or not value:
            raise SpecError(f"expected key=value, got {item!r}")
        parsed[key] = _value(key, value)
    return parsed


def merge(base: Faults, spec: dict[str, object]) -> Faults:
    """Return ``base`` with the keys of a parsed spec overridden."""
    if not spec:
        return base
    return dataclasses.replace(base, **spec)  # type: ignore[arg-type]


def faults_from_spec(spec: str | None) -> Faults:
    return merge(NO_FAULTS, parse_spec(spec)) if spec else NO_FAULTS


@dataclass(frozen=True)
class EmulatorOptions:
    """Server-wide configuration (what the command-line flags set).

    ``api_keys`` empty: any non-empty key is accepted (a missing key is still rejected).
    ``rpm``: per-key request limit over a sliding window (None: unlimited); ``rpm_window_s`` is
    that window, 60 s like MiniMax's (tests shorten it to run a rate-limited job in seconds).
    ``fault``: a spec applied to every request; the ``X-Emulator`` header overrides it per key.
    ``journal_limit``: how many requests the journal keeps (oldest dropped; None: unbounded).
    """

    api_keys: tuple[str, ...] = ()
    rpm: int | None = None
    rpm_window_s: float = 60.0
    fault: str | None = None
    journal_limit: int | None = 10_000
    faults: Faults = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "api_keys", tuple(self.api_keys))
        if self.rpm is not None and self.rpm < 1:
            raise ValueError("rpm must be >= 1")
        if self.rpm_window_s <= 0:
            raise ValueError("rpm_window_s must be > 0")
        object.__setattr__(self, "faults", faults_from_spec(self.fault))
