"""Helpers shared by the test suites: one emulator per test process, started on first use."""

from __future__ import annotations

import atexit
import threading
from typing import Any, Literal

from minimax_emulator.testing import EmulatorServer, RecordedRequest

# Tests pass keys as plain strings, as users do; the adapters type `api_key` as `SecretStr | None`
# (pydantic converts), hence the `# type: ignore[arg-type]` where a test passes one explicitly.
API_KEY = "sk-test-emulator-key-0123456789"

#: The adapters' ``api=`` values: the four chat routes.
Route = Literal["openai", "native", "dashscope", "anthropic"]

_lock = threading.Lock()
_server: EmulatorServer | None = None


def shared_emulator() -> EmulatorServer:
    """The process-wide emulator (accepting only :data:`API_KEY`), started on first use."""
    global _server
    with _lock:
        if _server is None:
            server = EmulatorServer(api_keys=[API_KEY])
            server.start()
            atexit.register(server.stop)
            _server = server
        return _server


def emulator_url() -> str:
    return shared_emulator().base_url


def json_body(request: RecordedRequest) -> dict[str, Any]:
    """A recorded request's JSON object body (``request.json`` is ``None`` for a non-JSON body)."""
    assert isinstance(request.json, dict), request.json
    return request.json
