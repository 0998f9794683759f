"""MiniMax for LlamaIndex: the :class:`MiniMax` LLM and :class:`MiniMaxEmbedding`."""

from llama_index_minimax.base import MiniMax
from llama_index_minimax.embeddings import MiniMaxEmbedding

__all__ = ["MiniMax", "MiniMaxEmbedding"]
