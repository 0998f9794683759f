"""Rows about one call's request and response: what MiniMax's validation accepts (temperature 0,
two system messages), the usage reported, typed errors, retries. Each probe takes a ClientSpec
and returns a Cell."""

from __future__ import annotations

from typing import Any

from benchmarks.features.clients import NO, OK, PART, PROMPT, Cell, ClientSpec
from benchmarks.features.support import (
    chat_requests,
    emulator,
    exc_text,
    lc_stream,
    li_messages,
    li_stream,
    server_verdict,
    short,
    verdict,
)


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
