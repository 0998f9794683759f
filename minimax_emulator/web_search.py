"""Web search on DashScope's native API (``enable_search``), made up and deterministic.

Search runs when it is forced (``search_options.forced_search``) or when the last user message
asks something (it has a question mark or starts with a question word). The answer then opens
with a sentence naming one search result, and the reply lists that result as
``output.search_info.search_results`` with ``index``, ``title``, ``url`` and ``site_name``
(DashScope's field for qwen models; assumed for MiniMax). No network is used: the result is
derived from the question, on the reserved ``example.com`` domain.
"""

from __future__ import annotations

import re
import zlib
from typing import Any

_QUESTION_WORDS = frozenset(
    {"what", "who", "whom", "whose", "when", "where", "why", "how", "which", "is", "are", "do",
     "does", "did", "can", "could", "will", "should"}
)  # fmt: skip
_FIRST_WORD = re.compile(r"\w+")
_TOPIC_CHARS = 60


def wanted(user_text: str, mode: str) -> bool:
    """Whether a search runs for ``mode`` ("off", "auto" or "forced")."""
    if mode == "forced":
        return True
    if mode != "auto" or not user_text:
        return False
    if "?" in user_text or "？" in user_text:
        return True
    first = _FIRST_WORD.match(user_text.lstrip())
    return first is not None and first.group().lower() in _QUESTION_WORDS


def results(user_text: str) -> list[dict[str, Any]]:
    topic = " ".join(user_text.split())[:_TOPIC_CHARS].rstrip(" ?？") or "your question"
    digest = zlib.crc32(topic.encode("utf-8"))
    return [
        {
            "index": 1,
            "title": f"{topic}: an overview",
            "url": f"https://www.example.com/search/{digest:08x}",
            "site_name": "Example Search",
        }
    ]


def lead(result: dict[str, Any]) -> str:
    """The sentence that opens a searched answer."""
    return f"I searched the web and found [{result['index']}] “{result['title']}”. "
