"""Rows about the client object itself, not its calls: the MiniMax-M3 profile / metadata, and the
API key kept out of reprs and serialisations. Each probe takes a ClientSpec and returns a Cell."""

from __future__ import annotations

import json
from collections.abc import Callable

from benchmarks.features.clients import API_KEY, NO, OK, PART, Cell, ClientSpec
from benchmarks.features.support import emulator, exc_text


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
