"""Work done inside worker processes (an importable module: ``spawn`` workers import it)."""

from __future__ import annotations

import asyncio
import os
from typing import Any

from tests.reliability._support import ask, ask_async, embed, embed_async


def use_models(models: dict[str, Any], prompt: str) -> dict[str, Any]:
    """Use each unpickled model the ways a worker would: sync, async, streamed; report back."""
    out: dict[str, Any] = {
        "pid": os.getpid(),
        "key in environment": "MINIMAX_API_KEY" in os.environ,
    }
    for name, model in models.items():
        if name.startswith("chat"):
            out[name] = [
                ask(model, prompt, "sync"),
                ask(model, prompt, "sync", stream=True),
                asyncio.run(ask_async(model, prompt, stream=True)),
            ]
        else:
            vectors = [embed(model, prompt, "sync"), asyncio.run(embed_async(model, prompt))]
            out[name] = [len(v) for v in vectors] + [vectors[0] == vectors[1]]
    return out
