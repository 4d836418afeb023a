"""`indicators template` writes the form from the store's current version (an empty store is seeded from
the shipped data first, as the other reading commands do); bad input is one line on stderr and exit 2."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from indicators.cli import main
from indicators.ingest.adapters import detect
from indicators.ingest.validate import validate_bytes
from indicators.store.versions import Store

STORE = """indicator_id,indicator,group,unit,area,period,kind,value,direction,source
thu_nhap,Thu nhập bình quân đầu người,Kinh tế,triệu đồng/người/năm,Xã Kim Hải,2023,actual,55,increase,BC
ho_ngheo,Tỷ lệ hộ nghèo,Xã hội,%,Xã Kim Hải,2023,actual,1.5,decrease,BC
ho_ngheo,Tỷ lệ hộ nghèo,Xã hội,%,Xã Hồi Ninh,2024,estimate,2.5,decrease,BC
"""


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    frame = validate_bytes(STORE.encode(), "store.csv").frame
    with Store(url) as store:
        store.seed_if_empty(frame, source_name="store.csv", sha256="1" * 64)
    return url


def test_writes_the_form_of_every_area_by_default(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bieu_mau.xlsx"
    assert main(["template", "--database-url", url, "--out", str(out)]) == 0
    data = out.read_bytes()
    assert detect(data, out.name) == "template"
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Hướng dẫn", "Xã Kim Hải", "Xã Hồi Ninh", "_meta"]
    assert book["Xã Kim Hải"]["A3"].value == "Kỳ báo cáo: 2025"  # the year after the latest figure
    assert capsys.readouterr().out.strip() == f"{out}: biểu mẫu kỳ 2025, 2 địa bàn (từ phiên bản 1)"


def test_areas_period_indicators_and_language(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "form.xlsx"
    code = main(["template", "--database-url", url, "--out", str(out), "--area", "Xã Mới", "--area", "Xã Kim Hải",
                 "--period", "2026", "--indicator", "ho_ngheo", "--lang", "en"])
    assert code == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Instructions", "Xã Mới", "Xã Kim Hải", "_meta"]
    assert [c.value for c in book["Xã Mới"]["B"][6:] if c.value] == ["ho_ngheo"]
    assert book["Xã Mới"]["A3"].value == "Reporting period: 2026"
    assert "2 areas" in capsys.readouterr().out


def test_the_filled_form_imports_in_update_mode(url: str, tmp_path: Path) -> None:
    out = tmp_path / "form.xlsx"
    assert main(["template", "--database-url", url, "--out", str(out), "--area", "Xã Hồi Ninh"]) == 0
    book = openpyxl.load_workbook(out)
    sheet = book["Xã Hồi Ninh"]
    entry = next(c.column for c in sheet[6] if c.value == "Số liệu 2025")
    sheet.cell(8, entry, 2.1)
    book.save(out)
    assert main(["validate", str(out)]) == 0
    assert main(["import", str(out), "--mode", "update", "--comment", "biểu mẫu 2025", "--database-url", url]) == 0
    with Store(url) as store:
        frame = store.load()
    assert len(frame) == 4  # the three stored rows kept, one added
    added = frame[frame["period"] == "2025"].iloc[0]
    assert (added["indicator_id"], added["area"], added["kind"], added["value"], added["source"]) == (
        "ho_ngheo", "Xã Hồi Ninh", "actual", 2.1, "Biểu mẫu form.xlsx")


@pytest.mark.parametrize(("args", "words"), [
    (["--out", "form.csv"], "--out must be an .xlsx file"),
    (["--out", "form.xlsx", "--period", "năm tới"], "'năm tới' is not a period"),
    (["--out", "form.xlsx", "--indicator", "khong_co"], "khong_co"),
    (["--out", "form.xlsx", "--area", " "], "no area"),
])
def test_bad_input_is_one_line_and_exit_2(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          args: list[str], words: str) -> None:
    args = [str(tmp_path / a) if a.startswith("form.") else a for a in args]
    assert main(["template", "--database-url", url, "--lang", "en", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("indicators template: ") and words in err and err.count("\n") == 1
    assert not (tmp_path / "form.xlsx").exists()


def test_an_unreachable_store_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["template", "--database-url", "postgresql://nobody@127.0.0.1:1/none", "--out",
                 str(tmp_path / "f.xlsx")])
    assert code == 2 and capsys.readouterr().err.startswith("indicators template: ")
