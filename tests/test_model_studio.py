"""Alibaba Model Studio through both adapters: web search as a first-class setting, the search
results surfaced, and the model facts of Model Studio's routes.

* ``enable_search`` / ``search_options`` on ``ChatMiniMax`` (field, per call, ``bind``) and on
  LlamaIndex's ``MiniMax`` (field, per call) reach the request the route's way (``parameters`` on
  ``api="dashscope-native"``, top level on ``api="dashscope"``); where there is no web search the
  core's refusal reaches the user as the adapter's ``InvalidInputError``, nothing sent.
* The reply's ``output.search_info`` is in LangChain's ``response_metadata["search_info"]``
  (``invoke`` and the last stream chunk) and LlamaIndex's ``response.raw["search_info"]``.
* ``profile`` (LangChain) and ``metadata`` (LlamaIndex) report the route's facts: Model Studio's
  own MiniMax-M2.5 has a 196,608-token context and 32,768 output tokens.

Sync and async, streamed and not, over ``httpx.MockTransport``; then a LangChain ``create_agent``
and a LlamaIndex ``FunctionAgent`` tool loop on ``api="dashscope-native"`` against the emulator.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from langchain.agents import create_agent
from langchain_core.exceptions import ModelAuthenticationError
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage
from langchain_core.tools import tool
from llama_index.core.agent.workflow import FunctionAgent, ToolCallResult
from llama_index.core.base.llms.types import ChatMessage
from pydantic import BaseModel

import langchain_minimax
import llama_index_minimax
from langchain_minimax import ChatMiniMax
from langchain_minimax import errors as lc_errors
from llama_index_minimax import MiniMax
from minimax_core._dialects import Api
from minimax_emulator.testing import EmulatorServer
from tests.support import API_KEY

KEY = "sk-dashscope-test-0123456789"
HOST = "https://dashscope.example"
NATIVE_PATH = "/api/v1/services/aigc/text-generation/generation"
COMPATIBLE_PATH = "/compatible-mode/v1/chat/completions"
MODEL_STUDIO = ("dashscope", "dashscope-native")
CALLS = ("invoke", "ainvoke", "stream", "astream")
SEARCH_INFO = {
    "search_results": [
        {
            "index": 1,
            "title": "Paris weather today",
            "url": "https://www.example.com/paris",
            "site_name": "Example Weather",
        }
    ]
}
SEARCH = {"forced_search": True, "search_strategy": "max"}


# ---------------------------------------------------------------------------------------------
# A scripted Model Studio behind httpx.MockTransport (both of its chat protocols)
# ---------------------------------------------------------------------------------------------


def _native_doc(message: dict[str, Any], finish: str, search: bool) -> dict[str, Any]:
    output: dict[str, Any] = {"choices": [{"finish_reason": finish, "message": message}]}
    if search:
        output["search_info"] = SEARCH_INFO
    return {
        "output": output,
        "usage": {"input_tokens": 20, "output_tokens": 9, "total_tokens": 29},
        "request_id": "rid-model-studio",
    }


def _native(streamed: bool, search: bool) -> httpx.Response:
    reasoning, answer = "Look it up.", "Sunny in Paris [1]."
    if not streamed:
        message = {"role": "assistant", "content": answer, "reasoning_content": reasoning}
        return httpx.Response(200, json=_native_doc(message, "stop", search))
    pieces = [(reasoning, "", "null"), ("", "Sunny in ", "null"), ("", "Paris [1].", "stop")]
    out = []
    for number, (thought, text, finish) in enumerate(pieces, start=1):
        message = {"role": "assistant", "content": text, "reasoning_content": thought}
        data = json.dumps(_native_doc(message, finish, search and number == 1))
        out.append(f"id:{number}\nevent:result\n:HTTP_STATUS/200\ndata:{data}\n\n")
    return httpx.Response(
        200, headers={"content-type": "text/event-stream"}, content="".join(out).encode()
    )


def _compatible(streamed: bool) -> httpx.Response:
    message = {"role": "assistant", "content": "Sunny.", "reasoning_content": "Look it up."}
    usage = {"prompt_tokens": 20, "completion_tokens": 9, "total_tokens": 29}
    if not streamed:
        choice = {"index": 0, "finish_reason": "stop", "message": message}
        return httpx.Response(200, json={"id": "c1", "choices": [choice], "usage": usage})
    chunks = [
        {"id": "c1", "choices": [{"index": 0, "delta": message, "finish_reason": "stop"}]},
        {"id": "c1", "choices": [], "usage": usage},
    ]
    body = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)


class ModelStudio:
    """Answers both Model Studio protocols; records every request. ``search``: replies carry
    ``search_info``; ``error``: every reply is that (status, DashScope error body)."""

    def __init__(self, *, search: bool = False, error: tuple[int, str] | None = None) -> None:
        self.search = search
        self.error = error
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.error is not None:
            status, code = self.error
            body = {"code": code, "message": f"{code} happened.", "request_id": "rid-error"}
            return httpx.Response(status, json=body)
        if request.url.path == NATIVE_PATH:
            return _native(request.headers.get("x-dashscope-sse") == "enable", self.search)
        assert request.url.path == COMPATIBLE_PATH, request.url
        return _compatible(bool(json.loads(request.content).get("stream")))

    def clients(self) -> dict[str, Any]:
        transport = httpx.MockTransport(self)
        return {
            "http_client": httpx.Client(transport=transport),
            "http_async_client": httpx.AsyncClient(transport=transport),
        }

    def parameters(self) -> list[dict[str, Any]]:
        """Each request's settings: ``parameters`` (native) or the top-level fields."""
        out = []
        for request in self.requests:
            body = json.loads(request.content)
            out.append(body["parameters"] if request.url.path == NATIVE_PATH else body)
        return out


