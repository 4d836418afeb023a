"""The crosswalk (indicators.areas.crosswalk): Kim Sơn's 25 units of the 2020–2025 term -> 8 communes,
the 2020 step, the district and the three provinces; break dates; predecessors shown beside, never summed."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from indicators.areas import Crosswalk, Link, default_crosswalk, default_register, rollup
from indicators.areas.crosswalk import read_links
from tests.areas_frames import rows

MERGER = date(2025, 7, 1)


def test_the_communes_of_the_last_arrangement_become_8_each_into_one() -> None:
    cw, reg = default_crosswalk(), default_register()
    last = reg.children_of("Huyện Kim Sơn", date(2025, 6, 30))
    assert len(last) == 23
    successors = {name: cw.successors(name) for name in last}
    assert all(len(s) == 1 and s[0][1] == MERGER for s in successors.values()), successors
    new = Counter(s[0][0] for s in successors.values())
    assert sorted(new) == sorted(["Xã Chất Bình", "Xã Kim Sơn", "Xã Quang Thiện", "Xã Phát Diệm", "Xã Lai Thành",
                                  "Xã Định Hóa", "Xã Bình Minh", "Xã Kim Đông"])
    assert new["Xã Kim Đông"] == 2 and all(n == 3 for name, n in new.items() if name != "Xã Kim Đông")
    assert all(reg.level_of(n, MERGER) == "commune" and reg.parent_of(n, MERGER) == "Tỉnh Ninh Bình" for n in new)


def test_units_whose_receiving_commune_no_source_names_have_no_link() -> None:
    """Lưu Phương and Kim Hải (gone 01/01/2025) and Yên Mật (2020): never guessed."""
    cw = default_crosswalk()
    assert [cw.successors(n) for n in ("Xã Lưu Phương", "Xã Kim Hải", "Xã Yên Mật")] == [[], [], []]


def test_codes_in_the_crosswalk_are_the_registers_codes_on_each_side() -> None:
    cw, reg = default_crosswalk(), default_register()
    for link in cw.links:
        old = reg.unit(link.old_name, link.effective - pd.Timedelta(days=1))
        new = reg.unit(link.new_name, link.effective)
        assert old is not None and old.code == link.old_code, link
        assert new is not None and new.code == link.new_code, link
        assert link.basis and link.source


def test_the_2020_step_and_the_break_dates_of_a_name() -> None:
    cw = default_crosswalk()
    assert sorted(n for n, _ in cw.predecessors("Xã Xuân Chính")) == ["Xã Chính Tâm", "Xã Xuân Thiện"]
    assert cw.break_dates("Xã Quang Thiện") == [MERGER]  # same name and code, a new unit
    assert cw.break_dates("Xã Xuân Chính") == [date(2020, 3, 1), MERGER]
    assert cw.break_dates("Xã Kim Mỹ") == [MERGER]
    assert cw.break_dates("Xã Đồng Hướng 2") == []


def test_the_district_is_split_into_its_8_communes_each_partial() -> None:
    cw = default_crosswalk()
    successors = cw.successors("Huyện Kim Sơn")
    assert len(successors) == 8 and {d for _, d in successors} == {MERGER}
    assert cw.partial("Huyện Kim Sơn", MERGER)
    assert not cw.partial("Xã Hồi Ninh", MERGER)


def test_the_three_provinces_become_the_new_ninh_binh() -> None:
    cw = default_crosswalk()
    assert sorted(n for n, _ in cw.predecessors("Tỉnh Ninh Bình")) == ["Tỉnh Hà Nam", "Tỉnh Nam Định", "Tỉnh Ninh Bình"]
    assert cw.break_dates("Tỉnh Ninh Bình") == [MERGER]


def test_the_lineage_goes_back_through_2020_and_leaves_the_split_district_out() -> None:
    cw = default_crosswalk()
    names = [n for n, _ in cw.lineage("Xã Chất Bình")]
    assert sorted(names) == ["Xã Chính Tâm", "Xã Chất Bình", "Xã Hồi Ninh", "Xã Xuân Chính", "Xã Xuân Thiện"]
    assert "Huyện Kim Sơn" in [n for n, _ in cw.lineage("Xã Chất Bình", include_partial=True)]


def test_under_successor_returns_the_predecessors_rows_relabelled_not_the_successors() -> None:
    frame = rows({"indicator_id": "ho_ngheo", "area": "Xã Quang Thiện", "period": "2022", "value": 30},
                 {"indicator_id": "ho_ngheo", "area": "Xã Như Hòa", "period": "2023", "value": 20},
                 {"indicator_id": "ho_ngheo", "area": "Xã Quang Thiện", "period": "2026", "value": 70},
                 {"indicator_id": "ho_ngheo", "area": "Huyện Kim Sơn", "period": "2022", "value": 900},
                 {"indicator_id": "ho_ngheo", "area": "Xã Kim Mỹ", "period": "2022", "value": 5})
    beside = default_crosswalk().under_successor(frame, "Xã Quang Thiện")
    assert sorted(zip(beside["predecessor"], beside["period"], beside["value"], strict=True)) == [
        ("Xã Như Hòa", "2023", 20.0), ("Xã Quang Thiện", "2022", 30.0)]
    assert set(beside["area"]) == {"Xã Quang Thiện"}
    assert set(beside["merged_on"]) == {pd.Timestamp(MERGER)}
    assert len(default_crosswalk().under_successor(frame, "Xã Phát Diệm")) == 0
    assert list(default_crosswalk().under_successor(frame, "Xã Phát Diệm").columns)[-2:] == ["predecessor", "merged_on"]


def test_under_successor_goes_back_through_the_2020_step() -> None:
    frame = rows({"indicator_id": "x", "area": "Xã Xuân Thiện", "period": "2019", "value": 1},
                 {"indicator_id": "x", "area": "Xã Xuân Chính", "period": "2022", "value": 2},
                 {"indicator_id": "x", "area": "Xã Hồi Ninh", "period": "2022", "value": 3},
                 {"indicator_id": "x", "area": "Xã Xuân Thiện", "period": "2021", "value": 9})  # after it ended
    beside = default_crosswalk().under_successor(frame, "Xã Chất Bình")
    assert sorted(zip(beside["predecessor"], beside["value"], strict=True)) == [
        ("Xã Hồi Ninh", 3.0), ("Xã Xuân Chính", 2.0), ("Xã Xuân Thiện", 1.0)]
    assert sorted(set(beside["merged_on"])) == [pd.Timestamp(2020, 3, 1), pd.Timestamp(MERGER)]


def test_no_sum_across_the_merger_old_and_new_communes_roll_to_their_own_parents() -> None:
    """Old communes' 2024 figures go to the old district, the new commune's 2026 figure to the new province:
    nothing of 2024 is added into the new units, nothing of 2026 into the old."""
    frame = rows({"indicator_id": "so_ho", "rollup": "sum", "area": "Xã Quang Thiện", "period": "2024", "value": 30},
                 {"indicator_id": "so_ho", "rollup": "sum", "area": "Xã Như Hòa", "period": "2024", "value": 20},
                 {"indicator_id": "so_ho", "rollup": "sum", "area": "Xã Quang Thiện", "period": "2026", "value": 70})
    out = rollup(frame, default_register())
    by_area = {(a, p): (v, n, of) for a, p, v, n, of in
               out[["area", "period", "value", "reported", "expected"]].itertuples(index=False)}
    assert by_area[("Huyện Kim Sơn", "2024")] == (50.0, 2, 25)  # Lưu Phương, Kim Hải until 31/12/2024
    assert by_area[("Tỉnh Ninh Bình", "2026")] == (70.0, 1, 129)
    assert by_area[("Tỉnh Ninh Bình", "2024")] == (50.0, 1, 8)  # the old province: 1 of its 8 district units


def test_a_series_under_a_name_whose_unit_changed_is_marked_broken_at_its_first_figure_after() -> None:
    frame = rows({"indicator_id": "ho_ngheo", "area": "Xã Quang Thiện", "period": "2024", "value": 30},
                 {"indicator_id": "ho_ngheo", "area": "Xã Quang Thiện", "period": "2026", "value": 70},
                 {"indicator_id": "ho_ngheo", "area": "Xã Quang Thiện", "period": "2027", "value": 60},
                 {"indicator_id": "ho_ngheo", "area": "Xã Quang Thiện", "breakdown": "sex=Nữ", "period": "2026",
                  "value": 9},  # nothing before the merger in this series: not broken
                 {"indicator_id": "dan_so", "area": "Xã Quang Thiện", "period": "2025-12", "value": 1,
                  "series_break": "new_standard"},  # already names its break
                 {"indicator_id": "dan_so", "area": "Xã Quang Thiện", "period": "2023", "value": 1},
                 {"indicator_id": "ho_ngheo", "area": "Xã Ân Hòa", "period": "2024", "value": 3})
    marked = default_crosswalk().mark_breaks(frame)
    assert list(marked) == ["", "merger", "", "", "new_standard", "", ""]
    assert list(frame["series_break"]) == ["", "", "", "", "new_standard", "", ""]  # the frame is not changed


def test_a_computed_parent_across_the_merger_is_marked_too() -> None:
    frame = rows({"indicator_id": "so_ho", "rollup": "sum", "area": "Huyện Kim Sơn", "period": "2024", "value": 50},
                 {"indicator_id": "so_ho", "rollup": "sum", "area": "Xã Quang Thiện", "period": "2026", "value": 70})
    computed = rollup(frame, default_register())
    both = pd.concat([frame, computed.loc[:, list(frame.columns)]], ignore_index=True)
    marked = default_crosswalk().mark_breaks(both)
    province = both["area"] == "Tỉnh Ninh Bình"
    assert dict(zip(both.loc[province, "period"], marked[province], strict=True)) == {"2024": "", "2026": "merger"}


@pytest.mark.parametrize(("line", "problem"), [
    ("Xã A,1,Xã B,2,01/07/2025,NQ,src,", "'01/07/2025' is not a date"),
    (",1,Xã B,2,2025-07-01,NQ,src,", "needs old_name and new_name"),
    ("Xã A,1,Xã B,2,2025-07-01,,,", "cites its basis or source"),
])
def test_a_bad_link_is_refused_naming_the_file_and_line(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "cw.csv"
    path.write_text("old_name,old_code,new_name,new_code,effective,basis,source,note\n" + line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=f"cw.csv line 2: .*{problem}"):
        read_links(path)


def test_a_crosswalk_of_its_own() -> None:
    cw = Crosswalk([Link("Xã A", "1", "Xã B", "2", MERGER)])
    assert (cw.successors("Xã A"), cw.predecessors("Xã B"), len(cw)) == ([("Xã B", MERGER)], [("Xã A", MERGER)], 1)
