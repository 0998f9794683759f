"""Rows about tools: streamed tool calls, a tool history in the framework's standard place,
structured output, a no-argument tool. Each probe takes a ClientSpec and returns a Cell."""

from __future__ import annotations

import json
from typing import Any

from benchmarks.features.clients import NO, OK, PART, TOOL_PROMPT, Cell, ClientSpec
from benchmarks.features.support import (
    Trip,
    chat_requests,
    current_date,
    emulator,
    exc_text,
    get_weather,
    lc_stream,
    lc_tool,
    li_messages,
    li_stream,
    li_tool,
    server_verdict,
    short,
)


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
