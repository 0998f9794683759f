"""The public surface of the four packages (issue 14).

Each package's ``__all__`` is compared with a list written out below, so any change to what a
package offers is a deliberate, reviewed edit of this file. Every public name must import, show in
``dir()``, and never be a private module. ``minimax_core`` also exports only
:class:`~minimax_core.MiniMaxError` subclasses as errors and stays lazy on import; the two adapters
re-export the errors they raise, so users catch them from the package they use.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import langchain_minimax
import llama_index_minimax
import minimax_core
from langchain_minimax import errors as langchain_errors

ROOT = Path(__file__).resolve().parents[1]

#: Every error class ``minimax_core`` exports (``llama_index_minimax`` re-exports them all).
CORE_ERRORS = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "ContentFilterError",
    "ContextOverflowError",
    "InsufficientBalanceError",
    "InvalidInputError",
    "InvalidRequestError",
    "MalformedResponseError",
    "MiniMaxError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "StreamInterruptedError",
    "ToolChoiceError",
]

#: The error classes of ``langchain_minimax.errors`` (twins of the core classes it translates).
LANGCHAIN_ERRORS = [
    "APIConnectionError",
    "APITimeoutError",
    "AuthenticationError",
    "ContentFilterError",
    "ContextOverflowError",
    "InsufficientBalanceError",
    "InvalidRequestError",
    "MalformedResponseError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "StreamInterruptedError",
    "ToolChoiceError",
]

EXPECTED_ALL: dict[str, list[str]] = {
    "minimax_core": [
        *CORE_ERRORS,
        "CATALOG",
        "MESSAGE_OVERHEAD",
        "AssistantMessage",
        "AsyncChatStream",
        "ChatDelta",
        "ChatMessage",
        "ChatParams",
        "ChatResult",
        "ChatStream",
        "ClientConfig",
        "ClientSettings",
        "EmptyAnswerWarning",
        "ImagePart",
        "InvalidToolCall",
        "MiniMaxClient",
        "ModelInfo",
        "Reasoning",
        "SystemMessage",
        "TextPart",
        "TokenUsage",
        "ToolCall",
        "ToolCallChunk",
        "ToolDefinition",
        "ToolMessage",
        "UserMessage",
        "__version__",
        "estimate_tokens",
        "json_objects",
        "model_info",
        "reasoning_text_of",
        "replayable_details",
        "tool_choice_name",
    ],
    "langchain_minimax": [
        *LANGCHAIN_ERRORS,
        "APIStatusError",
        "InvalidInputError",
        "MiniMaxError",
        "ChatMiniMax",
        "MiniMaxEmbeddings",
    ],
    "llama_index_minimax": [*CORE_ERRORS, "MiniMax", "MiniMaxEmbedding"],
    "minimax_emulator": [
        "HEADER_NAME",
        "EmulatorApp",
        "EmulatorOptions",
        "Faults",
        "RecordedRequest",
        "SpecError",
        "create_app",
        "parse_spec",
    ],
}

PACKAGES = pytest.mark.parametrize("package", sorted(EXPECTED_ALL))


def is_private(module_name: str) -> bool:
    """``pkg._impl`` and anything below a ``_``-prefixed module is private."""
    return any(part.startswith("_") for part in module_name.split("."))


def public_names(package: str) -> list[str]:
    names: list[str] = importlib.import_module(package).__all__
    return names


def error_classes(module: ModuleType) -> dict[str, type[BaseException]]:
    """The exception classes (warnings aside) among a module's public names."""
    found: dict[str, type[BaseException]] = {}
    for name in module.__all__:
        value = getattr(module, name)
        if (
            isinstance(value, type)
            and issubclass(value, BaseException)
            and not issubclass(value, Warning)
        ):
            found[name] = value
    return found


@PACKAGES
def test_all_is_the_reviewed_list(package: str) -> None:
    names = public_names(package)
    assert len(names) == len(set(names)), "__all__ lists a name twice"
    assert sorted(names) == sorted(EXPECTED_ALL[package])


@PACKAGES
def test_every_public_name_imports_and_is_not_none(package: str) -> None:
    for name in public_names(package):
        namespace: dict[str, Any] = {}
        exec(f"from {package} import {name}", namespace)
        assert namespace[name] is not None, f"{package}.{name} is None"


@PACKAGES
def test_dir_shows_every_public_name(package: str) -> None:
    listed = set(dir(importlib.import_module(package)))
    assert set(public_names(package)) <= listed


@PACKAGES
def test_no_public_name_is_private_or_a_private_module(package: str) -> None:
    module = importlib.import_module(package)
    for name in module.__all__:
        is_dunder = name.startswith("__") and name.endswith("__")
        assert is_dunder or not name.startswith("_"), f"{package}.{name} is a private name"
        value = getattr(module, name)
        if isinstance(value, ModuleType):
            assert not is_private(value.__name__), f"{package}.{name} is {value.__name__}"


def test_every_error_minimax_core_exports_is_a_minimax_error() -> None:
    errors = error_classes(minimax_core)
    assert sorted(errors) == sorted(CORE_ERRORS)
    for name, cls in errors.items():
        assert issubclass(cls, minimax_core.MiniMaxError), name


def test_importing_minimax_core_loads_no_private_module_until_a_name_is_used() -> None:
    probe = """
import json, sys
loaded = lambda: sorted(m for m in sys.modules if m.split(".")[0] == "minimax_core")
import minimax_core
on_import = loaded()
for name in minimax_core.__all__:
    getattr(minimax_core, name)
print(json.dumps([on_import, loaded()]))
"""
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    on_import, after_use = json.loads(done.stdout)
    # `__version__` is the one eager export; everything else loads on first use.
    assert {m for m in on_import if is_private(m)} <= {"minimax_core._version"}
    # the probe sees the lazy modules once the names are used (it is not vacuous)
    assert len([m for m in after_use if is_private(m)]) > len(on_import)


def test_llama_index_minimax_re_exports_the_core_error_classes_themselves() -> None:
    ours = error_classes(llama_index_minimax)
    core = error_classes(minimax_core)
    assert sorted(ours) == sorted(core)
    for name, cls in ours.items():
        assert cls is core[name], name


def test_langchain_minimax_exports_the_classes_of_its_errors_module() -> None:
    ours = error_classes(langchain_minimax)
    # its own classes, plus the core's base classes and the before-sending InvalidInputError
    core_own = {"MiniMaxError", "APIStatusError", "InvalidInputError"}
    assert {k: v for k, v in ours.items() if k not in core_own} == error_classes(langchain_errors)
    for name in core_own:
        assert ours[name] is getattr(minimax_core, name)
    for name, cls in ours.items():
        core_cls = getattr(minimax_core, name)
        assert issubclass(cls, core_cls), name
        assert issubclass(cls, minimax_core.MiniMaxError), name
