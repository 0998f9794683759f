"""What every probe shares: the in-process emulator, evidence formatting, the tools and schema
offered to the models, and reading reasoning and streams out of each framework's objects."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import BaseModel

from benchmarks.features.clients import API_KEY, NO, OK, PART


@contextlib.contextmanager
def emulator(fault: str | None = None) -> Iterator[Any]:
    from minimax_emulator.testing import EmulatorServer

    options: dict[str, Any] = {"fault": fault} if fault else {}
    with EmulatorServer(**options) as server:
        yield server


def short(value: Any, limit: int = 90) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def exc_text(exc: BaseException, limit: int = 110) -> str:
    """``module.Class: message``; for an HTTP error, its status and the body's message."""
    name = f"{type(exc).__module__.split('.')[0]}.{type(exc).__name__}"
    body, status = getattr(exc, "body", None), getattr(exc, "status_code", None)
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return f"`{name}` (HTTP {status}: {short(body['message'], limit)!r})"
    return f"`{name}: {short(str(exc), limit)}`"


def chat_requests(server: Any) -> list[dict[str, Any]]:
    return [
        r.json
        for r in server.requests
        if r.method == "POST" and r.path.endswith(("/chat/completions", "/chatcompletion_v2"))
    ]


def server_verdict(server: Any) -> str:
    """What the emulator answers to the last chat request, sent again as it was: for a client
    that hides the answer behind a crash (a native-route ``base_resp`` error read as a reply)."""
    import httpx

    routes = ("/chat/completions", "/chatcompletion_v2")
    last = next(r for r in reversed(server.requests) if r.path.endswith(routes))
    reply = httpx.post(
        server.base_url + last.path,
        json=last.json,
        headers={"Authorization": f"Bearer {API_KEY}"},
        timeout=30,
    )
    body = reply.json()
    resp = body.get("base_resp") if isinstance(body, dict) else None
    if isinstance(resp, dict) and resp.get("status_code"):
        return (
            f" (the emulator's reply: HTTP {reply.status_code}, `base_resp` "
            f"{resp['status_code']} {short(resp.get('status_msg', ''), 64)!r})"
        )
    return ""


def leaked(text: str) -> str | None:
    """The leaked ``<think>`` prefix, if the answer carries one."""
    if "<think>" in text or "</think>" in text:
        return short(text, 40)
    return None


def li_messages(*pairs: tuple[str, str]) -> list[Any]:
    from llama_index.core.base.llms.types import ChatMessage

    return [ChatMessage(role=role, content=content) for role, content in pairs]


def get_weather(city: str) -> str:
    """Get today's weather for a city."""
    return f"Sunny in {city}"


def current_date() -> str:
    """Today's date (takes no arguments)."""
    return "2026-11-22"


class Trip(BaseModel):
    """A trip plan."""

    city: str
    days: int


def lc_tool(fn: Callable[..., Any]) -> Any:
    from langchain_core.tools import tool

    return tool(fn)


def li_tool(fn: Callable[..., Any]) -> Any:
    from llama_index.core.tools import FunctionTool

    return FunctionTool.from_defaults(fn=fn)


def lc_reasoning(message: Any) -> str:
    """Reasoning a LangChain message exposes: a ``reasoning`` content block or
    ``additional_kwargs["reasoning_content"]``."""
    for block in message.content_blocks:
        if block.get("type") == "reasoning" and block.get("reasoning"):
            return str(block["reasoning"])
    return str(message.additional_kwargs.get("reasoning_content") or "")


def li_thinking(message: Any) -> str:
    from llama_index.core.base.llms.types import ThinkingBlock

    return "".join(
        b.content or "" for b in message.blocks if isinstance(b, ThinkingBlock) and b.content
    )


def lc_stream(model: Any, prompt: Any) -> Any:
    chunks = list(model.stream(prompt))
    return sum(chunks[1:], chunks[0]), chunks


def li_stream(iterator: Any) -> tuple[Any, list[Any]]:
    responses = list(iterator)
    return responses[-1], responses


def verdict(ok: int, total: int) -> str:
    return OK if ok == total else (NO if ok == 0 else PART)
