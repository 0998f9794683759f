"""Side-by-side benchmarks of the MiniMax clients (`make bench`, `python -m benchmarks`)."""
