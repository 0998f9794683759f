"""RAG: a VectorStoreIndex built with MiniMaxEmbedding, answered through a query engine and a
chat engine whose LLM is MiniMax (sync and async)."""

from __future__ import annotations

from typing import Any

import pytest
from llama_index.core import Document, VectorStoreIndex
from llama_index.core.base.response.schema import StreamingResponse

from minimax_emulator.testing import EmulatorServer
from tests.llama_index_minimax.helpers import chat_bodies
from tests.support import json_body

DOCS = [
    "The Eiffel Tower stands in Paris and was finished in 1889.",
    "Photosynthesis turns sunlight, water and carbon dioxide into sugar in plant leaves.",
    "The Python programming language was created by Guido van Rossum.",
]
QUESTION = "Who created the Python programming language?"
PYTHON = DOCS[2]
# The emulator answers RAG prompts with the context sentence closest to the question.
GROUNDED = f"From the context: {PYTHON}"


def embedding_bodies(emulator: EmulatorServer) -> list[dict[str, Any]]:
    return [json_body(r) for r in emulator.requests if r.path == "/v1/embeddings"]


@pytest.fixture
def index(make_embedding: Any, emulator: EmulatorServer) -> VectorStoreIndex:
    built = VectorStoreIndex.from_documents(
        [Document(text=text) for text in DOCS], embed_model=make_embedding()
    )
    (body,) = embedding_bodies(emulator)  # one batch, documents embedded as "db"
    assert body["type"] == "db"
    assert body["texts"] == DOCS
    assert body["model"] == "embo-01"
    emulator.clear()
    return built


def check_answer(emulator: EmulatorServer, response: Any) -> None:
    assert response.source_nodes[0].node.get_content() == PYTHON  # most relevant first
    (query,) = embedding_bodies(emulator)
    assert query["type"] == "query"
    assert query["texts"] == [QUESTION]
    (body,) = chat_bodies(emulator)
    prompt = "\n".join(str(m["content"]) for m in body["messages"])
    assert PYTHON in prompt  # the retrieved context reached MiniMax
    assert QUESTION in prompt
    assert str(response) == GROUNDED  # answered from the retrieved document
    assert "<think>" not in str(response)


def test_query_engine_answers_from_the_relevant_document(
    index: VectorStoreIndex, make_llm: Any, emulator: EmulatorServer
) -> None:
    engine = index.as_query_engine(llm=make_llm(), similarity_top_k=2)
    response = engine.query(QUESTION)
    check_answer(emulator, response)


async def test_query_engine_answers_async(
    index: VectorStoreIndex, make_llm: Any, emulator: EmulatorServer
) -> None:
    engine = index.as_query_engine(llm=make_llm("native"), similarity_top_k=2)
    response = await engine.aquery(QUESTION)
    check_answer(emulator, response)


def test_streaming_query_engine(
    index: VectorStoreIndex, make_llm: Any, emulator: EmulatorServer
) -> None:
    engine = index.as_query_engine(llm=make_llm("dashscope"), streaming=True)
    response = engine.query(QUESTION)
    assert isinstance(response, StreamingResponse)
    text = "".join(response.response_gen)
    assert text == GROUNDED
    assert "<think>" not in text
    assert response.source_nodes[0].node.get_content() == PYTHON


def test_chat_engine_answers_and_keeps_the_conversation(
    index: VectorStoreIndex, make_llm: Any, emulator: EmulatorServer
) -> None:
    engine = index.as_chat_engine(llm=make_llm())  # condense_plus_context
    first = engine.chat(QUESTION)
    check_answer(emulator, first)

    second = engine.chat("When was the Eiffel Tower finished?")
    assert "<think>" not in str(second)
    last = chat_bodies(emulator)[-1]["messages"]
    assert [m["role"] for m in last][-3:] == ["user", "assistant", "user"]
    assert last[-2]["content"] == GROUNDED  # the earlier answer, without reasoning
    assert last[-1]["content"] == "When was the Eiffel Tower finished?"


async def test_chat_engine_async_and_streaming(
    index: VectorStoreIndex, make_llm: Any, emulator: EmulatorServer
) -> None:
    engine = index.as_chat_engine(llm=make_llm())
    answer = await engine.achat(QUESTION)
    check_answer(emulator, answer)

    streamed = await engine.astream_chat("Tell me more about Guido van Rossum.")
    tokens = [token async for token in streamed.async_response_gen()]
    assert "".join(tokens) == GROUNDED  # the follow-up is answered from the same document


def test_an_index_built_with_async_embedding_from_sync_code(
    make_embedding: Any, emulator: EmulatorServer
) -> None:
    embedding = make_embedding(embed_batch_size=1, max_concurrency=2)
    index = VectorStoreIndex.from_documents(
        [Document(text=text) for text in DOCS], embed_model=embedding, use_async=True
    )
    bodies = embedding_bodies(emulator)
    assert sorted(b["texts"][0] for b in bodies) == sorted(DOCS)
    assert {b["type"] for b in bodies} == {"db"}
    (hit,) = index.as_retriever(similarity_top_k=1).retrieve(QUESTION)
    assert hit.node.get_content() == PYTHON
