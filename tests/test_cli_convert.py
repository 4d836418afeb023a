"""`indicators convert` and the adapter options of `validate` (--from, --area, --profile, --meta)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from indicators.cli import main
from indicators.ingest.validate import validate_path
from indicators.store.versions import Store

FIXTURES = Path(__file__).parent / "fixtures"
BIEU = FIXTURES / "bieu" / "simple.csv"
PEERS = FIXTURES / "peers"


@pytest.fixture
def store_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store in tmp_path holding the indicators the report table names (with their directions)."""
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("INDICATORS_DATABASE_URL", url)
    monkeypatch.setenv("INDICATORS_DATA", str(tmp_path / "no-seed.csv"))
    rows = [("thu_nhap", "Thu nhập bình quân đầu người", "triệu đồng", "increase", "Kinh tế"),
            ("luong_thuc", "Tổng sản lượng lương thực", "tấn", "increase", "Kinh tế"),
            ("ho_ngheo", "Tỷ lệ hộ nghèo", "%", "decrease", "Xã hội"),
            ("truong_chuan", "Số trường đạt chuẩn quốc gia", "trường", "increase", "Xã hội")]
    lines = ["indicator_id,indicator,unit,direction,group,area,period,kind,value,source"]
    lines += [f"{i},{n},{u},{d},{g},Xã Kim Chính,2021,actual,1,Báo cáo 2021" for i, n, u, d, g in rows]
    seed = tmp_path / "seed.csv"
    seed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["import", str(seed), "--comment", "seed", "--user", "lan"]) == 0
    return tmp_path


def test_convert_a_report_table_matched_to_the_store_writes_rows_that_import_as_they_are(
        store_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = store_env / "rows.csv"
    assert main(["convert", str(BIEU), "--out", str(out), "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    assert "detected (wide)" in printed and "valid: 11 rows" in printed
    rows = validate_path(out)
    assert rows.format == "tidy" and rows.report.valid
    frame = rows.frame
    assert frame is not None
    assert set(frame["indicator_id"]) == {"thu_nhap", "luong_thuc", "ho_ngheo", "truong_chuan"}  # the stored ids
    income = frame[(frame["indicator_id"] == "thu_nhap") & (frame["kind"] == "estimate")]
    assert income["value"].tolist() == [63.1] and income["period"].tolist() == ["2023"]
    assert set(frame["area"]) == {"Xã Kim Chính"}
    poverty_target = frame[(frame["indicator_id"] == "ho_ngheo") & (frame["kind"] == "target")]
    assert poverty_target[["qualifier", "value"]].values.tolist() == [["<", 1.5]]
    assert main(["import", str(out), "--comment", "biểu 2023", "--mode", "update", "--user", "lan"]) == 0
    assert len(Store.from_env().load()) == 4 + 11


def test_convert_without_a_store_writes_the_rows_to_fix_and_says_why(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("INDICATORS_DATABASE_URL", f"sqlite:///{tmp_path / 'none.sqlite'}")
    out = tmp_path / "rows.csv"
    assert main(["convert", str(BIEU), "--out", str(out), "--lang", "en"]) == 1
    printed = capsys.readouterr().out
    assert "target_without_direction" in printed and "cell B6" in printed  # new indicators: direction asked
    assert not (tmp_path / "none.sqlite").exists()  # a reading command never creates the store
    written = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(written) == 11 and written["value"].tolist()[0] == "58,5"  # as in the file, to correct


def test_validate_takes_the_format_the_area_and_a_companion_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("INDICATORS_DATABASE_URL", f"sqlite:///{tmp_path / 'none.sqlite'}")
    dhis2 = str(PEERS / "dhis2_dataValueSetB.csv")
    assert main(["validate", dhis2, "--lang", "en"]) == 1  # ids and no units: not importable as is
    assert main(["validate", dhis2, "--meta", str(PEERS / "dhis2_names.csv"), "--lang", "en"]) == 0
    assert "detected (dhis2)" in capsys.readouterr().out
    assert main(["validate", str(BIEU), "--from", "tidy", "--format", "json"]) == 1  # forced: not a contract file
    report = json.loads(capsys.readouterr().out)
    assert {e["code"] for e in report["errors"]} >= {"missing_column"}


def test_an_unknown_profile_is_one_line_naming_the_saved_ones(
        store_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store.from_env()
    store.save_profile("biểu 01 xã", {"name": "biểu 01 xã", "signature": "x", "columns": [], "table": {}}, user="lan")
    assert main(["validate", str(BIEU), "--profile", "nope", "--lang", "en"]) == 2
    assert "no mapping profile 'nope' (saved: biểu 01 xã)" in capsys.readouterr().err


def test_convert_refuses_an_output_it_cannot_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", str(BIEU), "--out", str(tmp_path / "rows.json"), "--lang", "en"]) == 2
    assert "--out must be a .csv or .xlsx file" in capsys.readouterr().err


ROUND = FIXTURES / "bieu_browser"


@pytest.fixture
def shipped_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store seeded from the shipped data (as `make run` starts), in tmp_path."""
    monkeypatch.setenv("INDICATORS_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    monkeypatch.delenv("INDICATORS_DATA", raising=False)
    return tmp_path


def test_import_a_round_of_communes_forms_as_one_version(shipped_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    forms = [str(ROUND / f"xa_{name}.csv") for name in ("kim_hai", "kim_tan", "an_hoa")]
    assert main(["import", *forms, "--comment", "kỳ báo cáo 2025", "--mode", "update", "--user", "lan",
                 "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    assert printed.count("detected (wide)") == 3 and "version 2" in printed
    stored = Store.from_env().load()
    assert {"Xã Kim Hải", "Xã Kim Tân", "Xã Ân Hòa"} <= set(stored["area"])
    income = stored[(stored["area"] == "Xã Kim Hải") & (stored["indicator"] == "Thu nhập bình quân đầu người")]
    assert set(income["indicator_id"]) == {"thu_nhap_binh_quan"}  # the shipped series' id, not a new one
    assert income.sort_values("period")[["period", "kind", "value"]].values.tolist() == [
        ["2024", "actual", 61.2], ["2025", "estimate", 64.5]]
    history = Store.from_env().history()
    assert history[0].filename == "xa_kim_hai.csv, xa_kim_tan.csv, xa_an_hoa.csv"


def test_import_per_file_writes_one_version_each_and_a_repeated_file_is_refused(
        shipped_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    forms = [str(ROUND / f"xa_{name}.csv") for name in ("kim_hai", "kim_tan")]
    assert main(["import", *forms, "--comment", "kỳ 2025", "--per-file", "--user", "lan", "--lang", "en"]) == 0
    versions = [(v.version, v.filename) for v in Store.from_env().history()[:2]]
    assert versions == [(3, "xa_kim_tan.csv"), (2, "xa_kim_hai.csv")]
    capsys.readouterr()
    same = str(ROUND / "xa_kim_hai.csv")
    assert main(["import", same, same, "--comment", "x", "--mode", "update", "--lang", "en"]) == 1
    assert "batch_duplicate_key" in capsys.readouterr().out  # the same figures twice in one batch
    assert len(Store.from_env().history()) == 3  # nothing written


def test_convert_of_an_invalid_contract_file_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("INDICATORS_DATABASE_URL", f"sqlite:///{tmp_path / 'none.sqlite'}")
    out = tmp_path / "rows.csv"
    assert main(["convert", str(FIXTURES / "bad" / "duplicate_key.csv"), "--out", str(out), "--lang", "en"]) == 1
    assert "is already a contract table" in capsys.readouterr().out and not out.exists()
