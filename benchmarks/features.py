"""``python -m benchmarks.features``: the README's feature table, probed against the emulator.

For every row of the "Why this package" table and every client, a concrete probe runs against an
in-process emulator (``minimax_emulator.testing.EmulatorServer``; this is about behaviour, not
speed) and records ✅ / ❌ / ⚠️ with a one-line evidence string: the leaked ``<think>`` prefix,
the exception raised, the request field the emulator received. Our two adapters are probed too,
as the control. Writes ``benchmarks/results/features.md`` (``--out`` elsewhere, ``--no-write`` to
only print).

Every client is built the way its documentation says, pointed at the emulator, with
``max_tokens=4096`` (the community class's default of 256 would be spent on reasoning) and the
model ``MiniMax-M2.7``. Where a client has a documented option that might make a row pass
(``reasoning_split`` in the request body, ``stream_usage=True``,
``with_structured_output(method="function_calling")``), the probe tries it after the default and
the evidence says which setting produced the result. A probe that raises is ❌ with the exception.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from benchmarks.machine import PACKAGES, git_commit, package_versions

RESULTS = Path(__file__).resolve().parent / "results"
MODEL = "MiniMax-M2.7"
API_KEY = "sk-probe-7f3a9c51-SECRET"  # distinctive, to find it in reprs and dumps
GROUP_ID = "123"
MAX_TOKENS = 4096
PROMPT = "What is 7 times 8?"
TOOL_PROMPT = "What's the weather in Lisbon?"
OK, NO, PART, NA = "✅", "❌", "⚠️", "—"
#: The packages whose behaviour the table describes (the HTTP stack is not).
FEATURE_PACKAGES = PACKAGES[: PACKAGES.index("llama-index-llms-minimax") + 1]


@dataclass(frozen=True)
class Cell:
    status: str
    evidence: str


@dataclass(frozen=True)
class ClientSpec:
    key: str
    label: str
    framework: str  # "langchain" | "llama-index"
    make: Callable[..., Any]  # make(url, **overrides) -> the model
    route: str  # "openai" | "native"
    split: dict[str, Any]  # the constructor option that asks MiniMax for reasoning_split


# -- the clients -------------------------------------------------------------------------------


def _ours_lc(url: str, **kw: Any) -> Any:
    from langchain_minimax import ChatMiniMax

    args: dict[str, Any] = {"model": MODEL, "api_key": API_KEY, "base_url": url}
    return ChatMiniMax(**{"max_tokens": MAX_TOKENS, **args, **kw})


def _ours_li(url: str, **kw: Any) -> Any:
    from llama_index_minimax import MiniMax

    args: dict[str, Any] = {"model": MODEL, "api_key": API_KEY, "base_url": url}
    return MiniMax(**{"max_tokens": MAX_TOKENS, **args, **kw})


def _community(url: str, **kw: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # langchain-community's sunset note
        from langchain_community.chat_models import MiniMaxChat

    args: dict[str, Any] = {
        "model": MODEL,
        "minimax_api_key": API_KEY,
        "minimax_api_host": url + "/v1/text/chatcompletion_v2",
        "minimax_group_id": GROUP_ID,
    }
    return MiniMaxChat(**{"max_tokens": MAX_TOKENS, **args, **kw})


def _chat_openai(url: str, **kw: Any) -> Any:
    from langchain_openai import ChatOpenAI

    args: dict[str, Any] = {"model": MODEL, "api_key": API_KEY, "base_url": url + "/v1"}
    return ChatOpenAI(**{"max_tokens": MAX_TOKENS, **args, **kw})


def _li_peer(url: str, **kw: Any) -> Any:
    from llama_index.llms.minimax import MiniMax as PeerMiniMax

    args: dict[str, Any] = {"model": MODEL, "api_key": API_KEY, "api_base": url + "/v1"}
    return PeerMiniMax(**{"max_tokens": MAX_TOKENS, **args, **kw})


CLIENTS: list[ClientSpec] = [
    ClientSpec("ours_lc", "ChatMiniMax (ours, LangChain)", "langchain", _ours_lc, "openai", {}),
    ClientSpec("ours_li", "MiniMax (ours, LlamaIndex)", "llama-index", _ours_li, "openai", {}),
    ClientSpec(
        "community",
        "community `MiniMaxChat`",
        "langchain",
        _community,
        "native",
        {"model_kwargs": {"reasoning_split": True}},
    ),
    ClientSpec(
        "chat_openai",
        "`ChatOpenAI(base_url=…/v1)`",
        "langchain",
        _chat_openai,
        "openai",
        {"extra_body": {"reasoning_split": True}},
    ),
    ClientSpec(
        "li_peer",
        "`llama-index-llms-minimax`",
        "llama-index",
        _li_peer,
        "openai",
        {"additional_kwargs": {"extra_body": {"reasoning_split": True}}},
    ),
]
SPLIT_NOTE = {
    "community": "model_kwargs={'reasoning_split': True}",
    "chat_openai": "extra_body={'reasoning_split': True}",
    "li_peer": "additional_kwargs={'extra_body': {'reasoning_split': True}}",
}


# -- helpers -----------------------------------------------------------------------------------


@contextlib.contextmanager
def emulator(fault: str | None = None) -> Iterator[Any]:
    from minimax_emulator.testing import EmulatorServer

    options: dict[str, Any] = {"fault": fault} if fault else {}
    with EmulatorServer(**options) as server:
        yield server


def short(value: Any, limit: int = 90) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def exc_text(exc: BaseException, limit: int = 110) -> str:
    """``module.Class: message``; for an HTTP error, its status and the body's message."""
    name = f"{type(exc).__module__.split('.')[0]}.{type(exc).__name__}"
    body, status = getattr(exc, "body", None), getattr(exc, "status_code", None)
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return f"`{name}` (HTTP {status}: {short(body['message'], limit)!r})"
    return f"`{name}: {short(str(exc), limit)}`"


