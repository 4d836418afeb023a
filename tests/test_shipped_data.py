"""The shipped data: what each file holds, and the one seed version made of both.

The Kim Sơn file only gained columns in issue 10 (area_code, parent_area, term): its figures, and so every
number the overview shows for the district, must be what they were. The Ninh Bình file holds the merged
province's 2025-2030 congress targets with their 2025 figures, each row citing its source.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pandas as pd
import pytest

from indicators import paths
from indicators.ingest.validate import InvalidDataError, validate_bytes
from indicators.present.view import as_of_date, load_view, main_area
from indicators.progress.engine import compute_progress, status_counts
from indicators.store import current
from indicators.store.current import seed_data
from indicators.store.versions import Store

ADDED_TO_KIM_SON = ("area_code", "parent_area", "term")
KIM_SON_COMMUNES_2025 = ("Xã Chất Bình", "Xã Kim Sơn", "Xã Quang Thiện", "Xã Phát Diệm", "Xã Lai Thành",
                         "Xã Định Hóa", "Xã Bình Minh", "Xã Kim Đông")


def _without(data: bytes, columns: tuple[str, ...]) -> bytes:
    """The CSV with `columns` taken out: the Kim Sơn file as it was before issue 10."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    keep = [i for i, name in enumerate(rows[0]) if name not in columns]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[r[i] for i in keep] for r in rows])
    return out.getvalue().encode("utf-8")


def _frame(data: bytes, name: str) -> pd.DataFrame:
    result = validate_bytes(data, name)
    assert result.report.valid and result.frame is not None, result.report.to_lines("en")[:5]
    return result.frame


@pytest.fixture(scope="module")
def kim_son() -> pd.DataFrame:
    return _frame(paths.KIM_SON_DATA.read_bytes(), paths.KIM_SON_DATA.name)


@pytest.fixture(scope="module")
def ninh_binh() -> pd.DataFrame:
    return _frame(paths.NINH_BINH_DATA.read_bytes(), paths.NINH_BINH_DATA.name)


def _overview_numbers(frame: pd.DataFrame) -> dict[str, object]:
    """What the overview counts and shows for the main area: its status counts, the targets' cards' figures."""
    result = compute_progress(frame)
    area = main_area(frame)
    main = result[result["area"] == area]
    cards = main[main["target_value"].notna()]
    return {
        "area": area, "as_of": as_of_date(frame, result, area), "series": len(result),
        "counts": status_counts(main, by=None).iloc[0].to_dict(),
        "cards": cards[["indicator_id", "latest_value", "baseline_value", "target_value", "progress", "pace",
                        "status"]].reset_index(drop=True),
    }


def _assert_same_numbers(a: dict[str, object], b: dict[str, object]) -> None:
    assert (a["area"], a["as_of"], a["series"], a["counts"]) == (b["area"], b["as_of"], b["series"], b["counts"])
    pd.testing.assert_frame_equal(a["cards"], b["cards"])  # type: ignore[arg-type]


# --- the Kim Sơn file ------------------------------------------------------------------------------------
def test_kim_son_gained_columns_and_kept_every_figure(kim_son: pd.DataFrame) -> None:
    before = _frame(_without(paths.KIM_SON_DATA.read_bytes(), ADDED_TO_KIM_SON), "kim_son_v1.csv")
    unchanged = [c for c in before.columns if c not in ADDED_TO_KIM_SON]
    pd.testing.assert_frame_equal(kim_son[unchanged], before[unchanged])
    _assert_same_numbers(_overview_numbers(kim_son), _overview_numbers(before))


def test_kim_son_rows_name_their_unit_and_term(kim_son: pd.DataFrame) -> None:
    district = kim_son["area"] == "Huyện Kim Sơn"
    assert set(kim_son.loc[district, "area_code"]) == {"376"}
    assert set(kim_son.loc[district, "parent_area"]) == {"Tỉnh Ninh Bình"}
    assert set(kim_son.loc[~district, "parent_area"]) == {"Huyện Kim Sơn"}
    assert kim_son["area_code"].str.fullmatch(r"[0-9]+").all()
    # one code per unit, and the codes of domain-facts §4 where a unit is named there
    codes = kim_son.groupby("area")["area_code"].unique()
    assert codes.map(len).max() == 1
    assert (codes["Xã Kim Hải"][0], codes["Xã Quang Thiện"][0], codes["Thị trấn Phát Diệm"][0]) == (
        "14692", "14647", "14620")
    judged = kim_son["kind"].isin(["target", "baseline"])
    assert set(kim_son.loc[judged, "term"]) == {"2020-2025"}
    assert set(kim_son.loc[~judged, "term"]) == {""}


