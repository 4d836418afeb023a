"""Hostile and damaged files (issue 7, items 1–4): each is refused with where and why, or read as meant.

The fixtures are in tests/fixtures/hostile/files/ (written by make_fixtures.py there); the big ones (a zip
bomb, a NUL byte past the first 64 KB) are built here.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from indicators.cli import main
from indicators.ingest.limits import Limits
from indicators.ingest.reading import read_table, sheet_names
from indicators.ingest.validate import validate_bytes

FILES = Path(__file__).parent / "fixtures" / "hostile" / "files"
HEADER = "indicator_id,indicator,unit,area,period,kind,value,direction,source\n"
ROW = "dang_vien_moi,Kết nạp đảng viên mới,đảng viên,Huyện Kim Sơn,{year},actual,{value},tăng,Báo cáo\n"


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["validate", *args, "--format", "json", "--lang", "en"])
    return code, json.loads(capsys.readouterr().out)


def issue(report: dict, code: str) -> dict:
    found = [i for i in report["errors"] + report["warnings"] if i["code"] == code]
    assert found, f"{code} not in {report}"
    return found[0]


# (fixture, exit code, issue code, words the message must hold)
CASES = [
    ("dimension_bomb.xlsx", 2, "too_many_columns", ["XFD1048576", "INDICATORS_MAX_COLUMNS", "Số liệu"]),
    ("lying_sizes.xlsx", 2, "workbook_damaged", ["does not unpack", "CRC", "Số liệu"]),
    ("shared_string_out_of_range.xlsx", 2, "workbook_damaged", ["B3", "shared string 99999", "Số liệu"]),
    ("style_out_of_range.xlsx", 1, "bad_xlsx_cell", ["G3", "style 4242", "Số liệu"]),
    ("number_cell_nan.xlsx", 1, "bad_xlsx_cell", ["G3", "not finite", "Số liệu"]),
    ("number_cell_inf.xlsx", 1, "bad_xlsx_cell", ["G3", "not finite"]),
    ("number_cell_abc.xlsx", 2, "workbook_damaged", ["G3", "'abc'", "Số liệu"]),
    ("number_400_digits.xlsx", 1, "bad_xlsx_cell", ["G3", "not finite"]),
    ("number_400_digits.csv", 1, "number_out_of_range", ["not a finite number"]),
    ("cp1258_last_row_utf8.csv", 2, "mixed_encoding", ["line 4", "Windows-1258"]),
    ("table.xml", 2, "structured_file", ["XML, not a table"]),
    ("table.json", 2, "structured_file", ["JSON, not a table"]),
]


@pytest.mark.parametrize(("name", "exit_code", "code", "words"), CASES, ids=[c[0] for c in CASES])
def test_hostile_file_is_refused_with_where_and_why(name: str, exit_code: int, code: str, words: list[str],
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    status, report = run_json(capsys, str(FILES / name))
    assert status == exit_code and not report["valid"]
    found = issue(report, code)
    for word in words:
        assert word in found["message"] or word == found["value"], (word, found)


@pytest.mark.parametrize("name", sorted(p.name for p in FILES.iterdir() if p.suffix != ".py"))
def test_every_hostile_file_gives_json_and_a_vietnamese_report(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", str(FILES / name), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code in (0, 1, 2) and set(report) == {"valid", "rows", "errors", "warnings"}
    assert main(["validate", str(FILES / name)]) == code
    assert "Traceback" not in capsys.readouterr().out


def test_the_400_digit_number_names_its_row_and_column(capsys: pytest.CaptureFixture[str]) -> None:
    _, report = run_json(capsys, str(FILES / "number_400_digits.csv"))
    found = issue(report, "number_out_of_range")
    assert (found["row"], found["column"]) == (3, "value") and found["value"].startswith("1000")


@pytest.mark.parametrize(("name", "row"), [("number_cell_abc.xlsx", 3), ("shared_string_out_of_range.xlsx", 3)])
def test_a_damaged_workbook_names_the_row_of_the_cell(name: str, row: int) -> None:
    result = validate_bytes((FILES / name).read_bytes(), name)
    assert result.unreadable and [(i.code, i.row) for i in result.report.errors] == [("workbook_damaged", row)]
    assert "trang tính 'Số liệu'" in result.report.errors[0].message_vi


def test_a_damaged_cell_leaves_its_row_out_and_names_it(capsys: pytest.CaptureFixture[str]) -> None:
    result = validate_bytes((FILES / "number_cell_nan.xlsx").read_bytes(), "b.xlsx")
    bad = [i for i in result.report.errors if i.code == "bad_xlsx_cell"]
    assert [(i.row, i.value) for i in bad] == [(3, "G3")]
    assert "Ô G3 của trang tính 'Số liệu'" in bad[0].message_vi
    assert result.frame is not None and result.frame["row"].tolist() == [2, 4]


def test_a_far_row_is_bounded_by_the_row_limit(monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("INDICATORS_MAX_ROWS", "1000")
    status, report = run_json(capsys, str(FILES / "far_row.xlsx"))
    assert status == 2
    assert "1,048,576" in issue(report, "too_many_rows")["message"]
    assert "INDICATORS_MAX_ROWS" in issue(report, "too_many_rows")["message"]


def test_a_far_row_within_the_limits_is_read_without_a_row_per_empty_row() -> None:
    raw = read_table((FILES / "far_row.xlsx").read_bytes(), "far.xlsx")
    assert raw.n_rows == 1_048_575  # data rows 2 … 1,048,576
    assert raw.cells.column(0)[-1].as_py() == "x" and raw.cells.column(0)[4].as_py() == ""


def bomb(xml_mb: int) -> bytes:
    """A valid workbook whose sheet XML unpacks to `xml_mb` MB of one repeated row (~1000:1)."""
    base = zipfile.ZipFile(FILES / "hidden_first_sheet.xlsx")
    out = io.BytesIO()
    row = b'<row><c t="inlineStr"><is><t>' + b"x" * 100 + b"</t></is></c></row>"
    block = row * 10_000
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in base.infolist():
            if info.filename != "xl/worksheets/sheet2.xml":
                dst.writestr(info.filename, base.read(info))
        with dst.open("xl/worksheets/sheet2.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            for _ in range(xml_mb * 1_000_000 // len(block)):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def test_a_zip_bomb_is_refused_from_the_central_directory() -> None:
    data = bomb(60)
    assert len(data) < 2_000_000
    result = validate_bytes(data, "bomb.xlsx")
    assert result.unreadable and result.report.codes() == {"xlsx_ratio"}
    assert "INDICATORS_MAX_XLSX_RATIO" in result.report.errors[0].message_en
    result = validate_bytes(data, "bomb.xlsx", limits=Limits(xlsx_mb=50, xlsx_ratio=10_000))
    assert result.report.codes() == {"xlsx_too_large"}
    assert "INDICATORS_MAX_XLSX_MB" in result.report.errors[0].message_en


def test_a_worker_that_needs_more_memory_than_allowed_is_a_clean_report() -> None:
    data = (FILES / "far_row.xlsx").read_bytes()  # 5 KB, but a million rows in the reader's grid
    result = validate_bytes(data, "far.xlsx", limits=Limits(memory_mb=64))
    assert result.unreadable and result.report.codes() == {"needs_more_memory"}
    assert "(64 MB, INDICATORS_READER_MEMORY_MB)" in result.report.errors[0].message_en
    assert not validate_bytes(data, "far.xlsx").unreadable  # the same file with the default allowance


def test_a_nul_byte_past_the_first_64_kb_is_refused_with_its_row() -> None:
    rows = "".join(ROW.format(year=1000 + i, value=i) for i in range(1200))
    bad = ROW.format(year=2999, value=1).replace("Báo cáo", "Báo\x00cáo")
    data = (HEADER + rows + bad).encode()
    assert data.index(b"\x00") > 1 << 16
    result = validate_bytes(data, "nul.csv")
    nul = [i for i in result.report.errors if i.code == "nul_character"]
    assert [(i.row, i.column) for i in nul] == [(1202, "source")]


def test_dev_zero_is_read_up_to_the_limit_and_refused(monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("INDICATORS_MAX_FILE_MB", "1")
    status, report = run_json(capsys, "/dev/zero")
    assert status == 2 and issue(report, "file_too_large")["message"].startswith("The file is larger than the limit of 1 MB")
    assert main(["validate", "/dev/zero", "--lang", "en"]) == 2
    assert "INDICATORS_MAX_FILE_MB" in capsys.readouterr().out


def test_csv_rows_and_columns_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (HEADER + ROW.format(year=2020, value=1) + ROW.format(year=2021, value=2)).encode()
    assert validate_bytes(data, "a.csv", limits=Limits(rows=1)).report.codes() == {"too_many_rows"}
    assert validate_bytes(data, "a.csv", limits=Limits(columns=5)).report.codes() == {"too_many_columns"}
    monkeypatch.setenv("INDICATORS_MAX_COLUMNS", "5")
    assert validate_bytes(data, "a.csv").report.codes() == {"too_many_columns"}


def test_excel_sep_line_is_honoured_and_rows_keep_their_numbers() -> None:
    result = validate_bytes((FILES / "sep_line_semicolon.csv").read_bytes(), "sep.csv")
    assert result.report.valid and result.report.rows == 3 and result.separator == ";"
    data = b"sep=,\r\n" + HEADER.encode() + ROW.format(year=2020, value="abc").encode()
    errors = validate_bytes(data, "sep.csv").report.errors
    assert [(i.row, i.column, i.code) for i in errors] == [(2, "value", "bad_number")]


def test_a_hidden_first_sheet_is_never_the_default() -> None:
    data = (FILES / "hidden_first_sheet.xlsx").read_bytes()
    result = validate_bytes(data, "b.xlsx")
    assert result.report.valid and result.report.rows == 3
    warning = result.report.warnings[0]
    assert warning.code == "hidden_sheets" and "Ẩn" in warning.message_en and "'Số liệu'" in warning.message_vi
    assert sheet_names(data) == ["Số liệu", "Ẩn"]  # the upload page's sheet choice starts at a visible sheet
    assert validate_bytes(data, "b.xlsx", sheet="Ẩn").report.codes() >= {"missing_column"}


def test_the_cell_limit_counts_the_area_a_sheet_spans() -> None:
    result = validate_bytes((FILES / "far_row.xlsx").read_bytes(), "far.xlsx", limits=Limits(cells=100_000))
    assert result.unreadable and result.report.codes() == {"too_many_sheet_cells"}
    assert "1,048,576 rows × 9 columns" in result.report.errors[0].message_en
    assert "INDICATORS_MAX_CELLS" in result.report.errors[0].message_en


def test_workbooks_are_parsed_in_a_worker_process_not_in_the_caller() -> None:
    code = ("import sys; from pathlib import Path; from indicators.ingest.reading import read_table; "
            f"raw = read_table(Path({str(FILES / 'hidden_first_sheet.xlsx')!r}).read_bytes(), 'b.xlsx'); "
            "print(raw.n_rows, 'python_calamine' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["3", "False"]


@pytest.mark.parametrize(("args", "code"), [
    ([str(FILES / "number_400_digits.csv")], 1),
    ([str(FILES / "number_cell_abc.xlsx")], 2),
    (["/dev/zero"], 2),
])
def test_import_refuses_what_validate_refuses_and_writes_nothing(
        args: list[str], code: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from indicators.store.versions import Store

    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("INDICATORS_DATABASE_URL", url)
    monkeypatch.setenv("INDICATORS_DATA", str(tmp_path / "no-seed.csv"))
    monkeypatch.setenv("INDICATORS_MAX_FILE_MB", "1")
    assert main(["import", *args, "--comment", "x", "--format", "json"]) == code
    assert json.loads(capsys.readouterr().out)["valid"] is False
    with Store(url) as store:
        store.ensure_schema()
        assert store.history() == []