def chat_requests(server: Any) -> list[dict[str, Any]]:
    return [
        r.json
        for r in server.requests
        if r.method == "POST" and r.path.endswith(("/chat/completions", "/chatcompletion_v2"))
    ]


def server_verdict(server: Any) -> str:
    """What the emulator answers to the last chat request, sent again as it was: for a client
    that hides the answer behind a crash (a native-route ``base_resp`` error read as a reply)."""
    import httpx

    routes = ("/chat/completions", "/chatcompletion_v2")
    last = next(r for r in reversed(server.requests) if r.path.endswith(routes))
    reply = httpx.post(
        server.base_url + last.path,
        json=last.json,
        headers={"Authorization": f"Bearer {API_KEY}"},
        timeout=30,
    )
    body = reply.json()
    resp = body.get("base_resp") if isinstance(body, dict) else None
    if isinstance(resp, dict) and resp.get("status_code"):
        return (
            f" (the emulator's reply: HTTP {reply.status_code}, `base_resp` "
            f"{resp['status_code']} {short(resp.get('status_msg', ''), 64)!r})"
        )
    return ""


def leaked(text: str) -> str | None:
    """The leaked ``<think>`` prefix, if the answer carries one."""
    if "<think>" in text or "</think>" in text:
        return short(text, 40)
    return None


def li_messages(*pairs: tuple[str, str]) -> list[Any]:
    from llama_index.core.base.llms.types import ChatMessage

    return [ChatMessage(role=role, content=content) for role, content in pairs]


def get_weather(city: str) -> str:
    """Get today's weather for a city."""
    return f"Sunny in {city}"


def current_date() -> str:
    """Today's date (takes no arguments)."""
    return "2026-11-22"


class Trip(BaseModel):
    """A trip plan."""

    city: str
    days: int


def lc_tool(fn: Callable[..., Any]) -> Any:
    from langchain_core.tools import tool

    return tool(fn)


def li_tool(fn: Callable[..., Any]) -> Any:
    from llama_index.core.tools import FunctionTool

    return FunctionTool.from_defaults(fn=fn)


def lc_reasoning(message: Any) -> str:
    """Reasoning a LangChain message exposes: a ``reasoning`` content block or
    ``additional_kwargs["reasoning_content"]``."""
    for block in message.content_blocks:
        if block.get("type") == "reasoning" and block.get("reasoning"):
            return str(block["reasoning"])
    return str(message.additional_kwargs.get("reasoning_content") or "")


def li_thinking(message: Any) -> str:
    from llama_index.core.base.llms.types import ThinkingBlock

    return "".join(
        b.content or "" for b in message.blocks if isinstance(b, ThinkingBlock) and b.content
    )


def lc_stream(model: Any, prompt: Any) -> Any:
    chunks = list(model.stream(prompt))
    return sum(chunks[1:], chunks[0]), chunks


def li_stream(iterator: Any) -> tuple[Any, list[Any]]:
    responses = list(iterator)
    return responses[-1], responses


def verdict(ok: int, total: int) -> str:
    return OK if ok == total else (NO if ok == 0 else PART)


# -- the probes --------------------------------------------------------------------------------
# Each probe takes a ClientSpec and returns a Cell. Exceptions are caught by run_probe.


def answer_texts(spec: ClientSpec, **kw: Any) -> tuple[str, str]:
    with emulator() as server:
        if spec.framework == "langchain":
            model = spec.make(server.base_url, **kw)
            invoked = str(model.invoke(PROMPT).content)
            streamed = "".join(str(c.content) for c in model.stream(PROMPT))
        else:
            llm = spec.make(server.base_url, **kw)
            invoked = str(llm.chat(li_messages(("user", PROMPT))).message.content)
            last, _ = li_stream(llm.stream_chat(li_messages(("user", PROMPT))))
            streamed = str(last.message.content)
    return invoked, streamed


