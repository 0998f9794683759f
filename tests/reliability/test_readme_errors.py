"""The error table in ``minimax_core.errors`` is the one source of which failure raises which
class and whether it is retried; the README's "Errors and retries" table and the module
docstring's tree say the same thing. Checked both ways: every code and HTTP status a row names is
classified into that row's class and retried as its "retried" column says, and every code and
status of the table appears in its class's row and tree line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from minimax_core import errors

README = Path(__file__).resolve().parents[2] / "README.md"
NOT_RAISED = {"MiniMaxError", "APIStatusError"}  # base classes


def table() -> dict[str, tuple[str, str]]:
    """class name → (raised for, retried), from the README section's table."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Errors and retries", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = (cells[1], cells[2])
    return rows


def tree() -> dict[str, str]:
    """class name → what its line in the errors module docstring's tree says."""
    lines = {}
    for line in (errors.__doc__ or "").splitlines():
        match = re.search(r"[├└]── (\w+)\s+(.*)$", line)
        if match:
            lines[match.group(1)] = match.group(2)
    return lines


def codes(text: str) -> set[int]:
    return {int(c) for c in re.findall(r"\b\d{4}\b", text)}


def statuses(text: str) -> set[int]:
    return {int(s) for group in re.findall(r"HTTP ([\d/]+)", text) for s in group.split("/")}


def table_codes(cls: type[errors.MiniMaxError]) -> set[int]:
    return {code for code, rule in errors.RULES_BY_CODE.items() if rule.error is cls}


def table_statuses(cls: type[errors.MiniMaxError]) -> set[int]:
    return {status for status, rule in errors.RULES_BY_STATUS.items() if rule.error is cls}


ERROR_CLASSES = sorted(
    name
    for name in dir(errors)
    if isinstance(getattr(errors, name), type)
    and issubclass(getattr(errors, name), errors.MiniMaxError)
    and name not in NOT_RAISED
)
ROWS = table()
TREE = tree()


def test_every_error_class_has_exactly_one_row_and_one_tree_line() -> None:
    assert set(ROWS) == set(ERROR_CLASSES)
    assert set(TREE) == {*ERROR_CLASSES, "APIStatusError"}


@pytest.mark.parametrize("name", ERROR_CLASSES)
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
    if not listed:  # not a server-reported failure: the class's rule decides
        rule = next(r for r in errors.RULES_BY_CLASS if issubclass(cls, r.error))
        if retried.startswith("only"):  # StreamInterruptedError: the drivers decide
            assert "before" in retried
            assert rule.retried is False
        else:
            assert rule.retried is says_yes
        assert cls("x").is_retryable is rule.retried


@pytest.mark.parametrize("name", ERROR_CLASSES)
def test_the_table_has_no_code_or_status_the_readme_row_leaves_out(name: str) -> None:
    raised_for, retried = ROWS[name]
    cls = getattr(errors, name)
    assert table_codes(cls) <= codes(raised_for) | codes(retried)
    assert table_statuses(cls) <= statuses(raised_for) | statuses(retried)


@pytest.mark.parametrize("name", ERROR_CLASSES)
def test_the_docstring_tree_names_exactly_the_table_codes(name: str) -> None:
    cls = getattr(errors, name)
    if name == "ContextOverflowError":  # a 2013 whose message says so: not a table row
        assert codes(TREE[name]) == {2013}
        return
    assert codes(TREE[name]) == table_codes(cls)
    assert statuses(TREE[name]) == table_statuses(cls)
