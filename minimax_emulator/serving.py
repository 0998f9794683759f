"""uvicorn wiring shared by the command and :class:`~minimax_emulator.testing.EmulatorServer`."""

from __future__ import annotations

import socket

import uvicorn

from .app import EmulatorApp


def bind_socket(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening TCP socket (``port=0``: a free port)."""
    # proto=IPPROTO_TCP: asyncio only sets TCP_NODELAY on accepted sockets that say so
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def uvicorn_config(
    app: EmulatorApp, log_level: str = "warning", http: str = "auto", loop: str = "auto"
) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        log_level=log_level,
        access_log=False,
        lifespan="off",
        http=http,
        loop=loop,
        timeout_keep_alive=30,
        timeout_graceful_shutdown=2,
        backlog=2048,
        server_header=False,
        proxy_headers=False,  # no proxy in front of an emulator; saves a middleware per request
        date_header=False,
    )