def probe_think_free(spec: ClientSpec) -> Cell:
    invoked, streamed = answer_texts(spec)
    bad = [(n, leaked(t)) for n, t in (("invoke", invoked), ("stream", streamed)) if leaked(t)]
    if not bad:
        return Cell(OK, f"invoke and stream: {short(invoked, 40)!r}")
    evidence = "; ".join(f"{n}: `{prefix}`" for n, prefix in bad)
    if spec.split:
        try:
            s_inv, s_str = answer_texts(spec, **spec.split)
        except Exception as exc:  # evidence
            return Cell(NO, f"{evidence}; with {SPLIT_NOTE[spec.key]}: {exc_text(exc)}")
        if not leaked(s_inv) and not leaked(s_str):
            return Cell(
                PART,
                f"default leaks ({evidence}); clean with {SPLIT_NOTE[spec.key]}: "
                f"{short(s_inv, 30)!r}",
            )
    return Cell(NO, evidence)


def reasoning_seen(spec: ClientSpec, **kw: Any) -> tuple[str, str]:
    """The reasoning the client exposes (invoke, stream); "" if none."""
    with emulator() as server:
        if spec.framework == "langchain":
            model = spec.make(server.base_url, **kw)
            invoked = lc_reasoning(model.invoke(PROMPT))
            _, chunks = lc_stream(model, PROMPT)
            streamed = "".join(lc_reasoning(c) for c in chunks)
        else:
            llm = spec.make(server.base_url, **kw)
            invoked = li_thinking(llm.chat(li_messages(("user", PROMPT))).message)
            last, responses = li_stream(llm.stream_chat(li_messages(("user", PROMPT))))
            deltas = "".join(
                str(r.additional_kwargs.get("thinking_delta") or "") for r in responses
            )
            streamed = deltas or li_thinking(last.message)
    return invoked, streamed


def probe_reasoning(spec: ClientSpec) -> Cell:
    where = (
        "`content_blocks` reasoning / `reasoning_content`"
        if spec.framework == "langchain"
        else "`ThinkingBlock` (+ `thinking_delta` when streaming)"
    )
    invoked, streamed = reasoning_seen(spec)
    if invoked and streamed:
        return Cell(OK, f"{where}: {short(invoked, 40)!r}, also streamed")
    default = (
        f"default: invoke {'yes' if invoked else 'none'}, stream {'yes' if streamed else 'none'}"
    )
    if not spec.split:
        return Cell(verdict(bool(invoked) + bool(streamed), 2), f"{where}: {default}")
    s_inv, s_str = reasoning_seen(spec, **spec.split)
    if s_inv or s_str:
        return Cell(
            PART,
            f"{default}; with {SPLIT_NOTE[spec.key]}: invoke {'yes' if s_inv else 'none'}, "
            f"stream {'yes' if s_str else 'none'} ({short(s_inv or s_str, 30)!r})",
        )
    return Cell(NO, f"no {where} ({default}; none with {SPLIT_NOTE[spec.key]} either)")


def tool_loop(spec: ClientSpec, **kw: Any) -> tuple[dict[str, Any], str, str]:
    """A two-turn tool loop; returns the assistant turn the 2nd request carried, the final
    answer, and the reasoning the first reply exposed."""
    with emulator() as server:
        if spec.framework == "langchain":
            from langchain_core.messages import HumanMessage, ToolMessage

            model = spec.make(server.base_url, **kw).bind_tools([lc_tool(get_weather)])
            human = HumanMessage(TOOL_PROMPT)
            first = model.invoke([human])
            if not first.tool_calls:
                raise AssertionError(f"no tool call in the first reply: {short(first.content)}")
            call = first.tool_calls[0]
            result = ToolMessage(get_weather(**call["args"]), tool_call_id=call["id"])
            final = str(model.invoke([human, first, result]).content)
            shown = lc_reasoning(first)
        else:
            from llama_index.core.base.llms.types import ChatMessage

            llm = spec.make(server.base_url, **kw)
            tools = [li_tool(get_weather)]
            user = ChatMessage(role="user", content=TOOL_PROMPT)
            first = llm.chat_with_tools(tools, chat_history=[user])
            calls = llm.get_tool_calls_from_response(first, error_on_no_tool_call=False)
            if not calls:
                raise AssertionError(f"no tool call: {short(first.message.content)}")
            result = ChatMessage(
                role="tool",
                content=get_weather(**calls[0].tool_kwargs),
                additional_kwargs={"tool_call_id": calls[0].tool_id, "name": calls[0].tool_name},
            )
            history = [user, first.message, result]
            final = str(llm.chat_with_tools(tools, chat_history=history).message.content)
            shown = li_thinking(first.message)
        second = chat_requests(server)[-1]
    assistant = next(m for m in second["messages"] if m.get("role") == "assistant")
    return assistant, final, shown


def replayed(assistant: dict[str, Any]) -> str:
    if assistant.get("reasoning_details"):
        return "`reasoning_details` " + short(assistant["reasoning_details"][0].get("text", ""), 30)
    content = assistant.get("content")
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    if text and "<think>" in text:
        return f"`<think>` in `content`: {short(text, 34)!r}"
    if assistant.get("reasoning_content"):
        return "`reasoning_content` " + short(assistant["reasoning_content"], 30)
    return ""


