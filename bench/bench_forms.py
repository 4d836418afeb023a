"""Report tables in: a batch of communes' forms and one very wide table — seconds, rows/s, peak memory.

    python -m bench --only forms

1. A reporting round: 100 communes' forms (XLSX "biểu" as a commune office writes it: letterhead, title,
   header, column-number row, 60 indicators × 6 period columns: TH 2020…TH 2023, Ước TH 2024, KH 2025),
   converted and validated as one batch (`validate.validate_many`, what the upload page and
   `indicators import` run for many files) against a catalogue of the 60 stored indicators. Budget: ≤ 10 s.
   Reference in the same run: pandas' raw parse of the same workbooks (`read_excel(engine="calamine")`,
   no header, no checks).
2. A wide table of 1,000,000 figure cells (a CSV biểu: 50,000 indicator rows × 20 year columns) converted
   and validated (`validate_bytes`), against pandas' raw parse of the same file (`read_csv(dtype=str)`).
Each figure is measured in a fresh child process: seconds (median of 3 for the batch) and that process's
peak resident memory (VmHWM; the XLSX worker reports its own).
"""

from __future__ import annotations

import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BUDGET = "100 communes' forms converted and validated <= 10 s"
N_FORMS, N_INDICATORS = 100, 60
PERIODS = ("TH 2020", "TH 2021", "TH 2022", "TH 2023", "Ước TH 2024", "KH 2025")


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def indicator_name(i: int) -> str:
    return f"Chỉ tiêu kinh tế - xã hội số {i + 1}"


def catalogue_frame() -> Any:
    """The 60 indicators as a store holds them (id, name, unit, group, direction)."""
    import pandas as pd

    return pd.DataFrame({"indicator_id": [f"chi_tieu_{i + 1}" for i in range(N_INDICATORS)],
                         "indicator": [indicator_name(i) for i in range(N_INDICATORS)],
                         "unit": ["%" if i % 3 == 0 else "người" for i in range(N_INDICATORS)],
                         "group": ["Kinh tế" if i < 30 else "Xã hội" for i in range(N_INDICATORS)],
                         "direction": ["increase"] * N_INDICATORS})


