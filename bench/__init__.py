"""Benchmarks: `python -m bench.run [--quick] [--pg URL]` (not part of the test run)."""
