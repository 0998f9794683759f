"""EmulatorServer, the journal and /_emulator/requests, key handling, options and the CLI."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import httpx
import pytest

from minimax_emulator import EmulatorOptions, SpecError, create_app, parse_spec
from minimax_emulator.cli import build_parser, main, options_from_args
from minimax_emulator.options import FailSpec, faults_from_spec
from minimax_emulator.testing import EmulatorServer
from tests.support import json_body

from .conftest import AUTH, KEY, call_asgi, chat

OPENAI = "/v1/chat/completions"


def test_journal_records_in_order_with_redaction(live: EmulatorServer) -> None:
    with httpx.Client(base_url=live.base_url, headers=AUTH) as client:
        client.post(OPENAI, json=chat("first"))
        client.post("/v1/text/chatcompletion_v2?GroupId=42", json=chat("second"))
        client.post(OPENAI, content=b"{not json")
    first, second, third = live.requests
    assert (first.method, first.path, second.path) == ("POST", OPENAI, "/v1/text/chatcompletion_v2")
    assert second.query == "GroupId=42"
    assert json_body(first)["messages"][0]["content"] == "first"
    assert first.headers["authorization"] == "Bearer ***"
    assert KEY not in str(live.requests)
    assert third.json is None
    live.clear()
    assert live.requests == []


def test_journal_http_endpoint(live: EmulatorServer) -> None:
    with httpx.Client(base_url=live.base_url, headers=AUTH) as client:
        client.post(OPENAI, json=chat("hello"), headers={"X-Emulator": "latency_ms=0"})
        journal = client.get("/_emulator/requests").json()["requests"]
        assert len(journal) == 1
        assert journal[0]["json"]["messages"][0]["content"] == "hello"
        assert journal[0]["headers"]["authorization"] == "Bearer ***"
        assert journal[0]["headers"]["x-emulator"] == "latency_ms=0"
        assert client.delete("/_emulator/requests").status_code == 200
        assert client.get("/_emulator/requests").json() == {"requests": []}
        assert client.get("/_emulator/health").json() == {"status": "ok"}


def test_journal_limit() -> None:
    app = create_app(EmulatorOptions(journal_limit=2))
    for text in ("a", "b", "c"):
        call_asgi(app, OPENAI, chat(text))
    assert [json_body(r)["messages"][0]["content"] for r in app.requests] == ["b", "c"]


def test_any_non_empty_key_without_configured_keys(app: Any) -> None:
    assert (
        call_asgi(app, OPENAI, chat("x"), headers={"Authorization": "Bearer whatever"}).status
        == 200
    )
    missing = call_asgi(app, OPENAI, chat("x"), auth=False)
    assert missing.status == 401
    assert missing.json()["error"]["type"] == "authorized_error"
    empty = call_asgi(app, OPENAI, chat("x"), headers={"Authorization": "Bearer "})
    assert empty.status == 401
    assert call_asgi(app, "/v1/models", method="GET", raw_body=b"", auth=False).status == 401


def test_configured_keys() -> None:
    app = create_app(EmulatorOptions(api_keys=("k1", "k2")))
    for key, status in (("k1", 200), ("k2", 200), ("k3", 401)):
        got = call_asgi(app, OPENAI, chat("x"), headers={"Authorization": f"Bearer {key}"})
        assert got.status == status
    native = call_asgi(app, "/v1/text/chatcompletion_v2", chat("x"),
                       headers={"Authorization": "Bearer k3"})  # fmt: skip
    assert native.status == 200
    assert native.json()["base_resp"]["status_code"] == 1004


def test_server_start_stop_without_with() -> None:
    server = EmulatorServer(api_keys=["only"], rpm=100)
    with pytest.raises(RuntimeError):
        _ = server.base_url
    server.start()
    try:
        assert server.base_url.startswith("http://127.0.0.1:")
        reply = httpx.post(server.base_url + OPENAI, json=chat("x"),
                           headers={"Authorization": "Bearer only"})  # fmt: skip
        assert reply.status_code == 200
    finally:
        server.stop()


def test_prefix_cache_reports_cached_tokens(app: Any) -> None:
    long_system = {"role": "system", "content": "You are a helpful assistant. " * 120}
    first = {"model": "MiniMax-M2.7", "messages": [long_system, {"role": "user", "content": "a"}]}
    usage = call_asgi(app, OPENAI, first).json()["usage"]
    assert "prompt_tokens_details" not in usage
    second = {"model": "MiniMax-M2.7", "messages": [long_system, {"role": "user", "content": "b"}]}
    usage = call_asgi(app, OPENAI, second).json()["usage"]
    assert 512 <= usage["prompt_tokens_details"]["cached_tokens"] < usage["prompt_tokens"]


def test_replayed_reasoning_is_not_billed(app: Any) -> None:
    def prompt_tokens(assistant: str) -> int:
        body = {"model": "MiniMax-M2.7", "messages": [
            {"role": "user", "content": "hi"}, {"role": "assistant", "content": assistant},
            {"role": "user", "content": "again"}]}  # fmt: skip
        tokens: int = call_asgi(app, OPENAI, body).json()["usage"]["prompt_tokens"]
        return tokens

    assert prompt_tokens("<think>\n" + "long reasoning " * 50 + "\n</think>\n\nok") == (
        prompt_tokens("<think>\nx\n</think>\n\nok")
    )


def test_parse_spec() -> None:
    parsed = parse_spec(" fail=1008@429x3 ; stream_error=2:1000;done=false ;chunks=5; ")
    assert parsed == {
        "fail": FailSpec("1008", 3, 429),
        "stream_error": (2, "1000"),
        "done": False,
        "chunks": 5,
    }
    faults = faults_from_spec("reasoning=cumulative; empty_role=true; finish=length")
    assert (faults.reasoning, faults.empty_role, faults.finish) == ("cumulative", True, "length")


@pytest.mark.parametrize(
    "spec",
    ["fail=418", "fail=429x0", "nonsense", "chunks=0", "reasoning=sometimes", "done=maybe",
     "stream_error=3", "finish=stop", "latency_ms=-1", "unknown=1"],
)  # fmt: skip
def test_parse_spec_rejects(spec: str) -> None:
    with pytest.raises(SpecError):
        parse_spec(spec)


def test_cli_help_documents_flags_and_header(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for word in (
        "--host",
        "--port",
        "--api-key",
        "--rpm",
        "--fault",
        "--journal-limit",
        "--http",
        "--loop",
        "--log-level",
        "X-Emulator",
        "fail=",
        "disconnect_after=",
        "malformed_chunk=",
        "stream_error=",
        "json_error_on_stream=",
        "first_byte_ms=",
        "latency_ms=",
        "chunk_ms=",
        "reasoning=",
        "done=",
        "chunks=",
        "reasoning_chunks=",
        "usage_zero_chunks=",
        "empty_role=",
        "finish=length",
    ):
        assert word in text, word  # fmt: skip


def test_cli_arguments() -> None:
    args = build_parser().parse_args(
        ["--api-key", "a", "--api-key", "b", "--rpm", "5", "--fault", "latency_ms=10"]
    )
    options = options_from_args(args)
    assert options.api_keys == ("a", "b")
    assert options.rpm == 5
    assert options.faults.latency_ms == 10
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--fault", "bogus=1"])


def test_python_m_minimax_emulator_serves() -> None:
    command = [sys.executable, "-m", "minimax_emulator", "--port", "0", "--api-key", "cli-key"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            assert line.startswith("minimax-emulator listening on http://127.0.0.1:")
            base = line.rsplit(" ", 1)[1].strip()
            headers = {"Authorization": "Bearer cli-key"}
            assert httpx.post(base + OPENAI, json=chat("x"), headers=headers).status_code == 200
        finally:
            process.terminate()
            process.wait(timeout=10)
