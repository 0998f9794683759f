"""The frameworks' own floors: trivial models that do no I/O and no parsing.

``FloorChatModel.invoke`` / ``.stream`` cost exactly what LangChain's ``BaseChatModel`` machinery
costs (callback manager, run tree, message normalisation, chunk bookkeeping: ``stream()`` keeps
every chunk it yields); ``FloorLLM.chat`` / ``.stream_chat`` cost what LlamaIndex's
``llm_chat_callback`` instrumentation and its response types cost. No client built on these
frameworks can be faster than its floor, so a target that sits below the floor is impossible and the
table shows it.

The texts match the emulator's: the answer ``Echo: <prompt>``, and streamed parts of the same size
(``part N: the quick brown fox jumps. ``). The LlamaIndex floor yields a cumulative message each
chunk, as LlamaIndex's streaming contract requires of every LLM (OpenAILike and ours do the same).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.llms import CustomLLM
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from pydantic import Field


def stream_parts(n: int) -> list[str]:
    return [f"part {i}: the quick brown fox jumps. " for i in range(n)]


class FloorChatModel(BaseChatModel):
    """LangChain's own cost: a chat model answering a fixed text / yielding fixed chunks."""

    answer: str = "Echo: hello"
    parts: list[str] = Field(default_factory=list)
    latency_s: float = 0.0  # async calls wait this long, as a server would

    @property
    def _llm_type(self) -> str:
        return "benchmark-floor"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self.answer))])

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        await asyncio.sleep(self.latency_s)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self.answer))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        for part in self.parts:
            yield ChatGenerationChunk(message=AIMessageChunk(content=part))


class FloorLLM(CustomLLM):
    """LlamaIndex's own cost: ``chat``/``stream_chat`` under one ``llm_chat_callback`` (as a real
    integration's), answering a fixed text / yielding cumulative messages over fixed parts."""

    answer: str = "Echo: hello"
    parts: list[str] = Field(default_factory=list)
    latency_s: float = 0.0  # async calls wait this long, as a server would

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(model_name="benchmark-floor", is_chat_model=True)

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=self.answer))

    @llm_chat_callback()
    async def achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        await asyncio.sleep(self.latency_s)
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=self.answer))

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        def gen() -> ChatResponseGen:
            text = ""
            for part in self.parts:
                text += part
                yield ChatResponse(
                    message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=part
                )

        return gen()

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return CompletionResponse(text=self.answer)

    @llm_completion_callback()
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        def gen() -> CompletionResponseGen:
            text = ""
            for part in self.parts:
                text += part
                yield CompletionResponse(text=text, delta=part)

        return gen()
