"""``MiniMax``: MiniMax chat models for LlamaIndex (a ``FunctionCallingLLM``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from llama_index.core.base.llms.generic_utils import (
    achat_to_completion_decorator,
    astream_chat_to_completion_decorator,
    chat_to_completion_decorator,
    stream_chat_to_completion_decorator,
)
from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseAsyncGen,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseAsyncGen,
    CompletionResponseGen,
    ContentBlock,
    LLMMetadata,
    MessageRole,
    TextBlock,
    ToolCallBlock,
)
from llama_index.core.bridge.pydantic import Field
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.function_calling import FunctionCallingLLM
from llama_index.core.llms.llm import ToolSelection

import minimax_core as core
from llama_index_minimax._convert import (
    openai_tool_calls,
    response_blocks,
    result_tool_calls,
    thinking_block,
    to_core_messages,
    tool_selections,
    usage_kwargs,
)
from minimax_core import ClientSettings, tool_choice_name

if TYPE_CHECKING:
    from llama_index.core.tools.types import BaseTool

__all__ = ["MiniMax"]


def _raw(result: core.ChatResult) -> dict[str, Any]:
    return {
        "id": result.id,
        "model": result.model,
        "finish_reason": result.finish_reason,
        "request_id": result.request_id,
        "usage": usage_kwargs(result.usage),
        "empty_answer": result.empty_answer,
        "tool_call_recovered": result.tool_call_recovered,
        "tool_call_missing": result.tool_call_missing,
        "required_tool": result.required_tool,
        "tool_choice_failure": result.tool_choice_failure(),
        "tool_choice_repairs": result.tool_choice_repairs,
        "search_info": result.search_info,
    }


class _Partial:
    """The cumulative message of a stream in progress (LlamaIndex streams whole messages)."""

    __slots__ = ("calls", "reasoning", "text")

    def __init__(self) -> None:
        self.text = ""
        self.reasoning = ""
        self.calls: dict[int, list[str]] = {}  # index → [id, name, arguments so far]

    def add(self, delta: core.ChatDelta) -> ChatResponse:
        self.text += delta.text
        self.reasoning += delta.reasoning
        for chunk in delta.tool_call_chunks:
            call = self.calls.setdefault(chunk.index, ["", "", ""])
            call[0] = chunk.id or call[0]
            call[1] = chunk.name or call[1]
            call[2] += chunk.arguments
        blocks: list[ContentBlock] = []
        if self.reasoning:
            blocks.append(thinking_block(self.reasoning, None, None, None))
        blocks.append(TextBlock(text=self.text))
        blocks.extend(
            ToolCallBlock(tool_call_id=i, tool_name=n, tool_kwargs=a)
            for i, n, a in self.calls.values()
        )
        extra: dict[str, Any] = {}
        if delta.reasoning:
            extra["thinking_delta"] = delta.reasoning
        calls = openai_tool_calls([(i, n, a) for i, n, a in self.calls.values()])
        return ChatResponse(
            message=ChatMessage(
                role=MessageRole.ASSISTANT,
                blocks=blocks,
                additional_kwargs={"tool_calls": calls} if calls else {},
            ),
            delta=delta.text,
            raw={"id": delta.id, "finish_reason": delta.finish_reason},
            additional_kwargs=extra,
        )


class MiniMax(FunctionCallingLLM, ClientSettings):
    """MiniMax chat models for LlamaIndex: reasoning as ``ThinkingBlock``\\ s, tools, agents.

    Setup:
        ``pip install "minimax-integrations[llama-index]"`` and ``export MINIMAX_API_KEY=...``
        (a key from platform.minimax.io for ``region="global"``, platform.minimaxi.com for
        ``region="cn"``). Offline: run ``minimax-emulator`` and set ``MINIMAX_BASE_URL``.

    Examples:
        .. code-block:: python

            from llama_index.core.llms import ChatMessage
            from llama_index_minimax import MiniMax

            llm = MiniMax(model="MiniMax-M2.7", max_tokens=4096)
            response = llm.chat([ChatMessage(role="user", content="What is 2 + 2?")])
            print(response.message.content)  # the answer, no <think> inside
            thinking = [b for b in response.message.blocks if b.block_type == "thinking"]
            print(thinking[0].content)       # the reasoning

            for chunk in llm.stream_chat([ChatMessage(role="user", content="Hello")]):
                print(chunk.additional_kwargs.get("thinking_delta") or chunk.delta, end="")

        Agents and tools:

        .. code-block:: python

            from llama_index.core.agent.workflow import FunctionAgent

            def multiply(a: int, b: int) -> int:
                \"\"\"Multiply two integers.\"\"\"
                return a * b

            agent = FunctionAgent(tools=[multiply], llm=llm)
            # answer = await agent.run("What is 6 times 7?")

    Reasoning is replayed on later turns exactly as MiniMax sent it (it needs it back in
    multi-turn tool use). Token counts are in ``response.additional_kwargs`` (``prompt_tokens``,
    ``completion_tokens``, ``total_tokens``, ``reasoning_tokens``, ``cached_tokens``, and on
    ``api="anthropic"`` ``cache_creation_tokens``; ``prompt_tokens`` includes both). Errors
    are ``minimax_core`` errors (``AuthenticationError``, ``RateLimitError``, …).

    Routes (``api=``): ``"openai"`` (MiniMax's OpenAI-compatible API, the default),
    ``"native"`` (MiniMax's ``chatcompletion_v2``), ``"anthropic"`` (MiniMax's
    Anthropic-compatible ``/anthropic/v1/messages``), and Alibaba Model Studio's two:
    ``"dashscope"`` (its OpenAI-compatible mode, ``/compatible-mode/v1``) and
    ``"dashscope-native"`` (its own DashScope protocol,
    ``/api/v1/services/aigc/text-generation/generation``, what the ``dashscope`` SDK speaks).
    On Model Studio's routes ``metadata`` reports Model Studio's limits, and ``enable_search=True``
    turns on its web search (models that have it: ``MiniMax-M2.5``, ``MiniMax/MiniMax-M2.5``;
    ``search_options`` tunes it; the sources it reports are in ``response.raw["search_info"]``).

    The API key is never shown or serialised: ``repr``/``to_dict``/``to_json`` leave it out, and
    ``from_dict``/``from_json`` read it from ``MINIMAX_API_KEY`` (``DASHSCOPE_API_KEY`` for
    ``api="dashscope"`` and ``"dashscope-native"``) again. Pickles keep it (a trusted
    transport: a model built with ``api_key=...`` works in a worker process). Tool calls are
    ``ToolCallBlock``\\ s, mirrored in ``message.additional_kwargs["tool_calls"]`` (OpenAI
    shape) for code that looks there.
    """

    model: str = Field(default="MiniMax-M2.7", description="The MiniMax model id.")
    temperature: float | None = Field(
        default=None, description="Sampling temperature (0 is sent as 0.01)."
    )
    top_p: float | None = Field(default=None, description="Nucleus sampling.")
    max_tokens: int | None = Field(
        default=None, description="Output budget, reasoning included (max_completion_tokens)."
    )
    thinking: Any = Field(default=None, description="'adaptive' or 'disabled' (MiniMax-M3 only).")
    stop: list[str] | None = Field(
        default=None, description="Stop sequences (also enforced client-side)."
    )
    enable_search: bool | None = Field(
        default=None,
        description="Model Studio's web search (api='dashscope' or 'dashscope-native', models "
        "that have it); the sources it reports are in response.raw['search_info'].",
    )
    search_options: dict[str, Any] | None = Field(
        default=None,
        description="Model Studio's search_options (e.g. {'forced_search': True}); needs "
        "enable_search=True.",
    )
    additional_kwargs: dict[str, Any] = Field(
        default_factory=dict, description="Extra request fields sent as given."
    )

    @classmethod
    def class_name(cls) -> str:
        return "MiniMax_LLM"

    @property
    def metadata(self) -> LLMMetadata:
        info = core.model_info(self.model, self.api)  # Model Studio's limits on its routes
        return LLMMetadata(
            context_window=info.context_window,
            num_output=self.max_tokens or info.recommended_max_tokens,
            is_chat_model=True,
            is_function_calling_model=info.tools,
            model_name=self.model,
            system_role=MessageRole.SYSTEM,
        )

    # -- request ----------------------------------------------------------------------------

    def _params(self, kwargs: dict[str, Any]) -> core.ChatParams:
        kwargs = dict(kwargs)
        tools = kwargs.pop("tools", None)
        return core.ChatParams(
            model=kwargs.pop("model", None) or self.model,
            temperature=kwargs.pop("temperature", self.temperature),
            top_p=kwargs.pop("top_p", self.top_p),
            max_tokens=kwargs.pop("max_tokens", self.max_tokens),
            stop=kwargs.pop("stop", self.stop),
            thinking=kwargs.pop("thinking", self.thinking),
            tools=tools,
            tool_choice=tool_choice_name(kwargs.pop("tool_choice", None)),
            parallel_tool_calls=kwargs.pop("parallel_tool_calls", None),
            response_format=kwargs.pop("response_format", None),
            enable_search=kwargs.pop("enable_search", self.enable_search),
            search_options=kwargs.pop("search_options", self.search_options),
            extra={**self.additional_kwargs, **kwargs},
        )

    @staticmethod
    def _response(result: core.ChatResult) -> ChatResponse:
        calls = openai_tool_calls(result_tool_calls(result))
        return ChatResponse(
            message=ChatMessage(
                role=MessageRole.ASSISTANT,
                blocks=response_blocks(result),
                additional_kwargs={"tool_calls": calls} if calls else {},
            ),
            raw=_raw(result),
            additional_kwargs=usage_kwargs(result.usage),
        )

    # -- chat -------------------------------------------------------------------------------

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        result = self._client.chat(to_core_messages(messages), self._params(kwargs))
        return self._response(result)

    @llm_chat_callback()
    async def achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        result = await self._client.achat(to_core_messages(messages), self._params(kwargs))
        return self._response(result)

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        stream = self._client.stream(to_core_messages(messages), self._params(kwargs))

        def gen() -> ChatResponseGen:
            partial = _Partial()
            for delta in stream:
                yield partial.add(delta)
            yield self._final(stream.result)

        return gen()

    @llm_chat_callback()
    async def astream_chat(
        self, messages: Sequence[ChatMessage], **kwargs: Any
    ) -> ChatResponseAsyncGen:
        stream = self._client.astream(to_core_messages(messages), self._params(kwargs))

        async def gen() -> ChatResponseAsyncGen:
            partial = _Partial()
            async for delta in stream:
                yield partial.add(delta)
            yield self._final(stream.result)

        return gen()

    def _final(self, result: core.ChatResult) -> ChatResponse:
        """The last streamed response: the whole message (replay data, parsed tool calls)."""
        response = self._response(result)
        response.delta = ""
        return response

    # -- completion (through chat) ----------------------------------------------------------

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return chat_to_completion_decorator(self.chat)(prompt, **kwargs)

    @llm_completion_callback()
    async def acomplete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponse:
        return await achat_to_completion_decorator(self.achat)(prompt, **kwargs)

    @llm_completion_callback()
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        return stream_chat_to_completion_decorator(self.stream_chat)(prompt, **kwargs)

    @llm_completion_callback()
    async def astream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseAsyncGen:
        return await astream_chat_to_completion_decorator(self.astream_chat)(prompt, **kwargs)

    # -- tools ------------------------------------------------------------------------------

    def _prepare_chat_with_tools(
        self,
        tools: Sequence[BaseTool],
        user_msg: str | ChatMessage | None = None,
        chat_history: list[ChatMessage] | None = None,
        verbose: bool = False,
        allow_parallel_tool_calls: bool = False,
        tool_required: bool = False,
        **kwargs: Any,
    ) -> dict[str, Any]:
        messages = list(chat_history or [])
        if isinstance(user_msg, str):
            messages.append(ChatMessage(role=MessageRole.USER, content=user_msg))
        elif user_msg is not None:
            messages.append(user_msg)
        definitions = [
            core.ToolDefinition(
                name=tool.metadata.get_name(),
                description=tool.metadata.description,
                parameters=tool.metadata.get_parameters_dict(),
            )
            for tool in tools
        ]
        choice = kwargs.pop("tool_choice", None)
        if choice is None and tool_required:
            choice = "any"
        return {
            "messages": messages,
            "tools": definitions or None,
            "tool_choice": choice,
            "parallel_tool_calls": None if allow_parallel_tool_calls else False,
            **kwargs,
        }

    def get_tool_calls_from_response(
        self,
        response: ChatResponse,
        error_on_no_tool_call: bool = True,
        **kwargs: Any,
    ) -> list[ToolSelection]:
        """The response's tool calls; partial JSON (mid-stream) is parsed as far as it goes."""
        selections = tool_selections(response.message)
        text = response.message.content or ""
        if not selections and error_on_no_tool_call:
            raise core.ToolChoiceError(
                "Expected at least one tool call, but the model answered in text (and no tool "
                f"arguments could be read from it): {text[:200]!r}",
                text=text,
            )
        raw = response.raw or {}
        failure = raw.get("tool_choice_failure")
        if selections and error_on_no_tool_call and isinstance(failure, str):
            raise core.ToolChoiceError(failure, text=text)
        return selections