def probe_replay(spec: ClientSpec) -> Cell:
    assistant, final, shown = tool_loop(spec)
    how = replayed(assistant)
    if how:
        note = "" if shown else " (raw text: the reasoning is not separated from the answer)"
        evidence = f"2nd request's assistant turn has {how}{note}"
    else:
        keys = sorted(k for k in assistant if assistant[k] not in (None, "", []))
        evidence = f"2nd request's assistant turn: only {keys}, no reasoning"
    if not spec.split:
        return Cell(OK if how else NO, f"{evidence}; answer {short(final, 30)!r}")
    s_assistant, _, s_shown = tool_loop(spec, **spec.split)
    s_how = replayed(s_assistant)
    evidence += f"; with {SPLIT_NOTE[spec.key]}: " + (
        s_how or f"nothing replayed (reasoning {'shown' if s_shown else 'not shown'} on turn 1)"
    )
    return Cell(OK if how else (PART if s_how else NO), evidence)


def probe_stream_tools(spec: ClientSpec) -> Cell:
    with emulator() as server:
        if spec.framework == "langchain":
            model = spec.make(server.base_url).bind_tools([lc_tool(get_weather)])
            whole, chunks = lc_stream(model, TOOL_PROMPT)
            calls = [(c["name"], c["args"]) for c in whole.tool_calls]
            fragments = sum(len(getattr(c, "tool_call_chunks", []) or []) for c in chunks)
            shape = f"{len(chunks)} chunks, {fragments} `tool_call_chunks`"
            content = str(whole.content)
        else:
            llm = spec.make(server.base_url)
            last, responses = li_stream(
                llm.stream_chat_with_tools(
                    [li_tool(get_weather)], chat_history=li_messages(("user", TOOL_PROMPT))
                )
            )
            found = llm.get_tool_calls_from_response(last, error_on_no_tool_call=False)
            calls = [(c.tool_name, c.tool_kwargs) for c in found]
            shape = f"{len(responses)} responses"
            content = str(last.message.content)
        sent = chat_requests(server)[-1]
    if calls and calls[0][0] == "get_weather" and calls[0][1] == {"city": "Lisbon"}:
        return Cell(OK, f"{calls[0][0]}({json.dumps(calls[0][1])}) from {shape}")
    streamed = "stream" if sent.get("stream") else "non-stream"
    return Cell(
        NO, f"no tool call after a {streamed} request ({shape}); content {short(content, 40)!r}"
    )


CALL_ID = "call_function_0123456789_1"


def probe_tool_history(spec: ClientSpec) -> Cell:
    """A conversation whose assistant turn holds its tool call in the framework's standard place
    (LangChain ``AIMessage.tool_calls``, LlamaIndex a ``ToolCallBlock``), as an agent or another
    model would have produced it."""
    with emulator() as server:
        if spec.framework == "langchain":
            from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

            history = [
                HumanMessage(TOOL_PROMPT),
                AIMessage(
                    content="",
                    tool_calls=[{"name": "get_weather", "args": {"city": "Lisbon"}, "id": CALL_ID}],
                ),
                ToolMessage("Sunny in Lisbon", tool_call_id=CALL_ID),
            ]
            model = spec.make(server.base_url).bind_tools([lc_tool(get_weather)])
            try:
                final = str(model.invoke(history).content)
                error = None
            except Exception as exc:  # evidence
                final, error = "", exc
        else:
            from llama_index.core.base.llms.types import ChatMessage, ToolCallBlock

            history = [
                ChatMessage(role="user", content=TOOL_PROMPT),
                ChatMessage(
                    role="assistant",
                    blocks=[
                        ToolCallBlock(
                            tool_call_id=CALL_ID,
                            tool_name="get_weather",
                            tool_kwargs={"city": "Lisbon"},
                        )
                    ],
                ),
                ChatMessage(
                    role="tool",
                    content="Sunny in Lisbon",
                    additional_kwargs={"tool_call_id": CALL_ID, "name": "get_weather"},
                ),
            ]
            llm = spec.make(server.base_url)
            try:
                response = llm.chat_with_tools([li_tool(get_weather)], chat_history=history)
                final = str(response.message.content)
                error = None
            except Exception as exc:  # evidence
                final, error = "", exc
        sent = chat_requests(server)[-1]
        verdict_note = server_verdict(server) if isinstance(error, TypeError) else ""
    assistant = next(m for m in sent["messages"] if m.get("role") == "assistant")
    sent_calls = assistant.get("tool_calls")
    shown = (
        f"[{sent_calls[0]['id']}]" if isinstance(sent_calls, list) and sent_calls else sent_calls
    )
    if error is not None:
        return Cell(NO, f"sent `tool_calls: {shown}` → {exc_text(error, 90)}{verdict_note}")
    if "Based on the tool results" in final or "Sunny" in final:
        return Cell(OK, f"sent `tool_calls: {shown}`; answer {short(final, 40)!r}")
    return Cell(PART, f"sent `tool_calls: {shown}`; answer {short(final, 50)!r}")


