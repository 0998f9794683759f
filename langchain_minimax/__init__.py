"""MiniMax for LangChain: :class:`ChatMiniMax` and :class:`MiniMaxEmbeddings`."""

from langchain_minimax.chat_models import ChatMiniMax
from langchain_minimax.embeddings import MiniMaxEmbeddings

__all__ = ["ChatMiniMax", "MiniMaxEmbeddings"]
