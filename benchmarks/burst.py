"""500 concurrent async calls to a server answering in 50 ms: one client per fresh process.

Each run is a new interpreter (``python -m benchmarks.burst KEY URL``): it imports the client,
builds it, then fires a burst of N concurrent calls with ``asyncio.gather`` on the default asyncio
loop, timing the wall clock from the first call to the last answer. The first burst is *cold* (a new
client object, no connections yet, whatever the client sets up lazily on its first call); the
following bursts are *warm* (same client, same loop; kept-alive connections are reused as far as
the client's pool keeps them). Errors (exceptions) and wrong answers are counted, never hidden;
results are printed as one JSON line.

``raw_asyncio`` is the server's capacity: a minimal HTTP/1.1 client, one connection per call, no
pool at all, so it shows what the 50 ms server can do when the client costs next to nothing.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from benchmarks import clients


def _raw_asyncio(url: str) -> Callable[[], Awaitable[str]]:
    host, port = url.removeprefix("http://").split(":")
    body = json.dumps(clients.RAW_BODY).encode()
    request = (
        "POST /v1/chat/completions HTTP/1.1\r\nHost: bench\r\n"
        f"Authorization: {clients.RAW_HEADERS['Authorization']}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode() + body

    async def call() -> str:
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(request)
        data = await reader.read()  # Connection: close: read to EOF
        writer.close()
        head, _, payload = data.partition(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(head[:60].decode(errors="replace"))
        if b"transfer-encoding: chunked" in head.lower():  # pragma: no cover - JSON is sized
            raise RuntimeError("unexpected chunked reply")
        return str(json.loads(payload)["choices"][0]["message"]["content"])

    return call


async def _bursts(key: str, url: str, concurrency: int, bursts: int) -> list[dict[str, Any]]:
    call = _raw_asyncio(url) if key == "raw_asyncio" else clients.build_async(key, url)
    out: list[dict[str, Any]] = []
    for _ in range(bursts):
        start = time.perf_counter()
        replies = await asyncio.gather(
            *(call() for _ in range(concurrency)), return_exceptions=True
        )
        elapsed = time.perf_counter() - start
        errors = Counter(type(r).__name__ for r in replies if isinstance(r, BaseException))
        wrong = sum(
            1
            for r in replies
            if not isinstance(r, BaseException) and clients.EXPECTED_ANSWER not in str(r)
        )
        out.append(
            {
                "seconds": elapsed,
                "errors": sum(errors.values()),
                "error_types": errors,
                "wrong_answers": wrong,
            }
        )
        await asyncio.sleep(0.2)  # let the server drain its side of the burst
    return out


def main(argv: list[str]) -> int:
    key, url = argv[0], argv[1]
    concurrency = int(argv[2]) if len(argv) > 2 else 500
    bursts = int(argv[3]) if len(argv) > 3 else 3
    results = asyncio.run(_bursts(key, url, concurrency, bursts))
    print(json.dumps({"key": key, "bursts": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
