"""Citations in comments, docstrings and docs point at documents that are in the repository.

Issue 14: code and tests cited design and research notes kept outside the repository, which a
reader of the repository cannot follow. The protocol facts they relied on now live in
``docs/protocol-notes.md``. These tests keep it that way: no tracked source file names one of the
outside documents (unless a file of that name is added to the repository), every section sign
citation names a section that exists in the notes, and the notes' own numbering is sound.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THIS_FILE = Path(__file__).resolve().relative_to(ROOT).as_posix()
NOTES = "docs/protocol-notes.md"
SOURCE_SUFFIXES = (".py", ".md", ".ipynb", ".toml")
SOURCE_NAMES = ("Makefile",)
SKIPPED_DIRS = {"__pycache__", "node_modules"}

# Outside documents, by the file name that would make a citation of them valid. This file names
# them to forbid them, so it is the one file the check skips.
OUTSIDE_DOCUMENTS: dict[str, re.Pattern[str]] = {
    "DESIGN.md": re.compile(r"\bDESIGN(?:\.md\b|\s*§)"),
    "minimax-api.md": re.compile(r"\bminimax-api\.md\b", re.I),
    "landscape.md": re.compile(r"\blandscape\.md\b", re.I),
    "framework-notes.md": re.compile(r"\bframework-notes\.md\b", re.I),
    "minimax-updates-2026-12.md": re.compile(r"\bminimax-updates-2026-12\.md\b", re.I),
}
# "The fact sheet" was the outside API notes under another name; no file can make it valid.
UNNAMED_DOCUMENT = re.compile(r"\bfact\s+sheet\b", re.I)

SECTION = re.compile(r"§(\d+(?:\.\d+)*)")
HEADING = re.compile(r"^#{2,6}\s+§(\d+(?:\.\d+)*)\s")


@dataclass(frozen=True)
class Line:
    path: str
    where: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.where}: {self.text.strip()}"


def tracked_sources() -> list[str]:
    """Repository-relative paths of the source files to check (git's list, else a tree walk)."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"],
            cwd=ROOT,
            capture_output=True,
            check=True,
            text=True,
        ).stdout.split("\0")
    except (OSError, subprocess.CalledProcessError):
        listed = [
            path.relative_to(ROOT).as_posix()
            for path in ROOT.rglob("*")
            if path.is_file()
            and not any(
                part.startswith(".") or part in SKIPPED_DIRS
                for part in path.relative_to(ROOT).parts[:-1]
            )
        ]
    return sorted(
        path
        for path in listed
        if path
        and (path.endswith(SOURCE_SUFFIXES) or Path(path).name in SOURCE_NAMES)
        and (ROOT / path).is_file()
    )


def lines_of(path: str) -> Iterator[Line]:
    """The text lines of a file; for a notebook, the lines of its cells' sources."""
    text = (ROOT / path).read_text(encoding="utf-8")
    if not path.endswith(".ipynb"):
        for number, line in enumerate(text.splitlines(), start=1):
            yield Line(path, str(number), line)
        return
    notebook = json.loads(text)
    for index, cell in enumerate(notebook.get("cells", [])):
        source = cell.get("source", "")
        joined = "".join(source) if isinstance(source, list) else str(source)
        for number, line in enumerate(joined.splitlines(), start=1):
            yield Line(path, f"cell {index} line {number}", line)


def notes_sections() -> dict[str, int]:
    """The notes' section numbers, each with how often a heading names it."""
    counts: dict[str, int] = {}
    for line in lines_of(NOTES):
        match = HEADING.match(line.text)
        if match:
            counts[match.group(1)] = counts.get(match.group(1), 0) + 1
    return counts


def report(problem: str, lines: list[str]) -> str:
    return f"{len(lines)} {problem}:\n" + "\n".join(lines)


def test_the_notes_exist_and_number_their_sections_once() -> None:
    sections = notes_sections()
    assert sections, f"{NOTES} has no '## §N' section headings"
    duplicated = [number for number, count in sections.items() if count > 1]
    assert not duplicated, f"{NOTES}: section numbers used by more than one heading: {duplicated}"
    orphans = [
        number for number in sections if "." in number and number.split(".")[0] not in sections
    ]
    assert not orphans, f"{NOTES}: subsections without their section: {orphans}"


def test_no_file_cites_a_document_outside_the_repository() -> None:
    sources = tracked_sources()
    present = {Path(path).name for path in sources}
    sources = [path for path in sources if path != THIS_FILE]
    absent = {name: pattern for name, pattern in OUTSIDE_DOCUMENTS.items() if name not in present}
    found = [
        f"{line}   <- cites {name}, not in this repository"
        for path in sources
        for line in lines_of(path)
        for name, pattern in absent.items()
        if pattern.search(line.text)
    ]
    found += [
        f"{line}   <- cites the outside API notes ('fact sheet')"
        for path in sources
        for line in lines_of(path)
        if UNNAMED_DOCUMENT.search(line.text)
    ]
    assert not found, report(
        f"citations of documents that are not in the repository (cite {NOTES} §N instead)", found
    )


def test_section_citations_name_sections_of_the_notes() -> None:
    sections = notes_sections()
    found: list[str] = []
    for path in sorted({*tracked_sources(), NOTES}):
        lines = list(lines_of(path))
        cites_notes = path == NOTES or any(NOTES in line.text for line in lines)
        for line in lines:
            heading = HEADING.match(line.text) if path == NOTES else None
            text = line.text[heading.end() :] if heading else line.text
            for number in SECTION.findall(text):
                if not cites_notes:
                    found.append(
                        f"{line}   <- §{number} of which document? (the file never names {NOTES})"
                    )
                elif number not in sections:
                    found.append(f"{line}   <- {NOTES} has no §{number}")
    assert not found, report("section citations that lead nowhere", found)