# --- the Ninh Bình file ----------------------------------------------------------------------------------
def test_ninh_binh_is_the_merged_province_with_its_congress_targets(ninh_binh: pd.DataFrame) -> None:
    assert set(ninh_binh["area"]) == {"Tỉnh Ninh Bình"} and set(ninh_binh["area_code"]) == {"37"}
    assert set(ninh_binh["parent_area"]) == {""}
    assert not set(ninh_binh["area"]) & set(KIM_SON_COMMUNES_2025)  # no cited 2025-2030 figure for them
    targets = ninh_binh[ninh_binh["kind"] == "target"].set_index("indicator_id")
    assert dict(zip(targets.index, zip(targets["qualifier"], targets["value"], strict=True), strict=True)) == {
        "tang_truong_grdp": (">=", 11.0), "grdp_binh_quan_dau_nguoi": (">=", 180.0),
        "thu_ngan_sach": (">", 110000.0), "kim_ngach_xuat_khau": (">", 40.0), "xep_hang_hdi": ("<=", 10.0)}
    assert (targets["period_end"] == pd.Timestamp("2030-12-31")).all()
    assert (targets["term"] == "2025-2030").all() and (targets["direction"] != "").all()
    assert targets.loc["xep_hang_hdi", "direction"] == "decrease"  # a rank: 10th is better than 20th


def test_the_other_bodys_budget_target_is_not_merged_in(ninh_binh: pd.DataFrame) -> None:
    """100.000 tỷ is the target of the provincial People's Committee's Party committee, not the congress."""
    assert 100000.0 not in set(ninh_binh["value"])
    budget_target = ninh_binh[(ninh_binh["indicator_id"] == "thu_ngan_sach") & (ninh_binh["kind"] == "target")]
    assert "100.000" in budget_target["note"].iloc[0]


def test_ninh_binh_2025_figures_are_the_terms_baselines(ninh_binh: pd.DataFrame) -> None:
    result = compute_progress(ninh_binh).set_index("indicator_id")
    per_capita = result.loc["grdp_binh_quan_dau_nguoi"]
    assert (per_capita["baseline_value"], per_capita["latest_value"], per_capita["target_value"]) == (
        89.19, 89.19, 180.0)
    assert per_capita["latest_kind"] == "estimate" and per_capita["baseline_from"] == "row"
    # the term has just begun: nothing to judge a pace from yet, but nothing reads as missing either
    assert per_capita["status"] == "insufficient_data"
    assert result.loc["tang_truong_grdp", "previous_period"] == "2025-09"
    assert result.loc["kim_ngach_xuat_khau", "status"] == "no_data"  # a target without a cited 2025 figure
    assert result.loc["ty_le_ho_ngheo", "status"] == "no_target"  # no cited 2025-2030 poverty target
    baselines = ninh_binh[ninh_binh["kind"] == "baseline"]
    assert (baselines["term"] == "2025-2030").all() and (baselines["period"] == "2025").all()
    # every baseline is the same figure as that year's estimate, from the same source
    estimates = ninh_binh[(ninh_binh["kind"] == "estimate") & (ninh_binh["period"] == "2025")]
    paired = baselines.merge(estimates, on="indicator_id", suffixes=("", "_estimate"))
    assert len(paired) == len(baselines) == 3
    assert (paired["value"] == paired["value_estimate"]).all()
    assert (paired["source"] == paired["source_estimate"]).all()


def test_conflicting_figures_stay_visible_as_notes(ninh_binh: pd.DataFrame) -> None:
    notes = ninh_binh.groupby("indicator_id")["note"].apply(" ".join)
    assert "89,45" in notes["grdp_binh_quan_dau_nguoi"]
    assert "62.000" in notes["thu_ngan_sach"] and "75.219" in notes["thu_ngan_sach"]
    assert "352.000" in notes["quy_mo_kinh_te"]
    assert "dưới 1%" in notes["ty_le_ho_ngheo"]


@pytest.mark.parametrize("path", paths.SHIPPED_DATA, ids=lambda p: p.name)
def test_every_row_cites_a_source_and_every_target_a_direction(path: Path) -> None:
    frame = _frame(path.read_bytes(), path.name)
    assert (frame["source"].str.len() > 10).all()
    assert frame["source"].str.contains(r"https?://|Trang TTĐT|Danh mục ĐVHC|QĐ \d+", regex=True).all()
    if path == paths.NINH_BINH_DATA:  # issue 10's rule for new rows: title, address and date in every source
        assert frame["source"].str.contains(r"https://\S+, .*\d{4}$", regex=True).all()
    targeted = frame.loc[frame["kind"] == "target", "indicator_id"].unique()
    directions = frame[frame["indicator_id"].isin(targeted)].groupby("indicator_id")["direction"].first()
    assert (directions != "").all()


