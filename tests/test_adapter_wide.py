"""The wide report-table adapter ("biểu"): one hand-written fixture per layout feature (tests/fixtures/bieu),
the exact contract rows each gives, issues at the analyst's cells, profiles, aliases and detection."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from indicators.ingest.adapters import Catalogue, Options, convert_bytes, detect
from indicators.ingest.adapters.wide import COLUMN_ROLES, ROW_ROLES, Mapping
from indicators.ingest.validate import validate_bytes

BIEU = Path(__file__).parent / "fixtures" / "bieu"
SHOWN = ["indicator_id", "indicator", "group", "unit", "area", "period", "kind", "value", "of_total", "source",
         "note"]


def rows_of(name: str, **options: object) -> pd.DataFrame:
    converted = convert_bytes((BIEU / name).read_bytes(), name, Options(fmt="wide", **options))  # type: ignore[arg-type]
    return converted.raw.to_frame().reset_index(drop=True)


def expect(text: str, columns: list[str]) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep="|")[columns]


def check(name: str, text: str, **options: object) -> None:
    frame = rows_of(name, **options)
    wanted = expect(text, [c.strip() for c in text.splitlines()[0].split("|")])
    pd.testing.assert_frame_equal(frame[list(wanted.columns)], wanted, check_dtype=False)


def test_simple_bieu_rows() -> None:
    check("simple.csv", """indicator_id|indicator|group|unit|area|period|kind|value|source
thu_nhap_binh_quan_dau_nguoi|Thu nhập bình quân đầu người|Kinh tế|triệu đồng|Xã Kim Chính|2022|actual|58,5|UBND xã Kim Chính
thu_nhap_binh_quan_dau_nguoi|Thu nhập bình quân đầu người|Kinh tế|triệu đồng|Xã Kim Chính|2023|target|62|UBND xã Kim Chính
thu_nhap_binh_quan_dau_nguoi|Thu nhập bình quân đầu người|Kinh tế|triệu đồng|Xã Kim Chính|2023|estimate|63,1|UBND xã Kim Chính
tong_san_luong_luong_thuc|Tổng sản lượng lương thực|Kinh tế|tấn|Xã Kim Chính|2022|actual|12.450|UBND xã Kim Chính
tong_san_luong_luong_thuc|Tổng sản lượng lương thực|Kinh tế|tấn|Xã Kim Chính|2023|target|12.500|UBND xã Kim Chính
tong_san_luong_luong_thuc|Tổng sản lượng lương thực|Kinh tế|tấn|Xã Kim Chính|2023|estimate|12.610|UBND xã Kim Chính
ty_le_ho_ngheo|Tỷ lệ hộ nghèo|Xã hội|%|Xã Kim Chính|2022|actual|2,1|UBND xã Kim Chính
ty_le_ho_ngheo|Tỷ lệ hộ nghèo|Xã hội|%|Xã Kim Chính|2023|target|< 1,5|UBND xã Kim Chính
ty_le_ho_ngheo|Tỷ lệ hộ nghèo|Xã hội|%|Xã Kim Chính|2023|estimate|1,4|UBND xã Kim Chính
so_truong_dat_chuan_quoc_gia|Số trường đạt chuẩn quốc gia|Xã hội|trường|Xã Kim Chính|2022|actual|3|UBND xã Kim Chính
so_truong_dat_chuan_quoc_gia|Số trường đạt chuẩn quốc gia|Xã hội|trường|Xã Kim Chính|2023|estimate|4|UBND xã Kim Chính
""")


def test_simple_bieu_mapping() -> None:
    converted = convert_bytes((BIEU / "simple.csv").read_bytes(), "simple.csv", Options(fmt="wide"))
    mapping = converted.mapping
    assert isinstance(mapping, Mapping) and converted.format == "wide"
    assert mapping.columns["role"].tolist() == ["stt", "label", "unit", "value", "value", "value", "derived"]
    assert set(mapping.columns["role"]) <= set(COLUMN_ROLES) and set(mapping.rows["role"]) <= set(ROW_ROLES)
    assert mapping.rows["role"].tolist() == ["heading", "indicator", "indicator", "heading", "indicator", "indicator"]
    assert mapping.rows["match"].tolist()[1:3] == ["new", "new"] and set(mapping.rows["direction"]) == {""}
    assert mapping.table["header_rows"] == "4-4" and mapping.table["area"] == "Xã Kim Chính"
    assert converted.detected[1] == "A wide report table: 4 indicators × 3 value columns, 11 figures."


def test_new_indicator_with_a_target_asks_for_its_direction_at_its_label_cell() -> None:
    result = validate_bytes((BIEU / "simple.csv").read_bytes(), "simple.csv", options=Options(fmt="wide"))
    cells = {(i.code, i.cell) for i in result.report.errors}
    assert cells == {("target_without_direction", "B6"), ("target_without_direction", "B7"),
                     ("target_without_direction", "B9")}


@pytest.mark.parametrize("name", sorted(p.name for p in BIEU.glob("*.csv")))
def test_fixtures_detect_as_wide(name: str) -> None:
    assert detect((BIEU / name).read_bytes(), name) == "wide"


@pytest.mark.parametrize("path", sorted((Path(__file__).parent / "fixtures" / "good").glob("*.csv")),
                         ids=lambda p: p.name)
def test_tidy_fixtures_stay_tidy(path: Path) -> None:
    assert detect(path.read_bytes(), path.name) == "tidy"


def test_catalogue_is_used() -> None:
    current = pd.DataFrame({"indicator_id": ["thu_nhap"], "indicator": ["Thu nhập bình quân đầu người"],
                            "unit": ["triệu đồng"], "group": ["Kinh tế"], "direction": ["increase"]})
    frame = rows_of("simple.csv", catalogue=Catalogue.of(current))
    first = frame.iloc[0]
    assert (first["indicator_id"], first["direction"]) == ("thu_nhap", "increase")
