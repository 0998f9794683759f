"""The request builder of Model Studio's native DashScope protocol (``api="dashscope-native"``):
``POST {host}/api/v1/services/aigc/text-generation/generation``, the protocol of the official
``dashscope`` SDK's ``Generation.call``.

Messages (OpenAI's shape, reasoning replayed as ``reasoning_content``) go under ``input``, every
other setting under ``parameters``: ``result_format: "message"`` always (choices with messages,
not bare text), ``incremental_output: true`` when streaming (each event carries only what is new;
the reader relies on it), ``max_tokens``, sampling, ``stop``, ``tools`` and ``tool_choice``, and
what the user passes through ``model_kwargs`` (``seed``, ``presence_penalty``, ``enable_search``,
``search_options`` …). Streaming itself is asked for with the ``X-DashScope-SSE: enable`` header
(the dialect's stream headers), not in the body.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from minimax_core._build_openai import wire_messages, wire_tools

if TYPE_CHECKING:
    from minimax_core._request import ChatPlan

__all__ = ["dashscope_native_body"]


def _tool_choice(plan: ChatPlan) -> str | dict[str, Any] | None:
    choice = plan.params.tool_choice
    if not plan.tools or choice in (None, "any", "required"):
        return None  # not enforced by the service: the plan's instruction and recovery do it
    if choice in ("auto", "none"):
        return choice
    return {"type": "function", "function": {"name": choice}}


def dashscope_native_body(plan: ChatPlan) -> bytes:
    params = plan.params
    parameters: dict[str, Any] = {
        "result_format": "message",
        "incremental_output": True if plan.stream else None,
        "max_tokens": params.max_tokens,
        "temperature": plan.temperature,
        "top_p": plan.top_p,
        "stop": plan.stop,
        "tools": [spec.model_dump(exclude_none=True) for spec in wire_tools(plan)] or None,
        "tool_choice": _tool_choice(plan),
        "parallel_tool_calls": params.parallel_tool_calls,
    }
    parameters = {k: v for k, v in parameters.items() if v is not None}
    parameters.update(plan.search or {})
    parameters.update(params.extra)
    messages = [m.model_dump(exclude_none=True) for m in wire_messages(plan)]
    body = {"model": params.model, "input": {"messages": messages}, "parameters": parameters}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
