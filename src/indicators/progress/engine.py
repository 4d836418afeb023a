"""The progress engine: one row per series (indicator x area) with its distance to the target and a status.

Notation (see ../shared/research/progress-methods.md): baseline y0 at t0, latest actual yt at t, target yT at
T, d = +1 when more is better, -1 when less is better.

- progress  p = (yt - y0) / (yT - y0)          share of the distance covered
- elapsed   e = (t - t0) / (T - t0)            share of the period gone by
- pace      R = p / e (linear, the default)    or, per indicator, the Open SDG CAGR ratio
            R = s * d * CAGR(yt, y0) / |CAGR(yT, y0)|
- status    achieved when d * (yt - yT) >= 0, else by pace: >= 0.95 on track, >= 0.60 needs acceleration,
            >= 0 limited, < 0 deterioration.

Everything is vectorised: the engine sorts the rows once and picks the latest / previous / first
observation, the baseline and the target of every series with `drop_duplicates`, then computes with numpy.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from indicators.progress.statuses import PACE_ACCELERATION, PACE_ON_TRACK, STATUS_CODES

YEAR_DAYS = 365.25
#: Trend of a series without a target: |change| below this share of the value per year counts as stable.
STABLE_PER_YEAR = 0.005

META = ["indicator_id", "indicator", "indicator_en", "group", "unit", "area", "breakdown"]
SERIES = ["indicator_id", "area", "breakdown"]  # frame.SERIES
OBS_KINDS = ("actual", "estimate")

RESULT_COLUMNS = [
    *META, "direction", "method",
    "latest_period", "latest_date", "latest_value", "latest_qualifier", "latest_kind", "latest_of_total",
    "latest_source", "latest_note",
    "previous_period", "previous_date", "previous_value", "previous_qualifier", "previous_kind",
    "baseline_period", "baseline_date", "baseline_value", "baseline_from",
    "target_period", "target_date", "target_value", "target_qualifier", "target_source", "target_note",
    "progress", "elapsed", "pace", "projected", "required_per_year", "status",
    "trend", "change_per_year", "n_obs", "latest_series_break", "break_date",
]


def _ends(sorted_sid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the first and last element of each run of equal ids in a sorted id array."""
    if len(sorted_sid) == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    change = np.flatnonzero(sorted_sid[1:] != sorted_sid[:-1])
    firsts = np.concatenate(([0], change + 1))
    lasts = np.concatenate((change, [len(sorted_sid) - 1]))
    return firsts, lasts


def _gather(f: pd.DataFrame, rows: np.ndarray, sid: np.ndarray, n: int, cols: list[str], prefix: str) -> pd.DataFrame:
    """Columns `cols` of the rows at positions `rows` (one per series), placed at their series ids 0..n-1."""
    part = f[cols].take(rows)
    part.index = pd.Index(sid[rows])
    part = part.reindex(range(n))
    return part.rename(columns={c: f"{prefix}_{c}" for c in cols})


