"""The register of areas (indicators.areas.register): levels, validity, children on a day, the package's
units before and after 01/07/2025, and the name/code checks."""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from indicators.areas import LEVELS, Register, Unit, check_areas, default_register, level_label, package
from indicators.areas.register import AREAS_DIR, level_from_code, level_from_name, read_units
from tests.areas_frames import rows

BEFORE, AFTER = date(2025, 6, 30), date(2025, 7, 1)


@pytest.mark.parametrize(("name", "level"), [
    ("Tỉnh Ninh Bình", "province"), ("Thành phố Hà Nội", "province"), ("Thành phố Hoa Lư", "district"),
    ("Huyện Kim Sơn", "district"), ("Quận Ba Đình", "district"), ("Thị xã Sơn Tây", "district"),
    ("Xã Kim Hải", "commune"), ("Phường Hoa Lư", "commune"), ("Thị trấn Phát Diệm", "commune"),
    ("Đặc khu Phú Quốc", "commune"), ("xã  kim hải", "commune"), ("Kim Sơn", None),
])
def test_the_level_comes_from_the_name_prefix(name: str, level: str | None) -> None:
    assert level_from_name(name) == level


@pytest.mark.parametrize(("code", "level"), [("37", "province"), ("376", "district"), ("14647", "commune"),
                                             ("1464", None), ("", None), ("x1", None)])
def test_the_level_comes_from_a_padded_codes_length(code: str, level: str | None) -> None:
    assert level_from_code(code) == level


def test_level_labels_in_both_languages() -> None:
    assert [level_label(lv, "vi") for lv in LEVELS] == ["Cấp tỉnh", "Cấp huyện", "Cấp xã"]
    assert level_label("commune", "en") == "Commune"
    with pytest.raises(ValueError, match="hamlet"):
        level_label("hamlet")


def test_one_name_two_units_told_apart_by_the_day() -> None:
    reg = default_register()
    old, new = reg.unit("Xã Quang Thiện", BEFORE), reg.unit("Xã Quang Thiện", AFTER)
    assert old is not None and new is not None and old != new
    assert old.code == new.code == "14647"
    assert (old.parent, new.parent) == ("Huyện Kim Sơn", "Tỉnh Ninh Bình")
    assert reg.unit("Xã Quang Thiện") == new  # no day: the latest
    assert reg.unit("Tỉnh Ninh Bình", date(2024, 1, 1)).valid_to == BEFORE  # type: ignore[union-attr]
    assert reg.unit("Huyện Kim Sơn", AFTER) is None  # no district after the reorganisation


def test_a_day_may_be_a_timestamp_or_nat_as_frames_hold_them() -> None:
    import pandas as pd

    reg = default_register()
    assert reg.unit("Xã Quang Thiện", pd.Timestamp("2024-12-31")) == reg.unit("Xã Quang Thiện", BEFORE)
    assert reg.unit("Xã Quang Thiện", pd.NaT) == reg.unit("Xã Quang Thiện") == reg.unit("Xã Quang Thiện", float("nan"))
    assert reg.unit("Xã Quang Thiện", pd.Timestamp("2024-12-31").to_datetime64()) == reg.unit("Xã Quang Thiện", BEFORE)
    assert len(reg.children_of("Huyện Kim Sơn", pd.Timestamp("2022-12-31"))) == 25
    with pytest.raises(TypeError, match="not a day"):
        reg.unit("Xã Quang Thiện", "2024-12-31")  # type: ignore[arg-type]


def test_children_on_a_day_follow_the_2020_and_2025_arrangements() -> None:
    reg = default_register()
    assert len(reg.children_of("Huyện Kim Sơn", date(2019, 12, 31))) == 27
    in_term = reg.children_of("Huyện Kim Sơn", date(2022, 12, 31))
    assert len(in_term) == 25 and "Xã Xuân Chính" in in_term and "Xã Yên Mật" not in in_term
    assert len(reg.children_of("Huyện Kim Sơn", date(2025, 1, 1))) == 23
    assert len(reg.children_of("Huyện Kim Sơn")) == 23  # no day: the district's last communes
    assert reg.children_of("Huyện Kim Sơn", AFTER) == []
    assert len(reg.children_of("Tỉnh Ninh Bình", date(2024, 12, 31))) == 8  # the old province's district units
    after_hoa_lu = reg.children_of("Tỉnh Ninh Bình", date(2025, 1, 1))
    assert len(after_hoa_lu) == 7 and "Thành phố Hoa Lư" in after_hoa_lu and "Huyện Hoa Lư" not in after_hoa_lu
    assert len(reg.children_of("Tỉnh Ninh Bình", date(2026, 1, 1))) == 129


