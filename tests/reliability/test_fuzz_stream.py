"""Property tests of the whole stream reader (``ChatStreamDecoder``: SSE decoding, ``<think>``
splitting, reasoning and tool-call assembly, error carriers) on input nobody wrote by hand.

What ``tests/unit/minimax_core`` already proves, and is not repeated: the SSE decoder yields the
events written whatever the chunking (and any chunking of arbitrary bytes equals feeding them
whole); the ``<think>`` splitter gives the whole-text result for any split of any text; the
recorded stream fixtures give the non-streamed answer for any chunking.

Added here:

* arbitrary input — random bytes, bad UTF-8, truncated and wrongly typed JSON, error objects,
  ``[DONE]`` anywhere, any HTTP status and content type — fed to the full decoder (``feed`` /
  ``close`` / ``result``, ``whole``) and to the non-streamed interpreters raises nothing but the
  documented errors (``MiniMaxError`` subclasses);
* *generated* valid streams (any answer text, reasoning as incremental or cumulative
  ``reasoning_details`` or inline ``<think>``, tool-call arguments in fragments, the native
  route's closing summary, with or without ``[DONE]``), cut anywhere: the deltas add up to exactly
  the answer, reasoning and tool calls that were sent — nothing lost, nothing duplicated — and
  equal the non-streamed reading of the same completion;
* huge lines: a multi-megabyte event arriving in small reads is decoded intact, in linear time.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import time
import warnings
from collections.abc import Iterable
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minimax_core import ChatParams, MiniMaxError, UserMessage
from minimax_core._http import ResponseMeta
from minimax_core._protocol import ChatStreamDecoder, interpret_chat, interpret_embeddings
from minimax_core._request import PreparedChat, prepare_chat
from minimax_core._sse import SSEDecoder

ROUTES = ("openai", "native", "dashscope")
SSE = {"content-type": "text/event-stream"}
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))


def prepared(api: str, *, stream: bool, model: str = "MiniMax-M2.7", **params: Any) -> PreparedChat:
    return prepare_chat(
        [UserMessage("hi")], ChatParams(model=model, **params), api=api, stream=stream
    )


def meta(status: int = 200, headers: dict[str, str] | None = None) -> ResponseMeta:
    return ResponseMeta(status, httpx.Headers(headers or {}))


def split_at(data: bytes, cuts: Iterable[int]) -> list[bytes]:
    points = [0, *sorted(cuts), len(data)]
    return [data[a:b] for a, b in itertools.pairwise(points)]


def only_documented_errors(run: Any) -> None:
    """Run ``run()``; a ``MiniMaxError`` is a documented outcome, anything else fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # EmptyAnswerWarning is a documented outcome too
        with contextlib.suppress(MiniMaxError):
            run()


# ---------------------------------------------------------------------------------------------
# Arbitrary input
# ---------------------------------------------------------------------------------------------

_fragments = st.sampled_from(
    [
        b"data: ",
        b"data:",
        b"\n",
        b"\r\n",
        b"\n\n",
        b"\r",
        b"[DONE]",
        b'{"choices":[{"index":0,"delta":{"content":"',
        b'{"choices":[{"index":0,"delta":{"reasoning_details":[{"index":0,"text":"',
        b'{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"',
        b'"}}]}',
        b'"},"finish_reason":"stop"}]}',
        b'"}]}}]}',
        b"<think>",
        b"</think>",
        b'{"type":"error","error":{"type":"rate_limit_error","message":"busy (1002)"}}',
        b'{"base_resp":{"status_code":1004,"status_msg":"login fail"}}',
        b'{"error":{"code":"Throttling.RateQuota","message":"slow down"}}',
        b'{"vectors":[[0.5,1]],"base_resp":{"status_code":0}}',
        b"\xff\xfe",
        b"\xc3",
        b"\xe6\x97",
        b"{",
        b"}",
        b"null",
        b"event: error\n",
        b": keep-alive\n",
        b"id: 7\n",
    ]
) | st.binary(max_size=24)


@FUZZ
@given(
    pieces=st.lists(_fragments, max_size=30),
    api=st.sampled_from(ROUTES),
    status=st.sampled_from([200, 200, 200, 400, 401, 429, 500, 502, 529]),
    content_type=st.sampled_from(["text/event-stream", "application/json", "text/html", ""]),
)
def test_arbitrary_bytes_raise_only_documented_errors(
    pieces: list[bytes], api: str, status: int, content_type: str
) -> None:
    response = meta(status, {"content-type": content_type} if content_type else {})
    body = b"".join(pieces)

    def streamed() -> None:
        decoder = ChatStreamDecoder(prepared(api, stream=True))
        decoder.begin(response)
        for piece in pieces:
            decoder.feed(piece)
        decoder.close()
        decoder.result()

    def whole() -> None:
        decoder = ChatStreamDecoder(prepared(api, stream=True))
        decoder.begin(response)
        decoder.whole(body)
        decoder.result()

    only_documented_errors(streamed)
    only_documented_errors(whole)
    only_documented_errors(lambda: interpret_chat(prepared(api, stream=False), response, body))
    only_documented_errors(lambda: interpret_embeddings(1, response, body))


