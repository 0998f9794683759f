"""The README's "Errors and retries" table says what ``minimax_core.errors`` does: every error
class has a row, and every MiniMax code and HTTP status a row names is classified into that row's
class and retried exactly as its "retried" column says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from minimax_core import errors

README = Path(__file__).resolve().parents[2] / "README.md"
NOT_RAISED = {"MiniMaxError", "APIStatusError", "classify"}  # base classes and the classifier


def table() -> dict[str, tuple[str, str]]:
    """class name → (raised for, retried), from the section's table."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Errors and retries", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = (cells[1], cells[2])
    return rows


def codes(text: str) -> list[int]:
    return [int(c) for c in re.findall(r"\b\d{4}\b", text)]


def statuses(text: str) -> list[int]:
    return [int(s) for group in re.findall(r"HTTP ([\d/]+)", text) for s in group.split("/")]


ROWS = table()


def test_every_error_class_has_exactly_one_row() -> None:
    raised = set(errors.__all__) - NOT_RAISED
    assert set(ROWS) == raised


@pytest.mark.parametrize("name", sorted(ROWS))
def test_each_row_matches_the_classifier(name: str) -> None:
    raised_for, retried = ROWS[name]
    cls = getattr(errors, name)
    says_yes = retried.startswith("yes")
    assert says_yes or retried.startswith(("no", "only")), retried
    # numbers in the "retried" column are the exceptions to its yes/no
    exceptions = [("code", c) for c in codes(retried)] + [("status", s) for s in statuses(retried)]
    listed = [("code", c) for c in codes(raised_for)] + [
        ("status", s) for s in statuses(raised_for)
    ]
    for kind, number in listed + exceptions:
        quoted = re.findall(r'"([^"]+)"', raised_for)
        message = quoted[0] if quoted and kind == "code" else "something went wrong"
        if kind == "code":
            error = errors.classify(status_code=None, code=number, message=message)
        else:
            error = errors.classify(status_code=number, code=None, message=message)
        assert type(error) is cls, (kind, number, type(error).__name__)
        expected = says_yes != ((kind, number) in exceptions)
        assert error.is_retryable is expected, (kind, number)
    if not listed:  # not a server-reported failure: the class's own default decides
        if retried.startswith("only"):  # StreamInterruptedError: the transport decides
            assert "before" in retried
            assert cls.default_retryable is False
        else:
            assert cls.default_retryable is says_yes
