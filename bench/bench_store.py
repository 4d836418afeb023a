"""Benchmark of the versioned store: commit and load a synthetic 1,000,000-row dataset.

    python -m bench.bench_store [N_ROWS [shared|wide]]   # a table and a JSON line; `run()` returns the dict

Each backend runs in its own subprocess (a fresh SQLite file; a throwaway PostgreSQL 15 cluster from
scripts/postgres-throwaway.sh, or $INDICATORS_TEST_POSTGRES_URL) so that peak memory is that of one
store at work. Measured, each on its own: the first commit into an empty store (the budget: SQLite
≤ 3 s, PostgreSQL ≤ 5 s), loading it back, and a second full replace whose counts are computed against
the 1M-row current version inside the commit. Peak memory is the resident set sampled every 5 ms during
the step, minus the resident set just before it. The load average is printed beside each figure: on a
shared machine the wall-clock seconds mean little when it is above the number of cores.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
PG_SCRIPT = ROOT / "scripts" / "postgres-throwaway.sh"
BUDGET_SECONDS = {"sqlite": 3.0, "postgresql": 5.0}


def wide_frame(n_rows: int, *, seed: int = 0) -> pd.DataFrame:
    """Like bench.synthetic's frame but with every text column filled and long (English names, a
    70-character source): the store's worst case per row. 25 areas x 20 years x 4 kinds per indicator."""
    from indicators import contract
    from indicators.frame import conform

    rng = np.random.default_rng(seed)
    i = np.arange(n_rows)
    ind, area, year = i // 2000, (i // 80) % 25, 2006 + (i // 4) % 20

    def pick(labels: list[str], codes: np.ndarray) -> pd.Series:
        return pd.Series(np.asarray(labels, dtype=object)[codes], dtype="str")

    n_ind = int(ind.max()) + 1 if n_rows else 0
    frame = pd.DataFrame({
        "row": i + 2,
        "indicator_id": pick([f"chi_tieu_{k:04d}" for k in range(n_ind)], ind),
        "indicator": pick([f"Tỷ lệ hộ nghèo đa chiều số {k}" for k in range(n_ind)], ind),
        "indicator_en": pick([f"Multidimensional poverty rate {k}" for k in range(n_ind)], ind),
        "group": pick(["Kinh tế", "Xã hội", "Nông thôn mới", "Xây dựng Đảng"], ind % 4),
        "unit": pick(["%", "xã", "tỷ đồng", "triệu đồng/người/năm"], ind % 4),
        "area": pick([f"Xã Đồng Hướng {k}" for k in range(25)], area),
        "period": pick([str(y) for y in range(2006, 2026)], year - 2006),
        "kind": pick(list(contract.KINDS), i % 4),
        "value": np.round(rng.uniform(0, 1000, n_rows), 1),
        "of_total": np.where(i % 9 == 0, 23.0, np.nan),
        "direction": pick(["increase", "decrease"], ind % 2),
        "method": pick(["", "cagr"], (ind % 5 == 0).astype(int)),
        "source": pick(["Báo cáo tình hình kinh tế - xã hội năm 2023, UBND huyện (15/12/2023)"],
                       np.zeros(n_rows, dtype=int)),
        "note": pick(["", "số liệu ước"], (i % 10 == 0).astype(int)),
        "qualifier": pick(["", ">"], (i % 50 == 0).astype(int)),
        "period_end": pd.to_datetime(pd.Series([f"{y}-12-31" for y in range(2006, 2026)])).to_numpy()[year - 2006],
    })
    return conform(frame)


FRAMES = {"shared": "bench.synthetic:synthetic_frame", "wide": "bench.bench_store:wide_frame"}


def _frame(kind: str, n_rows: int) -> pd.DataFrame:
    from indicators.frame import conform

    module, func = FRAMES[kind].split(":")
    return conform(getattr(importlib.import_module(module), func)(n_rows))


