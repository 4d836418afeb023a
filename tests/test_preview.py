"""The dry run: counts and the table of changes, in replace and update modes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.store.diff import CHANGE_COLUMNS, compare_versions, numbers_text, preview
from tests.frames import frame_from_csv, make_frame

CURRENT = frame_from_csv("""\
row,indicator_id,indicator,unit,area,period,kind,value,of_total,source,qualifier,period_end
2,ho_ngheo,Tỷ lệ hộ nghèo,%,Huyện Kim Sơn,2020,baseline,3.2,,BC 2020,,2020-12-31
3,ho_ngheo,Tỷ lệ hộ nghèo,%,Huyện Kim Sơn,2023,actual,1.9,,BC 2023,,2023-12-31
4,xa_ntm,Xã nông thôn mới,xã,Huyện Kim Sơn,2023,actual,20,23,BC 2023,,2023-12-31
5,xa_ntm,Xã nông thôn mới,xã,Huyện Kim Sơn,2025,target,23,23,NQ ĐH,,2025-12-31
""")
NEW = frame_from_csv("""\
row,indicator_id,indicator,unit,area,period,kind,value,of_total,source,qualifier,period_end
2,ho_ngheo,Tỷ lệ hộ nghèo,%,Huyện Kim Sơn,2020,baseline,3.2,,BC 2020,,2020-12-31
3,ho_ngheo,Tỷ lệ hộ nghèo,%,Huyện Kim Sơn,2023,actual,1.5,,BC 2023 (sửa),<,2023-12-31
4,xa_ntm,Xã nông thôn mới,xã,Huyện Kim Sơn,2023,actual,20,,BC 2023,,2023-12-31
5,ho_ngheo,Tỷ lệ hộ nghèo,%,Huyện Kim Sơn,2024,actual,1.4,,BC 2024,,2024-12-31
""")


def test_replace_counts_and_changes() -> None:
    p = preview(CURRENT, NEW, "replace")
    assert p.counts() == {"new": 1, "changed": 2, "unchanged": 1, "removed": 1}
    assert list(p.changes.columns) == list(CHANGE_COLUMNS)
    table = p.changes[["indicator_id", "period", "kind", "change", "field", "old", "new"]].values.tolist()
    assert table == [
        ["ho_ngheo", "2024", "actual", "new", "value", "", "1.4"],
        ["ho_ngheo", "2023", "actual", "changed", "value", "1.9", "1.5"],
        ["xa_ntm", "2023", "actual", "changed", "of_total", "23", ""],
        ["ho_ngheo", "2023", "actual", "changed", "source", "BC 2023", "BC 2023 (sửa)"],
        ["ho_ngheo", "2023", "actual", "changed", "qualifier", "", "<"],
        ["xa_ntm", "2025", "target", "removed", "value", "23", ""],
    ]
    pd.testing.assert_frame_equal(p.result, NEW)


def test_update_upserts_and_removes_nothing() -> None:
    p = preview(CURRENT, NEW, "update")
    assert p.counts() == {"new": 1, "changed": 2, "unchanged": 1, "removed": 0}
    assert "removed" not in set(p.changes["change"])
    expected = pd.concat([NEW.iloc[:3], CURRENT.iloc[[3]], NEW.iloc[[3]]], ignore_index=True)
    pd.testing.assert_frame_equal(p.result, expected)


def test_empty_current_everything_is_new() -> None:
    for current in (None, CURRENT.iloc[[]]):
        p = preview(current, NEW, "replace")
        assert p.counts() == {"new": 4, "changed": 0, "unchanged": 0, "removed": 0}
        assert len(p.changes) == 4


def test_identical_frames_change_nothing_even_with_nan() -> None:
    p = compare_versions(CURRENT, CURRENT.copy())
    assert p.counts() == {"new": 0, "changed": 0, "unchanged": 4, "removed": 0}
    assert p.changes.empty and list(p.changes.columns) == list(CHANGE_COLUMNS)


def test_the_excel_row_number_alone_is_not_a_change() -> None:
    moved = CURRENT.assign(row=CURRENT["row"] + 10)
    assert preview(CURRENT, moved, "replace").changed == 0


def test_duplicate_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate key"):
        preview(CURRENT, pd.concat([NEW, NEW.iloc[[0]]], ignore_index=True), "replace")
    with pytest.raises(ValueError, match="mode"):
        preview(CURRENT, NEW, "append")  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "text"), [
    (57.2, "57.2"), (7000.0, "7000"), (1e-05, "0.00001"), (-3.5, "-3.5"), (np.nan, ""), (0.0, "0"),
    (1e20, "100000000000000000000"), (0.1 + 0.2, "0.30000000000000004"), (-0.000123, "-0.000123"),
])
def test_numbers_text(value: float, text: str) -> None:
    assert numbers_text(np.array([value]))[0] == text


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 60), st.integers(0, 60), st.integers(0, 5), st.sampled_from(["replace", "update"]))
def test_counts_always_add_up(n_old: int, n_new: int, seed: int, mode: str) -> None:
    old, new = make_frame(n_old, seed=seed), make_frame(n_new, seed=seed + (n_new % 2))
    p = preview(old, new, mode)
    assert p.new + p.changed + p.unchanged == n_new
    if mode == "replace":
        assert p.changed + p.unchanged + p.removed == n_old and len(p.result) == n_new
    else:
        assert p.removed == 0 and len(p.result) == n_old + p.new