def structured(spec: ClientSpec, method: str | None) -> tuple[Any, str]:
    """(the parsed result, or the exception raised; what the request asked for)."""
    with emulator() as server:
        try:
            if spec.framework == "langchain":
                model = spec.make(server.base_url)
                kw = {"method": method} if method else {}
                runnable = model.with_structured_output(Trip, **kw)
                result: Any = runnable.invoke("Plan a 4 day trip to Kyoto.")
            else:
                from llama_index.core.prompts import PromptTemplate

                llm = spec.make(server.base_url)
                template = PromptTemplate("Plan a {days} day trip to {city}.")
                result = llm.structured_predict(Trip, template, days="4", city="Kyoto")
        except Exception as exc:  # evidence
            result = exc
        sent = chat_requests(server)
    if not sent:
        return result, "nothing sent"
    body = sent[-1]
    asked = []
    if body.get("tools"):
        asked.append(f"tool_choice={body.get('tool_choice')!r}")
    if isinstance(body.get("response_format"), dict):
        asked.append(f"response_format={body['response_format'].get('type')}")
    return result, "sent " + (", ".join(asked) or "neither tools nor response_format")


def probe_structured(spec: ClientSpec) -> Cell:
    label = "`with_structured_output(Trip)`" if spec.framework == "langchain" else (
        "`structured_predict(Trip, …)`"
    )  # fmt: skip

    def outcome(result: Any, asked: str) -> str:
        if isinstance(result, BaseException):
            return f"{asked} → {exc_text(result, 70)}"
        return f"{asked} → {short(result, 40)}"

    result, asked = structured(spec, None)
    if isinstance(result, Trip):
        note = ""
        if spec.framework == "langchain":
            fc_result, _ = structured(spec, "function_calling")
            if isinstance(fc_result, BaseException):
                note = f"; method='function_calling' raises {exc_text(fc_result, 60)}"
        return Cell(OK, f"{label} (default) {outcome(result, asked)}{note}")
    default = f"default {outcome(result, asked)}"
    if spec.framework != "langchain":
        return Cell(NO, f"{label} {default}")
    fc_result, fc_asked = structured(spec, "function_calling")
    fc = f"method='function_calling' {outcome(fc_result, fc_asked)}"
    return Cell(PART if isinstance(fc_result, Trip) else NO, f"{label} {default}; {fc}")


def simple_call(spec: ClientSpec, messages: list[tuple[str, str]], **kw: Any) -> Cell:
    """One non-streamed call: ✅ with the answer, or ❌ with the error; evidence names what was
    sent."""
    with emulator() as server:
        model = spec.make(server.base_url, **kw)
        try:
            if spec.framework == "langchain":
                answer = str(model.invoke(messages).content)
            else:
                answer = str(model.chat(li_messages(*messages)).message.content)
            error = None
        except Exception as exc:  # evidence
            answer, error = "", exc
        sent = chat_requests(server)
        verdict_note = server_verdict(server) if isinstance(error, TypeError) else ""
    body = sent[-1] if sent else {}
    what = {
        "temperature": body.get("temperature"),
        "system messages": sum(1 for m in body.get("messages", []) if m.get("role") == "system"),
    }
    if error is not None:
        return Cell(NO, f"sent {what} → {exc_text(error, 90)}{verdict_note}")
    return Cell(OK, f"sent {what}; answer {short(answer, 40)!r}")


def probe_temperature(spec: ClientSpec) -> Cell:
    cell = simple_call(spec, [("user", PROMPT)], temperature=0)
    return Cell(cell.status, cell.evidence.replace(", 'system messages': 0", ""))


def probe_systems(spec: ClientSpec) -> Cell:
    cell = simple_call(
        spec, [("system", "You are terse."), ("system", "Answer in English."), ("user", PROMPT)]
    )
    return Cell(cell.status, cell.evidence.replace("'temperature': None, ", ""))


def probe_no_arg_tool(spec: ClientSpec) -> Cell:
    with emulator() as server:
        prompt = "What is today's date?"
        try:
            if spec.framework == "langchain":
                message = (
                    spec.make(server.base_url).bind_tools([lc_tool(current_date)]).invoke(prompt)
                )
                calls = [(c["name"], c["args"]) for c in message.tool_calls]
            else:
                llm = spec.make(server.base_url)
                response = llm.chat_with_tools(
                    [li_tool(current_date)], chat_history=li_messages(("user", prompt))
                )
                found = llm.get_tool_calls_from_response(response, error_on_no_tool_call=False)
                calls = [(c.tool_name, c.tool_kwargs) for c in found]
            error = None
        except Exception as exc:  # evidence
            calls, error = [], exc
        sent = chat_requests(server)
    tools = sent[-1].get("tools") if sent else None
    params = tools[0]["function"].get("parameters") if tools else None
    if error is not None:
        return Cell(NO, f"sent parameters {short(params, 50)} → {exc_text(error, 80)}")
    if calls and calls[0][0] == "current_date":
        return Cell(OK, f"sent parameters {short(params, 50)}; called current_date({calls[0][1]})")
    return Cell(NO, f"sent parameters {short(params, 50)}; no call")


#: Long enough (> 512 tokens) for the emulator to report cached tokens when it is sent again.
LONG_PROMPT = "Summarise: " + " ".join(f"note{i} harbour tide ferry" for i in range(300))