class PeakRss:
    """Samples this process's resident set (Linux /proc) while the block runs."""

    def __init__(self) -> None:
        self.before = self.peak = _rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, _rss_bytes())

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_bytes())

    @property
    def delta_mb(self) -> float:
        return round((self.peak - self.before) / 2**20, 1)


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def measure(url: str, n_rows: int, kind: str = "shared") -> dict[str, Any]:
    """In this process: commit into an empty store, load it back, commit a full replace on top."""
    from indicators.store.versions import Store

    frame = _frame(kind, n_rows)
    n_rows = len(frame)
    changed = frame.assign(value=frame["value"] + 1.0)
    store = Store(url)
    store.ensure_schema()
    steps: dict[str, Any] = {}

    def timed(name: str, func: Any) -> Any:
        with PeakRss() as rss:
            start, cpu = time.perf_counter(), time.process_time()
            result = func()
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        steps[name] = {"seconds": round(seconds, 3), "rows_per_s": round(n_rows / seconds),
                       "cpu_seconds": round(cpu, 3), "peak_mb": rss.delta_mb,
                       "load_average": os.getloadavg()[0]}
        return result

    timed("commit", lambda: store.commit(frame, user="bench", comment="bench", filename="bench.csv",
                                         sha256="0" * 64, expected_current=None))
    if store.dialect == "sqlite":  # commit() returned after the WAL fsync; the copy into the file:
        timed("wal_checkpoint", store.flush)
    loaded = timed("load", store.load)
    assert len(loaded) == n_rows
    del loaded
    timed("commit_over_current", lambda: store.commit(
        changed, user="bench", comment="bench", filename="bench.csv", sha256="1" * 64))
    store.close()
    return steps


def _in_subprocess(url: str, n_rows: int, kind: str) -> dict[str, Any]:
    code = ("import json, sys; from bench.bench_store import measure; "
            "print(json.dumps(measure(sys.argv[1], int(sys.argv[2]), sys.argv[3])))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code, url, str(n_rows), kind], env=env, check=True,
                         capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _postgres_url(workdir: str) -> tuple[str | None, bool]:
    """(url, started_here): an external server if configured, else a throwaway cluster."""
    for name in ("INDICATORS_BENCH_POSTGRES_URL", "INDICATORS_TEST_POSTGRES_URL"):
        if os.environ.get(name):
            return os.environ[name], False
    done = subprocess.run([str(PG_SCRIPT), "start", workdir], capture_output=True, text=True)
    if done.returncode != 0:
        print(f"PostgreSQL skipped: {done.stderr.strip()}", file=sys.stderr)
        return None, False
    return done.stdout.strip(), True


def run(n_rows: int = 1_000_000, kind: str = "shared") -> dict[str, Any]:
    """Measure both backends; print a table; return {"rows": n, "sqlite": {...}, "postgresql": {...}}.

    `kind` "shared" is bench.synthetic's frame (the one the validation benchmark reads), "wide" the
    frame of `wide_frame`, with long text in every column."""
    results: dict[str, Any] = {"rows": n_rows, "frame": kind}
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        results["sqlite"] = _in_subprocess(f"sqlite:///{tmp}/bench.sqlite", n_rows, kind)
        pg_dir = tempfile.mkdtemp(prefix="bench-store-pg-")
        url, started = _postgres_url(f"{pg_dir}/pg")
        try:
            if url:
                results["postgresql"] = _in_subprocess(url, n_rows, kind)
        finally:
            if started:
                subprocess.run([str(PG_SCRIPT), "stop", f"{pg_dir}/pg"], check=False)
            os.rmdir(pg_dir)
    for backend in ("sqlite", "postgresql"):
        for step, m in results.get(backend, {}).items():
            budget = BUDGET_SECONDS[backend] if step == "commit" else None
            verdict = "" if budget is None else ("  within budget" if m["seconds"] <= budget else
                                                 f"  OVER BUDGET ({budget} s)")
            speed = f"{m['rows_per_s']:>10,} rows/s" if step != "wal_checkpoint" else " " * 17
            print(f"{backend:10} {step:20} {m['seconds']:7.2f} s {speed} {m['peak_mb']:8.1f} MB peak "
                  f"(this process's CPU {m['cpu_seconds']:.2f} s, load average {m['load_average']:.1f}){verdict}")
    return results


def main(n_rows: int = 1_000_000) -> None:
    """`python -m bench --only store`: the table above, for bench.synthetic's frame."""
    run(n_rows)


if __name__ == "__main__":
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    print(json.dumps(run(rows, sys.argv[2] if len(sys.argv) > 2 else "shared")))
