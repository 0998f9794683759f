"""Unit tests run without network: sockets are disabled (unix socketpairs stay allowed, asyncio
needs them) and re-enabled afterwards so other test folders are unaffected."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_socket import disable_socket, enable_socket


@pytest.fixture(autouse=True)
def _no_network() -> Iterator[None]:
    disable_socket(allow_unix_socket=True)
    yield
    enable_socket()
