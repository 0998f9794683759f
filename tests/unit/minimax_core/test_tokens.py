"""The tokenizer-free estimate used for budgeting."""

from __future__ import annotations

from minimax_core._tokens import estimate_tokens


def test_empty_text_is_free() -> None:
    assert estimate_tokens("") == 0


def test_latin_text_counts_one_token_per_four_characters_rounded_up() -> None:
    assert estimate_tokens("abcd") == 1
    assert estimate_tokens("abcde") == 2
    assert estimate_tokens("word " * 100) == 125


def test_cjk_characters_count_one_token_each() -> None:
    assert estimate_tokens("你好世界") == 4
    assert estimate_tokens("こんにちは") == 5
    assert estimate_tokens("你好 ab") == 2 + 1


def test_longer_text_never_estimates_fewer_tokens() -> None:
    text = "MiniMax 模型 reasoning "
    assert all(
        estimate_tokens(text[: i + 1]) >= estimate_tokens(text[:i]) for i in range(len(text))
    )
