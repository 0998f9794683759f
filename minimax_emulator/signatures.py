"""Signatures of the Anthropic-compatible route's ``thinking`` blocks.

Known (docs/protocol-notes.md §6; MiniMax's Anthropic API reference examples): a thinking block
carries a ``signature`` of 64 hex characters, and clients must replay the block unchanged.
Unknown: how MiniMax computes it, and whether it checks it. Reports disagree: one live probe got
HTTP 400 for a signed block taken from another context, another got 200 for a mutated block
(https://github.com/NousResearch/hermes-agent/issues/85251,
https://github.com/NousResearch/hermes-agent/issues/75725); unsigned blocks are accepted by all.

The emulator's scheme (assumed, deterministic across runs and servers): the first 64 hex digits of
``sha256(SECRET + b"\\0" + thinking text as UTF-8)``. The request validation *verifies* replayed
signatures (the stricter of the two reported behaviours), so a client that edits, re-wraps or
re-signs thinking history is caught in tests; an empty or absent signature is accepted.
"""

from __future__ import annotations

import hashlib

SECRET = b"minimax-emulator thinking signature v1"


def sign_thinking(thinking: str) -> str:
    """The signature the emulator gives a thinking block with this text."""
    digest = hashlib.sha256(SECRET + b"\0" + thinking.encode("utf-8")).hexdigest()
    return digest[:64]


def signature_matches(thinking: str, signature: str) -> bool:
    return signature == sign_thinking(thinking)
