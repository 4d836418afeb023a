"""Reading XLSX: a 1,000,000-row workbook (parse alone and validate) and a bomb refused; peak memory too.

    python -m bench --only xlsx

The workbook is written once (xlsxwriter, constant memory) and kept in bench-out/ (git-ignored). Each
figure is measured in a fresh child process (seconds, imports excluded, and the VmHWM peak resident memory
of that caller; the worker process that parses the workbook reports its own peak, printed beside it). The
reference in the same run: openpyxl read-only raw iteration of the same workbook (`values_only`), the way
the first version read it minus all its per-cell work.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench-out"
FIXTURES = ROOT / "tests" / "fixtures" / "hostile" / "files"
BUDGET = "1,000,000 rows: faster than openpyxl read-only iteration; a bomb refused within the memory cap"


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def big_workbook(n_rows: int) -> Path:
    """bench-out/synthetic_<n>.xlsx: the synthetic dataset as an analyst's workbook (built once)."""
    from bench.synthetic import synthetic_frame
    from indicators.contract import COLUMN_NAMES

    path = OUT / f"synthetic_{n_rows}.xlsx"
    if path.exists():
        return path
    import xlsxwriter

    OUT.mkdir(exist_ok=True)
    frame = synthetic_frame(n_rows)[list(COLUMN_NAMES)]
    tmp = path.with_suffix(".tmp")
    book = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
    sheet = book.add_worksheet("Số liệu")
    sheet.write_row(0, 0, list(COLUMN_NAMES))
    columns = [frame[c].tolist() for c in COLUMN_NAMES]
    period = COLUMN_NAMES.index("period")
    for i, row in enumerate(zip(*columns, strict=True), start=1):
        for j, cell in enumerate(row):
            if j == period:
                sheet.write_number(i, j, int(cell))  # a year typed as a number, as analysts do
            elif isinstance(cell, float):
                if cell == cell:
                    sheet.write_number(i, j, cell)
            elif cell:
                sheet.write_string(i, j, cell)
    book.close()
    tmp.rename(path)
    return path


def _child(mode: str, path: str) -> dict[str, Any]:
    import openpyxl  # noqa: F401 — imports are not timed

    from indicators.ingest import validate  # noqa: F401

    data = Path(path).read_bytes()
    start = time.perf_counter()
    extra: dict[str, Any] = {}
    if mode == "openpyxl":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        n = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
        book.close()
        extra["rows"] = n - 1
    elif mode == "parse":
        from indicators.ingest.reading import read_table

        raw = read_table(data, Path(path).name)
        extra["rows"] = raw.n_rows
    elif mode in ("validate", "bomb"):
        from indicators.ingest.validate import validate_bytes

        result = validate_bytes(data, Path(path).name)
        extra.update(rows=result.report.rows, valid=result.report.valid, codes=sorted(result.report.codes()))
    elif mode == "overhead":  # a 5 KB workbook: in the worker (a fresh interpreter) against in-process
        from indicators.ingest import xlsx
        from indicators.ingest.limits import Limits
        from indicators.ingest.reading import read_table

        inline = time.perf_counter()
        xlsx.read_sheet(data, None, Limits())
        extra["inline_seconds"] = time.perf_counter() - inline
        start = time.perf_counter()
        read_table(data, Path(path).name)
    from indicators.ingest import xlsx_worker

    extra["worker_peak_mb"] = xlsx_worker.LAST_WORKER_PEAK_MB
    return {"seconds": time.perf_counter() - start, "peak_mb": _peak_mb(), **extra}


def _run(mode: str, path: Path) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "bench.bench_xlsx", mode, str(path)], cwd=ROOT,
                         check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout))


def bomb_workbook() -> Path:
    """bench-out/bomb.xlsx: a zip of a few MB that unpacks to ~1.6 GB of sheet XML."""
    import zipfile

    path = OUT / "bomb.xlsx"
    if path.exists():
        return path
    OUT.mkdir(exist_ok=True)
    sheet_xml = "xl/worksheets/sheet1.xml"
    base = zipfile.ZipFile(FIXTURES / "number_cell_abc.xlsx")
    row = b'<row><c t="inlineStr"><is><t>' + b"x" * 200 + b"</t></is></c></row>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in base.infolist():
            if info.filename != sheet_xml:
                dst.writestr(info.filename, base.read(info))
        with dst.open(sheet_xml, "w", force_zip64=True) as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            block = row * 10_000
            for _ in range(1_600_000_000 // len(block)):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return path


def main(n_rows: int) -> None:
    path = big_workbook(n_rows)
    size = path.stat().st_size / 1e6
    ref = _run("openpyxl", path)
    parse = _run("parse", path)
    check = _run("validate", path)
    print(f"{'xlsx read':<10} {parse['rows']:,} rows ({size:.0f} MB XLSX, python-calamine in a worker): parse "
          f"{parse['seconds']:.1f} s (worker peak {parse['worker_peak_mb']:.0f} MB, caller peak "
          f"{parse['peak_mb']:.0f} MB); validate {check['seconds']:.1f} s (worker peak {check['worker_peak_mb']:.0f} MB, "
          f"caller peak {check['peak_mb']:.0f} MB, valid={check['valid']}); reference, openpyxl read-only "
          f"iteration alone: {ref['seconds']:.1f} s, peak {ref['peak_mb']:.0f} MB -> validate is "
          f"{ref['seconds'] / check['seconds']:.1f}x faster", flush=True)
    small = FIXTURES / "hidden_first_sheet.xlsx"
    over = _run("overhead", small)
    print(f"{'xlsx small':<10} a 5 KB workbook: {over['seconds']:.2f} s through the worker, "
          f"{over['inline_seconds']:.3f} s in-process: the worker start costs {over['seconds'] - over['inline_seconds']:.2f} s "
          f"(a long-running process keeps a spare worker started ahead)", flush=True)
    bomb = bomb_workbook()
    zipped = _run("bomb", bomb)
    dimension = _run("bomb", FIXTURES / "dimension_bomb.xlsx")
    print(f"{'xlsx bomb':<10} {bomb.stat().st_size / 1e6:.1f} MB zip of 1.6 GB sheet XML refused in "
          f"{zipped['seconds']:.2f} s ({', '.join(zipped['codes'])}: zip directory, no worker), caller peak "
          f"{zipped['peak_mb']:.0f} MB; 5 KB A1:XFD1048576 workbook refused in {dimension['seconds']:.2f} s "
          f"({', '.join(dimension['codes'])}), worker peak {dimension['worker_peak_mb']:.0f} MB, caller peak "
          f"{dimension['peak_mb']:.0f} MB   [budget: {BUDGET}]", flush=True)


if __name__ == "__main__":
    print(json.dumps(_child(sys.argv[1], sys.argv[2])))
