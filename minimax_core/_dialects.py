"""The differences between MiniMax's routes, in one table.

A dialect says where a route lives (path, host, the environment variables that configure it), how
it authenticates, how it wants the request shaped (reasoning split, token-limit field, whether
``thinking`` is accepted), how an assistant turn's reasoning is sent back, and which request
builder and response reader speak it. Nothing else in the core, and nothing in the drivers or the
adapters, knows which route it is talking to: a new route is a new entry here plus its builder
and its reader.

Reasoning replay (MiniMax requires earlier reasoning back in multi-turn tool use):

===========  ===================================================================================
route        what an assistant turn carries back
===========  ===================================================================================
openai       ``reasoning_details`` verbatim; else the original ``<think>`` content; else the
             plain reasoning text as one ``reasoning.text`` item
native       the original ``<think>`` content; else the reasoning re-inlined as ``<think>``
dashscope    ``reasoning_content`` (DashScope's field; also ``dashscope-native``)
anthropic    its own thinking blocks verbatim (signature included); any other reasoning as one
             unsigned ``thinking`` block (``_build_anthropic``)
===========  ===================================================================================
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

from minimax_core._reasoning import is_anthropic
from minimax_core._types import Reasoning

if TYPE_CHECKING:
    from minimax_core._http import ResponseMeta
    from minimax_core._request import ChatPlan
    from minimax_core._wire import ChatCompletion

__all__ = ["APIS", "DIALECTS", "Api", "Dialect", "Reader", "Replay"]

#: A response reader: one JSON document of an answer → a checked chunk (``None``: nothing in it).
Reader = Callable[["str | bytes", "ResponseMeta | None"], "ChatCompletion | None"]

#: The routes (``api=``): the keys of :data:`DIALECTS`.
Api = Literal["openai", "native", "dashscope", "anthropic", "dashscope-native"]
APIS: tuple[str, ...] = get_args(Api)


@dataclass(frozen=True, slots=True)
class Replay:
    content: str
    reasoning_details: list[dict[str, Any]] | None = None
    reasoning_content: str | None = None


def _detail(text: str) -> dict[str, Any]:
    return {
        "type": "reasoning.text",
        "id": "reasoning-text-1",
        "format": "MiniMax-response-v1",
        "index": 0,
        "text": text,
    }


def _replay_openai(content: str, reasoning: Reasoning) -> Replay:
    if reasoning.details and not is_anthropic(reasoning.details):
        return Replay(content, reasoning_details=reasoning.details)
    if reasoning.inline:
        return Replay(reasoning.inline)
    return Replay(content, reasoning_details=[_detail(reasoning.text)])


def _replay_native(content: str, reasoning: Reasoning) -> Replay:
    if reasoning.inline:
        return Replay(reasoning.inline)
    return Replay(f"<think>\n{reasoning.text}\n</think>\n\n{content}")


def _replay_dashscope(content: str, reasoning: Reasoning) -> Replay:
    return Replay(content, reasoning_content=reasoning.text)


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


# Builders and readers are imported on the first call, not with the table: building a client
# must not load the wire models (serverless cold starts; tests/unit/minimax_core/test_import.py).
def _openai_body(plan: ChatPlan) -> bytes:
    from minimax_core._build_openai import openai_body

    return openai_body(plan)


def _openai_reader() -> Reader:
    from minimax_core._failures import parse_chunk

    return parse_chunk  # one JSON document is one chunk: nothing to remember between them


def _anthropic_body(plan: ChatPlan) -> bytes:
    from minimax_core._build_anthropic import anthropic_body

    return anthropic_body(plan)


def _anthropic_reader() -> Reader:
    from minimax_core._read_anthropic import AnthropicReader

    return AnthropicReader()


def _dashscope_native_body(plan: ChatPlan) -> bytes:
    from minimax_core._build_dashscope_native import dashscope_native_body

    return dashscope_native_body(plan)


def _dashscope_native_reader() -> Reader:
    from minimax_core._read_dashscope_native import DashScopeNativeReader

    return DashScopeNativeReader()


def _anthropic_auth(key: str) -> dict[str, str]:
    # Both headers: x-api-key alone was refused on the China host (500/1033), Bearer alone by
    # some proxies; MiniMax's own agent sends both (docs/protocol-notes.md §6).
    return {"x-api-key": key, "Authorization": f"Bearer {key}", "anthropic-version": "2023-06-01"}


def _replay_anthropic(content: str, reasoning: Reasoning) -> Replay:
    return Replay(content)  # the builder sends thinking blocks itself (see _build_anthropic)


@dataclass(frozen=True, slots=True)
class Dialect:
    """One route. The defaults are MiniMax's own routes' (its hosts and keys, Bearer auth, the
    OpenAI-shaped body and reader); each entry of :data:`DIALECTS` states what differs."""

    name: Api
    #: How messages name the route.
    title: str
    #: Appended to the host (``base_url``) for chat.
    path: str
    #: How an assistant turn's reasoning goes back (see the module's table).
    replay_reasoning: Callable[[str, Reasoning], Replay]
    #: The route's own host; ``None``: MiniMax's host for the configured region.
    host: str | None = None
    #: Environment variables for the key and the host.
    key_env: str = "MINIMAX_API_KEY"
    base_url_env: str = "MINIMAX_BASE_URL"
    #: Whether the route's host also serves MiniMax's ``/v1/embeddings``.
    embeddings: bool = True
    #: Whether a legacy ``GroupId`` goes on the chat URL.
    group_id: bool = False
    #: Send ``reasoning_split: true`` (clean ``content``, reasoning in its own fields).
    split_reasoning: bool = False
    #: The request field for the output limit (OpenAI-shaped bodies).
    token_field: str = "max_tokens"
    #: Accepts a ``thinking`` setting.
    thinking: bool = True
    #: Thinking models put their reasoning inline (``<think>``) in ``content``.
    inline_reasoning: bool = False
    #: The authentication headers for a key.
    auth: Callable[[str], dict[str, str]] = _bearer
    #: The request builder: a validated, shaped request → the body this route accepts.
    body: Callable[[ChatPlan], bytes] = _openai_body
    #: A new response reader for each answer.
    reader: Callable[[], Reader] = _openai_reader
    #: Streams reasoning as increments by its grammar (no snapshot detection needed).
    incremental_reasoning: bool = False
    #: Takes ``response_format`` (json_schema) at all.
    response_format: bool = True
    #: Extra headers of a streamed request (DashScope asks for SSE with a header).
    stream_headers: tuple[tuple[str, str], ...] = ()
    #: Offers web search (``enable_search``) for the models that have it.
    web_search: bool = False
    #: Continues a trailing assistant message (prefill / "partial mode").
    prefill: bool = True

    def replay(self, content: str, reasoning: Reasoning | None) -> Replay:
        if not reasoning:
            return Replay(content)
        return self.replay_reasoning(content, reasoning)


#: What Alibaba Model Studio's two routes share: its host and key, chat only, thinking only (no
#: switch), web search, no partial mode, reasoning replayed as ``reasoning_content``.
_MODEL_STUDIO: dict[str, Any] = {
    "host": "https://dashscope.aliyuncs.com",
    "key_env": "DASHSCOPE_API_KEY",
    "base_url_env": "DASHSCOPE_BASE_URL",
    "embeddings": False,
    "thinking": False,
    "web_search": True,
    "prefill": False,
    "replay_reasoning": _replay_dashscope,
}

DIALECTS: dict[str, Dialect] = {
    "openai": Dialect(
        "openai",
        "OpenAI-compatible",
        path="/v1/chat/completions",
        replay_reasoning=_replay_openai,
        split_reasoning=True,
        token_field="max_completion_tokens",
    ),
    "native": Dialect(
        "native",
        "native",
        path="/v1/text/chatcompletion_v2",
        replay_reasoning=_replay_native,
        group_id=True,
        token_field="max_completion_tokens",
        inline_reasoning=True,
    ),
    "dashscope": Dialect(
        "dashscope",
        "DashScope",
        path="/compatible-mode/v1/chat/completions",
        **_MODEL_STUDIO,
    ),
    "anthropic": Dialect(
        "anthropic",
        "Anthropic-compatible",
        path="/anthropic/v1/messages",
        replay_reasoning=_replay_anthropic,
        auth=_anthropic_auth,
        body=_anthropic_body,
        reader=_anthropic_reader,
        incremental_reasoning=True,
        response_format=False,
    ),
    "dashscope-native": Dialect(
        "dashscope-native",
        "DashScope native",
        path="/api/v1/services/aigc/text-generation/generation",
        body=_dashscope_native_body,
        reader=_dashscope_native_reader,
        incremental_reasoning=True,
        response_format=False,
        stream_headers=(("X-DashScope-SSE", "enable"),),
        **_MODEL_STUDIO,
    ),
}
