"""LlamaIndex integration for MiniMax (see issue 5)."""