def compute_progress(frame: pd.DataFrame) -> pd.DataFrame:
    """Summarise every (indicator_id, area, breakdown) series of a validated dataset frame.

    Returns one row per series, in order of first appearance, with the columns of RESULT_COLUMNS.
    Only integer positions are sorted; text columns are gathered for the picked rows alone, which keeps a
    million-row dataset well under a second.
    """
    if frame.empty:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    f = frame.reset_index(drop=True).rename(columns={"period_end": "date"})
    for name in ("breakdown", "series_break"):  # frames made before contract v2
        if name not in f.columns:
            f[name] = ""
    sid = f.groupby(SERIES, sort=False).ngroup().to_numpy()
    n = int(sid.max()) + 1
    kind = f["kind"]
    is_actual = (kind == "actual").to_numpy(dtype=bool)
    is_obs = is_actual | (kind == "estimate").to_numpy(dtype=bool)
    date = f["date"].to_numpy(dtype="datetime64[ns]").view("int64")
    # an actual beats an estimate of the same period: it sorts last
    order = np.lexsort((is_actual, date, sid))

    def positions(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rows = order[mask[order]]
        firsts, lasts = _ends(sid[rows])
        return rows, firsts, lasts

    # A series break (a merger, a new standard): the latest one's date; no earlier observation stands in
    # for a missing baseline.
    broken = (f["series_break"] != "").to_numpy(dtype=bool)
    break_rows, _, break_last = positions(broken)
    break_at = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    break_at[sid[break_rows[break_last]]] = date[break_rows[break_last]]
    obs_rows, obs_first, obs_last = positions(is_obs)
    has_prev = obs_last > obs_first
    since_rows, since_first, _ = positions(is_obs & (date >= break_at[sid]))
    base_rows, _, base_last = positions((kind == "baseline").to_numpy(dtype=bool))
    target_rows, _, target_last = positions((kind == "target").to_numpy(dtype=bool))

    cols = ["period", "date", "value", "qualifier", "kind", "of_total", "source", "note"]
    meta = f[META].take(np.unique(sid, return_index=True)[1]).reset_index(drop=True)
    meta["direction"] = _first_nonempty(f["direction"], sid, order, n)
    meta["method"] = _first_nonempty(f["method"], sid, order, n)
    out = pd.concat([
        meta,
        _gather(f, obs_rows[obs_last], sid, n, cols, "latest"),
        _gather(f, obs_rows[obs_last[has_prev] - 1], sid, n, ["period", "date", "value", "qualifier", "kind"],
                "previous"),
        _gather(f, base_rows[base_last], sid, n, ["period", "date", "value"], "baseline"),
        _gather(f, target_rows[target_last], sid, n,
                ["period", "date", "value", "qualifier", "source", "note"], "target"),
        _gather(f, since_rows[since_first], sid, n, ["date", "value"], "first"),
        _gather(f, break_rows[break_last], sid, n, ["series_break", "date"], "break"),
    ], axis=1)
    out = out.rename(columns={"break_series_break": "latest_series_break", "break_date": "break_date"})
    out["n_obs"] = np.bincount(sid[obs_rows], minlength=n)
    text = [c for c in out.columns if c.endswith(("_period", "_qualifier", "_kind", "_source", "_note", "_break"))]
    out[text] = out[text].fillna("").astype("str")
    _fill_baseline_from_first(out)
    _compute(out)
    return out[RESULT_COLUMNS].reset_index(drop=True)


def _first_nonempty(col: pd.Series, sid: np.ndarray, order: np.ndarray, n: int) -> pd.Series:
    """Per series, the first non-empty cell of `col` ('' when none)."""
    filled = (col != "").to_numpy(dtype=bool)
    rows = order[filled[order]]
    firsts, _ = _ends(sid[rows])
    picked = col.take(rows[firsts])
    picked.index = pd.Index(sid[rows[firsts]])
    return picked.reindex(range(n)).fillna("").astype("str").reset_index(drop=True)


def _fill_baseline_from_first(out: pd.DataFrame) -> None:
    """No baseline row: judge from the earliest observation before the latest one (Open SDG does the same)."""
    out["baseline_from"] = np.where(out["baseline_value"].notna(), "row", "")
    use_first = out["baseline_value"].isna() & (out["n_obs"] >= 2) & out["target_value"].notna()
    out.loc[use_first, "baseline_value"] = out.loc[use_first, "first_value"]
    out.loc[use_first, "baseline_date"] = out.loc[use_first, "first_date"]
    out.loc[use_first, "baseline_period"] = ""
    out.loc[use_first, "baseline_from"] = "first_observation"


def _years(a: pd.Series, b: pd.Series) -> np.ndarray:
    return ((a - b).dt.days / YEAR_DAYS).to_numpy(dtype=float)


def _compute(out: pd.DataFrame) -> None:
    d = np.where(out["direction"].to_numpy(dtype=object) == "decrease", -1.0, 1.0)
    y0 = out["baseline_value"].to_numpy(dtype=float)
    yt = out["latest_value"].to_numpy(dtype=float)
    y_t = out["target_value"].to_numpy(dtype=float)
    since_base = _years(out["latest_date"], out["baseline_date"])
    span = _years(out["target_date"], out["baseline_date"])
    remaining = _years(out["target_date"], out["latest_date"])

    with np.errstate(divide="ignore", invalid="ignore"):
        elapsed = np.where(span > 0, since_base / span, np.nan)
        progress = np.where(y_t != y0, (yt - y0) / (y_t - y0), np.nan)
        pace = np.where(elapsed > 0, progress / elapsed, np.nan)
        slope = np.where(since_base > 0, (yt - y0) / since_base, np.nan)
        projected = yt + slope * remaining
        required = np.where(remaining > 0, (y_t - yt) / remaining, np.nan)
        # Open SDG's CAGR ratio where the indicator asks for it and the values allow it
        cagr = out["method"].to_numpy(dtype=object) == "cagr"
        ok = cagr & (y0 > 0) & (yt > 0) & (y_t > 0) & (since_base > 0) & (span > 0)
        g_obs = np.power(yt / y0, 1.0 / since_base) - 1.0
        g_req = np.power(y_t / y0, 1.0 / span) - 1.0
        s = np.where(y0 < 0, -1.0, 1.0)
        pace = np.where(ok, s * d * g_obs / np.abs(g_req), pace)
        projected = np.where(ok, yt * np.power(1.0 + g_obs, remaining), projected)
        required = np.where(ok & (remaining > 0), np.power(y_t / yt, 1.0 / remaining) - 1.0, required)

    has_target = ~np.isnan(y_t)
    has_obs = ~np.isnan(yt)
    achieved = has_target & has_obs & (d * (yt - y_t) >= 0)
    judged = has_target & has_obs & ~np.isnan(y0) & (elapsed > 0)
    moved_away = judged & (y_t == y0)  # target equals baseline and not reached: any move is away
    status = np.select(
        [
            has_target & ~has_obs,
            ~has_target & has_obs,
            ~has_target & ~has_obs,
            achieved,
            ~judged,
            moved_away | (pace < 0),
            pace >= PACE_ON_TRACK,
            pace >= PACE_ACCELERATION,
        ],
        ["no_data", "no_target", "no_data", "achieved", "insufficient_data", "deterioration",
         "on_track", "needs_acceleration"],
        default="limited",
    )
    out["elapsed"] = np.where(judged, elapsed, np.nan)
    out["progress"] = np.where(has_target & has_obs & ~np.isnan(y0), progress, np.nan)
    out["pace"] = np.where(judged, pace, np.nan)
    out["projected"] = np.where(judged, projected, np.nan)
    out["required_per_year"] = np.where(has_target & has_obs & ~achieved, required, np.nan)
    out["status"] = status
    _trend(out, d)


def _trend(out: pd.DataFrame, d: np.ndarray) -> None:
    """Direction of travel from the first to the latest observation, judged by `direction` when known."""
    years = _years(out["latest_date"], out["first_date"])
    first = out["first_value"].to_numpy(dtype=float)
    latest = out["latest_value"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_year = np.where(years > 0, (latest - first) / years, np.nan)
        relative = np.where(first != 0, per_year / np.abs(first), np.sign(per_year))
    known = out["direction"].to_numpy(dtype=object) != ""
    signed = np.where(known, d * relative, relative)
    trend = np.select(
        [np.isnan(relative), np.abs(relative) < STABLE_PER_YEAR, signed > 0],
        ["", "stable", "improving"],
        default="worsening",
    )
    # without a direction, "improving" means only "rising"
    trend = np.where(~known & (trend == "improving"), "rising", trend)
    trend = np.where(~known & (trend == "worsening"), "falling", trend)
    out["trend"] = trend
    out["change_per_year"] = per_year


def progress_as_of(result: pd.DataFrame, area: str) -> pd.Timestamp | None:
    """The date the progress figures speak for: the latest observation among the area's series with a
    target (context figures such as a later count of administrative units do not move it); else the
    area's latest observation."""
    mine = result[result["area"] == area]
    dates = mine.loc[mine["target_value"].notna(), "latest_date"].dropna()
    if dates.empty:
        dates = mine["latest_date"].dropna()
    return None if dates.empty else pd.Timestamp(dates.max())


def status_counts(result: pd.DataFrame, by: str | None = "group") -> pd.DataFrame:
    """Counts of series per status (columns in STATUS_CODES order), optionally per group."""
    keys = [by] if by else []
    counts = result.groupby([*keys, "status"]).size().unstack("status", fill_value=0) if keys else \
        result["status"].value_counts().to_frame().T
    return counts.reindex(columns=list(STATUS_CODES), fill_value=0)


def _json_value(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, np.generic):
        return value.item()
    return value


SUMMARY_KEYS = [
    "indicator_id", "indicator", "group", "unit", "area", "latest_period", "latest_date", "latest_value",
    "latest_qualifier", "latest_kind", "baseline_value", "target_value", "target_period", "progress",
    "elapsed", "pace", "projected", "required_per_year", "status", "trend", "latest_source",
]


def summary_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The engine's result as JSON-ready dicts (numbers as numbers, None where unknown)."""
    return result_records(compute_progress(frame))


def result_records(result: pd.DataFrame) -> list[dict[str, Any]]:
    """A `compute_progress` result as JSON-ready dicts (numbers as numbers, None where unknown)."""
    records = []
    for row in result[SUMMARY_KEYS].itertuples(index=False):
        rec = {k: _json_value(v) for k, v in zip(SUMMARY_KEYS, row, strict=True)}
        for k in ("latest_period", "target_period", "latest_qualifier", "latest_kind", "trend"):
            if rec[k] == "":
                rec[k] = None
        records.append(rec)
    return records
