"""Validate a synthetic N-row contract CSV: seconds and peak memory, measured in a fresh process.

`python -m bench --only validate` prints the figure against the budget (1,000,000 rows: <= 1.5 s, <= 1 GB).
The child process reads the file's bytes, then times `validate_bytes` (median of 3 runs); its peak RSS
(VmHWM) includes the interpreter, pandas/pyarrow and the file's bytes.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BUDGET = "1,000,000 rows <= 1.5 s and <= 1 GB peak"


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss it does not inherit the parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _child(path: str, repeats: int = 3) -> dict[str, Any]:
    from indicators.ingest.validate import validate_bytes

    baseline_mb = _peak_mb()
    data = Path(path).read_bytes()
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = validate_bytes(data, Path(path).name)
        times.append(time.perf_counter() - start)
        del result.frame  # keep one run's frame at a time
    assert result is not None
    return {"seconds": statistics.median(times), "best_seconds": min(times),
            "peak_mb": _peak_mb(), "baseline_mb": baseline_mb,
            "valid": result.report.valid, "rows": result.report.rows}


def run(n_rows: int) -> dict[str, Any]:
    """Write the synthetic CSV (bench.synthetic) to a temp dir and validate it in a child process."""
    from bench.synthetic import synthetic_frame, write_csv

    frame = synthetic_frame(n_rows)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.csv"
        write_csv(frame, str(path))
        del frame
        out = subprocess.run([sys.executable, "-m", "bench.bench_validate", str(path)], cwd=ROOT,
                             check=True, capture_output=True, text=True)
        result = json.loads(out.stdout)
        result["file_mb"] = path.stat().st_size / 1e6
        result["frictionless_seconds"] = _frictionless(path)
    return result


def _frictionless(path: Path) -> float:
    """Wall time of `frictionless validate` on the same file, for comparison (nan when not installed)."""
    exe = Path(sys.executable).with_name("frictionless")
    if not exe.exists():
        return float("nan")
    start = time.perf_counter()
    # a relative path: frictionless refuses absolute ones as "unsafe"
    subprocess.run([str(exe), "validate", path.name], cwd=path.parent, capture_output=True, check=False)
    return time.perf_counter() - start


def main(n_rows: int) -> None:
    r = run(n_rows)
    print(f"{'validate':<10} {r['rows']:,} rows ({r['file_mb']:.0f} MB CSV, valid={r['valid']}) in "
          f"{r['seconds']:.2f} s (best {r['best_seconds']:.2f} s); peak {r['peak_mb']:.0f} MB "
          f"(imports {r['baseline_mb']:.0f} MB); {r['rows'] / r['seconds']:,.0f} rows/s; "
          f"frictionless validate: {r['frictionless_seconds']:.1f} s   [budget: {BUDGET}]", flush=True)


if __name__ == "__main__":
    print(json.dumps(_child(sys.argv[1])))
