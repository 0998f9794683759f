"""A sans-I/O decoder for Server-Sent Events (the WHATWG ``text/event-stream`` format).

Feed it bytes exactly as they arrive — cut anywhere, mid-line or mid multi-byte character — and it
returns the complete events. Lines are split on bytes and decoded only once complete, so a UTF-8
character cut across two network reads is never mangled. ``\\r\\n``, ``\\n`` and ``\\r`` line ends
are all accepted, including a ``\\r\\n`` cut between two reads.

Written here rather than taken from ``httpx-sse``: that package wraps an open ``httpx`` response
(I/O), while this core needs a pure decoder that the sync and async drivers share and that property
tests can drive with arbitrary chunkings.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SSEDecoder", "SSEEvent"]


@dataclass(slots=True, frozen=True)
class SSEEvent:
    data: str
    event: str = "message"
    id: str | None = None
    retry: int | None = None


class SSEDecoder:
    """Incremental SSE parser: ``feed(bytes) -> list[SSEEvent]``, then ``close()`` at EOF."""

    __slots__ = ("_buffer", "_data", "_event", "_id", "_retry", "_skip_lf")

    def __init__(self) -> None:
        self._buffer: bytes | bytearray = b""
        self._skip_lf = False
        self._data: list[str] = []
        self._event = ""
        self._id: str | None = None
        self._retry: int | None = None

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        if not chunk:
            # An empty read must not forget a pending "\r" (its "\n" may still come).
            return []
        if self._skip_lf:
            self._skip_lf = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
        if self._buffer:
            if b"\n" not in chunk and b"\r" not in chunk:
                # Still the same unfinished line (a huge one, arriving in many reads): append in
                # place instead of rescanning it, so it costs linear time, not quadratic.
                if not isinstance(self._buffer, bytearray):
                    self._buffer = bytearray(self._buffer)
                self._buffer += chunk
                return []
            chunk = bytes(self._buffer) + chunk
            self._buffer = b""
        if not chunk:
            return []
        lines = chunk.splitlines(keepends=True)
        last = lines[-1]
        if not last.endswith((b"\n", b"\r")):
            self._buffer = lines.pop()
        elif last.endswith(b"\r"):
            # A "\r\n" may be cut between two reads: drop the "\n" if it starts the next one.
            self._skip_lf = True
        events: list[SSEEvent] = []
        for raw in lines:
            event = self._line(raw.rstrip(b"\r\n"))
            if event is not None:
                events.append(event)
        return events

    def close(self) -> list[SSEEvent]:
        """Flush at end of stream: an unterminated last line and event are delivered, not lost."""
        events: list[SSEEvent] = []
        if self._buffer:
            event = self._line(bytes(self._buffer))
            self._buffer = b""
            if event is not None:
                events.append(event)
        event = self._line(b"")
        if event is not None:
            events.append(event)
        return events

    def _line(self, raw: bytes) -> SSEEvent | None:
        if not raw:
            return self._dispatch()
        if raw[:1] == b":":
            return None
        line = raw.decode("utf-8", "replace")
        name, sep, value = line.partition(":")
        if sep and value[:1] == " ":
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" not in value:
                self._id = value
        elif name == "retry" and value.isdigit():
            self._retry = int(value)
        return None

    def _dispatch(self) -> SSEEvent | None:
        if not self._data:
            self._event = ""
            return None
        event = SSEEvent(
            data="\n".join(self._data),
            event=self._event or "message",
            id=self._id,
            retry=self._retry,
        )
        self._data = []
        self._event = ""
        return event
