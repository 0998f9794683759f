"""Offline MiniMax emulator: an independent implementation of MiniMax's wire protocol.

``create_app(options)`` builds the ASGI app; ``minimax-emulator`` serves it;
``minimax_emulator.testing.EmulatorServer`` runs it in a background thread for tests.
"""

from __future__ import annotations

from .app import EmulatorApp, create_app
from .journal import RecordedRequest
from .options import HEADER_NAME, EmulatorOptions, Faults, SpecError, parse_spec

__all__ = [
    "HEADER_NAME",
    "EmulatorApp",
    "EmulatorOptions",
    "Faults",
    "RecordedRequest",
    "SpecError",
    "create_app",
    "parse_spec",
]