def test_rollups_are_declared_only_where_children_could_add_up(ninh_binh: pd.DataFrame) -> None:
    per_indicator = ninh_binh.groupby("indicator_id")[["rollup", "unit"]].first()
    assert set(per_indicator["rollup"]) <= {"", "none", "sum", "mean"}
    # a rate has no weight here: it is left undeclared rather than averaged over communes of any size
    assert (per_indicator.loc[per_indicator["unit"].str.startswith("%"), "rollup"] == "").all()
    # province totals the communes do not report (provincial revenue, exports) are declared not to roll up
    assert per_indicator.loc[["thu_ngan_sach", "kim_ngach_xuat_khau"], "rollup"].tolist() == ["none", "none"]


# --- one seed version of both files ----------------------------------------------------------------------
def test_the_seed_is_both_files_as_one_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               kim_son: pd.DataFrame, ninh_binh: pd.DataFrame) -> None:
    monkeypatch.delenv("INDICATORS_DATA", raising=False)
    monkeypatch.setenv("INDICATORS_DATABASE_URL", f"sqlite:///{tmp_path / 'seeded.sqlite'}")
    current.ensure_seeded()
    store = current.shared_store()
    versions = store.history()
    assert len(versions) == 1
    info = versions[0]
    assert info.filename == "kim_son_2020_2025.csv + ninh_binh_2025_2030.csv"
    both = paths.KIM_SON_DATA.read_bytes() + paths.NINH_BINH_DATA.read_bytes()
    assert info.sha256 == hashlib.sha256(both).hexdigest()
    stored = store.load(info.version)
    assert len(stored) == len(kim_son) + len(ninh_binh)
    assert stored["area"].value_counts()["Tỉnh Ninh Bình"] == len(ninh_binh)
    # the district's series are the same in the province's dataset as on their own
    together = compute_progress(stored)
    alone = compute_progress(kim_son)
    pd.testing.assert_frame_equal(together[together["area"].isin(set(kim_son["area"]))].reset_index(drop=True),
                                  alone)


def test_the_kim_son_file_alone_still_gives_the_same_overview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    monkeypatch.setenv("INDICATORS_DATA", str(paths.KIM_SON_DATA))
    monkeypatch.setenv("INDICATORS_DATABASE_URL", f"sqlite:///{tmp_path / 'district.sqlite'}")
    current.ensure_seeded()
    store = current.shared_store()
    (info,) = store.history()
    assert info.filename == "kim_son_2020_2025.csv"
    view = load_view(store, info.version)
    before = _frame(_without(paths.KIM_SON_DATA.read_bytes(), ADDED_TO_KIM_SON), "kim_son_v1.csv")
    _assert_same_numbers(_overview_numbers(view.frame), _overview_numbers(before))
    assert (view.main_area, view.as_of) == ("Huyện Kim Sơn", pd.Timestamp("2023-10-31"))


def test_a_seed_refuses_a_bad_file_and_a_row_twice(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator_id,indicator,unit,area,period,kind,value,source\nx,X,%,A,năm ngoái,actual,1,s\n",
                   encoding="utf-8")
    with pytest.raises(InvalidDataError, match="bad.csv"):
        seed_data([paths.KIM_SON_DATA, bad])
    with pytest.raises(ValueError, match="same row twice"):
        seed_data([paths.KIM_SON_DATA, paths.KIM_SON_DATA])
    with Store(f"sqlite:///{tmp_path / 'untouched.sqlite'}") as store:
        store.ensure_schema()
        assert store.current_version() is None  # nothing was written on the way


def test_the_shipped_areas_agree_with_the_register(kim_son: pd.DataFrame, ninh_binh: pd.DataFrame) -> None:
    from datetime import date

    from indicators.areas import default_register

    both = pd.concat([kim_son, ninh_binh], ignore_index=True)
    register = default_register().with_frame(both)
    assert register.check(both) == []  # every code and parent as the register has them on the row's day
    # Kim Sơn's successor communes are the register's, under the merged province; the data has no rows for them
    assert set(KIM_SON_COMMUNES_2025) <= set(register.children_of("Tỉnh Ninh Bình", date(2026, 1, 1)))
    assert register.level_of("Tỉnh Ninh Bình") == "province"
    assert register.parent_of("Huyện Kim Sơn", date(2023, 10, 31)) == "Tỉnh Ninh Bình"