def lc_usage(spec: ClientSpec, **kw: Any) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    with emulator() as server:
        model = spec.make(server.base_url, **kw)
        invoked = model.invoke(PROMPT).usage_metadata or {}
        streamed = lc_stream(model, PROMPT)[0].usage_metadata or {}
        model.invoke(LONG_PROMPT)
        cached = model.invoke(LONG_PROMPT).usage_metadata or {}
    return invoked, streamed, cached


def li_usage(spec: ClientSpec, **kw: Any) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    def counts(response: Any) -> dict[str, Any]:
        out = {k: v for k, v in response.additional_kwargs.items() if k.endswith("tokens")}
        raw = response.raw
        usage = raw.get("usage") if isinstance(raw, dict) else getattr(raw, "usage", None)
        if usage is not None and not isinstance(usage, dict):
            usage = usage.model_dump()
        out["raw"] = usage or {}
        return out

    with emulator() as server:
        llm = spec.make(server.base_url, **kw)
        invoked = counts(llm.chat(li_messages(("user", PROMPT))))
        streamed = counts(li_stream(llm.stream_chat(li_messages(("user", PROMPT))))[0])
        llm.chat(li_messages(("user", LONG_PROMPT)))
        cached = counts(llm.chat(li_messages(("user", LONG_PROMPT))))
    return invoked, streamed, cached


