"""`make bench`: print every figure of DESIGN.md's performance budget.

    python -m bench [--rows N] [--only overview progress validate xlsx store reports upload upload_memory forms rollup]

Each module has `main(n_rows)` that prints one line (or a small table) with its budget beside it.
"""

from __future__ import annotations

import argparse
import importlib
import sys

BENCHES = {
    "overview": "bench.bench_app",
    "progress": "bench.bench_progress",
    "validate": "bench.bench_validate",
    "xlsx": "bench.bench_xlsx",
    "store": "bench.bench_store",
    "reports": "bench.bench_reports",
    "upload": "bench.bench_upload",
    "upload_memory": "bench.bench_upload_memory",
    "forms": "bench.bench_forms",
    "rollup": "bench.bench_rollup",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the synthetic dataset")
    parser.add_argument("--only", nargs="*", choices=list(BENCHES), default=None)
    args = parser.parse_args(argv)
    for name in args.only or list(BENCHES):
        importlib.import_module(BENCHES[name]).main(args.rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