def commune_form(k: int) -> bytes:
    """One commune's form, as its office fills it in Excel."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Biểu 01"
    sheet.append([f"UBND XÃ KIM {k + 1}"])
    sheet.append(["Biểu 01: MỘT SỐ CHỈ TIÊU KINH TẾ - XÃ HỘI CHỦ YẾU"])
    sheet.append([])
    sheet.append(["STT", "Chỉ tiêu", "ĐVT", *PERIODS])
    sheet.append([f"({j + 1})" for j in range(3 + len(PERIODS))])
    for i in range(N_INDICATORS):
        unit = "%" if i % 3 == 0 else "người"
        base = 40 + i % 50 if unit == "%" else 1000 + 37 * i + k
        sheet.append([i + 1, indicator_name(i), unit,
                      *[round(base * (1 + 0.01 * j), 1) for j in range(len(PERIODS))]])
    sheet.append([])
    sheet.append(["Nguồn: Báo cáo tình hình kinh tế - xã hội năm 2024 của UBND xã"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def wide_csv(rows: int, years: int = 20) -> bytes:
    """A CSV report table of rows × years figure cells."""
    first = 2024 - years + 1
    lines = ["UBND HUYỆN KIM SƠN", "Biểu 05: SỐ LIỆU THỐNG KÊ CHỦ YẾU", "",
             ",".join(["STT", "Chỉ tiêu", "ĐVT", *[f"TH {y}" for y in range(first, 2025)]])]
    for i in range(rows):
        lines.append(",".join([str(i + 1), f"Chỉ tiêu thống kê số {i + 1}", "người",
                               *[str(1000 + (i * 7 + j * 13) % 9000) for j in range(years)]]))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _child_batch(folder: str, repeats: int = 3) -> dict[str, Any]:
    import pandas as pd

    from indicators.ingest.adapters import Catalogue, Options
    from indicators.ingest.validate import validate_many

    files = [(path.read_bytes(), path.name) for path in sorted(Path(folder).glob("*.xlsx"))]
    options = Options(catalogue=Catalogue.of(catalogue_frame()), area=None)
    times, results = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        results = validate_many(files, options=options)
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    for data, _name in files:
        pd.read_excel(io.BytesIO(data), engine="calamine", header=None)
    pandas_seconds = time.perf_counter() - start
    rows = sum(r.report.rows for r in results)
    return {"seconds": statistics.median(times), "best": min(times), "rows": rows,
            "valid": sum(r.report.valid for r in results), "files": len(files),
            "pandas_seconds": pandas_seconds, "peak_mb": _peak_mb(),
            "formats": sorted({r.format for r in results}),
            "errors": [i.to_line("en") for r in results for i in r.report.errors][:3]}


def _child_wide(path: str) -> dict[str, Any]:
    import pandas as pd

    from indicators.ingest.adapters import Options
    from indicators.ingest.validate import validate_bytes

    data = Path(path).read_bytes()
    start = time.perf_counter()
    result = validate_bytes(data, Path(path).name, options=Options(area="Huyện Kim Sơn"))
    seconds = time.perf_counter() - start
    peak = _peak_mb()
    start = time.perf_counter()
    pd.read_csv(io.BytesIO(data), dtype=str, header=None, skiprows=4)
    pandas_seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": result.report.rows, "valid": result.report.valid, "format": result.format,
            "pandas_seconds": pandas_seconds, "peak_mb": peak, "mb": len(data) / 1e6,
            "errors": [i.to_line("en") for i in result.report.errors][:3]}


def _run(*args: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "bench.bench_forms", *args], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main(n_rows: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "forms"
        folder.mkdir()
        for k in range(N_FORMS):
            (folder / f"xa_{k + 1:03d}.xlsx").write_bytes(commune_form(k))
        batch = _run("batch", str(folder))
        cells = max(n_rows, 20)  # --rows sets the figure cells of the wide table (default 1,000,000)
        wide = Path(tmp) / "wide.csv"
        wide.write_bytes(wide_csv(cells // 20))
        table = _run("wide", str(wide))
    print(f"{'forms':<10} {batch['files']} communes' forms ({N_INDICATORS} indicators × {len(PERIODS)} periods; "
          f"{batch['formats']}), {batch['rows']:,} rows, {batch['valid']} valid: {batch['seconds']:.2f} s "
          f"(best {batch['best']:.2f} s), {batch['rows'] / batch['seconds']:,.0f} rows/s, peak {batch['peak_mb']:.0f} MB; "
          f"pandas raw read_excel of the same files {batch['pandas_seconds']:.2f} s "
          f"(ratio {batch['seconds'] / batch['pandas_seconds']:.1f}×)   [budget: {BUDGET}]", flush=True)
    if batch["errors"]:
        print(f"{'':<10} first errors: {batch['errors']}")
    print(f"{'wide':<10} {table['rows']:,} figure cells ({table['mb']:.0f} MB CSV biểu, {table['format']}, "
          f"valid={table['valid']}): {table['seconds']:.2f} s, {table['rows'] / table['seconds']:,.0f} cells/s, "
          f"peak {table['peak_mb']:.0f} MB; pandas raw read_csv {table['pandas_seconds']:.2f} s "
          f"(ratio {table['seconds'] / table['pandas_seconds']:.1f}×)", flush=True)
    if table["errors"]:
        print(f"{'':<10} first errors: {table['errors']}")


if __name__ == "__main__":
    if sys.argv[1] == "batch":
        print(json.dumps(_child_batch(sys.argv[2])))
    else:
        print(json.dumps(_child_wide(sys.argv[2])))
