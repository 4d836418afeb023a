"""`indicators validate FILE`: exit 0 valid, 1 invalid, 2 unreadable; text and JSON reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indicators.cli import main

HEADER = "indicator_id,indicator,group,unit,area,period,kind,value,direction,source\n"
GOOD = HEADER + "x,X,G,%,A,2020,baseline,1,increase,s\nx,X,G,%,A,2025,target,2,increase,s\n"
AMBIGUOUS = HEADER + "x,X,G,%,A,2020,baseline,7,increase,s\nx,X,G,%,A,2025,target,1.234,increase,s\n"


def write(tmp_path: Path, text: str | bytes, name: str = "data.csv") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return str(path)


def test_valid_file_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", write(tmp_path, GOOD), "--lang", "en"]) == 0
    assert capsys.readouterr().out == "valid: 2 rows, 0 errors, 0 warnings\n"


def test_invalid_file_exits_1_with_one_line_per_issue(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", write(tmp_path, AMBIGUOUS), "--lang", "en"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("row 3, column value: '1.234' — ambiguous_number: '1.234' could be 1234")
    assert lines[1:] == ["invalid: 2 rows, 1 error, 0 warnings", "hint: rerun with --decimal , or --decimal ."]


def test_decimal_option_settles_the_convention(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", write(tmp_path, AMBIGUOUS), "--decimal", ",", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"valid": True, "rows": 2, "errors": [], "warnings": []}


def test_json_report_shape_in_vietnamese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", write(tmp_path, GOOD.replace("2025,target", "2011-2025,target")), "--format",
                 "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False and report["rows"] == 2 and report["warnings"] == []
    assert report["errors"] == [{"row": 3, "column": "period", "value": "2011-2025", "code": "bad_period",
                                 "message": report["errors"][0]["message"]}]
    assert report["errors"][0]["message"].startswith("'2011-2025' không phải kỳ hợp lệ")


@pytest.mark.parametrize(("content", "name"), [(b"", "empty.csv"), (b"\x00\x01\x02\x03binary", "b.csv"),
                                               (b"not a zip", "book.xlsx")])
def test_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, name: str) -> None:
    assert main(["validate", write(tmp_path, content, name), "--format", "json", "--lang", "en"]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False and report["errors"][0]["row"] is None
    assert report["errors"][0]["code"] in {"empty_file", "not_a_table"}


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope.csv")]) == 2
    assert "nope.csv" in capsys.readouterr().err


def test_sheet_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["cover page"])
    sheet = book.create_sheet("Số liệu")
    for line in GOOD.splitlines():
        sheet.append(line.split(","))
    book.save(tmp_path / "book.xlsx")
    assert main(["validate", str(tmp_path / "book.xlsx"), "--sheet", "Số liệu", "--lang", "en"]) == 0
    assert capsys.readouterr().out.endswith("valid: 2 rows, 0 errors, 0 warnings\n")
    assert main(["validate", str(tmp_path / "book.xlsx"), "--sheet", "Nope", "--lang", "en"]) == 2
    assert "missing_sheet" in capsys.readouterr().out


def test_help_lists_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["validate", "--help"])
    out = capsys.readouterr().out
    assert all(option in out for option in ("--decimal", "--sheet", "--format", "--lang"))
