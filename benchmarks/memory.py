"""Peak memory while streaming N chunks, one client per fresh process.

``python -m benchmarks.memory KEY URL N WARM_URL`` first streams a short answer from ``WARM_URL``
through a throw-away client of the same class (so modules that load on first use are loaded, as
in any program that has already made a call), then builds the client for ``URL`` and streams its
N-chunk answer twice through the public streaming API (``stream()`` / ``stream_chat()``),
consuming and discarding every item:

1. the first stream measures the **RSS delta**: the process's peak resident set size during the
   stream (``VmHWM``, reset just before it through ``/proc/self/clear_refs``) minus the resident
   size just before it. It is what the OS sees, including the allocator's granularity and the
   new client's connection pool;
2. the second stream, with ``tracemalloc`` started just before it, measures the **tracemalloc
   peak**: the most Python-heap memory allocated during the stream and alive at one time. It is
   exact and repeatable, so it is the number the comparison uses.

Floors (``lc_floor``, ``li_floor``) yield N fixed chunks of the emulator's size with no I/O:
LangChain's ``stream()`` keeps every chunk it yields until the stream ends, so its floor grows
with N; only growth beyond it is the client's own. One JSON line is printed.
"""

from __future__ import annotations

import gc
import json
import re
import sys
import time
import tracemalloc
from pathlib import Path

from benchmarks import clients


def _status_bytes(field: str) -> int:
    match = re.search(rf"^{field}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.M)
    if match is None:
        raise RuntimeError(f"no {field} in /proc/self/status")
    return int(match.group(1)) * 1024


def _reset_peak_rss() -> None:
    """Reset the peak-RSS mark (Linux ≥ 4.0): the import-time peak must not count."""
    Path("/proc/self/clear_refs").write_text("5")


def main(argv: list[str]) -> int:
    key, url, n, warm_url = argv[0], argv[1], int(argv[2]), argv[3]
    clients.build(key, warm_url, stream_parts=20).stream()  # lazy imports, not this client
    client = clients.build(key, url, stream_parts=n)
    gc.collect()
    _reset_peak_rss()
    rss_before = _status_bytes("VmRSS")
    start = time.perf_counter()
    count = client.stream()
    first_seconds = time.perf_counter() - start
    rss_peak = _status_bytes("VmHWM")
    gc.collect()
    tracemalloc.start()
    base, _ = tracemalloc.get_traced_memory()
    count_traced = client.stream()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "key": key,
                "chunks": count,
                "chunks_traced_run": count_traced,
                "rss_delta_bytes": max(rss_peak - rss_before, 0),
                "tracemalloc_peak_bytes": peak - base,
                "first_stream_seconds": first_seconds,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
