"""Offline MiniMax emulator (see issue 3)."""