def langchain(server: ModelStudio, api: str = "dashscope-native", **fields: Any) -> ChatMiniMax:
    fields.setdefault("model", "MiniMax-M2.5")
    return ChatMiniMax(api=api, api_key=KEY, base_url=HOST, **server.clients(), **fields)  # type: ignore[arg-type]


def llama(server: ModelStudio, api: str = "dashscope-native", **fields: Any) -> MiniMax:
    fields.setdefault("model", "MiniMax-M2.5")
    return MiniMax(api=api, api_key=KEY, base_url=HOST, **server.clients(), **fields)  # type: ignore[arg-type]


async def lc_call(runnable: Any, call: str, value: Any = "Weather in Paris?", **kw: Any) -> Any:
    """(the message a user holds, the last stream chunk or ``None``)."""
    if call == "invoke":
        return runnable.invoke(value, **kw), None
    if call == "ainvoke":
        return await runnable.ainvoke(value, **kw), None
    if call == "stream":
        chunks = list(runnable.stream(value, **kw))
    else:
        chunks = [c async for c in runnable.astream(value, **kw)]
    total = chunks[0]
    for chunk in chunks[1:]:
        total = total + chunk
    return total, chunks[-1]


async def li_call(llm: MiniMax, call: str, **kw: Any) -> Any:
    """The final response of ``chat`` / ``achat`` / ``stream_chat`` / ``astream_chat``."""
    messages = [ChatMessage(role="user", content="Weather in Paris?")]
    if call == "invoke":
        return llm.chat(messages, **kw)
    if call == "ainvoke":
        return await llm.achat(messages, **kw)
    if call == "stream":
        return list(llm.stream_chat(messages, **kw))[-1]
    return [r async for r in await llm.astream_chat(messages, **kw)][-1]


# ---------------------------------------------------------------------------------------------
# enable_search / search_options reach the request (LangChain)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("api", MODEL_STUDIO)
async def test_langchain_search_fields_reach_the_request(api: str, call: str) -> None:
    server = ModelStudio()
    llm = langchain(server, api, enable_search=True, search_options=SEARCH)
    await lc_call(llm, call)
    (sent,) = server.parameters()
    assert sent["enable_search"] is True
    assert sent["search_options"] == SEARCH
    if api == "dashscope-native":
        assert "enable_search" not in json.loads(server.requests[0].content)


@pytest.mark.parametrize("call", CALLS)
async def test_langchain_search_per_call_and_bound(call: str) -> None:
    server = ModelStudio()
    llm = langchain(server)
    await lc_call(llm, call, enable_search=True)
    await lc_call(llm.bind(enable_search=True, search_options=SEARCH), call)
    on = langchain(server, enable_search=True, search_options=SEARCH)
    await lc_call(on, call, enable_search=False, search_options=None)  # a call overrides
    plain = langchain(server)
    await lc_call(plain, call)
    first, bound, off, none = server.parameters()
    assert (first["enable_search"], "search_options" in first) == (True, False)
    assert (bound["enable_search"], bound["search_options"]) == (True, SEARCH)
    assert "enable_search" not in off
    assert "search_options" not in off
    assert "enable_search" not in none


def test_langchain_search_settings_are_identifying_params() -> None:
    llm = langchain(ModelStudio(), enable_search=True, search_options=SEARCH)
    assert llm._identifying_params["enable_search"] is True
    assert llm._identifying_params["search_options"] == SEARCH


