"""Framework-free MiniMax protocol core."""
