"""The sheet grid (ingest/grid.py): every row and column as laid out, merged ranges, batches of workbooks."""

from __future__ import annotations

import io

import openpyxl

from indicators.ingest.grid import Grid, read_grid, read_grids
from indicators.ingest.limits import Limits
from indicators.ingest.xlsx import ReadError


def workbook(cells: dict[str, object], merge: tuple[str, ...] = (), title: str = "Biểu 01") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for ref, value in cells.items():
        sheet[ref] = value
    for span in merge:
        sheet.merge_cells(span)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_grid_keeps_sheet_coordinates_merges_and_number_cells() -> None:
    data = workbook({"B2": "UBND XÃ KIM CHÍNH", "A4": "Năm 2023", "D6": 5.5, "C6": "x"}, merge=("A4:C4",))
    grid = read_grid(data, "b.xlsx")
    assert (grid.height, grid.width, grid.sheet) == (6, 4, "Biểu 01")
    assert grid.cell(2, 2) == "UBND XÃ KIM CHÍNH" and grid.cell(6, 4) == "5.5" and grid.cell(6, 3) == "x"
    assert grid.merged == [(4, 1, 4, 3)] and grid.merged_origin(4, 3) == (4, 1) and grid.merged_origin(6, 3) == (6, 3)
    assert grid.is_number(6, 4) and not grid.is_number(6, 3)
    assert grid.where(6, 4) == "'Biểu 01'!D6" and grid.cell(99, 99) == ""


def test_csv_grid_pads_ragged_rows_and_normalises_text() -> None:
    text = "UBND HUYỆN KIM SƠN\nSTT,Chỉ tiêu,ĐVT,TH 2023\n1,Dân số,người,\"1.234\",\n"
    grid = read_grid(text.encode("utf-8"), "b.csv")
    assert grid.width == 5 and grid.rows[0] == ["UBND HUYỆN KIM SƠN", "", "", "", ""]
    assert grid.cell(3, 4) == "1.234" and not grid.is_number(3, 4) and grid.where(3, 4) == "D3"


def test_batch_reads_every_file_in_order_and_names_the_bad_one() -> None:
    good = [(workbook({"A1": f"Xã {i}", "B2": i}), f"x{i}.xlsx") for i in range(5)]
    files = [*good[:2], (b"PK\x03\x04 not a zip", "bad.xlsx"), (b"a,b\n1,2\n", "c.csv"), *good[2:]]
    results = read_grids(files)
    assert [type(r).__name__ for r in results] == ["Grid", "Grid", "ReadError", "Grid", "Grid", "Grid", "Grid"]
    grids = [r for r in results if isinstance(r, Grid)]
    assert [g.cell(1, 1) for g in grids] == ["Xã 0", "Xã 1", "a", "Xã 2", "Xã 3", "Xã 4"]
    assert [g.filename for g in grids] == ["x0.xlsx", "x1.xlsx", "c.csv", "x2.xlsx", "x3.xlsx", "x4.xlsx"]


def test_batch_respects_the_limits_per_file() -> None:
    big = workbook({f"A{r}": r for r in range(1, 40)})
    small = workbook({"A1": 1})
    results = read_grids([(big, "big.xlsx"), (small, "small.xlsx")], limits=Limits(rows=10))
    assert isinstance(results[0], ReadError) and results[0].code == "too_many_rows"
    assert isinstance(results[1], Grid) and results[1].cell(1, 1) == "1"
