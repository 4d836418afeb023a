"""`indicators summary`: text and JSON over the store (seeded from the shipped data) or a given file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indicators.cli import build_parser, main


@pytest.fixture(autouse=True)
def empty_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test's own store, empty: the first summary seeds it from the shipped data."""
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("INDICATORS_DATABASE_URL", url)
    monkeypatch.delenv("INDICATORS_DATA", raising=False)
    return url


REQUIRED_KEYS = {"indicator_id", "indicator", "unit", "area", "latest_period", "latest_value", "target_value",
                 "target_period", "progress", "elapsed", "pace", "status"}


def test_summary_json_lists_every_series(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert all(r.keys() >= REQUIRED_KEYS for r in records)
    members = next(r for r in records if r["indicator_id"] == "dang_vien_moi")
    assert members["latest_value"] == 667
    assert members["target_value"] == 1000
    assert members["status"] == "on_track"
    assert members["progress"] == pytest.approx(0.667)
    income = next(r for r in records if r["indicator_id"] == "thu_nhap_binh_quan")
    assert income["status"] == "no_target" and income["target_value"] is None


def test_summary_text_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary"]) == 0
    text = capsys.readouterr().out
    assert "▲ Đúng tiến độ" in text and "667 đảng viên" in text and "1.000 đảng viên" in text
    assert main(["summary", "--lang", "en"]) == 0
    assert "On track" in capsys.readouterr().out


def test_summary_of_another_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "other.csv"
    path.write_text(
        "Mã chỉ tiêu;Chỉ tiêu;Đơn vị tính;Địa bàn;Kỳ/Năm;Loại;Giá trị;Chiều hướng;Nguồn\n"
        "ho_ngheo;Tỷ lệ hộ nghèo;%;Huyện X;2020;cơ sở;3,5;giảm;Báo cáo 2020\n"
        "ho_ngheo;Tỷ lệ hộ nghèo;%;Huyện X;2023;thực hiện;2,0;giảm;Báo cáo 2023\n"
        "ho_ngheo;Tỷ lệ hộ nghèo;%;Huyện X;2025;mục tiêu;1,5;giảm;Nghị quyết\n",
        encoding="utf-8",
    )
    assert main(["summary", "--data", str(path), "--format", "json"]) == 0
    [record] = json.loads(capsys.readouterr().out)
    assert record["area"] == "Huyện X"
    assert record["progress"] == pytest.approx(0.75)
    assert record["status"] == "on_track"


def test_summary_of_a_missing_file_is_one_line_not_a_traceback(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "--data", str(tmp_path / "nope.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("indicators summary:") and "Traceback" not in err


def test_help_names_every_command() -> None:
    help_text = build_parser().format_help()
    assert "summary" in help_text