# ---------------------------------------------------------------------------------------------
# ... and through LlamaIndex
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("api", MODEL_STUDIO)
async def test_llama_index_search_fields_reach_the_request(api: str, call: str) -> None:
    server = ModelStudio()
    await li_call(llama(server, api, enable_search=True, search_options=SEARCH), call)
    await li_call(llama(server, api), call, enable_search=True)
    await li_call(llama(server, api, enable_search=True), call, enable_search=False)
    field, per_call, off = server.parameters()
    assert (field["enable_search"], field["search_options"]) == (True, SEARCH)
    assert per_call["enable_search"] is True
    assert "search_options" not in per_call
    assert "enable_search" not in off


# ---------------------------------------------------------------------------------------------
# Where there is no web search: the core's refusal, as each adapter's error type
# ---------------------------------------------------------------------------------------------

NO_SEARCH = [
    pytest.param("openai", "MiniMax-M2.7", "Model Studio feature", id="openai-route"),
    pytest.param("anthropic", "MiniMax-M2.7", "Model Studio feature", id="anthropic-route"),
    pytest.param("dashscope-native", "MiniMax-M2.7", "has no web search", id="model-without"),
    pytest.param("dashscope", "MiniMax/MiniMax-M2.1", "has no web search", id="m2.1"),
]


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize(("api", "model", "reason"), NO_SEARCH)
async def test_langchain_refuses_search_where_there_is_none(
    api: str, model: str, reason: str, call: str
) -> None:
    server = ModelStudio()
    llm = langchain(server, api, model=model, enable_search=True)
    with pytest.raises(langchain_minimax.InvalidInputError, match=reason) as caught:
        await lc_call(llm, call)
    assert isinstance(caught.value, ValueError)
    with pytest.raises(langchain_minimax.InvalidInputError, match="needs enable_search"):
        await lc_call(langchain(server, api, model=model), call, search_options=SEARCH)
    assert server.requests == []


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize(("api", "model", "reason"), NO_SEARCH)
async def test_llama_index_refuses_search_where_there_is_none(
    api: str, model: str, reason: str, call: str
) -> None:
    server = ModelStudio()
    with pytest.raises(llama_index_minimax.InvalidInputError, match=reason):
        await li_call(llama(server, api, model=model, enable_search=True), call)
    with pytest.raises(llama_index_minimax.InvalidInputError, match="needs enable_search"):
        await li_call(llama(server, api, model=model), call, search_options=SEARCH)
    assert server.requests == []


async def test_a_model_studio_key_error_is_each_adapters_error() -> None:
    server = ModelStudio(error=(401, "InvalidApiKey"))
    with pytest.raises(lc_errors.AuthenticationError) as lc_caught:
        await lc_call(langchain(server), "ainvoke")
    assert isinstance(lc_caught.value, ModelAuthenticationError)
    with pytest.raises(llama_index_minimax.AuthenticationError) as li_caught:
        await li_call(llama(server), "stream")
    for caught in (lc_caught.value, li_caught.value):
        assert "DASHSCOPE_API_KEY" in str(caught)
        assert caught.request_id == "rid-error"
    assert len(server.requests) == 2  # not retried


# ---------------------------------------------------------------------------------------------
# The search results a reply carries
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("call", CALLS)
async def test_langchain_surfaces_search_info(call: str) -> None:
    llm = langchain(ModelStudio(search=True), enable_search=True)
    message, last = await lc_call(llm, call)
    assert message.response_metadata["search_info"] == SEARCH_INFO
    assert message.content == "Sunny in Paris [1]."
    assert message.additional_kwargs["reasoning_content"] == "Look it up."
    if last is not None:  # the final chunk of the stream carries it
        assert isinstance(last, AIMessageChunk)
        assert last.response_metadata["search_info"] == SEARCH_INFO


@pytest.mark.parametrize("call", CALLS)
async def test_langchain_has_no_search_info_when_the_reply_has_none(call: str) -> None:
    message, _ = await lc_call(langchain(ModelStudio()), call)
    assert "search_info" not in message.response_metadata


@pytest.mark.parametrize("call", CALLS)
async def test_llama_index_surfaces_search_info(call: str) -> None:
    response = await li_call(llama(ModelStudio(search=True), enable_search=True), call)
    assert response.raw is not None
    assert response.raw["search_info"] == SEARCH_INFO
    assert response.message.content == "Sunny in Paris [1]."
    plain = await li_call(llama(ModelStudio()), call)
    assert plain.raw is not None
    assert plain.raw["search_info"] is None


