"""Time the progress engine on a synthetic 1,000,000-row dataset (budget: 1 s)."""

from __future__ import annotations

import statistics
import time

from bench.synthetic import synthetic_frame
from indicators.progress.engine import compute_progress


def run(n_rows: int = 1_000_000, repeat: int = 3) -> dict[str, float]:
    frame = synthetic_frame(n_rows)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = compute_progress(frame)
        times.append(time.perf_counter() - start)
    return {"rows": float(len(frame)), "series": float(len(result)), "seconds": statistics.median(times)}


def main(n_rows: int = 1_000_000) -> None:
    r = run(n_rows)
    print(f"{'progress':<10} {r['rows']:,.0f} rows / {r['series']:,.0f} series in {r['seconds']:.3f} s "
          f"({r['rows'] / r['seconds']:,.0f} rows/s)   [budget: 1,000,000 rows <= 1 s]", flush=True)
