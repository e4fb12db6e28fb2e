"""Run the benchmarks named on the command line, or all of them: `python -m bench [NAME…]`."""

import importlib
import sys

BENCHMARKS = ["check", "duplicates", "intake", "console", "batch", "scoring", "memory"]

for name in sys.argv[1:] or BENCHMARKS:
    print(f"== bench.{name}", flush=True)
    importlib.import_module(f"bench.{name}").main()
