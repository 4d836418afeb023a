"""The benchmark's synthetic province is the shape DESIGN.md names, the same on every call, and a valid
contract v2 dataset (what validation makes of it as a CSV is the frame itself)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from bench.province import N_COMMUNES, PROVINCE, describe, province_frame
from indicators import contract
from indicators.frame import FRAME_COLUMNS
from indicators.ingest.validate import validate_bytes
from indicators.progress.engine import compute_progress


@pytest.fixture(scope="module")
def province() -> pd.DataFrame:
    return province_frame()


def test_the_province_has_the_designed_shape(province: pd.DataFrame) -> None:
    assert list(province.columns) == list(FRAME_COLUMNS)
    assert 240_000 <= len(province) <= 290_000  # "≈ 250,000 rows"
    areas = province.drop_duplicates("area").set_index("area")
    assert len(areas) == N_COMMUNES + 1 and areas.loc[PROVINCE, "parent_area"] == ""
    communes = areas.drop(index=PROVINCE)
    assert communes.index.str.startswith("Xã ").all() and (communes["parent_area"] == PROVINCE).all()
    assert communes["area_code"].is_unique and communes["area_code"].str.fullmatch(r"9\d{4}").all()
    assert province["indicator_id"].nunique() == 60
    broken_down = province.loc[province["breakdown"] != "", "indicator_id"].unique()
    assert len(broken_down) == 15  # a quarter of the indicators
    assert set(province["breakdown"]) == {"", "sex=Nam", "sex=Nữ"}
    judged = province[province["kind"].isin(["baseline", "target"])]
    assert set(judged["term"]) == {"2020-2025", "2025-2030"} and set(province.loc[~province.index.isin(
        judged.index), "term"]) == {""}
    # every series: two terms, each with its baseline and target, and 12 period rows per term at most
    per_series = province.groupby(list(("indicator_id", "area", "breakdown")))["period"].size()
    assert per_series.max() == 24
    declared = province.groupby("indicator_id")["rollup"].first()
    assert {"sum", "weighted:bench_00", ""} == set(declared)
    assert "11,790 series" in describe(province)  # 131 areas x (45 + 15 x 3) series


def test_the_province_leaves_rolled_up_figures_to_the_rollup(province: pd.DataFrame) -> None:
    rolls = province["rollup"] != ""
    own = province[(province["area"] == PROVINCE) & rolls]
    assert set(own["kind"]) == {"baseline", "target"}
    observed = province[(province["area"] != PROVINCE) & province["kind"].isin(["actual", "estimate"])]
    possible = N_COMMUNES * observed.drop_duplicates(["indicator_id", "breakdown", "period"]).shape[0]
    assert 0.95 * possible < len(observed) < possible  # some communes did not report: coverage below 100%


def test_the_province_is_the_same_on_every_call() -> None:
    first = province_frame.__wrapped__()
    pd.testing.assert_frame_equal(first, province_frame.__wrapped__())
    assert not first.equals(province_frame.__wrapped__(seed=12))


def test_the_province_is_a_valid_contract_dataset(province: pd.DataFrame, tmp_path: Path) -> None:
    path = tmp_path / "province.csv"
    province[list(contract.COLUMN_NAMES)].to_csv(path, index=False)
    result = validate_bytes(path.read_bytes(), path.name)
    assert result.report.valid, result.report.to_lines("en")[:5]
    assert result.frame is not None
    # its codes are made up: the register does not know them, and says so (a warning, not an error)
    assert {i.code for i in result.report.warnings} == {"area_code_unknown"}
    pd.testing.assert_frame_equal(result.frame.drop(columns="row"), province.drop(columns="row"))


def test_progress_of_the_province_is_one_row_per_series(province: pd.DataFrame) -> None:
    result = compute_progress(province)
    assert len(result) == 11_790
    assert (result.loc[result["area"] == PROVINCE, "target_period"] == "2030").all()
    broken = result[result["latest_series_break"] != ""] if "latest_series_break" in result else result.iloc[:0]
    assert set(broken["indicator_id"]) == {"bench_05"}
