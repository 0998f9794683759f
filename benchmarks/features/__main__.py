"""``python -m benchmarks.features``: see ``benchmarks/features/__init__.py``."""

from __future__ import annotations

import sys

from benchmarks.features.cli import main

if __name__ == "__main__":
    sys.exit(main())