# ---------------------------------------------------------------------------------------------
# The route's model facts: LangChain's profile, LlamaIndex's metadata
# ---------------------------------------------------------------------------------------------

FACTS = [
    # (api, model, context window, max input, max output, LlamaIndex num_output)
    ("dashscope-native", "MiniMax-M2.5", 196_608, 196_601, 32_768, 32_768),
    ("dashscope", "MiniMax-M2.5", 196_608, 196_601, 32_768, 32_768),
    ("openai", "MiniMax-M2.5", 204_800, 204_800, 204_800, 65_536),  # MiniMax's own deployment
    ("native", "MiniMax-M2.5", 204_800, 204_800, 204_800, 65_536),
    ("dashscope-native", "MiniMax/MiniMax-M2.5", 204_800, 204_800, 131_072, 65_536),
    ("dashscope-native", "MiniMax-M2.7", 204_800, 204_800, 204_800, 65_536),
]


@pytest.mark.parametrize(("api", "model", "context", "max_in", "max_out", "num_output"), FACTS)
def test_langchain_profile_reads_the_routes_facts(
    api: str, model: str, context: int, max_in: int, max_out: int, num_output: int
) -> None:
    profile = ChatMiniMax(api=api, model=model, api_key=KEY).profile  # type: ignore[arg-type]
    assert profile is not None
    assert profile["name"] == model
    assert (profile["max_input_tokens"], profile["max_output_tokens"]) == (max_in, max_out)
    assert profile["tool_calling"] is True
    assert profile["reasoning_output"] is True
    assert profile["structured_output"] is False


@pytest.mark.parametrize(("api", "model", "context", "max_in", "max_out", "num_output"), FACTS)
def test_llama_index_metadata_reads_the_routes_facts(
    api: Api, model: str, context: int, max_in: int, max_out: int, num_output: int
) -> None:
    meta = MiniMax(api=api, model=model, api_key=KEY).metadata  # type: ignore[arg-type]
    assert (meta.model_name, meta.context_window, meta.num_output) == (model, context, num_output)
    assert meta.is_function_calling_model is True
    assert MiniMax(api=api, model=model, max_tokens=1024).metadata.num_output == 1024


def test_native_json_schema_only_where_the_route_takes_it() -> None:
    openai = ChatMiniMax(api="openai", model="MiniMax-Text-01").profile
    native = ChatMiniMax(api="dashscope-native", model="MiniMax-Text-01", api_key=KEY).profile  # type: ignore[arg-type]
    assert openai is not None
    assert native is not None
    assert openai["structured_output"] is True
    assert native["structured_output"] is False  # DashScope's protocol has no json_schema


class Weather(BaseModel):
    city: str
    sky: str


