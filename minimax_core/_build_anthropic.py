"""The request builder of the Anthropic-compatible route (``/anthropic/v1/messages``): a validated
:class:`~minimax_core._request.ChatPlan` → a Messages API body.

- ``system`` is a top-level field (the plan has merged every system message already);
  ``max_tokens`` is always sent (the catalog's recommended budget when the user gives none);
  ``stop`` → ``stop_sequences``; tools as ``{name, description, input_schema}``.
- ``tool_choice``: ``auto``/``none``/``any`` (``required``)/a name → ``{"type": "auto"|"none"|
  "any"|"tool"}``; ``parallel_tool_calls=False`` → ``disable_parallel_tool_use``. MiniMax is not
  known to enforce it here either, so the plan's forcing instruction and recovery stay.
- ``thinking`` (switchable models): ``"adaptive"`` → ``{"type": "enabled", "budget_tokens": B}``,
  ``"disabled"`` → ``{"type": "disabled"}``, unset → omitted (the route's default: M3 does not
  think here unless asked). Reports conflict on whether this route takes ``adaptive`` (one says it
  answered "must be enabled or disabled"; MiniMax's docs name it); ``enabled`` with a budget was
  accepted in every report, so that is what is sent (``docs/protocol-notes.md`` §6).
- Replay: an assistant turn from this route sends its thinking blocks back verbatim (signature
  included, original order) before its text and ``tool_use`` blocks; reasoning from another route
  or framework goes back as one unsigned ``thinking`` block (accepted by every report); tool
  results go back as ``tool_result`` blocks in the user turn right after their call.
"""

from __future__ import annotations

import json
import warnings
from typing import TYPE_CHECKING, Any

from minimax_core._reasoning import is_anthropic
from minimax_core._types import (
    AssistantMessage,
    ImagePart,
    Reasoning,
    TextPart,
    ToolMessage,
    UserMessage,
)

if TYPE_CHECKING:
    from minimax_core._request import ChatPlan

__all__ = ["anthropic_body"]

ANTHROPIC_VERSION = "2023-06-01"
_MIN_BUDGET = 1024


def anthropic_body(plan: ChatPlan) -> bytes:
    """The body of one chat request on the Anthropic-compatible route."""
    params = plan.params
    max_tokens = params.max_tokens or plan.model.recommended_max_tokens
    fields: dict[str, Any] = {
        "model": params.model,
        "max_tokens": max_tokens,
        "system": plan.system or None,
        "messages": _messages(plan),
        "tools": [
            {
                "name": tool.name,
                **({"description": tool.description} if tool.description else {}),
                "input_schema": tool.parameters,
            }
            for tool in plan.tools
        ]
        or None,
        "tool_choice": _tool_choice(plan),
        "temperature": plan.temperature,
        "top_p": plan.top_p,
        "stop_sequences": plan.stop,
        "thinking": _thinking(plan.thinking, max_tokens),
        "stream": True if plan.stream else None,
    }
    body = {k: v for k, v in fields.items() if v is not None}
    body.update(params.extra)
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def _thinking(mode: str | None, max_tokens: int) -> dict[str, Any] | None:
    if mode == "disabled":
        return {"type": "disabled"}
    if mode == "adaptive":
        # Anthropic's own rule (1024 <= budget < max_tokens) where the output budget allows it.
        budget = max(_MIN_BUDGET, max_tokens // 2) if max_tokens > _MIN_BUDGET else max_tokens - 1
        return {"type": "enabled", "budget_tokens": max(1, min(budget, max_tokens - 1))}
    return None


def _tool_choice(plan: ChatPlan) -> dict[str, Any] | None:
    choice = plan.params.tool_choice
    single = plan.params.parallel_tool_calls is False
    if not plan.tools or (choice is None and not single):
        return None
    if choice in (None, "auto"):
        out: dict[str, Any] = {"type": "auto"}
    elif choice == "none":
        return {"type": "none"}
    elif choice in ("any", "required"):
        out = {"type": "any"}
    else:
        out = {"type": "tool", "name": choice}
    if single:
        out["disable_parallel_tool_use"] = True
    return out


def _image(part: ImagePart) -> dict[str, Any]:
    url = part.url
    if url.startswith("data:") and ";base64," in url:
        media_type, data = url[5:].split(";base64,", 1)
        return {
            "type": "image",
            "source": {"type": "base64", "media_type": media_type, "data": data},
        }
    return {"type": "image", "source": {"type": "url", "url": url}}


def _user_blocks(message: UserMessage) -> list[dict[str, Any]]:
    if isinstance(message.content, str):
        return [{"type": "text", "text": message.content}]
    return [
        {"type": "text", "text": part.text} if isinstance(part, TextPart) else _image(part)
        for part in message.content
    ]


def thinking_blocks(reasoning: Reasoning | None) -> list[dict[str, Any]]:
    """An assistant turn's reasoning as thinking blocks: this route's own verbatim, any other
    as one unsigned block."""
    if not reasoning:
        return []
    if reasoning.details and is_anthropic(reasoning.details):
        blocks: list[dict[str, Any]] = []
        for item in reasoning.details:
            if item.get("type") == "redacted_thinking":
                blocks.append({"type": "redacted_thinking", "data": item.get("data", "")})
                continue
            block: dict[str, Any] = {"type": "thinking", "thinking": item.get("text", "")}
            if item.get("signature"):
                block["signature"] = item["signature"]
            blocks.append(block)
        return blocks
    return [{"type": "thinking", "thinking": reasoning.text}] if reasoning.text else []


def _assistant_blocks(message: AssistantMessage) -> list[dict[str, Any]]:
    blocks = thinking_blocks(message.reasoning)
    if message.content:
        blocks.append({"type": "text", "text": message.content})
    for call in message.tool_calls:
        arguments = call.arguments
        if call.raw_arguments is not None:
            try:
                parsed = json.loads(call.raw_arguments or "{}")
            except ValueError:
                parsed = None
            arguments = parsed if isinstance(parsed, dict) else arguments
        blocks.append({"type": "tool_use", "id": call.id, "name": call.name, "input": arguments})
    return blocks


def _messages(plan: ChatPlan) -> list[dict[str, Any]]:
    """The conversation as alternating turns; consecutive blocks of one role share a turn (tool
    results and the user's next words go back in one user turn)."""
    turns: list[dict[str, Any]] = []
    named = [
        m.name for m in plan.messages if isinstance(m, UserMessage | AssistantMessage) and m.name
    ]
    if named:
        warnings.warn(
            f"The Anthropic-compatible route has no message names; {sorted(set(named))} are not "
            "sent (the OpenAI-compatible and native routes send them).",
            UserWarning,
            stacklevel=2,
        )
    for message in plan.messages:
        if isinstance(message, UserMessage):
            role, blocks = "user", _user_blocks(message)
        elif isinstance(message, ToolMessage):
            role = "user"
            blocks = [
                {
                    "type": "tool_result",
                    "tool_use_id": message.tool_call_id,
                    "content": message.content,
                }
            ]
        elif isinstance(message, AssistantMessage):
            role, blocks = "assistant", _assistant_blocks(message)
        else:  # pragma: no cover - the plan holds no system message (merged into plan.system)
            continue
        if not blocks:
            continue  # an empty turn carries nothing (the service rejects empty content)
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"].extend(blocks)
        else:
            turns.append({"role": role, "content": blocks})
    return turns
