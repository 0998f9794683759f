"""House limits that no linter checks: no module over 500 lines, no function over 60 lines.

Run by ``make check`` over the four packages (ruff's C90 rule checks complexity; ruff has no rule
for a function's length in lines, only for its number of statements).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGES = ("minimax_core", "langchain_minimax", "llama_index_minimax", "minimax_emulator")
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60


def problems(root: Path) -> list[str]:
    found: list[str] = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            name = path.relative_to(root)
            lines = source.count("\n")
            if lines > MAX_MODULE_LINES:
                found.append(f"{name}: {lines} lines (max {MAX_MODULE_LINES})")
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    start = min([d.lineno for d in node.decorator_list] + [node.lineno])
                    length = (node.end_lineno or node.lineno) - start + 1
                    if length > MAX_FUNCTION_LINES:
                        found.append(
                            f"{name}:{node.lineno} {node.name}(): {length} lines "
                            f"(max {MAX_FUNCTION_LINES})"
                        )
    return found


def main() -> int:
    found = problems(Path(__file__).resolve().parent.parent)
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
