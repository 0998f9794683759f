"""`make demo`: a short tour of minimax-integrations in the terminal.

With MINIMAX_API_KEY set it talks to MiniMax; without, it starts the offline emulator on a free
port for the length of the demo (and stops it whatever happens).
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DATA = Path(__file__).parent / "data"
DIM, BOLD, CYAN, RESET = "\033[2m", "\033[1m", "\033[36m", "\033[0m"
if not sys.stdout.isatty():
    DIM = BOLD = CYAN = RESET = ""


def section(title: str) -> None:
    print(f"\n{BOLD}{CYAN}== {title} =={RESET}")


@contextmanager
def backend() -> Iterator[str]:
    """Real MiniMax when a key is set, otherwise an emulator started here."""
    if os.environ.get("MINIMAX_API_KEY"):
        host = os.environ.get("MINIMAX_BASE_URL") or os.environ.get("MINIMAX_REGION") or "global"
        yield f"MiniMax ({host})"
        return
    from minimax_emulator.testing import EmulatorServer

    with EmulatorServer() as server:
        os.environ["MINIMAX_BASE_URL"] = server.base_url
        os.environ["MINIMAX_API_KEY"] = "demo-key"
        try:
            yield f"the offline emulator at {server.base_url} (no key set)"
        finally:
            del os.environ["MINIMAX_BASE_URL"], os.environ["MINIMAX_API_KEY"]


def streamed_answer() -> None:
    from langchain_minimax import ChatMiniMax

    section("LangChain: a streamed answer, reasoning shown apart")
    llm = ChatMiniMax(model="MiniMax-M2.7", max_tokens=2048)
    in_reasoning = False
    for chunk in llm.stream("In one sentence: why do reasoning models need a big max_tokens?"):
        reasoning = chunk.additional_kwargs.get("reasoning_content", "")
        if reasoning:
            if not in_reasoning:
                print(f"{DIM}[thinking] ", end="")
                in_reasoning = True
            print(reasoning, end="", flush=True)
        if chunk.content:
            if in_reasoning:
                print(f"{RESET}\n[answer] ", end="")
                in_reasoning = False
            print(chunk.content, end="", flush=True)
        if chunk.usage_metadata:
            usage = chunk.usage_metadata
            reasoning_tokens = usage.get("output_token_details", {}).get("reasoning", 0)
            print(
                f"{RESET}\n{DIM}tokens: {usage['input_tokens']} in, {usage['output_tokens']} out "
                f"({reasoning_tokens} reasoning){RESET}",
                end="",
            )
    print(RESET)


def tool_round_trip() -> None:
    from langchain_core.messages import HumanMessage, ToolMessage
    from langchain_core.tools import tool

    from langchain_minimax import ChatMiniMax

    @tool
    def get_weather(city: str) -> str:
        """Get today's weather for a city."""
        return f"Sunny and 21 °C in {city}"

    section("LangChain: a tool-calling round trip (reasoning replayed)")
    llm = ChatMiniMax(model="MiniMax-M2.7", max_tokens=2048).bind_tools([get_weather])
    history = [HumanMessage("What's the weather in Lisbon?")]
    reply = llm.invoke(history)
    print(f"model calls: {reply.tool_calls[0]['name']}({reply.tool_calls[0]['args']})")
    history += [reply]
    for call in reply.tool_calls:
        result = get_weather.invoke(call["args"])
        print(f"tool says:   {result}")
        history.append(ToolMessage(result, tool_call_id=call["id"]))
    final = llm.invoke(history)
    print(f"model:       {final.content}")


def structured_output() -> None:
    from pydantic import BaseModel, Field

    from langchain_minimax import ChatMiniMax

    class Trip(BaseModel):
        city: str = Field(description="Destination city")
        days: int = Field(description="Number of days")

    section("LangChain: structured output")
    llm = ChatMiniMax(model="MiniMax-M2.7", max_tokens=2048)
    trip = llm.with_structured_output(Trip).invoke("Plan a 4 day trip to Kyoto.")
    print(repr(trip))


def rag_answer() -> None:
    from llama_index.core import Settings, SimpleDirectoryReader, VectorStoreIndex

    from llama_index_minimax import MiniMax, MiniMaxEmbedding

    section("LlamaIndex: RAG over the bundled documents")
    Settings.llm = MiniMax(model="MiniMax-M2.7", max_tokens=2048)
    Settings.embed_model = MiniMaxEmbedding(embed_batch_size=2)
    documents = SimpleDirectoryReader(str(DATA)).load_data()
    index = VectorStoreIndex.from_documents(documents, show_progress=True)
    question = "Which host must a key from platform.minimaxi.com be used with?"
    response = asyncio.run(index.as_query_engine(similarity_top_k=1).aquery(question))
    source = response.source_nodes[0].node.metadata.get("file_name")
    print(f"question: {question}\nsource:   {source}\nanswer:   {str(response).strip()}")


def main() -> int:
    with backend() as where:
        print(f"{BOLD}minimax-integrations demo{RESET} — talking to {where}")
        streamed_answer()
        tool_round_trip()
        structured_output()
        rag_answer()
    print(f"\n{DIM}Done. Next: `make test`, the notebooks in notebooks/, README.md.{RESET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