_scalar = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8)
)
_json = st.recursive(
    _scalar,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


def _or_junk(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """The field as MiniMax sends it, or any other JSON value in its place."""
    return strategy | _json


def _obj(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return _or_junk(st.fixed_dictionaries({}, optional=fields))


_detail = _obj(index=st.integers(-2, 3), text=st.text(max_size=10), type=st.just("reasoning.text"))
_tool_call = _obj(
    index=st.integers(-2, 3),
    id=st.text(max_size=4),
    type=st.just("function"),
    function=_obj(name=st.text(max_size=5), arguments=st.text(max_size=10)),
)
_message = _obj(
    role=st.sampled_from(["assistant", ""]),
    content=st.text(max_size=14),
    reasoning_content=st.text(max_size=10),
    reasoning_details=_or_junk(st.lists(_detail, max_size=3)),
    tool_calls=_or_junk(st.lists(_tool_call, max_size=3)),
)
_choice = _obj(
    index=st.integers(-1, 2),
    delta=_message,
    message=_message,
    finish_reason=st.sampled_from(["stop", "length", "tool_calls"]),
)
_chunk = _obj(
    id=st.text(max_size=4),
    object=st.sampled_from(["chat.completion", "chat.completion.chunk"]),
    choices=_or_junk(st.lists(_choice, max_size=2)),
    usage=_obj(
        prompt_tokens=st.integers(-1, 9),
        completion_tokens=st.integers(-1, 9),
        total_tokens=st.integers(-1, 9),
        completion_tokens_details=_obj(reasoning_tokens=st.integers(-1, 9)),
        prompt_tokens_details=_obj(cached_tokens=st.integers(-1, 9)),
    ),
    base_resp=_obj(
        status_code=st.sampled_from([0, 0, 1000, 1002, 1004, 2013, 7]),
        status_msg=st.text(max_size=6),
    ),
    error=_obj(
        type=st.text(max_size=6),
        message=st.text(max_size=8),
        code=st.integers(0, 3000) | st.text(max_size=6),
        http_code=st.text(max_size=3),
    ),
)


@FUZZ
@given(
    chunks=st.lists(_chunk, max_size=6),
    api=st.sampled_from(ROUTES),
    done=st.booleans(),
    data=st.data(),
)
def test_arbitrary_json_chunks_raise_only_documented_errors(
    chunks: list[Any], api: str, done: bool, data: st.DataObject
) -> None:
    """Every field of MiniMax's chunk shape present or not, well-typed or replaced by any JSON."""
    text = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + (
        "data: [DONE]\n\n" if done else ""
    )
    raw = text.encode()
    cuts = data.draw(st.lists(st.integers(0, len(raw)), max_size=6), label="cuts")

    def streamed() -> None:
        decoder = ChatStreamDecoder(prepared(api, stream=True))
        decoder.begin(meta(200, SSE))
        for piece in split_at(raw, cuts):
            decoder.feed(piece)
        decoder.close()
        decoder.result()

    only_documented_errors(streamed)
    for chunk in chunks:
        body = json.dumps(chunk).encode()
        only_documented_errors(
            lambda body=body: interpret_chat(prepared(api, stream=False), meta(200), body)
        )


# ---------------------------------------------------------------------------------------------
# Generated valid streams: nothing lost, nothing duplicated
# ---------------------------------------------------------------------------------------------

_words = st.text(
    alphabet=st.sampled_from(["a", "b", " ", "\n", "é", "東", "🚀", "<", ">", "/", '"', "\\"]),
    min_size=1,
    max_size=8,
).filter(lambda s: "<think>" not in s and "</think>" not in s)


def _no_tags(pieces: list[str]) -> bool:
    joined = "".join(pieces)
    return "<think" not in joined and "</think" not in joined


_answer = st.lists(_words, min_size=1, max_size=6).filter(_no_tags)
_reasoning = st.lists(_words, min_size=1, max_size=5).filter(_no_tags)


def _unambiguous_increments(pieces: list[str]) -> bool:
    """Increments whose second piece does not look like a snapshot of the first: MiniMax's
    streams are either (the first two pieces decide), and one that is both cannot be read."""
    return len(pieces) < 2 or not (
        len(pieces[1]) > len(pieces[0]) and pieces[1].startswith(pieces[0])
    )


def _event(delta: dict[str, Any] | None, finish: str | None = None, **extra: Any) -> dict[str, Any]:
    choices = []
    if delta is not None:
        choice: dict[str, Any] = {"index": 0, "delta": {"role": "assistant", **delta}}
        if finish:
            choice["finish_reason"] = finish
        choices.append(choice)
    return {
        "id": "c1",
        "object": "chat.completion.chunk",
        "model": "MiniMax-M2.7",
        "choices": choices,
        **extra,
    }


def _sse(events: list[dict[str, Any]], done: bool) -> bytes:
    text = "".join(f"data: {json.dumps(e, ensure_ascii=False)}\n\n" for e in events)
    return (text + ("data: [DONE]\n\n" if done else "")).encode()


def _read(prep: PreparedChat, raw: bytes, cuts: list[int]) -> tuple[list[Any], Any]:
    decoder = ChatStreamDecoder(prep)
    decoder.begin(meta(200, SSE))
    deltas = []
    for piece in split_at(raw, cuts):
        deltas.extend(decoder.feed(piece))
    deltas.extend(decoder.close())
    return deltas, decoder.result()


USAGE = {"prompt_tokens": 7, "completion_tokens": 5, "total_tokens": 12}


@FUZZ
@given(
    answer=_answer,
    reasoning=_reasoning.filter(_unambiguous_increments),
    cumulative=st.booleans(),
    arguments=st.none()
    | st.dictionaries(st.text(max_size=4), st.text(max_size=6) | st.integers(), max_size=3),
    fragments=st.integers(1, 4),
    done=st.booleans(),
    data=st.data(),
)
def test_generated_split_reasoning_streams_lose_and_duplicate_nothing(
    answer: list[str],
    reasoning: list[str],
    cumulative: bool,
    arguments: dict[str, Any] | None,
    fragments: int,
    done: bool,
    data: st.DataObject,
) -> None:
    """OpenAI route (``reasoning_split``): reasoning_details increments or snapshots, the answer
    in pieces, a tool call's arguments in fragments, usage in its own chunk."""
    events = []
    so_far = ""
    for piece in reasoning:
        so_far += piece
        text = so_far if cumulative else piece
        events.append(
            _event({"reasoning_details": [{"type": "reasoning.text", "index": 0, "text": text}]})
        )
    for piece in answer[:-1]:
        events.append(_event({"content": piece}))
    finish = "stop"
    if arguments is not None:
        events.append(_event({"content": answer[-1]}))
        raw_args = json.dumps(arguments, ensure_ascii=False)
        size = -(-len(raw_args) // fragments)
        parts = [raw_args[i : i + size] for i in range(0, len(raw_args), size)]
        first = {
            "index": 0,
            "id": "call_1",
            "type": "function",
            "function": {"name": "lookup", "arguments": parts[0]},
        }
        events.append(_event({"tool_calls": [first]}))
        for part in parts[1:-1]:
            events.append(_event({"tool_calls": [{"index": 0, "function": {"arguments": part}}]}))
        last = parts[-1] if len(parts) > 1 else ""
        events.append(
            _event({"tool_calls": [{"index": 0, "function": {"arguments": last}}]}, "tool_calls")
        )
        finish = "tool_calls"
    else:
        events.append(_event({"content": answer[-1]}, "stop"))
    events.append(_event(None, usage=USAGE))
    raw = _sse(events, done)
    cuts = data.draw(st.lists(st.integers(0, len(raw)), max_size=12), label="cuts")

    deltas, result = _read(prepared("openai", stream=True), raw, cuts)

    sent_answer = "".join(answer).lstrip()
    sent_reasoning = "".join(reasoning)
    assert "".join(d.text for d in deltas) == sent_answer == result.message.content
    assert "".join(d.reasoning for d in deltas) == sent_reasoning == result.message.reasoning.text
    assert [d.finish_reason for d in deltas if d.finish_reason] == [finish]
    assert len([d for d in deltas if d.usage]) == 1
    if arguments is None:
        assert result.message.tool_calls == []
    else:
        (call,) = result.message.tool_calls
        assert (call.id, call.name, call.arguments) == ("call_1", "lookup", arguments)
        streamed_args = "".join(c.arguments for d in deltas for c in d.tool_call_chunks)
        assert json.loads(streamed_args) == arguments
    # the same completion, not streamed, reads the same
    whole = {
        "id": "c1",
        "object": "chat.completion",
        "model": "MiniMax-M2.7",
        "choices": [
            {
                "index": 0,
                "finish_reason": finish,
                "message": {
                    "role": "assistant",
                    "content": "".join(answer),
                    "reasoning_details": [
                        {"type": "reasoning.text", "index": 0, "text": sent_reasoning}
                    ],
                    **(
                        {
                            "tool_calls": [
                                {
                                    "id": "call_1",
                                    "type": "function",
                                    "function": {
                                        "name": "lookup",
                                        "arguments": json.dumps(arguments, ensure_ascii=False),
                                    },
                                }
                            ]
                        }
                        if arguments is not None
                        else {}
                    ),
                },
            }
        ],
        "usage": USAGE,
    }
    once = interpret_chat(prepared("openai", stream=False), meta(200), json.dumps(whole).encode())
    assert once.message.content == result.message.content
    assert once.message.reasoning is not None
    assert result.message.reasoning is not None
    assert once.message.reasoning.text == result.message.reasoning.text
    assert once.message.tool_calls == result.message.tool_calls
    assert once.usage == result.usage


@FUZZ
@given(
    lead=st.sampled_from(["", "\n", "  "]),
    reasoning=_reasoning.filter(lambda p: "".join(p).strip() != ""),
    answer=_answer,
    summary=st.booleans(),
    data=st.data(),
)
def test_generated_inline_think_streams_lose_and_duplicate_nothing(
    lead: str, reasoning: list[str], answer: list[str], summary: bool, data: st.DataObject
) -> None:
    """Native route: ``<think>…</think>`` inline in the content, the text cut into arbitrary
    pieces (tags included), optionally closed by the native summary that repeats it all."""
    content = lead + "<think>\n" + "".join(reasoning) + "\n</think>\n\n" + "".join(answer)
    points = sorted(
        data.draw(st.lists(st.integers(1, len(content) - 1), max_size=8), label="text cuts")
    )
    pieces = [content[a:b] for a, b in itertools.pairwise([0, *points, len(content)])]
    events = [_event({"content": p}) for p in pieces[:-1]]
    events.append(_event({"content": pieces[-1]}, "stop"))
    if summary:
        events.append(
            {
                "id": "c1",
                "object": "chat.completion",
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": content},
                    }
                ],
                "usage": USAGE,
                "base_resp": {"status_code": 0, "status_msg": ""},
            }
        )
    raw = _sse(events, done=False)  # the native route ends without [DONE]
    cuts = data.draw(st.lists(st.integers(0, len(raw)), max_size=12), label="byte cuts")

    deltas, result = _read(prepared("native", stream=True), raw, cuts)

    sent_reasoning = "".join(reasoning).strip()
    sent_answer = "".join(answer).lstrip()
    assert "".join(d.text for d in deltas) == sent_answer == result.message.content
    assert "".join(d.reasoning for d in deltas) == sent_reasoning == result.message.reasoning.text
    assert result.message.reasoning.inline == content  # replayed exactly as received
    assert [d.finish_reason for d in deltas if d.finish_reason] == ["stop"]
    assert result.usage is not None if summary else result.usage is None
    whole = {
        "id": "c1",
        "object": "chat.completion",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": content},
            }
        ],
        "usage": USAGE,
        "base_resp": {"status_code": 0, "status_msg": ""},
    }
    once = interpret_chat(prepared("native", stream=False), meta(200), json.dumps(whole).encode())
    assert once.message.reasoning is not None
    assert (once.message.content, once.message.reasoning.text) == (sent_answer, sent_reasoning)


