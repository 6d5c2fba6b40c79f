"""Benchmarks: `python -m bench` (or `make bench`); results go to bench/RESULTS.md."""