def test_json_schema_structured_output_falls_back_to_tools_on_the_native_route() -> None:
    requests: list[dict[str, Any]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(json.loads(request.content))
        call = {
            "index": 0,
            "id": "call_1",
            "type": "function",
            "function": {"name": "Weather", "arguments": '{"city": "Paris", "sky": "clear"}'},
        }
        message = {"role": "assistant", "content": "", "tool_calls": [call]}
        return httpx.Response(200, json=_native_doc(message, "tool_calls", search=False))

    transport = httpx.MockTransport(answer)
    llm = ChatMiniMax(
        api="dashscope-native",
        model="MiniMax-Text-01",
        api_key=KEY,  # type: ignore[arg-type]
        base_url=HOST,
        http_client=httpx.Client(transport=transport),
    )
    parsed = llm.with_structured_output(Weather, method="json_schema").invoke("Paris?")
    assert parsed == Weather(city="Paris", sky="clear")
    (body,) = requests
    assert "response_format" not in body["parameters"]
    assert [t["function"]["name"] for t in body["parameters"]["tools"]] == ["Weather"]


# ---------------------------------------------------------------------------------------------
# Tool loops on api="dashscope-native", against the emulator
# ---------------------------------------------------------------------------------------------


@tool
def get_weather(city: str) -> str:
    """Get the current weather for a city."""
    return "Sunny, 24°C"


@tool
def get_time(city: str) -> str:
    """Get the local time in a city."""
    return "12:00"


def native_bodies(emulator: EmulatorServer) -> list[dict[str, Any]]:
    return [r.json for r in emulator.requests if r.path == NATIVE_PATH and isinstance(r.json, dict)]


def assert_turns_replayed(body: dict[str, Any], turns: list[dict[str, Any]]) -> None:
    """Each assistant turn in ``body`` carries its reasoning as ``reasoning_content`` and its
    calls, each answered right after it."""
    messages = body["input"]["messages"]
    assistants = [i for i, m in enumerate(messages) if m["role"] == "assistant"]
    assert len(assistants) == len(turns)
    for position, turn in zip(assistants, turns, strict=True):
        sent = messages[position]
        assert sent["reasoning_content"] == turn["reasoning"]
        assert sent["reasoning_content"]
        ids = [c["id"] for c in sent.get("tool_calls", [])]
        assert ids == turn["ids"]
        answered = [m["tool_call_id"] for m in messages[position + 1 : position + 1 + len(ids)]]
        assert sorted(answered) == sorted(ids)


@pytest.mark.parametrize("mode", ["sync", "async", "stream"])
async def test_langchain_agent_tool_loop_on_the_native_route(
    emulator: EmulatorServer, mode: str
) -> None:
    llm = ChatMiniMax(
        api="dashscope-native",
        model="MiniMax-M2.5",
        api_key=API_KEY,  # type: ignore[arg-type]
        base_url=emulator.base_url + "/api/v1",  # as the dashscope SDK is configured
        streaming=mode == "stream",
    )
    agent: Any = create_agent(
        llm, [get_weather, get_time], system_prompt="You are a travel helper."
    )
    state: dict[str, Any] = {"messages": [HumanMessage("Use get_weather and get_time for Paris")]}
    result = agent.invoke(state) if mode == "sync" else await agent.ainvoke(state)
    messages: list[BaseMessage] = result["messages"]

    assert [m.type for m in messages] == ["human", "ai", "tool", "tool", "ai"]
    first = messages[1]
    assert isinstance(first, AIMessage)
    assert [c["name"] for c in first.tool_calls] == ["get_weather", "get_time"]
    assert messages[-1].content == "Based on the tool results: Sunny, 24°C; 12:00."
    bodies = native_bodies(emulator)
    assert len(bodies) == 2
    assert bodies[0]["input"]["messages"][0] == {
        "role": "system",
        "content": "You are a travel helper.",
    }
    tools = [t["function"]["name"] for t in bodies[0]["parameters"]["tools"]]
    assert tools == ["get_weather", "get_time"]
    assert bodies[1]["parameters"].get("incremental_output") is (True if mode == "stream" else None)
    reasoning = first.additional_kwargs["reasoning_content"]
    ids = [c["id"] for c in first.tool_calls]
    assert_turns_replayed(bodies[1], [{"reasoning": reasoning, "ids": ids}])


def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


def multiply(a: int, b: int) -> int:
    """Multiply two integers."""
    return a * b


@pytest.mark.parametrize("streaming", [True, False], ids=["streaming", "not-streaming"])
async def test_llama_index_function_agent_tool_loop_on_the_native_route(
    emulator: EmulatorServer, streaming: bool
) -> None:
    llm = MiniMax(
        api="dashscope-native",
        model="MiniMax-M2.5",
        api_key=API_KEY,  # type: ignore[arg-type]
        base_url=emulator.base_url,
    )
    agent = FunctionAgent(tools=[add, multiply], llm=llm, streaming=streaming)
    handler = agent.run("Use add on 2 and 3, and multiply 4 and 5.")
    events = [event async for event in handler.stream_events()]
    result = await handler

    calls = sorted(
        (e.tool_name, e.tool_kwargs, e.tool_output.raw_output)
        for e in events
        if isinstance(e, ToolCallResult)
    )
    assert calls == [("add", {"a": 2, "b": 3}, 5), ("multiply", {"a": 4, "b": 5}, 20)]
    assert str(result) in (
        "Based on the tool results: 5; 20.",
        "Based on the tool results: 20; 5.",
    )
    bodies = native_bodies(emulator)
    assert len(bodies) == 2
    streamed = [b["parameters"].get("incremental_output") for b in bodies]
    assert streamed == ([True, True] if streaming else [None, None])
    # the emulator's own first reply (it is deterministic), read back outside the adapter
    first = dict(bodies[0], parameters={"result_format": "message", **bodies[0]["parameters"]})
    first["parameters"].pop("incremental_output", None)
    reply = httpx.post(
        emulator.base_url + NATIVE_PATH, json=first, headers={"Authorization": f"Bearer {API_KEY}"}
    ).json()["output"]["choices"][0]["message"]
    ids = [c["id"] for c in reply["tool_calls"]]
    assert_turns_replayed(bodies[1], [{"reasoning": reply["reasoning_content"], "ids": ids}])