def _nested(d: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(d, dict):
            return None
        d = d.get(key)
    return d


def probe_usage(spec: ClientSpec) -> Cell:
    if spec.framework == "langchain":
        inv, st, ca = lc_usage(spec)
        r_inv = _nested(inv, "output_token_details", "reasoning")
        r_st = _nested(st, "output_token_details", "reasoning")
        cache = _nested(ca, "input_token_details", "cache_read")
        found = {
            "reasoning (invoke)": r_inv,
            "reasoning (stream)": r_st,
            "cache_read": cache,
        }
        option = False
        if not r_st and spec.key == "chat_openai":  # its documented switch for custom base URLs
            _, st2, _ = lc_usage(spec, stream_usage=True)
            r_st2 = _nested(st2, "output_token_details", "reasoning")
            found["reasoning (stream)"] = f"none by default, {r_st2} with stream_usage=True"
            option = bool(r_st2)
        if not inv and not st:
            return Cell(NO, "`usage_metadata` is None on invoke and on the summed stream")
        ok = sum(1 for v in found.values() if v)
        evidence = "`usage_metadata`: " + ", ".join(f"{k} {v}" for k, v in found.items())
        status = verdict(ok, 3)
        return Cell(PART if option and status == OK else status, evidence)
    inv, st, ca = li_usage(spec)
    found = {
        "reasoning_tokens (chat)": inv.get("reasoning_tokens"),
        "(stream)": st.get("reasoning_tokens"),
        "cached_tokens": ca.get("cached_tokens"),
    }
    ok = sum(1 for v in found.values() if v)
    raw_r = _nested(inv["raw"], "completion_tokens_details", "reasoning_tokens")
    raw_c = _nested(ca["raw"], "prompt_tokens_details", "cached_tokens")
    keys = sorted(k for k in inv if k != "raw")
    evidence = f"`additional_kwargs` {keys}: " + ", ".join(f"{k} {v}" for k, v in found.items())
    status = verdict(ok, 3)
    if ok < 3:
        evidence += f"; in the SDK object `raw.usage` only: reasoning {raw_r}, cached {raw_c}"
        evidence += f"; stream: {'usage' if st.get('raw') else 'no usage at all'}"
        if status == NO and (raw_r or raw_c):
            status = PART
    return Cell(status, evidence)


def failing_call(spec: ClientSpec, fault: str, **kw: Any) -> tuple[Any, BaseException | None, int]:
    """One call against a server with ``fault`` applied to every request: (answer, error,
    attempts the server saw)."""
    with emulator(fault) as server:
        model = spec.make(server.base_url, **kw)
        try:
            if spec.framework == "langchain":
                answer: Any = model.invoke(PROMPT).content
            else:
                answer = model.chat(li_messages(("user", PROMPT))).message.content
            error = None
        except Exception as exc:  # evidence
            answer, error = None, exc
        attempts = len(chat_requests(server))
    return answer, error, attempts


def _region_hint(error: BaseException) -> bool:
    text = str(error).lower()
    return "region" in text or "minimaxi.com" in text


def probe_errors(spec: ClientSpec) -> Cell:
    parts: list[str] = []
    statuses: list[str] = []
    if spec.route == "native" or spec.key.startswith("ours"):
        native = {"api": "native"} if spec.key.startswith("ours") else {}
        _, error, _ = failing_call(spec, "fail=1008", **native)
        if error is None:
            statuses.append(NO)
            parts.append("native fail=1008: no error raised")
        else:
            builtin = type(error).__module__ == "builtins"
            statuses.append(NO if builtin else OK)
            parts.append(f"native (HTTP 200 `base_resp`) fail=1008 → {exc_text(error, 60)}")
    if spec.route == "openai" or spec.key.startswith("ours"):
        _, error, _ = failing_call(spec, "fail=1004")
        if error is None:
            statuses.append(NO)
            parts.append("OpenAI route fail=1004: no error raised")
        else:
            hint = _region_hint(error)
            minimax_typed = type(error).__module__.split(".")[0] in {
                "minimax_core",
                "langchain_minimax",
                "llama_index_minimax",
            }
            statuses.append(OK if (minimax_typed and hint) else PART)
            parts.append(
                f"OpenAI route fail=1004 → {exc_text(error, 40)}"
                + (" with a region hint" if hint else ", no region hint")
            )
        if not spec.key.startswith("ours"):
            _, error, _ = failing_call(spec, "fail=1008")
            parts.append(f"fail=1008 → {exc_text(error, 40) if error else 'no error'}")
    status = OK if all(s == OK for s in statuses) else (NO if NO in statuses else PART)
    return Cell(status, "; ".join(parts))


def probe_retries(spec: ClientSpec) -> Cell:
    _, error, attempts = failing_call(spec, "fail=429x1")
    first = (
        f"fail=429x1: answered after {attempts} attempts"
        if error is None
        else f"fail=429x1: {exc_text(error, 60)} after {attempts} attempt(s)"
    )
    if spec.route == "native":
        first = first.replace("fail=429x1", "fail=429x1 (native route: HTTP 200 `base_resp` 1002)")
    _, _, attempts2 = failing_call(spec, "fail=1008@429")
    if spec.route == "native":
        second = ""
        status = OK if error is None and attempts == 2 else NO
    else:
        second = f"; fail=1008@429 (insufficient balance sent as HTTP 429): {attempts2} attempt(s)"
        if attempts2 > 3 and spec.framework == "llama-index":
            second += " (LlamaIndex's retry decorator around the openai SDK's own retries)"
        if error is None and attempts2 == 1:
            status = OK
        elif error is None:
            status = PART
        else:
            status = NO
    return Cell(status, first + second)


def probe_m3(spec: ClientSpec) -> Cell:
    with emulator() as server:
        model = spec.make(server.base_url, model="MiniMax-M3")
        if spec.framework == "llama-index":
            md = model.metadata
            ok = md.is_function_calling_model and md.context_window == 1_000_000
            return Cell(
                OK if ok else NO,
                f"`metadata`: is_function_calling_model={md.is_function_calling_model}, "
                f"context_window={md.context_window:,}",
            )
        profile = getattr(model, "profile", None)
        if not profile:
            return Cell(NO, f"`profile` is {profile!r}")
        ctx, tools = profile.get("max_input_tokens"), profile.get("tool_calling")
        ok = ctx == 1_000_000 and bool(tools)
        return Cell(
            OK if ok else NO, f"`profile`: max_input_tokens={ctx!r}, tool_calling={tools!r}"
        )


def probe_secrets(spec: ClientSpec) -> Cell:
    with emulator() as server:
        model = spec.make(server.base_url)
        views: dict[str, Callable[[], str]] = {
            "repr": lambda: repr(model),
            "str": lambda: str(model),
        }
        if spec.framework == "langchain":
            from langchain_core.load import dumps

            views["dumps"] = lambda: dumps(model)
            views["asdict()"] = lambda: json.dumps(model.asdict(), default=str)
        else:
            views["to_dict()"] = lambda: json.dumps(model.to_dict(), default=str)
            views["to_json()"] = lambda: model.to_json()
        found, failed = [], []
        for name, view in views.items():
            try:
                if API_KEY in view():
                    found.append(name)
            except Exception as exc:  # evidence
                failed.append(f"{name}: {exc_text(exc, 40)}")
    checked = ", ".join(views)
    if spec.framework == "langchain" and '"not_implemented"' in views["dumps"]():
        checked += " (`dumps` gives a `not_implemented` stub: not serialisable)"
    if found:
        return Cell(NO, f"key in clear in {', '.join(found)} (checked {checked})")
    note = f"; {'; '.join(failed)}" if failed else ""
    return Cell(OK if not failed else PART, f"key absent from {checked}{note}")


@dataclass(frozen=True)
class Row:
    key: str
    title: str
    probe: Callable[[ClientSpec], Cell] | None


ROWS: list[Row] = [
    Row("think_free", "Answer free of `<think>` (invoke and stream)", probe_think_free),
    Row("reasoning", "Reasoning exposed (invoke and stream)", probe_reasoning),
    Row("replay", "Reasoning replayed in a multi-turn tool loop", probe_replay),
    Row("stream_tools", "Streamed tool calls arrive", probe_stream_tools),
    Row("tool_history", "Tool history from `.tool_calls` / `ToolCallBlock`", probe_tool_history),
    Row("structured", "Structured output (Pydantic) on MiniMax-M2.7", probe_structured),
    Row("temperature", "`temperature=0` accepted", probe_temperature),
    Row("systems", "Two system messages accepted", probe_systems),
    Row("no_arg_tool", "A no-argument tool accepted", probe_no_arg_tool),
    Row("usage", "Usage: reasoning tokens (invoke, stream) and cached tokens", probe_usage),
    Row("errors", "Typed errors (native `base_resp` 1008; OpenAI route 1004)", probe_errors),
    Row("retries", "Retries: 429 retried, 1008-as-429 not", probe_retries),
    Row("m3", "MiniMax-M3: function calling, 1,000,000-token context", probe_m3),
    Row("secrets", "API key absent from repr / serialisation", probe_secrets),
    Row("emulator", "Offline emulator shipped for your tests", None),
]


def run_probe(row: Row, spec: ClientSpec) -> Cell:
    if row.probe is None:
        if spec.key.startswith("ours"):
            return Cell(OK, "`minimax_emulator` ships with this package (not probed)")
        return Cell(NO, "none shipped (not probed)")
    try:
        return row.probe(spec)
    except Exception as exc:  # a probe that raises is ❌ with the exception
        return Cell(NO, exc_text(exc))


# -- output ------------------------------------------------------------------------------------


CAVEATS = (
    "The emulator's rule-based model calls an offered tool whenever the last message is the "
    "user's, whatever `tool_choice` says (MiniMax reportedly does not enforce it either). So the "
    "structured-output row shows whether a client offers the schema as a tool and parses the "
    "call, not how it copes when the model answers in text instead.",
    "With `reasoning_split` the emulator sends `reasoning_content` alongside `reasoning_details` "
    "(as documented for the OpenAI-compatible route); that string is what lets "
    "`llama-index-llms-minimax` build a `ThinkingBlock`. Whether the native route honours "
    "`reasoning_split` for M2.x is not documented; the emulator does, which is what makes the "
    "community class's answer clean in that setting.",
    "Replay is read from the second request the emulator received. The emulator accepts a "
    "history without reasoning, so a missing replay shows in the evidence, never as an error.",
    "The no-argument tool row checks what MiniMax's validation rejects (a tool without "
    "`parameters`); all five clients send an empty object schema.",
)


def render(results: dict[str, dict[str, Cell]], date: str) -> str:
    pkgs = ", ".join(f"{k} {v}" for k, v in package_versions(FEATURE_PACKAGES).items())
    lines = [
        "# Feature probes: the README table, checked against the emulator",
        "",
        f"Run {date} by `python -m benchmarks.features` at `{git_commit()}`; "
        f"Python {sys.version.split()[0]}; {pkgs}.",
        "",
        "Every cell is one probe against the offline emulator (`minimax_emulator`, in-process), "
        "model `MiniMax-M2.7` unless the row says otherwise, every client built as its "
        f"documentation says with `max_tokens={MAX_TOKENS}`. The emulator implements MiniMax's "
        "documented wire format and validation (temperature in (0, 1], one system message, tool "
        "results must follow their call: 2013); it is not the live service. ✅ works by default; "
        "⚠️ partly, or only with the option named; ❌ fails (the evidence says how). "
        "Methodology: the module docstring of `benchmarks/features.py`.",
        "",
    ]
    header = ["", *[c.label for c in CLIENTS]]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for row in ROWS:
        cells = [results[row.key][c.key].status for c in CLIENTS]
        lines.append(f"| {row.title} | " + " | ".join(cells) + " |")
    lines += ["", "Limits of what this shows:", ""]
    lines += [f"- {c}" for c in CAVEATS]
    lines += ["", "## Evidence", ""]
    for row in ROWS:
        lines += [f"### {row.title}", ""]
        for c in CLIENTS:
            cell = results[row.key][c.key]
            lines.append(f"- **{c.label}** {cell.status} {cell.evidence.replace('|', '∣')}")
        lines.append("")
    return "\n".join(lines)


def run(only: list[str] | None = None, log: Callable[[str], None] | None = None) -> dict[str, Any]:
    for name in list(os.environ):
        if name.startswith(("MINIMAX_", "DASHSCOPE_", "OPENAI_")):
            del os.environ[name]
    os.environ["LANGSMITH_TRACING"] = "false"
    os.environ["LANGCHAIN_TRACING_V2"] = "false"
    warnings.filterwarnings("ignore")
    results: dict[str, dict[str, Cell]] = {}
    for row in ROWS:
        if only and row.key not in only:
            continue
        results[row.key] = {}
        for spec in CLIENTS:
            if log:
                log(f"{row.key} / {spec.key}")
            results[row.key][spec.key] = run_probe(row, spec)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.features", description=__doc__)
    parser.add_argument("--out", type=Path, default=RESULTS, help="directory for features.md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--only", default="", help="comma-separated row keys (prints only)")
    args = parser.parse_args(argv)
    only = [s.strip() for s in args.only.split(",") if s.strip()]

    def log(message: str) -> None:
        print(f"[features {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    date = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    results = run(only, log)
    if only:
        for key, cells in results.items():
            for client, cell in cells.items():
                print(f"{key:13} {client:12} {cell.status} {cell.evidence}")
        return 0
    markdown = render(results, date)
    print(markdown)
    if not args.no_write:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "features.md").write_text(markdown + "\n", encoding="utf-8")
        log(f"wrote {args.out / 'features.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
