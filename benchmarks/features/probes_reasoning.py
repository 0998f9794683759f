"""Rows about reasoning: a clean answer (no ``<think>``), reasoning exposed, reasoning replayed in
a tool loop. Each probe takes a ClientSpec and returns a Cell; exceptions are caught by
``table.run_probe``."""

from __future__ import annotations

import json
from typing import Any

from benchmarks.features.clients import (
    NO,
    OK,
    PART,
    PROMPT,
    SPLIT_NOTE,
    TOOL_PROMPT,
    Cell,
    ClientSpec,
)
from benchmarks.features.support import (
    chat_requests,
    emulator,
    exc_text,
    get_weather,
    lc_reasoning,
    lc_stream,
    lc_tool,
    leaked,
    li_messages,
    li_stream,
    li_thinking,
    li_tool,
    short,
    verdict,
)


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
