"""``ChatMiniMax``: MiniMax chat models (abab6.5 → MiniMax-M2.x → MiniMax-M3) for LangChain."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import (
    BaseChatModel,
    LangSmithParams,
    LanguageModelInput,
    ModelProfile,
)
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import ConfigDict, Field

import minimax_core as core
from langchain_minimax._blocks import register as _register_blocks
from langchain_minimax._convert import (
    response_metadata,
    to_ai_message,
    to_chunk,
    to_core_messages,
    to_core_tools,
)
from langchain_minimax._structured import Method, structured_runnable
from langchain_minimax.errors import ToolChoiceError, translate_errors
from minimax_core import MESSAGE_OVERHEAD, ClientSettings, estimate_tokens, tool_choice_name

__all__ = ["ChatMiniMax"]

_register_blocks()


class ChatMiniMax(BaseChatModel, ClientSettings):
    """MiniMax chat models, with reasoning, tools and structured output done right.

    Setup:
        Install the package and set your key (from platform.minimax.io for ``region="global"``,
        platform.minimaxi.com for ``region="cn"``; keys only work in their own region)::

            pip install "minimax-integrations[langchain]"
            export MINIMAX_API_KEY="sk-..."

        No key? ``minimax-emulator`` serves the same protocol offline; point
        ``MINIMAX_BASE_URL`` (or ``base_url=``) at it and use any key.

    Key init args — completion params:
        model: str
            ``"MiniMax-M2.7"`` (default), ``"MiniMax-M3"``, ``"MiniMax-M2.5-highspeed"``, …;
            unknown ids are passed through. Alias: ``model_name``.
        temperature, top_p: float | None
            Kept inside MiniMax's accepted range (``0`` becomes ``0.01``).
        max_tokens: int | None
            Output budget, reasoning included (sent as ``max_completion_tokens``; on
            ``api="anthropic"`` as ``max_tokens``, the model's recommended budget when unset).
        thinking: "adaptive" | "disabled" | None
            MiniMax-M3 only (M2.x always think; asking them not to is a clear error).
        stop: list[str] | None
            Also enforced client-side: MiniMax ignores ``stop`` on current models.
        enable_search: bool | None
            Model Studio's web search (``api="dashscope"`` / ``"dashscope-native"``, models
            that have it: ``MiniMax-M2.5``, ``MiniMax/MiniMax-M2.5``); elsewhere a clear error.
            What the reply reports of the search is in ``response_metadata["search_info"]``.
            Also per call: ``llm.invoke(..., enable_search=True)`` or ``llm.bind(...)``.
        search_options: dict | None
            Model Studio's ``search_options`` (e.g. ``{"forced_search": True}``); needs
            ``enable_search=True``.

    Key init args — client params:
        api_key: SecretStr | None
            Defaults to ``MINIMAX_API_KEY`` (``DASHSCOPE_API_KEY`` for ``api="dashscope"`` and
            ``api="dashscope-native"``).
        api: "openai" | "native" | "dashscope" | "anthropic" | "dashscope-native"
            The route: OpenAI-compatible (default), MiniMax's native ``chatcompletion_v2``,
            Alibaba Model Studio's OpenAI-compatible mode (``/compatible-mode/v1``), MiniMax's
            Anthropic-compatible ``/anthropic/v1/messages`` (signed thinking blocks replayed
            verbatim across tool turns), or Model Studio's own DashScope protocol
            (``/api/v1/services/aigc/text-generation/generation``, what the ``dashscope`` SDK
            speaks). Both Model Studio routes take a DashScope key (env ``DASHSCOPE_BASE_URL``
            for the host) and report Model Studio's limits in ``profile``.
        region: "global" | "cn"
            ``api.minimax.io`` or ``api.minimaxi.com`` (env ``MINIMAX_REGION``).
        base_url: str | None
            Overrides the host (env ``MINIMAX_BASE_URL``); ``.../v1`` and proxy prefixes work.
        timeout: float | None
            Read timeout in seconds (default 300: thinking can be silent for minutes).
        max_retries: int
            Retries of rate limits, overloads and connection failures (default 2).

    Instantiate:
        .. code-block:: python

            from langchain_minimax import ChatMiniMax

            llm = ChatMiniMax(model="MiniMax-M2.7", temperature=0.7, max_tokens=4096)

    Invoke:
        .. code-block:: python

            messages = [
                ("system", "You are a concise assistant."),
                ("human", "What is the capital of France?"),
            ]
            msg = llm.invoke(messages)
            print(msg.content)                                 # the answer, no <think> inside
            print(msg.additional_kwargs["reasoning_content"])  # the model's reasoning

    Stream (reasoning and answer arrive separately):
        .. code-block:: python

            for chunk in llm.stream(messages):
                reasoning = chunk.additional_kwargs.get("reasoning_content", "")
                print(reasoning or chunk.content, end="")

    Async:
        .. code-block:: python

            import asyncio

            async def main() -> None:
                msg = await llm.ainvoke(messages)
                async for chunk in llm.astream(messages):
                    print(chunk.content, end="")
                await llm.abatch([messages, messages])

            asyncio.run(main())

    Reasoning:
        ``content`` is only the visible answer. The reasoning is in
        ``additional_kwargs["reasoning_content"]``, a standard ``reasoning`` block in
        ``msg.content_blocks`` (and in ``content`` with ``output_version="v1"``), and MiniMax's
        raw ``reasoning_details`` in ``additional_kwargs``. Put the message back into the
        history and its reasoning is sent back exactly as received — MiniMax needs it in
        multi-turn tool use. Messages from other chat models are accepted too.

        .. code-block:: python

            msg = llm.invoke("Is 9.11 larger than 9.9?")
            [block["type"] for block in msg.content_blocks]  # ['reasoning', 'text']
            follow_up = llm.invoke(["Is 9.11 larger than 9.9?", msg, "Why?"])

    Tool calling:
        .. code-block:: python

            from langchain_core.tools import tool

            @tool
            def get_weather(city: str) -> str:
                \"\"\"Get the weather for a city.\"\"\"
                return f"Sunny in {city}"

            llm_with_tools = llm.bind_tools([get_weather])
            ai_msg = llm_with_tools.invoke("What is the weather in Paris?")
            ai_msg.tool_calls  # [{'name': 'get_weather', 'args': {...}, 'id': ..., ...}]

        ``tool_choice`` accepts ``"auto"``, ``"none"``, ``"any"``/``"required"``/``True`` and a
        tool's name. MiniMax ignores forced choices, so they are asked for in the prompt and, if
        the model still answers in text, recovered from JSON in the text (else a
        ``ToolChoiceError``, which is an ``OutputParserException``).
        ``parallel_tool_calls=False`` keeps at most one call.

    Structured output:
        .. code-block:: python

            from pydantic import BaseModel, Field

            class Joke(BaseModel):
                setup: str = Field(description="The setup of the joke")
                punchline: str = Field(description="The punchline")

            structured = llm.with_structured_output(Joke)
            structured.invoke("Tell me a joke about cats")  # Joke(setup=..., punchline=...)

        ``method="function_calling"`` (default), ``"json_schema"`` (enforced natively on
        MiniMax-Text-01, function calling elsewhere) or ``"json_mode"``; ``include_raw=True``.

    Token usage:
        .. code-block:: python

            msg = llm.invoke(messages)
            msg.usage_metadata
            # {'input_tokens': ..., 'output_tokens': ..., 'total_tokens': ...,
            #  'output_token_details': {'reasoning': ...}, 'input_token_details': {...}}

        Streams report usage on one chunk (``stream_usage=True``, the default).

    Response metadata:
        ``model_provider="minimax"``, ``model_name``, ``finish_reason``, ``id``,
        ``request_id`` (quote it to MiniMax support), ``empty_answer=True`` when the whole
        ``max_tokens`` budget went to reasoning (raise ``max_tokens``; a
        ``minimax_core.EmptyAnswerWarning`` says so too), and ``search_info`` when a Model
        Studio web search (``enable_search``) reported its sources (on a stream: the last chunk).

    Errors:
        Typed errors from ``langchain_minimax.errors`` that are both ``minimax_core`` errors
        and LangChain ``Model*Error``\\ s: ``AuthenticationError`` (names the region mismatch),
        ``RateLimitError``, ``InvalidRequestError``, ``ContextOverflowError``, ``ServerError``,
        ``APITimeoutError``, ``StreamInterruptedError``, …; bad input is refused before
        anything is sent.

    Routes and regions:
        .. code-block:: python

            ChatMiniMax(region="cn")                         # api.minimaxi.com
            ChatMiniMax(api="native", model="MiniMax-M2.7")  # /v1/text/chatcompletion_v2
            ChatMiniMax(api="dashscope", model="MiniMax-M2.5")  # Alibaba Model Studio
            ChatMiniMax(api="dashscope-native", model="MiniMax-M2.5", enable_search=True)
            ChatMiniMax(api="anthropic", model="MiniMax-M3", thinking="adaptive")  # /anthropic
    """

    model_config = ConfigDict(populate_by_name=True, arbitrary_types_allowed=True)

    model_name: str = Field(default="MiniMax-M2.7", alias="model")
    """The MiniMax model id."""
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = Field(default=None, alias="max_completion_tokens")
    thinking: Any = None
    """``"adaptive"`` or ``"disabled"`` (MiniMax-M3); also ``{"type": ...}`` or a bool."""
    stop: list[str] | None = Field(default=None, alias="stop_sequences")
    streaming: bool = False
    """Use streaming under ``invoke`` too."""
    stream_usage: bool = True
    """Ask for token usage at the end of streams."""
    enable_search: bool | None = None
    """Model Studio's web search (``api="dashscope"`` / ``"dashscope-native"``; results in
    ``response_metadata["search_info"]``). Also accepted per call."""
    search_options: dict[str, Any] | None = None
    """Model Studio's ``search_options`` (e.g. ``{"forced_search": True}``). Also per call."""
    model_kwargs: dict[str, Any] = Field(default_factory=dict)
    """Extra request fields sent as given (e.g. ``{"mask_sensitive_info": True}``)."""

    # -- LangChain plumbing ---------------------------------------------------------------

    @property
    def _llm_type(self) -> str:
        return "minimax-chat"

    @property
    def lc_secrets(self) -> dict[str, str]:
        return {"api_key": "MINIMAX_API_KEY"}

    @classmethod
    def is_lc_serializable(cls) -> bool:
        return True

    @classmethod
    def get_lc_namespace(cls) -> list[str]:
        return ["langchain_minimax", "chat_models"]

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {
            "model_name": self.model_name,
            "api": self.api,
            "region": self.region,
            "base_url": self.base_url,
            "temperature": self.temperature,
            "top_p": self.top_p,
            "max_tokens": self.max_tokens,
            "thinking": self.thinking,
            "enable_search": self.enable_search,
            "search_options": self.search_options,
        }

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = super()._get_ls_params(stop=stop, **kwargs)
        params["ls_provider"] = "minimax"
        params["ls_model_name"] = kwargs.get("model", self.model_name)
        if self.max_tokens is not None:
            params["ls_max_tokens"] = self.max_tokens
        if self.temperature is not None:
            params["ls_temperature"] = self.temperature
        if stop or self.stop:
            params["ls_stop"] = stop or self.stop
        return params

    def _model_info(self) -> core.ModelInfo:
        """The model as the configured route serves it (Model Studio's limits on its routes)."""
        return core.model_info(self.model_name, self.api)

    def _native_json_schema(self) -> bool:
        """Whether ``response_format`` json_schema is enforced: by the model, on this route.
        (Read from the route's table, not the client: the profile is resolved while the model
        is being validated, and LangChain drops any error raised then.)"""
        route = core.ClientConfig(api=self.api).dialect
        return self._model_info().json_schema and route.response_format

    def _resolve_model_profile(self) -> ModelProfile | None:
        info = self._model_info()
        return ModelProfile(
            name=info.id,
            max_input_tokens=info.max_input_tokens or info.context_window,
            max_output_tokens=info.max_output_tokens,
            text_inputs=True,
            image_inputs=info.vision,
            image_url_inputs=info.vision,
            pdf_inputs=False,
            audio_inputs=False,
            video_inputs=False,
            text_outputs=True,
            reasoning_output=info.reasons,
            tool_calling=info.tools,
            tool_choice=info.tools,
            tool_call_streaming=info.tools,
            structured_output=self._native_json_schema(),
        )

    def get_num_tokens(self, text: str) -> int:
        """An estimate (MiniMax publishes no tokenizer); exact counts are in ``usage_metadata``."""
        return estimate_tokens(text)

    def get_num_tokens_from_messages(
        self,
        messages: list[BaseMessage],
        tools: Sequence[Any] | None = None,
    ) -> int:
        """An estimate of the prompt size, for ``trim_messages(token_counter=llm)``."""
        total = 0
        for message in messages:
            total += MESSAGE_OVERHEAD + estimate_tokens(message.text)
            for call in getattr(message, "tool_calls", ()):
                total += estimate_tokens(call["name"]) + estimate_tokens(str(call["args"]))
        if tools:
            total += sum(estimate_tokens(str(convert_to_openai_tool(t))) for t in tools)
        return total

    # -- calls ----------------------------------------------------------------------------

    def _params(
        self, stop: list[str] | None, kwargs: dict[str, Any]
    ) -> tuple[core.ChatParams, bool]:
        kwargs = dict(kwargs)
        kwargs.pop("stream", None)
        structured = bool(kwargs.pop("structured_output", False))
        tools = kwargs.pop("tools", None)
        params = core.ChatParams(
            model=kwargs.pop("model", None) or self.model_name,
            temperature=kwargs.pop("temperature", self.temperature),
            top_p=kwargs.pop("top_p", self.top_p),
            max_tokens=kwargs.pop("max_tokens", self.max_tokens),
            stop=stop if stop is not None else self.stop,
            thinking=kwargs.pop("thinking", self.thinking),
            tools=to_core_tools(tools) if tools else None,
            tool_choice=kwargs.pop("tool_choice", None),
            parallel_tool_calls=kwargs.pop("parallel_tool_calls", None),
            response_format=kwargs.pop("response_format", None),
            stream_usage=self.stream_usage,
            enable_search=kwargs.pop("enable_search", self.enable_search),
            search_options=kwargs.pop("search_options", self.search_options),
            extra={**self.model_kwargs, **kwargs},
        )
        return params, structured

    def _result(self, result: core.ChatResult, structured: bool) -> ChatResult:
        failure = None if structured else result.tool_choice_failure()
        if failure is not None:
            raise ToolChoiceError(failure, text=result.message.content)
        message = to_ai_message(result, self.model_name)
        llm_output = {"model_name": message.response_metadata["model_name"]}
        if message.usage_metadata:
            llm_output["token_usage"] = dict(message.usage_metadata)
        return ChatResult(generations=[ChatGeneration(message=message)], llm_output=llm_output)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        with translate_errors():
            params, structured = self._params(stop, kwargs)
            result = self._client.chat(to_core_messages(messages), params)
            return self._result(result, structured)

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        with translate_errors():
            params, structured = self._params(stop, kwargs)
            result = await self._client.achat(to_core_messages(messages), params)
            return self._result(result, structured)

    def _final_chunk(self, result: core.ChatResult, structured: bool) -> ChatGenerationChunk:
        failure = None if structured else result.tool_choice_failure()
        if failure is not None:
            raise ToolChoiceError(failure, text=result.message.content)
        metadata = response_metadata(result, self.model_name)
        return ChatGenerationChunk(
            message=AIMessageChunk(content="", response_metadata=metadata, chunk_position="last"),
            generation_info={"finish_reason": result.finish_reason},
        )

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        with translate_errors():
            params, structured = self._params(stop, kwargs)
            stream = self._client.stream(to_core_messages(messages), params)
            for delta in stream:
                chunk = ChatGenerationChunk(message=to_chunk(delta))
                if run_manager:
                    run_manager.on_llm_new_token(delta.text, chunk=chunk)
                yield chunk
            yield self._final_chunk(stream.result, structured)

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        with translate_errors():
            params, structured = self._params(stop, kwargs)
            stream = self._client.astream(to_core_messages(messages), params)
            async for delta in stream:
                chunk = ChatGenerationChunk(message=to_chunk(delta))
                if run_manager:
                    await run_manager.on_llm_new_token(delta.text, chunk=chunk)
                yield chunk
            yield self._final_chunk(stream.result, structured)

    # -- tools and structured output ------------------------------------------------------

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: dict[str, Any] | str | bool | None = None,
        parallel_tool_calls: bool | None = None,
        strict: bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Bind tools (any form LangChain accepts, Anthropic-style dicts included).

        ``tool_choice``: ``"auto"``, ``"none"``, ``"any"``/``"required"``/``True`` or a tool
        name. ``strict`` is accepted and ignored (MiniMax has no strict mode).
        """
        formatted = [convert_to_openai_tool(tool) for tool in tools]
        choice = tool_choice_name(tool_choice)
        if choice is not None:
            kwargs["tool_choice"] = choice
        if parallel_tool_calls is not None:
            kwargs["parallel_tool_calls"] = parallel_tool_calls
        return super().bind(tools=formatted, **kwargs)

    def with_structured_output(
        self,
        schema: dict[str, Any] | type | None = None,
        *,
        method: Method = "function_calling",
        include_raw: bool = False,
        strict: bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, dict[str, Any] | Any]:
        """Parse answers into ``schema`` (pydantic class, TypedDict or JSON schema).

        ``method``: ``"function_calling"`` (default), ``"json_schema"`` (native on
        MiniMax-Text-01, function calling elsewhere) or ``"json_mode"``.
        """
        if kwargs:
            raise ValueError(f"Received unsupported arguments {kwargs}")
        return structured_runnable(
            schema=schema,
            method=method,
            include_raw=include_raw,
            strict=strict,
            native_json_schema=self._native_json_schema(),
            bind=self.bind,
            bind_tools=self.bind_tools,
        )
