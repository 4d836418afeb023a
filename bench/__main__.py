"""Print every benchmark figure against its budget: `python -m bench [--rows N] [--only NAME ...]`."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from typing import Any

# name -> (module, budget text, formatter of the result dict)
BENCHES: dict[str, tuple[str, str, Callable[[dict[str, Any]], str]]] = {
    "overview": ("bench.bench_app", "warm rerun <= 150 ms median",
                 lambda r: f"cold {r['cold_seconds']:.2f} s; warm median {r['warm_median_ms']:.1f} ms, p90 {r['warm_p90_ms']:.1f} ms"),
    "progress": ("bench.bench_progress", "1,000,000 rows <= 1 s",
                 lambda r: f"{r['rows']:,.0f} rows / {r['series']:,.0f} series in {r['seconds']:.3f} s"),
}
OPTIONAL = {
    "validate": "bench.bench_validate",
    "store": "bench.bench_store",
    "reports": "bench.bench_reports",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args(argv)
    names = args.only or [*BENCHES, *OPTIONAL]
    for name in names:
        if name in BENCHES:
            module, budget, fmt = BENCHES[name]
            mod = importlib.import_module(module)
            result = mod.run(args.rows) if name == "progress" else mod.run()
            print(f"{name:<10} {fmt(result)}   [budget: {budget}]", flush=True)
        else:
            mod = importlib.import_module(OPTIONAL[name])
            mod.main(args.rows) if hasattr(mod, "main") else print(f"{name:<10} {mod.run(args.rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