def test_the_merged_province_has_its_129_communes_97_xa_32_phuong() -> None:
    reg = default_register()
    communes = reg.names("commune", on=date(2026, 1, 1))
    assert len(communes) == 129
    assert sum(n.startswith("Xã ") for n in communes) == 97
    assert sum(n.startswith("Phường ") for n in communes) == 32
    assert reg.names("district", on=date(2026, 1, 1)) == []
    assert reg.names("province", on=date(2026, 1, 1)) == ["Tỉnh Ninh Bình"]


def test_ancestors_nearest_first_on_the_rows_day() -> None:
    reg = default_register()
    assert reg.ancestors("Xã Kim Hải", date(2022, 12, 31)) == ["Huyện Kim Sơn", "Tỉnh Ninh Bình"]
    assert reg.ancestors("Xã Quang Thiện", date(2026, 1, 1)) == ["Tỉnh Ninh Bình"]
    assert reg.ancestors("Xã Kim Hải", date(2025, 3, 1)) == []  # not a unit then
    assert reg.level_of("Xã Kim Hải") == "commune" and reg.parent_of("Tỉnh Ninh Bình") is None


def test_every_shipped_unit_cites_its_source_and_codes_are_one_unit_a_day() -> None:
    reg = default_register()
    assert all(u.source for u in reg.units())
    for day in (date(2019, 12, 31), date(2022, 12, 31), date(2025, 3, 1), date(2026, 1, 1)):
        live = [u for u in reg.units() if u.valid_on(day) and u.code]
        codes = [(u.level, u.code) for u in live]
        assert len(codes) == len(set(codes)), day


def test_the_package_knows_the_old_and_the_new_units_with_codes() -> None:
    old = package.lookup("Xã Quang Thiện", "14647", BEFORE)
    new = package.lookup("Xã Quang Thiện", "14647", AFTER)
    assert old is not None and old.parent == "Huyện Kim Sơn" and old.parent_code == "376"
    assert new is not None and new.parent == "Tỉnh Ninh Bình" and new.valid_from == AFTER
    assert package.lookup("Huyện Kim Sơn", "376").level == "district"  # type: ignore[union-attr]
    assert package.lookup("Xã Lưu Phương", "14665") is None  # gone before the package's old list
    assert package.lookup("Huyện Kim Sơn", "376", AFTER) is None
    assert package.code_key("037") == package.code_key("37") == "37"


