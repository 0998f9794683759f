"""Helpers for the reliability tests: both adapters driven one way, and a raw loopback server.

* :func:`chat_model` / :func:`embedding_model` build the LangChain or the LlamaIndex class against
  a server; :func:`ask` / :func:`embed` call it sync or async, streamed or not, and :class:`Seen`
  keeps what a streaming caller had been shown when the call failed.
* :class:`RawServer` is a real HTTP/1.1 server on a loopback socket that answers every request with
  fixed bytes (optionally pausing between them): the replies no MiniMax server, and so no
  emulator, sends — a malformed JSON body, a proxy's HTML error page, a stream that stalls after
  its first events.
"""

from __future__ import annotations

import asyncio
import socket
import socketserver
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from tests.support import API_KEY, Route

ADAPTERS = ("langchain", "llamaindex")
MODES = ("sync", "async")

#: The route under test → the model it serves.
ROUTE_MODELS = {"openai": "MiniMax-M2.7", "native": "MiniMax-M2.7", "dashscope": "MiniMax-M2.5"}


def _settings(
    base_url: str, spec: str | None, api_key: str | None, settings: dict[str, Any]
) -> dict[str, Any]:
    out = dict(settings)
    out["base_url"] = base_url
    if api_key is not None:
        out["api_key"] = api_key
    if spec:
        out["default_headers"] = {"X-Emulator": spec}
    return out


def chat_model(
    adapter: str,
    base_url: str,
    *,
    api: Route = "openai",
    spec: str | None = None,
    api_key: str | None = API_KEY,
    **settings: Any,
) -> Any:
    """``ChatMiniMax`` or ``llama_index_minimax.MiniMax`` on route ``api``."""
    fields = _settings(base_url, spec, api_key, settings)
    if adapter == "langchain":
        from langchain_minimax import ChatMiniMax

        return ChatMiniMax(api=api, model=ROUTE_MODELS[api], **fields)
    from llama_index_minimax import MiniMax

    return MiniMax(api=api, model=ROUTE_MODELS[api], **fields)


def embedding_model(
    adapter: str,
    base_url: str,
    *,
    spec: str | None = None,
    api_key: str | None = API_KEY,
    **settings: Any,
) -> Any:
    """``MiniMaxEmbeddings`` (LangChain) or ``MiniMaxEmbedding`` (LlamaIndex)."""
    fields = _settings(base_url, spec, api_key, settings)
    if adapter == "langchain":
        from langchain_minimax import MiniMaxEmbeddings

        return MiniMaxEmbeddings(**fields)
    from llama_index_minimax import MiniMaxEmbedding

    return MiniMaxEmbedding(**fields)


def adapter_of(model: Any) -> str:
    return "langchain" if type(model).__module__.startswith("langchain_minimax") else "llamaindex"


@dataclass
class Seen:
    """What a caller had been shown: the visible text so far, and whether a final answer came."""

    text: str = ""
    pieces: int = 0
    complete: bool = False


def _messages(prompt: str) -> list[Any]:
    from llama_index.core.llms import ChatMessage

    return [ChatMessage(role="user", content=prompt)]


def ask(
    model: Any, prompt: str, mode: str, *, stream: bool = False, seen: Seen | None = None
) -> str:
    """The visible answer to ``prompt``, asked the ``mode`` way: sync calls in this thread, or
    one ``asyncio.run`` of the async call (what a script does). ``seen`` records progress."""
    if mode == "async":
        return asyncio.run(ask_async(model, prompt, stream=stream, seen=seen))
    seen = seen if seen is not None else Seen()
    if adapter_of(model) == "langchain":
        if not stream:
            seen.text, seen.complete = str(model.invoke(prompt).content), True
            return seen.text
        for chunk in model.stream(prompt):
            seen.text += chunk.content
            seen.pieces += 1
    else:
        if not stream:
            seen.text, seen.complete = model.chat(_messages(prompt)).message.content or "", True
            return seen.text
        # LlamaIndex streams cumulative messages: each response holds the whole text so far.
        for response in model.stream_chat(_messages(prompt)):
            seen.text = response.message.content or ""
            seen.pieces += 1
    seen.complete = True
    return seen.text


async def ask_async(
    model: Any, prompt: str, *, stream: bool = False, seen: Seen | None = None
) -> str:
    """:func:`ask` through ``ainvoke``/``astream`` or ``achat``/``astream_chat``."""
    seen = seen if seen is not None else Seen()
    if adapter_of(model) == "langchain":
        if not stream:
            seen.text, seen.complete = str((await model.ainvoke(prompt)).content), True
            return seen.text
        async for chunk in model.astream(prompt):
            seen.text += chunk.content
            seen.pieces += 1
    else:
        if not stream:
            response = await model.achat(_messages(prompt))
            seen.text, seen.complete = response.message.content or "", True
            return seen.text
        async for response in await model.astream_chat(_messages(prompt)):
            seen.text = response.message.content or ""
            seen.pieces += 1
    seen.complete = True
    return seen.text


def embed(model: Any, text: str, mode: str) -> list[float]:
    """One query embedding through either adapter, sync or in one ``asyncio.run``."""
    if mode == "async":
        return asyncio.run(embed_async(model, text))
    if adapter_of(model) == "langchain":
        return list(model.embed_query(text))
    return list(model.get_query_embedding(text))


async def embed_async(model: Any, text: str) -> list[float]:
    if adapter_of(model) == "langchain":
        return list(await model.aembed_query(text))
    return list(await model.aget_query_embedding(text))


def closed_port_url() -> str:
    """An ``http://127.0.0.1:<port>`` nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# ---------------------------------------------------------------------------------------------
# A raw HTTP server
# ---------------------------------------------------------------------------------------------


def http_response(
    status: int, body: bytes, content_type: str = "application/json", *, chunked: bool = False
) -> bytes:
    """The head (and, unless ``chunked``, the body) of an HTTP/1.1 response that closes."""
    reason = {200: "OK", 502: "Bad Gateway"}.get(status, "Status")
    head = [f"HTTP/1.1 {status} {reason}", f"Content-Type: {content_type}", "Connection: close"]
    if chunked:
        head.append("Transfer-Encoding: chunked")
        return ("\r\n".join(head) + "\r\n\r\n").encode()
    head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def chunk(data: bytes) -> bytes:
    """One HTTP/1.1 chunk of a chunked body."""
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


@dataclass
class RawServer:
    """Answers every request on a loopback socket with ``parts`` (bytes written in order; a float
    is a pause in seconds), then closes the connection. ``count`` is the requests received."""

    parts: tuple[bytes | float, ...]
    count: int = 0
    paths: list[str] = field(default_factory=list)
    _server: socketserver.ThreadingTCPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        assert isinstance(host, str)
        return f"http://{host}:{port}"

    def __enter__(self) -> RawServer:
        owner = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                sock: socket.socket = self.request
                sock.settimeout(10)
                data = b""
                while b"\r\n\r\n" not in data:
                    more = sock.recv(65536)
                    if not more:
                        return
                    data += more
                head, _, body = data.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                while len(body) < length:
                    more = sock.recv(65536)
                    if not more:
                        return
                    body += more
                with owner._lock:
                    owner.count += 1
                    owner.paths.append(head.split(b" ")[1].decode())
                try:
                    for part in owner.parts:
                        if isinstance(part, float):
                            time.sleep(part)
                        else:
                            sock.sendall(part)
                except OSError:
                    pass  # the client gave up (a timeout test): nothing more to say

        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
