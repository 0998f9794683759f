"""The HTTP seam as plain values: what a driver sends and what it learned from the answer.

Pure (no HTTP library): the request builders produce an :class:`HttpRequest`, the drivers in
``_io`` turn it into bytes on the wire and report back a :class:`ResponseMeta` plus the body, and
the readers (``_protocol``) interpret those. A :class:`StreamDecoder` is the pure consumer of one
streamed answer that a driver pumps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from minimax_core._version import __version__
from minimax_core.errors import MiniMaxError

__all__ = ["USER_AGENT", "HttpRequest", "ResponseMeta", "StreamDecoder"]

USER_AGENT = f"minimax-integrations/{__version__}"

T = TypeVar("T")

# Trace-Id first: it is the id MiniMax also puts in error bodies (``request_id``) and the one its
# support asks for, so every carrier of one request reports the same id.
_REQUEST_ID_HEADERS = ("trace-id", "minimax-request-id", "x-request-id", "request-id")


@dataclass(frozen=True, slots=True)
class HttpRequest:
    url: str
    body: bytes
    headers: dict[str, str]
    stream: bool = False
    #: The credential the headers carry: masked wherever an error might echo it.
    secret: str = field(default="", repr=False)
    #: The model asked for (named by an "unknown model" error).
    model: str = ""


@dataclass(frozen=True, slots=True)
class ResponseMeta:
    """The status and headers of one answer (headers: a case-insensitive mapping)."""

    status: int
    headers: Mapping[str, str]
    #: The request's credential, so that errors built from this answer never show it.
    secret: str = field(default="", repr=False)
    #: The request's model, so that an "unknown model" error can name it.
    model: str = ""

    @property
    def request_id(self) -> str | None:
        for name in _REQUEST_ID_HEADERS:
            value = self.headers.get(name)
            if value:
                return value
        return None

    @property
    def is_event_stream(self) -> bool:
        return self.headers.get("content-type", "").startswith("text/event-stream")


class StreamDecoder(Protocol[T]):
    """Pure consumer of one streamed answer; ``begin`` starts each attempt afresh."""

    def begin(self, meta: ResponseMeta) -> None: ...
    def feed(self, data: bytes) -> list[T]: ...
    def close(self) -> list[T]: ...
    def whole(self, body: bytes) -> list[T]:
        """The answer was not a stream (an error, or a JSON reply to a stream request)."""
        ...

    def interrupted(self, cause: MiniMaxError, *, delivered: bool = True) -> MiniMaxError:
        """The error to raise when the connection breaks after the response started (after
        items were delivered, or before any was and no retry is left)."""
        ...
