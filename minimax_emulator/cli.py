"""The ``minimax-emulator`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .options import SPEC_HELP, EmulatorOptions, SpecError, parse_spec

DESCRIPTION = """\
Offline MiniMax server: the OpenAI-compatible, native, Anthropic-compatible and DashScope
(compatible mode and native API) chat routes, embeddings and the model list, with the real
framing, validation and errors, a deterministic rule-based "model", and opt-in fault injection.
Routes (matched by path suffix, any prefix works):
  POST /v1/chat/completions                  OpenAI-compatible (reasoning_split, thinking)
  POST /anthropic/v1/messages                Anthropic-compatible Messages API (x-api-key or
                                             Bearer; signed thinking blocks, verified on replay)
  POST /v1/text/chatcompletion_v2            native (HTTP-200 base_resp errors, summary object)
  POST /compatible-mode/v1/chat/completions  DashScope / Alibaba Model Studio, compatible mode
  POST /api/v1/services/aigc/text-generation/generation
                                             DashScope native API (the dashscope SDK's
                                             Generation.call; X-DashScope-SSE: enable streams)
  POST /v1/embeddings                        embo-01, {"texts": [...], "type": "db"|"query"}
  GET  /v1/models                            the live service's model list
  GET|DELETE /_emulator/requests             request journal (Authorization redacted) / clear it
  GET  /_emulator/health                     readiness probe
"""

EPILOG = (
    SPEC_HELP
    + """
Per-request header (overrides --fault key by key):
  X-Emulator: fail=429x2; chunk_ms=20
Examples:
  minimax-emulator --port 8765
  minimax-emulator --api-key sk-test --rpm 30 --fault "latency_ms=200; done=false"
  curl -H "Authorization: Bearer sk-test" -H "X-Emulator: fail=1002x1" \\
       -d '{"model":"MiniMax-M2.7","messages":[{"role":"user","content":"hi"}]}' \\
       http://127.0.0.1:8765/v1/chat/completions
Keys: with no --api-key any non-empty Bearer key (or x-api-key on the Anthropic route) is
accepted; a missing key is always rejected (401/1004 on the OpenAI and Anthropic routes, HTTP 200 +
base_resp 1004 on native and embeddings, 401 on both DashScope routes).
"""
)


def _spec(value: str) -> str:
    try:
        parse_spec(value)
    except SpecError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be >= 1")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="minimax-emulator",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=8765, help="port (default 8765; 0 picks a free port)"
    )
    _add_emulation_arguments(parser)
    _add_server_arguments(parser)
    return parser


def _add_emulation_arguments(parser: argparse.ArgumentParser) -> None:
    """Keys, rate limit, faults and journal: how the emulated service behaves."""
    parser.add_argument(
        "--api-key",
        action="append",
        default=[],
        metavar="KEY",
        help="accepted API key (repeatable); none: any non-empty key is accepted",
    )
    parser.add_argument(
        "--rpm",
        type=_positive,
        default=None,
        metavar="N",
        help="per-key requests-per-minute limit, sliding 60 s window (429/1002 beyond it)",
    )
    parser.add_argument(
        "--rpm-window",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="the --rpm window (default 60, as on MiniMax; shorter for quick tests)",
    )
    parser.add_argument(
        "--fault",
        type=_spec,
        default=None,
        metavar="SPEC",
        help="fault/shaping spec applied to every request (syntax below)",
    )
    parser.add_argument(
        "--journal-limit",
        type=int,
        default=10_000,
        metavar="N",
        help="requests kept in the /_emulator/requests journal (default 10000; 0: unbounded)",
    )


def _add_server_arguments(parser: argparse.ArgumentParser) -> None:
    """uvicorn's HTTP parser, event loop and log level."""
    parser.add_argument(
        "--http",
        default="auto",
        choices=["auto", "h11", "httptools"],
        help="uvicorn HTTP parser (default auto: httptools when installed, else h11)",
    )
    parser.add_argument(
        "--loop",
        default="auto",
        choices=["auto", "asyncio", "uvloop"],
        help="event loop (default auto: uvloop when installed)",
    )
    parser.add_argument(
        "--log-level",
        default="warning",
        choices=["critical", "error", "warning", "info", "debug"],
        help="uvicorn log level (default warning)",
    )


def options_from_args(args: argparse.Namespace) -> EmulatorOptions:
    return EmulatorOptions(
        api_keys=tuple(args.api_key),
        rpm=args.rpm,
        rpm_window_s=args.rpm_window,
        fault=args.fault,
        journal_limit=args.journal_limit or None,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    import uvicorn

    from .app import create_app
    from .serving import bind_socket, uvicorn_config

    app = create_app(options_from_args(args))
    sock = bind_socket(args.host, args.port)
    host, port = sock.getsockname()[:2]
    print(f"minimax-emulator listening on http://{host}:{port}", flush=True)
    config = uvicorn_config(app, log_level=args.log_level, http=args.http, loop=args.loop)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # pragma: no cover - interactive stop
        pass
    finally:
        sock.close()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
