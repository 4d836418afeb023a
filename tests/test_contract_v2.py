"""Contract v2 (issue 10): the optional area code, parent area, breakdown, term, roll-up and series break —
parsed, checked cell by cell, part of the key, kept by the store; every v1 file stays valid."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from indicators import contract
from indicators.frame import FRAME_COLUMNS, conform
from indicators.ingest.validate import validate_bytes
from indicators.progress.engine import compute_progress
from indicators.store.versions import Store

HEAD = "indicator_id,indicator,unit,area,period,kind,value,direction,source"
V2 = ("Mã chỉ tiêu,Chỉ tiêu,Đơn vị tính,Địa bàn,Mã ĐVHC,Thuộc,Giới tính,Nhóm tuổi,Kỳ,Loại,Nhiệm kỳ,Giá trị,"
      "Chiều hướng,Cách tổng hợp,Gãy chuỗi,Nguồn\n")


def check(text: str) -> tuple[pd.DataFrame, list[tuple[str, int | None, str | None]]]:
    result = validate_bytes(text.encode(), "v2.csv")
    assert result.frame is not None
    return result.frame, [(i.code, i.row, i.column) for i in result.report.issues]


def test_a_v1_file_is_a_v2_file_with_empty_new_columns() -> None:
    frame, issues = check(f"{HEAD}\nho_ngheo,Tỷ lệ hộ nghèo,%,Huyện Kim Sơn,2020,baseline,2.5,decrease,Báo cáo\n")
    assert issues == []
    assert list(frame.columns) == list(FRAME_COLUMNS)
    assert frame.loc[0, list(contract.V2_COLUMNS)].tolist() == [""] * len(contract.V2_COLUMNS)


def test_v2_columns_in_vietnamese_are_read_to_their_canonical_form() -> None:
    frame, issues = check(V2 + (
        "ho_ngheo,Tỷ lệ hộ nghèo,%,Xã Kim Hải,14692,Huyện Kim Sơn,Nữ,15-24,2022,actual,,1.2,giảm,"
        "bình quân gia quyền theo dan_so,chuẩn nghèo mới,Báo cáo\n"
        "ho_ngheo,Tỷ lệ hộ nghèo,%,Xã Kim Hải,14692,Huyện Kim Sơn,Nam,,2022,actual,,1.0,giảm,,,Báo cáo\n"
        "ho_ngheo,Tỷ lệ hộ nghèo,%,Xã Kim Hải,14692,Huyện Kim Sơn,,,2022,actual,,1.1,giảm,,,Báo cáo\n"
        "ho_ngheo,Tỷ lệ hộ nghèo,%,Xã Kim Hải,14692,Huyện Kim Sơn,,,2025,target,Nhiệm kỳ 2020 – 2025,0.5,giảm,,,"
        "Nghị quyết\n"))
    assert issues == []
    assert frame["breakdown"].tolist() == ["sex=Nữ; age_group=15-24", "sex=Nam", "", ""]
    assert frame["term"].tolist() == ["", "", "", "2020-2025"]
    assert set(frame["rollup"]) == {"weighted:dan_so"}  # one per indicator: the empty cells take it
    assert frame["series_break"].tolist() == ["new_standard", "", "", ""]
    assert set(frame["area_code"]) == {"14692"} and set(frame["parent_area"]) == {"Huyện Kim Sơn"}


def test_the_breakdown_and_the_term_are_part_of_the_key() -> None:
    row = "ho_ngheo,Tỷ lệ hộ nghèo,%,Xã Kim Hải,,,{sex},,2022,{kind},{term},1.2,giảm,,,Báo cáo\n"
    _, issues = check(V2 + row.format(sex="Nữ", kind="actual", term="") + row.format(sex="Nam", kind="actual", term="")
                      + row.format(sex="", kind="target", term="2020-2025")
                      + row.format(sex="", kind="target", term="2021-2025"))
    assert issues == []
    _, issues = check(V2 + row.format(sex="Nữ", kind="actual", term="") * 2)
    assert [code for code, *_ in issues] == ["duplicate_key"]


@pytest.mark.parametrize(("column", "cell", "code"), [
    ("Nhiệm kỳ", "2025-2020", "bad_term"), ("Nhiệm kỳ", "khoá XXIV", "bad_term"),
    ("Cách tổng hợp", "nhân", "unknown_rollup"), ("Cách tổng hợp", "bình quân gia quyền theo Dân số", "unknown_rollup"),
    ("Mã ĐVHC", "14 692", "bad_area_code"), ("Mã ĐVHC", "KS-01", "bad_area_code"),
    ("Gãy chuỗi", "có lẽ", "unknown_series_break"),
    ("Phân tổ", "sex", "bad_breakdown"), ("Phân tổ", "sex=Nam; sex=Nữ", "bad_breakdown"),
])
def test_a_bad_v2_cell_is_an_error_at_its_cell(column: str, cell: str, code: str) -> None:
    text = f"{HEAD},{column}\nho_ngheo,Tỷ lệ hộ nghèo,%,Xã Kim Hải,2022,actual,1.2,decrease,Báo cáo,{cell}\n"
    result = validate_bytes(text.encode(), "bad.csv")
    assert [(i.code, i.row) for i in result.report.errors] == [(code, 2)]
    assert result.report.errors[0].column == contract.canonical_header(column)


def test_a_breakdown_column_and_a_dimension_column_must_agree() -> None:
    text = f"{HEAD},Phân tổ,Giới tính\nho_ngheo,Tỷ lệ,%,Xã Kim Hải,2022,actual,1.2,decrease,Báo cáo,sex=Nam,Nữ\n"
    assert [i.code for i in validate_bytes(text.encode(), "x.csv").report.errors] == ["bad_breakdown"]
    text = f"{HEAD},Phân tổ,Giới tính\nho_ngheo,Tỷ lệ,%,Xã Kim Hải,2022,actual,1.2,decrease,Báo cáo,age_group=60+,Nữ\n"
    result = validate_bytes(text.encode(), "x.csv")
    assert result.report.valid and result.frame["breakdown"].tolist() == ["sex=Nữ; age_group=60+"]


def test_contract_helpers() -> None:
    assert contract.parse_term("NK 2025—2030") == (2025, 2030)
    with pytest.raises(ValueError):
        contract.parse_term("2020-2045")
    assert contract.breakdown_text({"zone": "ven biển", "sex": "Nữ"}) == "sex=Nữ; zone=ven biển"
    assert contract.parse_breakdown("Giới tính=Nữ") == {"sex": "Nữ"}
    assert contract.breakdown_label("sex=Nữ; age_group=15-24", "vi") == "Giới tính: Nữ · Nhóm tuổi: 15-24"
    assert contract.breakdown_label("", "en") == "Total"
    assert contract.rollup_code("cộng") == "sum" and contract.rollup_code("weighted: Dân số") is None
    assert contract.rollup_weight("weighted:dan_so") == "dan_so" and contract.rollup_weight("sum") == ""


def _rows(**columns: object) -> pd.DataFrame:
    base = {"row": 2, "indicator_id": "ho_ngheo", "indicator": "Tỷ lệ hộ nghèo", "indicator_en": "", "group": "",
            "unit": "%", "area": "Xã Kim Hải", "direction": "decrease", "method": "", "source": "s", "note": "",
            "qualifier": "", "of_total": np.nan}
    frame = pd.DataFrame(columns)
    for name, value in base.items():
        if name not in frame:
            frame[name] = value
    frame["period_end"] = pd.to_datetime(frame["period"] + "-12-31")
    return conform(frame)


def test_progress_is_computed_per_breakdown_series() -> None:
    frame = _rows(breakdown=["", "", "", "sex=Nữ", "sex=Nữ", "sex=Nữ"],
                  period=["2020", "2022", "2025"] * 2, kind=["baseline", "actual", "target"] * 2,
                  value=[4.0, 3.0, 2.0, 6.0, 6.5, 2.0])
    result = compute_progress(frame).set_index("breakdown")
    assert len(result) == 2
    assert result.loc["", "progress"] == pytest.approx(0.5)
    assert result.loc["sex=Nữ", "status"] == "deterioration"


def test_a_series_break_keeps_earlier_figures_out_of_the_baseline_and_is_reported() -> None:
    frame = _rows(period=["2019", "2021", "2022", "2023", "2025"], kind=["actual"] * 4 + ["target"],
                  value=[9.0, 8.0, 3.0, 2.5, 1.0], series_break=["", "", "new_standard", "", ""])
    row = compute_progress(frame).iloc[0]
    assert row["latest_series_break"] == "new_standard" and row["break_date"] == pd.Timestamp("2022-12-31")
    assert row["baseline_value"] == 3.0 and row["baseline_from"] == "first_observation"  # not 9.0 of 2019
    assert row["progress"] == pytest.approx(0.25)


def test_the_store_keeps_the_v2_columns(tmp_path) -> None:  # type: ignore[no-untyped-def]
    frame = _rows(period=["2022", "2022"], kind=["actual", "actual"], value=[1.0, 2.0],
                  breakdown=["sex=Nam", "sex=Nữ"], area_code=["14692"] * 2, parent_area=["Huyện Kim Sơn"] * 2,
                  term=["", "2020-2025"], rollup=["sum"] * 2, series_break=["merger", ""])
    with Store(f"sqlite:///{tmp_path / 's.db'}") as store:
        store.ensure_schema()
        info = store.commit(frame, user="lan", comment="v2", filename="v2.csv", sha256="0" * 64, mode="replace")
        pd.testing.assert_frame_equal(store.load(info.version), frame)


def test_area_codes_and_parents_are_checked_against_the_register_at_their_cell() -> None:
    text = (f"{HEAD},Mã ĐVHC,Thuộc\n"
            "ho_ngheo,Tỷ lệ hộ nghèo,%,Xã Kim Hải,2022,actual,1.2,decrease,Báo cáo,14692,Huyện Kim Sơn\n"
            "ho_ngheo,Tỷ lệ hộ nghèo,%,Xã Quang Thiện,2022,actual,1.2,decrease,Báo cáo,14650,Huyện Kim Sơn\n"
            "ho_ngheo,Tỷ lệ hộ nghèo,%,Xã Quang Thiện,2026,actual,1.0,decrease,Báo cáo,14647,Huyện Kim Sơn\n")
    result = validate_bytes(text.encode(), "codes.csv")
    assert result.report.valid  # warnings: a dataset may name its own areas
    assert [(i.code, i.row, i.column) for i in result.report.issues] == [
        ("area_code_mismatch", 3, "area_code"), ("parent_mismatch", 4, "parent_area")]