def test_reading_the_package_does_not_import_it() -> None:
    """The package's own import loads its address parser (about 1.5 s): a page rerun must not pay it."""
    code = ("import sys; from indicators.areas import package; assert package.units(); "
            "print('vietnamadminunits' in sys.modules, 'shapely' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


def test_with_frame_adds_what_the_data_names_from_the_package_or_the_prefix() -> None:
    frame = rows({"indicator_id": "x", "area": "Huyện Hải Hậu", "area_code": "366", "value": 1},
                 {"indicator_id": "x", "area": "Thôn Đông", "parent_area": "Xã Kim Hải", "value": 1},
                 {"indicator_id": "x", "area": "Xã Mới", "area_code": "99999", "value": 1})
    base = default_register()
    reg = base.with_frame(frame)
    assert "Huyện Hải Hậu" not in base
    hai_hau = reg.unit("Huyện Hải Hậu", date(2024, 1, 1))
    assert hai_hau is not None and (hai_hau.level, hai_hau.parent, hai_hau.valid_to) == ("district", "Tỉnh Nam Định", BEFORE)
    assert reg.unit("Thôn Đông") == Unit("Thôn Đông", "", "", "Xã Kim Hải", None, None, "dataset")
    assert reg.level_of("Xã Mới") == "commune"
    assert reg.unit("Xã Quang Thiện", AFTER) == base.unit("Xã Quang Thiện", AFTER)  # known: kept as it is
    assert base.with_frame(frame.iloc[0:0]) is base


def test_check_reports_a_code_that_disagrees_on_the_rows_day() -> None:
    frame = rows({"indicator_id": "x", "area": "Xã Quang Thiện", "area_code": "14647", "period": "2024", "value": 1},
                 {"indicator_id": "x", "area": "Xã Kim Hải", "area_code": "14647", "period": "2022", "value": 1},
                 {"indicator_id": "x", "area": "Xã Kim Hải", "area_code": "14692", "period": "2023", "value": 1},
                 {"indicator_id": "x", "area": "Xã Lạ", "area_code": "88888", "value": 1},
                 {"indicator_id": "x", "area": "Xã Lạ", "area_code": "14647", "value": 1},  # another's code: known
                 {"indicator_id": "x", "area": "Xã Chất Bình", "area_code": "014653", "period": "2026", "value": 1})
    issues = default_register().check(frame)
    assert issues == [
        (1, "area_code_mismatch", {"area": "Xã Kim Hải", "area_code": "14647", "expected": "14692"}),
        (3, "area_code_unknown", {"area": "Xã Lạ", "area_code": "88888"}),
    ]
    assert check_areas(frame) == issues


def test_check_reports_a_parent_that_is_not_the_rows_parent_or_ancestor() -> None:
    frame = rows({"indicator_id": "x", "area": "Xã Kim Hải", "parent_area": "Huyện Kim Sơn", "period": "2022", "value": 1},
                 {"indicator_id": "x", "area": "Xã Kim Hải", "parent_area": "tỉnh ninh bình", "period": "2022", "value": 1},
                 {"indicator_id": "x", "area": "Xã Quang Thiện", "parent_area": "Huyện Kim Sơn", "period": "2026", "value": 1},
                 {"indicator_id": "x", "area": "Xã Kim Hải", "parent_area": "Huyện Yên Mô", "period": "2022", "value": 1})
    issues = default_register().check(frame)
    assert issues == [
        (2, "parent_mismatch", {"area": "Xã Quang Thiện", "parent": "Huyện Kim Sơn", "expected": "Tỉnh Ninh Bình"}),
        (3, "parent_mismatch", {"area": "Xã Kim Hải", "parent": "Huyện Yên Mô", "expected": "Huyện Kim Sơn"}),
    ]


def test_check_of_rows_whose_period_did_not_parse_uses_the_latest_unit() -> None:
    import pandas as pd

    frame = rows({"indicator_id": "x", "area": "Xã Quang Thiện", "area_code": "14648", "value": 1})
    frame["period_end"] = pd.NaT
    assert default_register().check(frame) == [
        (0, "area_code_mismatch", {"area": "Xã Quang Thiện", "area_code": "14648", "expected": "14647"})]


def test_check_of_a_frame_without_codes_or_parents_finds_nothing() -> None:
    frame = rows({"indicator_id": "x", "area": "Xã Kim Hải", "value": 1})
    assert default_register().check(frame) == []


def test_check_messages_exist_in_both_languages() -> None:
    from indicators.ingest.report import make_issue

    issue = make_issue("area_code_mismatch", row=5, column="area_code", value="14647",
                       area="Xã Kim Hải", area_code="14647", expected="14692")
    assert issue.severity == "warning"
    assert "14692" in issue.message("vi") and "Xã Kim Hải" in issue.message("en")


@pytest.mark.parametrize(("line", "problem"), [
    ("Xã A,1,hamlet,,,,src", "level 'hamlet'"),
    ("Xã A,1,commune,,2025-13-01,,src", "'2025-13-01' is not a date"),
    ("Xã A,1,commune,,2025-07-01,2025-06-30,src", "before valid_from"),
    ("Xã A,1,commune,,,,", "needs a name and a source"),
])
def test_a_bad_register_row_is_refused_naming_the_file_and_line(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("name,code,level,parent,valid_from,valid_to,source\nXã B,2,commune,,,,src\n" + line + "\n",
                    encoding="utf-8")
    with pytest.raises(ValueError, match=f"bad.csv line 3: .*{problem}"):
        read_units(path)


def test_only_register_files_of_the_folder_are_read(tmp_path: Path) -> None:
    from indicators.areas.register import is_register_file

    layout = tmp_path / "tile_layout.csv"
    layout.write_text("name,row,col\nXã A,0,0\n", encoding="utf-8")
    assert not is_register_file(layout) and is_register_file(AREAS_DIR / "ninh_binh.csv")


def test_the_shipped_csv_is_what_the_script_writes() -> None:
    """data/areas/ninh_binh.csv is generated (scripts/make_areas.py): the file and the script agree."""
    import importlib.util  # the script is loaded by its path: scripts/ is not a package

    spec = importlib.util.spec_from_file_location("make_areas", Path(__file__).parents[1] / "scripts" / "make_areas.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    with (AREAS_DIR / "ninh_binh.csv").open(encoding="utf-8", newline="") as handle:
        shipped = list(csv.DictReader(handle))
    assert shipped == script.rows()
    assert script.check_against_package(shipped) == [] and script.check_mergers_against_package() == []


def test_a_register_of_one_open_unit() -> None:
    reg = Register([Unit("Xã A", "", "commune", "", None, None)])
    assert reg.names() == ["Xã A"] and reg.children_of("Xã A") == [] and reg.ancestors("Xã A") == []
    assert len(reg) == 1 and "Xã A" in reg and "Xã B" not in reg
