"""The progress engine: every status, both directions, qualifiers, estimates, both methods, the article's cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from indicators import paths
from indicators.ingest.validate import validate_bytes
from indicators.progress.engine import compute_progress, status_counts, summary_records
from indicators.progress.statuses import STATUS_CODES
from indicators.store.current import load_csv

HEADER = "indicator_id,indicator,group,unit,area,period,kind,value,direction,method,source\n"


def frame(rows: str) -> pd.DataFrame:
    """A validated frame from CSV rows (header added): the engine always sees what validation produces."""
    checked = validate_bytes((HEADER + rows).encode(), "inline.csv")
    assert checked.report.valid, checked.report.to_dict()
    assert checked.frame is not None
    return checked.frame


def one(rows: str) -> pd.Series:
    result = compute_progress(frame(rows))
    assert len(result) == 1
    return result.iloc[0]


# baseline 0 at end-2020, target 100 at end-2025: half the period has gone by on 2023-06-30/07-01
CASES = [
    ("achieved_increase", "increase", "120", "achieved"),
    ("achieved_exact", "increase", "100", "achieved"),
    ("on_track", "increase", "50", "on_track"),
    ("needs_acceleration", "increase", "40", "needs_acceleration"),
    ("limited", "increase", "20", "limited"),
    ("deterioration", "increase", "-5", "deterioration"),
]


@pytest.mark.parametrize(("name", "direction", "latest", "expected"), CASES)
def test_status_by_pace_increase(name: str, direction: str, latest: str, expected: str) -> None:
    row = one(
        f"x,X,G,u,A,2020,baseline,0,{direction},,s\n"
        f"x,X,G,u,A,01/07/2023,actual,{latest},{direction},,s\n"
        f"x,X,G,u,A,2025,target,100,{direction},,s\n"
    )
    assert row["status"] == expected, name


@pytest.mark.parametrize(
    ("latest", "expected"),
    [("0.5", "achieved"), ("1.5", "on_track"), ("2.2", "needs_acceleration"), ("2.6", "limited"),
     ("3.5", "deterioration")],
)
def test_status_by_pace_decrease(latest: str, expected: str) -> None:
    """Poverty falling from 3% toward 1%: less is better."""
    row = one(
        "p,P,G,%,A,2020,baseline,3,decrease,,s\n"
        f"p,P,G,%,A,01/07/2023,actual,{latest},decrease,,s\n"
        "p,P,G,%,A,2025,target,1,decrease,,s\n"
    )
    assert row["status"] == expected


def test_pace_figures_are_linear_shares() -> None:
    row = one(
        "x,X,G,u,A,2020,baseline,0,increase,,s\n"
        "x,X,G,u,A,01/07/2023,actual,50,increase,,s\n"
        "x,X,G,u,A,2025,target,100,increase,,s\n"
    )
    elapsed = (pd.Timestamp("2023-07-01") - pd.Timestamp("2020-12-31")).days / (
        pd.Timestamp("2025-12-31") - pd.Timestamp("2020-12-31")).days
    assert row["progress"] == pytest.approx(0.5)
    assert row["elapsed"] == pytest.approx(elapsed)
    assert row["pace"] == pytest.approx(0.5 / elapsed)
    years_left = (pd.Timestamp("2025-12-31") - pd.Timestamp("2023-07-01")).days / 365.25
    assert row["required_per_year"] == pytest.approx(50 / years_left)
    assert row["projected"] == pytest.approx(50 / elapsed)  # the straight line through baseline and latest


def test_insufficient_data_without_baseline_or_elapsed_time() -> None:
    no_baseline = one("x,X,G,u,A,2022,actual,50,increase,,s\nx,X,G,u,A,2025,target,100,increase,,s\n")
    assert no_baseline["status"] == "insufficient_data"
    same_day = one(
        "x,X,G,u,A,2020,baseline,0,increase,,s\n"
        "x,X,G,u,A,31/12/2020,actual,10,increase,,s\n"
        "x,X,G,u,A,2025,target,100,increase,,s\n"
    )
    assert same_day["status"] == "insufficient_data"
    assert math.isnan(same_day["pace"])


def test_first_observation_serves_as_baseline_when_no_baseline_row() -> None:
    row = one(
        "x,X,G,u,A,2020,actual,0,increase,,s\n"
        "x,X,G,u,A,01/07/2023,actual,50,increase,,s\n"
        "x,X,G,u,A,2025,target,100,increase,,s\n"
    )
    assert row["baseline_from"] == "first_observation"
    assert row["status"] == "on_track"


def test_no_target_reports_trend_and_no_data_reports_missing_actuals() -> None:
    income = one("i,I,G,u,A,2010,actual,11.1,increase,,s\ni,I,G,u,A,2022,actual,57.2,increase,,s\n")
    assert income["status"] == "no_target"
    assert income["trend"] == "improving"
    assert income["change_per_year"] == pytest.approx((57.2 - 11.1) / (4383 / 365.25))
    poverty = one("p,P,G,%,A,2020,actual,3,decrease,,s\np,P,G,%,A,2022,actual,2,decrease,,s\n")
    assert poverty["trend"] == "improving"
    units = one("n,N,G,u,A,2019,actual,27,,,s\nn,N,G,u,A,2025,actual,23,,,s\n")
    assert units["trend"] == "falling"
    target_only = one("t,T,G,%,A,2025,target,>=50,increase,,s\n")
    assert target_only["status"] == "no_data"


def test_qualifiers_and_estimates() -> None:
    lower_bound = one("c,C,G,u,A,2023,actual,>7000,increase,,s\nc,C,G,u,A,2025,target,7000,increase,,s\n")
    assert lower_bound["status"] == "achieved"
    assert lower_bound["latest_qualifier"] == ">"
    at_least = one("s,S,G,%,A,2022,actual,89,increase,,s\ns,S,G,%,A,2025,target,>=90,increase,,s\n")
    assert at_least["target_qualifier"] == ">="
    assert at_least["status"] == "insufficient_data"
    estimate_latest = one(
        "g,G,G,%,A,2022,actual,89.1,increase,,s\ng,G,G,%,A,2023,estimate,90,increase,,s\n"
    )
    assert estimate_latest["latest_kind"] == "estimate"
    assert estimate_latest["latest_value"] == 90
    assert estimate_latest["previous_value"] == pytest.approx(89.1)
    actual_beats_estimate = one(
        "g,G,G,%,A,2023,estimate,90,increase,,s\ng,G,G,%,A,2023,actual,91,increase,,s\n"
    )
    assert actual_beats_estimate["latest_kind"] == "actual"


def test_cagr_method_uses_compound_growth() -> None:
    row = one(
        "i,I,G,u,A,2020,baseline,100,increase,cagr,s\n"
        "i,I,G,u,A,2022,actual,111,increase,cagr,s\n"
        "i,I,G,u,A,2025,target,150,increase,cagr,s\n"
    )
    yrs_obs = (pd.Timestamp("2022-12-31") - pd.Timestamp("2020-12-31")).days / 365.25
    yrs_req = (pd.Timestamp("2025-12-31") - pd.Timestamp("2020-12-31")).days / 365.25
    g_obs = (111 / 100) ** (1 / yrs_obs) - 1
    g_req = (150 / 100) ** (1 / yrs_req) - 1
    assert row["pace"] == pytest.approx(g_obs / g_req)
    assert row["status"] == "needs_acceleration"  # linear pace 0.55 is 'limited'; compound growth is kinder
    linear = one(
        "i,I,G,u,A,2020,baseline,100,increase,linear,s\n"
        "i,I,G,u,A,2022,actual,111,increase,linear,s\n"
        "i,I,G,u,A,2025,target,150,increase,linear,s\n"
    )
    assert linear["pace"] == pytest.approx((11 / 50) / (yrs_obs / yrs_req))
    assert linear["status"] == "limited"


def test_target_equal_to_baseline_and_missed_is_deterioration() -> None:
    row = one(
        "x,X,G,u,A,2020,baseline,10,increase,,s\nx,X,G,u,A,2022,actual,9,increase,,s\n"
        "x,X,G,u,A,2025,target,10,increase,,s\n"
    )
    assert row["status"] == "deterioration"


def test_series_are_separated_by_area() -> None:
    result = compute_progress(frame(
        "x,X,G,u,A,2022,actual,1,increase,,s\nx,X,G,u,B,2022,actual,2,increase,,s\n"
    ))
    assert list(result["area"]) == ["A", "B"]
    assert list(result["latest_value"]) == [1, 2]


def test_article_cases_on_shipped_data() -> None:
    result = compute_progress(load_csv(paths.KIM_SON_DATA)).set_index(["indicator_id", "area"])
    members = result.loc[("dang_vien_moi", "Huyện Kim Sơn")]
    assert members["latest_value"] == 667
    assert members["target_value"] == 1000
    assert members["progress"] == pytest.approx(0.667)
    assert members["status"] == "on_track"
    religious = result.loc[("dang_vien_moi_ton_giao", "Huyện Kim Sơn")]
    assert religious["status"] == "achieved"
    assert result.loc[("ty_le_xa_ntm_nang_cao_kieu_mau", "Huyện Kim Sơn"), "status"] == "no_data"
    assert result.loc[("thu_nhap_binh_quan", "Huyện Kim Sơn"), "status"] == "no_target"


def test_status_counts_cover_every_status_in_order() -> None:
    result = compute_progress(load_csv(paths.KIM_SON_DATA))
    counts = status_counts(result, by="group")
    assert list(counts.columns) == list(STATUS_CODES)
    assert counts.to_numpy().sum() == len(result)


def test_summary_records_are_json_ready() -> None:
    records = summary_records(load_csv(paths.KIM_SON_DATA))
    members = next(r for r in records if r["indicator_id"] == "dang_vien_moi")
    assert members["latest_period"] == "31/10/2023"
    assert members["latest_date"] == "2023-10-31"
    assert isinstance(members["pace"], float)
    income = next(r for r in records if r["indicator_id"] == "thu_nhap_binh_quan")
    assert income["target_value"] is None and income["progress"] is None
    assert all(not isinstance(v, np.generic) for r in records for v in r.values())


def test_large_dataset_is_vectorised() -> None:
    """Many series at once give the same answer as one at a time."""
    rows = "".join(
        f"x{i},X,G,u,A,2020,baseline,0,increase,,s\nx{i},X,G,u,A,01/07/2023,actual,{i * 10},increase,,s\n"
        f"x{i},X,G,u,A,2025,target,100,increase,,s\n" for i in range(12)
    )
    result = compute_progress(frame(rows))
    for i in (0, 5, 11):
        alone = one(
            f"x{i},X,G,u,A,2020,baseline,0,increase,,s\nx{i},X,G,u,A,01/07/2023,actual,{i * 10},increase,,s\n"
            f"x{i},X,G,u,A,2025,target,100,increase,,s\n"
        )
        assert result.iloc[i]["status"] == alone["status"]
        assert result.iloc[i]["pace"] == pytest.approx(alone["pace"])


def test_progress_date_ignores_context_figures() -> None:
    from indicators.progress.engine import progress_as_of

    result = compute_progress(load_csv(paths.KIM_SON_DATA))
    # the 2025 count of administrative units has no target: progress speaks for 31/10/2023
    assert progress_as_of(result, "Huyện Kim Sơn") == pd.Timestamp("2023-10-31")
    assert progress_as_of(result, "Xã Đồng Hướng") == pd.Timestamp("2023-10-31")
    assert progress_as_of(result, "nowhere") is None