# ---------------------------------------------------------------------------------------------
# Huge lines
# ---------------------------------------------------------------------------------------------


def test_a_huge_line_in_small_reads_is_decoded_intact_in_linear_time() -> None:
    """16 MB on one ``data:`` line, 4 KB per read: 4,096 reads. Rescanning the growing line on
    every read (quadratic) takes many seconds; reading it once takes a few milliseconds."""
    payload = ("é" * 8_000_000).encode()  # multi-byte characters, cut anywhere by the reads
    raw = b"data: " + payload + b"\n\n"
    decoder = SSEDecoder()
    events = []
    started = time.process_time()
    for i in range(0, len(raw), 4096):
        events.extend(decoder.feed(raw[i : i + 4096]))
    elapsed = time.process_time() - started
    assert [e.data for e in events] == ["é" * 8_000_000]
    assert elapsed < 2.0, f"{elapsed:.2f} s of CPU for one 16 MB line"


def test_a_huge_answer_event_through_the_full_decoder() -> None:
    text = "word " * 400_000  # 2 MB of answer in one event
    raw = _sse([_event({"content": text}, "stop"), _event(None, usage=USAGE)], done=True)
    deltas, result = _read(prepared("openai", stream=True), raw, list(range(0, len(raw), 1500)))
    assert "".join(d.text for d in deltas) == text.lstrip() == result.message.content
