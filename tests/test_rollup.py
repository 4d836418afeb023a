"""Roll-ups (indicators.areas.rollup): parents computed from children where the indicator says how, with
coverage counted against the children valid on the row's day, never across a merger."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from indicators.areas import Register, Unit, default_register, rollup
from indicators.areas.rollup import ROLLUP_COLUMNS
from tests.areas_frames import rows

END = date(2025, 6, 30)
REG = Register([
    Unit("Tỉnh T", "01", "province", "", None, None),
    Unit("Huyện H", "001", "district", "Tỉnh T", None, END),
    Unit("Huyện K", "002", "district", "Tỉnh T", None, END),
    Unit("Xã A", "00001", "commune", "Huyện H", None, END),
    Unit("Xã B", "00002", "commune", "Huyện H", None, END),
    Unit("Xã C", "00003", "commune", "Huyện H", None, date(2023, 12, 31)),  # merged away at the end of 2023
    Unit("Xã D", "00004", "commune", "Huyện K", None, END),
    Unit("Xã A", "00001", "commune", "Tỉnh T", date(2025, 7, 1), None),  # a new unit of an old name
    Unit("Xã E", "00005", "commune", "Tỉnh T", date(2025, 7, 1), None),
])


def _only(out: pd.DataFrame, **where: str) -> pd.Series:
    mask = np.ones(len(out), dtype=bool)
    for column, value in where.items():
        mask &= (out[column] == value).to_numpy()
    assert mask.sum() == 1, out.loc[:, ["indicator_id", "area", "period", "kind", "breakdown", "value"]]
    return out[mask].iloc[0]


def test_a_sum_counts_the_children_that_reported_against_those_valid_that_day() -> None:
    frame = rows({"indicator_id": "ho_ngheo", "rollup": "sum", "area": "Xã A", "period": "2022", "value": 10},
                 {"indicator_id": "ho_ngheo", "rollup": "sum", "area": "Xã B", "period": "2022", "value": 5})
    out = rollup(frame, REG)
    district = _only(out, area="Huyện H", period="2022")
    assert district["value"] == 15
    assert (district["reported"], district["expected"]) == (2, 3)  # Xã C still existed in 2022
    assert bool(district["computed"])
    assert district["source"] == "Tính từ số liệu 2/3 xã"
    assert district["area_code"] == "001" and district["parent_area"] == "Tỉnh T"
    assert list(out.columns) == list(ROLLUP_COLUMNS)


def test_coverage_follows_the_day_a_merged_commune_no_longer_expected() -> None:
    frame = rows({"indicator_id": "ho_ngheo", "rollup": "sum", "area": "Xã A", "period": "2024", "value": 10},
                 {"indicator_id": "ho_ngheo", "rollup": "sum", "area": "Xã B", "period": "2024", "value": 5})
    district = _only(rollup(frame, REG, lang="en"), area="Huyện H", period="2024")
    assert (district["reported"], district["expected"]) == (2, 2)
    assert district["source"] == "Computed from 2 of 2 communes"


def test_the_shipped_register_says_22_of_23_communes_for_kim_son_in_2025() -> None:
    reg = default_register()
    day = date(2025, 3, 31)
    communes = reg.children_of("Huyện Kim Sơn", day)
    assert len(communes) == 23 and "Xã Lưu Phương" not in communes  # merged away on 01/01/2025
    frame = rows(*({"indicator_id": "so_ho", "rollup": "sum", "area": name, "period": "2025-03-31", "value": 100}
                   for name in communes[:22]))
    district = _only(rollup(frame, reg), area="Huyện Kim Sơn")
    assert district["value"] == 2200
    assert district["source"] == "Tính từ số liệu 22/23 xã"


def test_a_weighted_mean_uses_the_weight_of_the_same_child_period_and_kind() -> None:
    rate = {"indicator_id": "ty_le_ngheo", "rollup": "weighted:dan_so", "unit": "%", "period": "2022"}
    pop = {"indicator_id": "dan_so", "rollup": "sum", "period": "2022"}
    frame = rows({**rate, "area": "Xã A", "value": 2.0}, {**rate, "area": "Xã B", "value": 5.0},
                 {**rate, "area": "Xã C", "value": 9.0},  # no population: counts as not reported
                 {**pop, "area": "Xã A", "value": 3000}, {**pop, "area": "Xã B", "value": 1000},
                 {**pop, "area": "Xã C", "value": 500, "kind": "estimate"})  # another kind: not its weight
    out = rollup(frame, REG)
    rate_row = _only(out, area="Huyện H", indicator_id="ty_le_ngheo")
    assert rate_row["value"] == pytest.approx((2.0 * 3000 + 5.0 * 1000) / 4000)
    assert (rate_row["reported"], rate_row["expected"]) == (2, 3)
    assert rate_row["unit"] == "%"


def test_a_mean_is_unweighted() -> None:
    frame = rows({"indicator_id": "diem", "rollup": "mean", "area": "Xã A", "value": 2},
                 {"indicator_id": "diem", "rollup": "mean", "area": "Xã B", "value": 6})
    assert _only(rollup(frame, REG), area="Huyện H")["value"] == 4


@pytest.mark.parametrize("rule", ["", "none"])
def test_an_indicator_that_declares_no_rollup_rolls_nothing_up(rule: str) -> None:
    frame = rows({"indicator_id": "x", "rollup": rule, "area": "Xã A", "value": 2},
                 {"indicator_id": "x", "rollup": rule, "area": "Xã B", "value": 6})
    out = rollup(frame, REG)
    assert out.empty and list(out.columns) == list(ROLLUP_COLUMNS)


def test_a_parent_that_reports_its_own_row_keeps_it() -> None:
    frame = rows({"indicator_id": "x", "rollup": "sum", "area": "Xã A", "period": "2022", "value": 2},
                 {"indicator_id": "x", "rollup": "sum", "area": "Xã B", "period": "2022", "value": 6},
                 {"indicator_id": "x", "rollup": "sum", "area": "Xã A", "period": "2023", "value": 3},
                 {"indicator_id": "x", "rollup": "sum", "area": "Huyện H", "period": "2022", "value": 99})
    out = rollup(frame, REG)
    assert set(out.loc[out["area"] == "Huyện H", "period"]) == {"2023"}  # 2022 is reported: not computed


def test_children_of_another_day_are_not_counted_never_across_the_merger() -> None:
    frame = rows({"indicator_id": "x", "rollup": "sum", "area": "Xã A", "period": "2024", "value": 2},
                 {"indicator_id": "x", "rollup": "sum", "area": "Xã C", "period": "2024", "value": 50},  # gone
                 {"indicator_id": "x", "rollup": "sum", "area": "Xã A", "period": "2026", "value": 7},  # new Xã A
                 {"indicator_id": "x", "rollup": "sum", "area": "Xã E", "period": "2026", "value": 1})
    out = rollup(frame, REG)
    old = _only(out, area="Huyện H", period="2024")
    assert old["value"] == 2 and (old["reported"], old["expected"]) == (1, 2)
    new = _only(out, area="Tỉnh T", period="2026")
    assert new["value"] == 8 and (new["reported"], new["expected"]) == (2, 2)
    assert not ((out["area"] == "Huyện H") & (out["period"] == "2026")).any()


def test_breakdowns_roll_up_separately() -> None:
    base = {"indicator_id": "lao_dong", "rollup": "sum", "period": "2022"}
    frame = rows({**base, "area": "Xã A", "breakdown": "sex=Nữ", "value": 4},
                 {**base, "area": "Xã B", "breakdown": "sex=Nữ", "value": 6},
                 {**base, "area": "Xã A", "breakdown": "sex=Nam", "value": 5},
                 {**base, "area": "Xã A", "breakdown": "", "value": 9})
    out = rollup(frame, REG)
    assert _only(out, area="Huyện H", breakdown="sex=Nữ")["value"] == 10
    assert _only(out, area="Huyện H", breakdown="sex=Nam")["reported"] == 1
    assert _only(out, area="Huyện H", breakdown="")["value"] == 9


def test_levels_roll_up_one_at_a_time_to_the_province() -> None:
    frame = rows({"indicator_id": "x", "rollup": "sum", "area": "Xã A", "period": "2022", "value": 2},
                 {"indicator_id": "x", "rollup": "sum", "area": "Xã B", "period": "2022", "value": 3},
                 {"indicator_id": "x", "rollup": "sum", "area": "Huyện K", "period": "2022", "value": 10})
    out = rollup(frame, REG)
    province = _only(out, area="Tỉnh T")
    assert province["value"] == 15  # Huyện H computed (5) + Huyện K reported (10)
    assert (province["reported"], province["expected"]) == (2, 2)
    assert province["source"] == "Tính từ số liệu 2/2 huyện"


def test_terms_kinds_and_of_totals_are_kept_apart() -> None:
    base = {"indicator_id": "xa_ntm", "rollup": "sum", "period": "2024"}
    frame = rows({**base, "area": "Xã A", "kind": "target", "term": "2020-2025", "value": 1, "of_total": 1},
                 {**base, "area": "Xã B", "kind": "target", "term": "2020-2025", "value": 1, "of_total": 1},
                 {**base, "area": "Xã A", "kind": "actual", "value": 1, "of_total": 1},
                 {**base, "area": "Xã B", "kind": "actual", "value": 0})
    out = rollup(frame, REG)
    target = _only(out, area="Huyện H", kind="target")
    assert target["term"] == "2020-2025" and target["of_total"] == 2 and target["value"] == 2
    actual = _only(out, area="Huyện H", kind="actual")
    assert actual["term"] == "" and actual["value"] == 1 and np.isnan(actual["of_total"])  # one gave no total


def test_an_area_the_register_does_not_know_is_left_out() -> None:
    frame = rows({"indicator_id": "x", "rollup": "sum", "area": "Xã Không Rõ", "value": 2})
    assert rollup(frame, REG).empty


def test_computed_rows_have_the_frames_dtypes_and_carry_a_childs_series_break() -> None:
    frame = rows({"indicator_id": "ho_ngheo", "rollup": "sum", "area": "Xã A", "period": "2022", "value": 10,
                  "series_break": "new_standard"},
                 {"indicator_id": "ho_ngheo", "rollup": "sum", "area": "Xã B", "period": "2022", "value": 5},
                 {"indicator_id": "ho_ngheo", "rollup": "sum", "area": "Xã A", "period": "2021", "value": 12})
    out = rollup(frame, REG)
    assert _only(out, area="Huyện H", period="2022")["series_break"] == "new_standard"
    assert _only(out, area="Huyện H", period="2021")["series_break"] == ""
    assert all(out[c].dtype == frame[c].dtype for c in frame.columns)
    both = pd.concat([frame, out.loc[:, list(frame.columns)]], ignore_index=True)
    assert both["area"].dtype == frame["area"].dtype and len(both) == len(frame) + len(out)
