"""Run the emulator in a background thread for tests and notebooks.

>>> with EmulatorServer() as server:                      # doctest: +SKIP
...     client = openai.OpenAI(base_url=server.base_url + "/v1", api_key="any")
...     client.chat.completions.create(model="MiniMax-M2.7", messages=[...])
...     server.requests[-1].json["messages"]
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterable
from types import TracebackType
from typing import Any

import uvicorn

from .app import create_app
from .journal import RecordedRequest
from .options import EmulatorOptions
from .serving import bind_socket, uvicorn_config

_START_TIMEOUT_S = 10.0


class EmulatorServer:
    """uvicorn serving the emulator on a free ``127.0.0.1`` port in a daemon thread.

    ``api_keys``: accepted keys (None or empty: any non-empty key). Other keyword arguments are
    :class:`EmulatorOptions` fields (``rpm=``, ``fault=``, ``journal_limit=``).
    """

    def __init__(self, api_keys: Iterable[str] | None = None, **option_overrides: Any) -> None:
        self.options = EmulatorOptions(api_keys=tuple(api_keys or ()), **option_overrides)
        self.app = create_app(self.options)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._port = 0
        self._socket: socket.socket | None = None

    @property
    def port(self) -> int:
        if not self._port:
            raise RuntimeError("EmulatorServer is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``; clients append ``/v1/chat/completions`` etc."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def requests(self) -> list[RecordedRequest]:
        """Requests received so far, in arrival order (Authorization redacted)."""
        return self.app.requests

    def clear(self) -> None:
        """Forget recorded requests, fault counters, rate-limit windows and the prompt cache."""
        self.app.clear()

    def start(self) -> EmulatorServer:
        if self._thread is not None:
            return self
        sock = bind_socket()
        self._socket = sock
        self._port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn_config(self.app))
        self._server = server
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="minimax-emulator", daemon=True
        )
        self._thread = thread
        thread.start()
        deadline = time.monotonic() + _START_TIMEOUT_S
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("minimax emulator failed to start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(timeout=10)
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        self._port = 0

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


__all__ = ["EmulatorServer", "RecordedRequest"]
