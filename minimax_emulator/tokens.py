"""Deterministic token heuristic (~4 UTF-8 bytes per token) and a simple prompt-prefix cache.

Replayed reasoning (``<think>`` blocks, ``reasoning_details``/``reasoning_content``) in assistant
history is not billed, as on the real service.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict
from typing import Any

MESSAGE_OVERHEAD = 4
PROMPT_OVERHEAD = 3
CACHE_MIN_TOKENS = 512

_THINK_BLOCK = re.compile(r"<think>.*?</think>\s*", re.S)


def utf8_size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8"))


def tokens_of_size(size: int) -> int:
    """The estimate for a text of ``size`` UTF-8 bytes (so a stream can count as it goes)."""
    return (size + 3) // 4


def count_tokens(text: str) -> int:
    if not text:
        return 0
    return tokens_of_size(utf8_size(text))


def content_text(content: Any) -> str:
    """The text of a message ``content`` (a string or a list of parts)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts: list[str] = []
        for part in content:
            if isinstance(part, str):
                texts.append(part)
            elif isinstance(part, dict):
                text = part.get("text")
                if isinstance(text, str) and part.get("type", "text") == "text":
                    texts.append(text)
        return "\n".join(texts)
    return ""


def strip_reasoning(text: str) -> str:
    """Remove ``<think>…</think>`` (also a block missing its opening tag)."""
    if "</think>" not in text:
        return text
    text = _THINK_BLOCK.sub("", text)
    if "</think>" in text:
        text = text.split("</think>", 1)[1].lstrip()
    return text


def message_tokens(message: dict[str, Any]) -> int:
    text = content_text(message.get("content"))
    if message.get("role") == "assistant":
        text = strip_reasoning(text)
    tokens = MESSAGE_OVERHEAD + count_tokens(text)
    calls = message.get("tool_calls")
    if isinstance(calls, list):
        for call in calls:
            function = call.get("function") if isinstance(call, dict) else None
            if isinstance(function, dict):
                tokens += count_tokens(str(function.get("name", "")))
                tokens += count_tokens(str(function.get("arguments", "")))
    return tokens


def tools_tokens(tools: Any) -> int:
    if not tools:
        return 0
    return count_tokens(json.dumps(tools, ensure_ascii=False))


class PrefixCache:
    """Remembers message prefixes of >= 512 prompt tokens per (api key, model, tools).

    A later request whose leading messages equal a remembered prefix reports that prefix's token
    count as ``prompt_tokens_details.cached_tokens``.
    """

    def __init__(self, max_entries: int = 8192) -> None:
        self._seen: OrderedDict[bytes, None] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._seen.clear()

    def cached_tokens(
        self,
        scope: str,
        tools_json: str,
        messages: list[Any],
        per_message: list[int],
        base_tokens: int,
    ) -> int:
        if base_tokens + sum(per_message) < CACHE_MIN_TOKENS:
            return 0
        digest = hashlib.blake2b(digest_size=16)
        digest.update(scope.encode())
        digest.update(b"\0")
        digest.update(tools_json.encode())
        cumulative = base_tokens
        cached = 0
        fresh: list[bytes] = []
        for message, tokens in zip(messages, per_message, strict=True):
            digest.update(b"\0")
            digest.update(json.dumps(message, sort_keys=True, ensure_ascii=False).encode())
            cumulative += tokens
            if cumulative < CACHE_MIN_TOKENS:
                continue
            key = digest.copy().digest()
            with self._lock:
                if key in self._seen:
                    cached = cumulative
                    self._seen.move_to_end(key)
                else:
                    fresh.append(key)
        with self._lock:
            for key in fresh:
                self._seen[key] = None
            while len(self._seen) > self._max:
                self._seen.popitem(last=False)
        return cached
