"""Model Studio's own DashScope protocol (``api="dashscope-native"``), byte by byte, over a fake
transport, sync and async: where requests go and how they authenticate, the ``input`` /
``parameters`` body and what Model Studio refuses before anything is sent, replies whole and
streamed (``id:/event:/:HTTP_STATUS/200/data:`` events, ``finish_reason: "null"`` until the end,
incremental reasoning and tool calls, usage, ``search_info``), DashScope's errors by ``code``, and
the native tutorial's HTTP-200 ``base_resp`` shapes on every route.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from minimax_core import (
    AssistantMessage,
    AuthenticationError,
    ChatParams,
    ContentFilterError,
    InsufficientBalanceError,
    InvalidInputError,
    InvalidRequestError,
    MiniMaxError,
    RateLimitError,
    Reasoning,
    ServerError,
    StreamInterruptedError,
    SystemMessage,
    ToolCall,
    ToolDefinition,
    ToolMessage,
    UserMessage,
)
from minimax_core._dialects import APIS
from minimax_core._protocol import ChatStreamDecoder
from minimax_core._request import prepare_chat

from .support import (
    KEY,
    FakeServer,
    Runner,
    base_resp,
    completion,
    hi,
    json_reply,
    make_client,
    meta,
    split_at,
    sse_reply,
)

API = "dashscope-native"
PATH = "/api/v1/services/aigc/text-generation/generation"
M25 = "MiniMax-M2.5"  # Model Studio's own deployment: context 196,608, output 32,768
MS_M25 = "MiniMax/MiniMax-M2.5"  # MiniMax's, through Model Studio: output 131,072
WEATHER = ToolDefinition(
    "get_weather",
    "Current weather for a city.",
    {"type": "object", "properties": {"city": {"type": "string"}}, "strict": True},
)
CLOCK = ToolDefinition("get_time")
SEARCH_INFO = {
    "search_results": [
        {"index": 1, "title": "Paris weather", "url": "https://example.com/p", "site_name": "Ex"}
    ]
}


# ---------------------------------------------------------------------------------------------
# Wire builders (the protocol of the dashscope SDK's Generation.call)
# ---------------------------------------------------------------------------------------------


def usage(
    inputs: int = 12, outputs: int = 7, reasoning: int | None = None, cached: int | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "input_tokens": inputs,
        "output_tokens": outputs,
        "total_tokens": inputs + outputs,
    }
    if reasoning is not None:
        out["output_tokens_details"] = {"reasoning_tokens": reasoning}
    if cached is not None:
        out["prompt_tokens_details"] = {"cached_tokens": cached}
    return out


def doc(
    content: str = "",
    *,
    reasoning: str | None = None,
    finish: str = "stop",
    tool_calls: list[dict[str, Any]] | None = None,
    usage_: dict[str, Any] | None = None,
    search_info: dict[str, Any] | None = None,
    request_id: str = "rid-native-1",
) -> dict[str, Any]:
    """A reply, or one stream event (``finish="null"`` until the last)."""
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if reasoning is not None:
        message["reasoning_content"] = reasoning
    if tool_calls is not None:
        message["tool_calls"] = tool_calls
    output: dict[str, Any] = {"choices": [{"finish_reason": finish, "message": message}]}
    if search_info is not None:
        output["search_info"] = search_info
    return {"output": output, "usage": usage_ or usage(), "request_id": request_id}


def call(index: int = 0, id_: str = "", name: str | None = None, args: str = "") -> dict[str, Any]:
    function: dict[str, Any] = {"arguments": args}
    if name is not None:
        function["name"] = name
    return {"index": index, "id": id_, "type": "function", "function": function}


def event(number: int, data: dict[str, Any], kind: str = "result") -> bytes:
    payload = json.dumps(data, ensure_ascii=False)
    return f"id:{number}\nevent:{kind}\n:HTTP_STATUS/200\ndata:{payload}\n\n".encode()


def events(*docs: dict[str, Any]) -> list[bytes]:
    return [event(n, d) for n, d in enumerate(docs, start=1)]


def error_doc(code: str, message: str) -> dict[str, Any]:
    return {"code": code, "message": message, "request_id": "rid-error-1"}


OK = json_reply(doc("Hi."))
OK_STREAM = sse_reply(events(doc("Hi", finish="null"), doc(".")))


def client(server: FakeServer, **config: Any) -> Any:
    config.setdefault("base_url", "http://h")
    return make_client(server, api=API, **config)


def sent(
    runner: Runner,
    messages: list[Any] | None = None,
    *,
    stream: bool = False,
    model: str = M25,
    **params: Any,
) -> tuple[httpx.Request, dict[str, Any]]:
    """One request on the route: the request and its JSON body as the server saw them (a forced
    tool answered in text is not repaired here: one request is what is being looked at)."""
    server = FakeServer(OK_STREAM if stream else OK)
    chat = client(server, tool_choice_repairs=0)
    call_params = ChatParams(model=model, **params)
    if stream:
        outcome = runner.stream(chat, messages or hi(), call_params)
        assert outcome.error is None
    else:
        runner.chat(chat, messages or hi(), call_params)
    assert server.count == 1
    (request,) = server.requests
    return request, json.loads(request.content)


def refused(runner: Runner, *, model: str = M25, api: str = API, **params: Any) -> str:
    """The message of the ``InvalidInputError`` raised before anything is sent."""
    server = FakeServer(OK)
    with pytest.raises(InvalidInputError) as caught:
        runner.chat(
            make_client(server, api=api, base_url="http://h"), hi(), ChatParams(model, **params)
        )
    assert server.count == 0
    return str(caught.value)


# ---------------------------------------------------------------------------------------------
# Where requests go, and how they authenticate
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base_url", "url"),
    [
        ("http://h", "http://h" + PATH),
        ("http://h/", "http://h" + PATH),
        ("http://h/api/v1", "http://h" + PATH),  # what the dashscope SDK is given
        ("http://h/api/v1/", "http://h" + PATH),
        ("http://h" + PATH, "http://h" + PATH),
        ("http://h/proxy/dashscope", "http://h/proxy/dashscope" + PATH),
        ("http://h/proxy/dashscope/api/v1", "http://h/proxy/dashscope" + PATH),
    ],
)
def test_the_url_for_every_form_of_base_url(runner: Runner, base_url: str, url: str) -> None:
    server = FakeServer(OK)
    runner.chat(client(server, base_url=base_url), hi(), ChatParams(M25))
    assert str(server.requests[0].url) == url
    assert server.requests[0].method == "POST"


def test_the_default_host_and_the_dashscope_environment(
    runner: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = FakeServer(OK)
    runner.chat(make_client(server, api=API, base_url=None), hi(), ChatParams(M25))
    assert str(server.requests[0].url) == "https://dashscope.aliyuncs.com" + PATH

    monkeypatch.setenv("DASHSCOPE_API_KEY", "sk-dashscope-from-env-0123")
    monkeypatch.setenv("DASHSCOPE_BASE_URL", "http://env-host/api/v1")
    monkeypatch.setenv("MINIMAX_API_KEY", "sk-minimax-not-this-one")
    runner.chat(make_client(server, api=API, api_key=None, base_url=None), hi(), ChatParams(M25))
    assert str(server.requests[1].url) == "http://env-host" + PATH
    assert server.requests[1].headers["authorization"] == "Bearer sk-dashscope-from-env-0123"


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
def test_headers_bearer_and_sse_asked_for_only_when_streaming(runner: Runner, stream: bool) -> None:
    request, _ = sent(runner, stream=stream)
    headers = request.headers
    assert headers["authorization"] == f"Bearer {KEY}"
    assert "x-api-key" not in headers
    assert headers["content-type"] == "application/json"
    if stream:
        assert headers["x-dashscope-sse"] == "enable"
        assert headers["accept"] == "text/event-stream"
    else:
        assert "x-dashscope-sse" not in headers
        assert headers["accept"] == "application/json"


# ---------------------------------------------------------------------------------------------
# The body: messages under input, every setting under parameters
# ---------------------------------------------------------------------------------------------


def test_the_body_splits_input_and_parameters(runner: Runner) -> None:
    messages = [SystemMessage("Be brief."), UserMessage("hi")]
    _, body = sent(runner, messages, max_tokens=1024, stop=["END"], extra={"seed": 7})
    assert body == {
        "model": M25,
        "input": {
            "messages": [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "hi"},
            ]
        },
        "parameters": {
            "result_format": "message",
            "max_tokens": 1024,
            "temperature": 1.0,  # Model Studio's documented defaults for its MiniMax-M2.5
            "top_p": 0.95,
            "stop": ["END"],
            "seed": 7,
        },
    }


def test_incremental_output_only_when_streaming(runner: Runner) -> None:
    _, whole = sent(runner)
    _, streamed = sent(runner, stream=True)
    assert "incremental_output" not in whole["parameters"]
    assert streamed["parameters"]["incremental_output"] is True
    assert "stream" not in streamed
    assert "stream" not in streamed["parameters"]


@pytest.mark.parametrize(
    ("model", "params", "expected"),
    [
        (M25, {}, {"temperature": 1.0, "top_p": 0.95}),
        (MS_M25, {}, {"temperature": 1.0, "top_p": 0.95}),
        (M25, {"temperature": 0.3, "top_p": 0.5}, {"temperature": 0.3, "top_p": 0.5}),
        (M25, {"temperature": 0}, {"temperature": 0.01, "top_p": 0.95}),
        ("MiniMax-M2.7", {}, {}),  # no documented Model Studio defaults: nothing sent
    ],
)
def test_sampling_defaults_of_model_studio(
    runner: Runner, model: str, params: dict[str, Any], expected: dict[str, Any]
) -> None:
    _, body = sent(runner, model=model, **params)
    parameters = body["parameters"]
    assert {k: parameters[k] for k in ("temperature", "top_p") if k in parameters} == expected


def test_tools_in_openai_shape(runner: Runner) -> None:
    _, body = sent(runner, tools=[WEATHER, CLOCK])
    assert body["parameters"]["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "description": "Current weather for a city.",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
            },
        },
        {
            "type": "function",
            "function": {
                "name": "get_time",
                "parameters": {"type": "object", "properties": {}},
            },
        },
    ]
    assert "tools" not in body["input"]


@pytest.mark.parametrize(
    ("choice", "wire", "instructed"),
    [
        ("auto", "auto", False),
        ("none", "none", False),
        ("get_weather", {"type": "function", "function": {"name": "get_weather"}}, True),
        ("any", None, True),  # not enforced by the service: asked for in the prompt
        ("required", None, True),
    ],
)
def test_tool_choice_mapping(runner: Runner, choice: str, wire: Any, instructed: bool) -> None:
    _, body = sent(runner, tools=[WEATHER, CLOCK], tool_choice=choice)
    assert body["parameters"].get("tool_choice") == wire
    first = body["input"]["messages"][0]
    assert (first["role"] == "system" and "call" in first["content"]) is instructed


def test_tool_choice_without_tools_is_not_sent(runner: Runner) -> None:
    _, body = sent(runner, tool_choice="auto")
    assert "tool_choice" not in body["parameters"]
    assert "tools" not in body["parameters"]


def test_history_replays_reasoning_as_reasoning_content(runner: Runner) -> None:
    history = [
        UserMessage("Weather in Paris?"),
        AssistantMessage(
            "",
            [ToolCall("call_1", "get_weather", {"city": "Paris"})],
            Reasoning("I should look it up."),
        ),
        ToolMessage("call_1", "Sunny"),
    ]
    _, body = sent(runner, history, tools=[WEATHER])
    assert body["input"]["messages"][1:] == [
        {
            "role": "assistant",
            "content": "",
            "reasoning_content": "I should look it up.",
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                }
            ],
        },
        {"role": "tool", "content": "Sunny", "tool_call_id": "call_1"},
    ]


@pytest.mark.parametrize("model", [M25, MS_M25])
def test_web_search_and_its_options_go_in_parameters(runner: Runner, model: str) -> None:
    _, body = sent(runner, model=model, enable_search=True, search_options={"forced_search": True})
    assert body["parameters"]["enable_search"] is True
    assert body["parameters"]["search_options"] == {"forced_search": True}
    _, plain = sent(runner, model=model, enable_search=False)
    assert "enable_search" not in plain["parameters"]


def test_web_search_refused_where_there_is_none(runner: Runner) -> None:
    assert "needs enable_search=True" in refused(runner, search_options={"forced_search": True})
    for model in ("MiniMax-M2.7", "MiniMax/MiniMax-M2.1"):
        assert f"{model} has no web search on Model Studio" in refused(
            runner, model=model, enable_search=True
        )
    for api in ("openai", "native", "anthropic"):
        message = refused(runner, api=api, model="MiniMax-M2.7", enable_search=True)
        assert "Model Studio feature" in message
        assert "api='dashscope-native'" in message


@pytest.mark.parametrize(
    ("model", "max_tokens", "allowed"),
    [
        (M25, 32_768, True),
        (M25, 32_769, False),  # Model Studio's own MiniMax-M2.5: 32,768 reasoning + answer
        (MS_M25, 32_769, True),
        (MS_M25, 131_072, True),
        (MS_M25, 131_073, False),
    ],
)
def test_max_tokens_limits_of_the_route(
    runner: Runner, model: str, max_tokens: int, allowed: bool
) -> None:
    if allowed:
        _, body = sent(runner, model=model, max_tokens=max_tokens)
        assert body["parameters"]["max_tokens"] == max_tokens
    else:
        message = refused(runner, model=model, max_tokens=max_tokens)
        assert f"max_tokens={max_tokens} is above {model}'s limit" in message


def test_the_same_model_id_has_minimax_limits_on_minimax_routes(runner: Runner) -> None:
    server = FakeServer(json_reply(completion("Hi.", model=M25)))
    chat = make_client(server, api="openai", base_url="http://h")
    runner.chat(chat, hi(), ChatParams(M25, max_tokens=100_000))
    assert server.bodies()[0]["max_completion_tokens"] == 100_000
    assert "temperature" not in server.bodies()[0]  # nor Model Studio's sampling defaults


def test_thinking_on_the_route(runner: Runner) -> None:
    # Model Studio: thinking only, no switch, no budget — any thinking setting is refused clearly
    # (for MiniMax-M3, which could switch elsewhere, too); unset sends nothing.
    _, body = sent(runner)
    assert "thinking" not in body["parameters"]
    assert "thinking" not in body
    for model in ("MiniMax-M2.5", "MiniMax-M3"):
        for mode in ("adaptive", "disabled"):
            message = refused(runner, model=model, thinking=mode)
            assert "'dashscope-native' route cannot switch thinking" in message


def test_partial_mode_and_json_schema_are_refused(runner: Runner) -> None:
    assert "no partial mode" in refused(runner, extra={"partial": True})
    schema = {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}}
    message = refused(runner, response_format=schema)
    assert "DashScope native route has no response_format json_schema" in message
    assert "tool calling" in message


def test_json_mode_is_asked_for_in_the_prompt(runner: Runner) -> None:
    _, body = sent(runner, response_format={"type": "json_object"})
    assert "response_format" not in body["parameters"]
    system = body["input"]["messages"][0]
    assert system["role"] == "system"
    assert "JSON object" in system["content"]


# ---------------------------------------------------------------------------------------------
# Replies, whole and streamed
# ---------------------------------------------------------------------------------------------


def test_a_whole_reply(runner: Runner) -> None:
    reply = doc(
        "Sunny in Paris.",
        reasoning="The user wants the weather.",
        usage_=usage(40, 25, reasoning=18, cached=32),
        search_info=SEARCH_INFO,
    )
    server = FakeServer(json_reply(reply, headers={"x-request-id": "rid-native-1"}))
    result = runner.chat(client(server), hi(), ChatParams(M25, enable_search=True))
    assert result.message.content == "Sunny in Paris."
    assert result.message.reasoning is not None
    assert result.message.reasoning.text == "The user wants the weather."
    assert result.finish_reason == "stop"
    assert result.id == "rid-native-1"
    assert result.request_id == "rid-native-1"
    assert result.usage is not None
    assert (result.usage.input_tokens, result.usage.output_tokens) == (40, 25)
    assert (result.usage.total_tokens, result.usage.reasoning_tokens) == (65, 18)
    assert result.usage.cached_tokens == 32
    assert result.search_info == SEARCH_INFO


def test_a_whole_tool_call(runner: Runner) -> None:
    reply = doc(
        "",
        reasoning="Call the tool.",
        finish="tool_calls",
        tool_calls=[call(0, "call_9", "get_weather", '{"city": "Paris"}')],
    )
    server = FakeServer(json_reply(reply))
    result = runner.chat(client(server), hi(), ChatParams(M25, tools=[WEATHER]))
    assert result.finish_reason == "tool_calls"
    assert result.message.tool_calls == [
        ToolCall("call_9", "get_weather", {"city": "Paris"}, '{"city": "Paris"}')
    ]
    assert result.invalid_tool_calls == []


def test_a_streamed_reply_arrives_in_increments(runner: Runner) -> None:
    body = events(
        doc(reasoning="The user", finish="null", usage_=usage(9, 2, reasoning=2)),
        doc(reasoning=" says hello.", finish="null", usage_=usage(9, 5, reasoning=5)),
        doc("Hel", finish="null", usage_=usage(9, 6, reasoning=5)),
        doc("lo!", finish="null", usage_=usage(9, 7, reasoning=5)),
        doc("", usage_=usage(9, 7, reasoning=5, cached=4)),
    )
    server = FakeServer(sse_reply(body))
    outcome = runner.stream(client(server), hi(), ChatParams(M25))
    assert outcome.error is None
    assert outcome.reasoning == "The user says hello."
    assert outcome.text == "Hello!"
    # "null" is DashScope's "not yet": only the last delta carries a finish_reason
    assert [d.finish_reason for d in outcome.deltas if d.finish_reason] == ["stop"]
    result = outcome.result
    assert result is not None
    assert result.message.content == "Hello!"
    assert result.usage is not None  # the last event's usage wins
    assert (result.usage.output_tokens, result.usage.reasoning_tokens) == (7, 5)
    assert result.usage.cached_tokens == 4


def test_streamed_reasoning_increments_are_never_taken_for_snapshots(runner: Runner) -> None:
    # incremental_output: each event carries only what is new, even when the new piece happens
    # to start with everything before it ("a" then "ab" is "aab", not a snapshot "ab")
    body = events(
        doc(reasoning="a", finish="null"),
        doc(reasoning="ab", finish="null"),
        doc("x", finish="null"),
        doc("xy"),
    )
    outcome = runner.stream(client(FakeServer(sse_reply(body))), hi(), ChatParams(M25))
    assert outcome.error is None
    assert outcome.text == "xxy"
    assert outcome.reasoning == "aab"
    assert outcome.result is not None
    assert outcome.result.message.reasoning is not None
    assert outcome.result.message.reasoning.text == "aab"


def test_a_streamed_tool_call_in_fragments(runner: Runner) -> None:
    body = events(
        doc(reasoning="Use the tool.", finish="null"),
        doc(finish="null", tool_calls=[call(0, "call_1", "get_weather", "")]),
        doc(finish="null", tool_calls=[call(0, "", None, '{"city": ')]),
        doc(finish="null", tool_calls=[call(0, "", "", '"Paris"}')]),
        doc(finish="tool_calls"),
    )
    server = FakeServer(sse_reply(body))
    outcome = runner.stream(client(server), hi(), ChatParams(M25, tools=[WEATHER]))
    assert outcome.error is None
    chunks = [c for d in outcome.deltas for c in d.tool_call_chunks]
    assert "".join(c.arguments for c in chunks) == '{"city": "Paris"}'
    assert outcome.result is not None
    assert outcome.result.finish_reason == "tool_calls"
    assert outcome.result.message.tool_calls == [
        ToolCall("call_1", "get_weather", {"city": "Paris"}, '{"city": "Paris"}')
    ]


def test_search_info_of_a_stream_is_kept(runner: Runner) -> None:
    body = events(
        doc("According to [1]", finish="null", search_info=SEARCH_INFO),
        doc(", it is sunny."),
    )
    server = FakeServer(sse_reply(body))
    outcome = runner.stream(client(server), hi(), ChatParams(M25, enable_search=True))
    assert outcome.result is not None
    assert outcome.result.search_info == SEARCH_INFO
    assert outcome.text == "According to [1], it is sunny."


def test_a_json_answer_to_a_stream_request_is_read_whole(runner: Runner) -> None:
    server = FakeServer(json_reply(doc("whole", reasoning="r")))
    outcome = runner.stream(client(server), hi(), ChatParams(M25))
    assert outcome.error is None
    assert (outcome.text, outcome.reasoning) == ("whole", "r")


def test_a_stream_cut_before_its_finish_is_an_error(runner: Runner) -> None:
    body = events(doc("Hel", finish="null"), doc("lo", finish="null"))
    outcome = runner.stream(client(FakeServer(sse_reply(body))), hi(), ChatParams(M25))
    assert isinstance(outcome.error, StreamInterruptedError)
    assert outcome.error.partial_text == "Hello"


_text = st.text(st.characters(codec="utf-8"), max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    reasoning=st.lists(_text, max_size=4),
    content=st.lists(_text, max_size=4),
    args=st.lists(_text, max_size=3),
    search=st.booleans(),
    data=st.data(),
)
def test_any_chunking_of_a_stream_gives_the_same_answer(
    reasoning: list[str], content: list[str], args: list[str], search: bool, data: st.DataObject
) -> None:
    assume("<think>" not in "".join(content))  # inline reasoning is not this route's grammar
    docs = [doc(reasoning=r, finish="null", usage_=usage(5, n)) for n, r in enumerate(reasoning)]
    docs += [doc(c, finish="null", search_info=SEARCH_INFO if search else None) for c in content]
    if args:
        docs.append(doc(finish="null", tool_calls=[call(0, "call_1", "get_weather", args[0])]))
        docs += [doc(finish="null", tool_calls=[call(0, "", None, a)]) for a in args[1:]]
    docs.append(doc(finish="tool_calls" if args else "stop", usage_=usage(5, 99, reasoning=3)))
    body = b"".join(events(*docs))
    cuts = data.draw(st.lists(st.integers(0, len(body)), max_size=12))

    prepared = prepare_chat(
        [UserMessage("hi")], ChatParams(M25, tools=[WEATHER]), api=API, stream=True
    )

    def read(pieces: list[bytes]) -> tuple[str, str, str, Any]:
        decoder = ChatStreamDecoder(prepared)
        decoder.begin(meta(200, {"content-type": "text/event-stream"}))
        deltas = [d for piece in pieces for d in decoder.feed(piece)]
        deltas += decoder.close()
        text = "".join(d.text for d in deltas)
        thought = "".join(d.reasoning for d in deltas)
        fragments = "".join(c.arguments for d in deltas for c in d.tool_call_chunks)
        return text, thought, fragments, decoder.result()

    whole = read([body])
    chunked = read(split_at(body, cuts))
    assert chunked == whole
    text, _, fragments, result = chunked
    # the answer's leading whitespace is dropped (as on every route: _think.py's rules)
    assert text == "".join(content).lstrip()
    assert fragments == "".join(args)
    assert result.finish_reason == ("tool_calls" if args else "stop")
    assert result.search_info == (SEARCH_INFO if search and content else None)
    assert result.usage.output_tokens == 99


# ---------------------------------------------------------------------------------------------
# DashScope's errors: top-level code and message, an HTTP status, or an event:error in a stream
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "status", "error", "retried"),
    [
        ("InvalidApiKey", 401, AuthenticationError, False),
        ("Throttling.RateQuota", 429, RateLimitError, True),
        ("Throttling", 429, RateLimitError, True),
        ("InvalidParameter", 400, InvalidRequestError, False),
        ("DataInspectionFailed", 400, ContentFilterError, False),
        ("Arrearage", 400, InsufficientBalanceError, False),
        ("InternalError", 500, ServerError, True),
    ],
)
@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
def test_errors_by_code(
    runner: Runner,
    sleeps: list[float],
    code: str,
    status: int,
    error: type[MiniMaxError],
    retried: bool,
    stream: bool,
) -> None:
    server = FakeServer(json_reply(error_doc(code, f"Something about {code}."), status))
    chat = client(server)
    if stream:
        caught = runner.stream(chat, hi(), ChatParams(M25)).error
    else:
        with pytest.raises(MiniMaxError) as raised:
            runner.chat(chat, hi(), ChatParams(M25))
        caught = raised.value
    assert type(caught) is error
    assert caught.status_code == status
    assert caught.request_id == "rid-error-1"
    assert caught.is_retryable is retried
    assert f"Something about {code}." in str(caught)
    assert KEY not in str(caught)
    assert server.count == (3 if retried else 1)  # max_retries=2
    assert len(sleeps) == (2 if retried else 0)
    if code == "InvalidApiKey":
        assert "DASHSCOPE_API_KEY" in str(caught)


def test_an_error_event_after_part_of_the_answer(runner: Runner) -> None:
    body = [
        event(1, doc("Hel", finish="null")),
        event(2, error_doc("InternalError", "An internal error has occured."), "error"),
    ]
    server = FakeServer(sse_reply(body))
    outcome = runner.stream(client(server), hi(), ChatParams(M25))
    assert isinstance(outcome.error, ServerError)
    assert outcome.error.request_id == "rid-error-1"
    assert outcome.text == "Hel"
    assert server.count == 1  # part of the answer was delivered: never sent again


def test_an_error_event_before_any_answer_is_retried(runner: Runner) -> None:
    failed = event(1, error_doc("Throttling.RateQuota", "Requests rate limit exceeded."), "error")
    server = FakeServer(sse_reply([failed]), OK_STREAM)
    outcome = runner.stream(client(server), hi(), ChatParams(M25))
    assert outcome.error is None
    assert outcome.text == "Hi."
    assert server.count == 2


def test_an_error_event_is_classified_by_its_code_alone(runner: Runner) -> None:
    failed = event(1, error_doc("DataInspectionFailed", "Output data may contain ..."), "error")
    server = FakeServer(sse_reply([event(1, doc("a", finish="null")), failed]))
    outcome = runner.stream(client(server), hi(), ChatParams(M25))
    assert isinstance(outcome.error, ContentFilterError)


# ---------------------------------------------------------------------------------------------
# The native tutorial's HTTP-200 shapes, on every route; MiniMax's own codes keep their meaning
# ---------------------------------------------------------------------------------------------

TUTORIAL = [
    pytest.param(401, "invalid api key", AuthenticationError, False, id="401"),
    pytest.param(429, "rate limit exceeded", RateLimitError, True, id="429"),
    pytest.param(400, "model not found", InvalidRequestError, False, id="400"),
    pytest.param(503, "service unavailable", ServerError, True, id="503"),
]


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize(("status", "text", "error", "retried"), TUTORIAL)
@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
def test_tutorial_http_like_codes_on_every_route(
    runner: Runner,
    sleeps: list[float],
    api: str,
    status: int,
    text: str,
    error: type[MiniMaxError],
    retried: bool,
    stream: bool,
) -> None:
    server = FakeServer(json_reply(base_resp(status, text)))  # an HTTP 200
    chat = make_client(server, api=api, base_url="http://h")
    if stream:
        caught = runner.stream(chat, hi(), ChatParams(M25)).error
    else:
        with pytest.raises(MiniMaxError) as raised:
            runner.chat(chat, hi(), ChatParams(M25))
        caught = raised.value
    assert isinstance(caught, error)
    assert caught.status_code == status  # it means what that HTTP status means
    assert caught.code is None
    assert caught.is_retryable is retried
    assert text in str(caught)
    if retried:
        assert server.count == 3
        assert len(sleeps) == 2
        assert 0 < sleeps[0] < sleeps[1]
    else:
        assert server.count == 1
        assert sleeps == []
    if status == 401:
        assert "region" in str(caught)
        assert "Check" in str(caught)


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize(
    ("code", "error", "retried"),
    [
        (1004, AuthenticationError, False),
        (1002, RateLimitError, True),
        (1008, InsufficientBalanceError, False),
        (2013, InvalidRequestError, False),
        (1000, ServerError, True),
    ],
)
def test_minimax_codes_keep_their_meaning_on_every_route(
    runner: Runner, api: str, code: int, error: type[MiniMaxError], retried: bool
) -> None:
    server = FakeServer(json_reply(base_resp(code, "reported by MiniMax")))
    with pytest.raises(MiniMaxError) as raised:
        runner.chat(make_client(server, api=api, base_url="http://h"), hi(), ChatParams(M25))
    assert type(raised.value) is error
    assert raised.value.code == code
    assert raised.value.status_code == 200
    assert raised.value.is_retryable is retried
    assert server.count == (3 if retried else 1)
