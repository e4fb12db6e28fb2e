"""Benchmarks: `python -m bench [NAME…]`; figures go to bench/results/."""
