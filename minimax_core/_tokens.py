"""A tokenizer-free estimate of MiniMax token counts.

MiniMax publishes no tokenizer for its M2/M3 models. For budgeting (LangChain's
``trim_messages(token_counter=llm)``, prompt sizing) an estimate that errs on the high side is
more useful than none: CJK characters count one token each, other text one token per four
characters (rounded up), plus a few tokens of framing per message. Exact counts come back in
every response's usage.
"""

from __future__ import annotations

import re

__all__ = ["MESSAGE_OVERHEAD", "estimate_tokens"]

#: Framing tokens per chat message (role markers).
MESSAGE_OVERHEAD = 4

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def estimate_tokens(text: str) -> int:
    if not text:
        return 0
    cjk = len(_CJK.findall(text))
    rest = len(text) - cjk
    return cjk + -(-rest // 4)
