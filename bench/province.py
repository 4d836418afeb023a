"""A synthetic province for the benchmarks: 130 communes under "Tỉnh Bench", 60 indicators, two terms.

    province_frame() -> a contract-v2 dataset frame (indicators.frame.conform), the same on every call

Shape (DESIGN.md's province budget: "≈ 250,000 rows: 130 communes × 60 indicators × 12 periods × 2 terms"):

- areas: "Tỉnh Bench" (code 90, no parent) and "Xã Bench 001" … "Xã Bench 130" (codes 90001 …, parent
  "Tỉnh Bench"); the names' prefixes give their levels.
- indicators: `bench_00` … `bench_59`; a quarter (every fourth, from `bench_03`) broken down by sex: the
  total plus "sex=Nam" and "sex=Nữ" series. `bench_00` is the population (sum); every sixth from `bench_01`
  is a count that sums; every sixth from `bench_02` a rate weighted by the population; the rest declare no
  roll-up. Every fifth from `bench_04` is better when lower.
- 12 periods per term and series: the 2020-2025 term has its baseline (2020), ten half-yearly observations
  (2021-06 … 2025-12, the last an estimate) and its target (2025); the 2025-2030 term, open today, its
  baseline (2025), ten monthly observations (2026-01 … 2026-10) and its target (2030). Baselines and targets
  name their term. `bench_05`'s first observation of the new term carries `series_break=new_standard`.
- the province reports its own baselines and targets; its observations of the indicators that roll up are
  left to the roll-up (computed from the communes); about 3% of the communes' observations are missing, so
  coverage is below 130 of 130.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from indicators import frame as frame_module

N_COMMUNES = 130
N_INDICATORS = 60
PROVINCE = "Tỉnh Bench"
MISSING_SHARE = 0.03
SOURCE = "Số liệu tổng hợp cho đo hiệu năng (bench/province.py)"


def _periods() -> pd.DataFrame:
    """The 24 period rows of every series: (period, kind, term, period_end)."""
    rows = [("2020", "baseline", "2020-2025")]
    rows += [(f"{y}-{m:02d}", "actual", "") for y in range(2021, 2026) for m in (6, 12)]
    rows += [("2025", "target", "2020-2025"), ("2025", "baseline", "2025-2030")]
    rows += [(f"2026-{m:02d}", "actual", "") for m in range(1, 11)]
    rows += [("2030", "target", "2025-2030")]
    out = pd.DataFrame(rows, columns=["period", "kind", "term"])
    out.loc[[10, 22], "kind"] = "estimate"  # the latest figure of each term is an estimate
    ends = pd.to_datetime(out["period"].where(out["period"].str.len() > 4, out["period"] + "-12"), format="%Y-%m")
    out["period_end"] = (ends + pd.offsets.MonthEnd(0)).astype("datetime64[ns]")
    return out


def _indicators() -> pd.DataFrame:
    k = np.arange(N_INDICATORS)
    rollup = np.where(k == 0, "sum", np.where(k % 6 == 1, "sum", np.where(k % 6 == 2, "weighted:bench_00", "")))
    unit = np.where(k == 0, "người", np.where(k % 6 == 1, "hộ", np.where(k % 6 == 2, "%", "triệu đồng/người")))
    return pd.DataFrame({
        "indicator_id": [f"bench_{i:02d}" for i in k],
        "indicator": [f"Chỉ tiêu tỉnh số {i}" if i else "Dân số" for i in k],
        "indicator_en": [f"Province indicator {i}" if i else "Population" for i in k],
        "group": np.array(["Kinh tế", "Xã hội", "Nông thôn mới", "Xây dựng Đảng"])[k % 4],
        "unit": unit,
        "direction": np.where(k % 5 == 4, "decrease", "increase"),
        "method": np.where(k % 7 == 3, "cagr", ""),
        "rollup": rollup,
        "by_sex": k % 4 == 3,
    })


@lru_cache(maxsize=2)
def province_frame(seed: int = 11) -> pd.DataFrame:
    """The province as a validated dataset frame (see the module docstring); cached: treat it as read-only."""
    rng = np.random.default_rng(seed)
    ind = _indicators()
    per = _periods()
    names = np.array([PROVINCE] + [f"Xã Bench {i:03d}" for i in range(1, N_COMMUNES + 1)], dtype=object)
    codes = np.array(["90"] + [f"{90000 + i}" for i in range(1, N_COMMUNES + 1)], dtype=object)
    parents = np.array([""] + [PROVINCE] * N_COMMUNES, dtype=object)

    # the series: (area, indicator, breakdown) — a broken-down indicator has its total and two sexes
    breakdowns = np.array(["", "sex=Nam", "sex=Nữ"], dtype=object)
    s_ind = np.concatenate([np.full(3 if b else 1, i) for i, b in enumerate(ind["by_sex"])])
    s_bd = np.concatenate([np.arange(3) if b else np.zeros(1, dtype=int) for b in ind["by_sex"]])
    n_area, n_ser, n_per = len(names), len(s_ind), len(per)
    area = np.repeat(np.arange(n_area), n_ser)
    sid_ind, sid_bd = np.tile(s_ind, n_area), np.tile(s_bd, n_area)

    # each (area, indicator)'s level and growth; its sexes split a count, or sit either side of a rate
    base = area * N_INDICATORS + sid_ind
    n_base = n_area * N_INDICATORS
    count = (ind["rollup"] == "sum").to_numpy()[sid_ind]
    rate = (ind["unit"] == "%").to_numpy()[sid_ind]
    size = np.where(area == 0, N_COMMUNES, 1.0)
    level = np.where(sid_ind == 0, rng.uniform(8_000, 25_000, n_base)[base],
                     np.where(rate, rng.uniform(10, 60, n_base)[base], rng.uniform(10, 100, n_base)[base]))
    level = np.where(count, level * size, level)
    level = np.where(count, level * np.array([1.0, 0.49, 0.51])[sid_bd], level * np.array([1.0, 0.97, 1.03])[sid_bd])
    growth = rng.normal(0.04, 0.05, n_base)[base]
    down = (ind["direction"] == "decrease").to_numpy()[sid_ind]
    growth = np.where(down, -np.abs(growth), growth)

    # the rows: every series × every period, then the ones that are not reported taken out
    r_series = np.repeat(np.arange(len(area)), n_per)
    r_per = np.tile(np.arange(n_per), len(area))
    kind = per["kind"].to_numpy()[r_per]
    observed = (kind == "actual") | (kind == "estimate")
    years = ((per["period_end"] - pd.Timestamp("2020-12-31")).dt.days / 365.25).to_numpy()[r_per]
    value = level[r_series] * (1.0 + growth[r_series]) ** years
    target = kind == "target"
    term_end = np.where(per["term"].to_numpy()[r_per] == "2020-2025", 5.0, 10.0)
    aim = np.where(down[r_series], 0.8, 1.3)
    value = np.where(target, level[r_series] * (1.0 + growth[r_series]) ** (term_end - 5.0) * aim, value)
    value = np.round(value, 2)
    rolls = (ind["rollup"] != "").to_numpy()[sid_ind][r_series]
    left_to_rollup = (area[r_series] == 0) & rolls & observed
    missing = (area[r_series] > 0) & observed & (rng.random(len(r_series)) < MISSING_SHARE)
    keep = ~(left_to_rollup | missing)
    r_series, r_per, value = r_series[keep], r_per[keep], value[keep]

    def text(values: np.ndarray) -> pd.Series:
        return pd.Series(values, dtype="str")

    r_ind = sid_ind[r_series]
    r_area = area[r_series]
    broken = (r_ind == 5) & (per["period"].to_numpy()[r_per] == "2026-01")
    columns: dict[str, object] = {
        "row": np.arange(2, len(r_series) + 2, dtype="int64"),
        **{c: text(ind[c].to_numpy(dtype=object)[r_ind]) for c in
           ("indicator_id", "indicator", "indicator_en", "group", "unit", "direction", "method", "rollup")},
        "area": text(names[r_area]),
        "area_code": text(codes[r_area]),
        "parent_area": text(parents[r_area]),
        "breakdown": text(breakdowns[sid_bd[r_series]]),
        "period": text(per["period"].to_numpy(dtype=object)[r_per]),
        "kind": text(per["kind"].to_numpy(dtype=object)[r_per]),
        "term": text(per["term"].to_numpy(dtype=object)[r_per]),
        "value": value.astype("float64"),
        "of_total": np.nan,
        "series_break": text(np.where(broken, "new_standard", "")),
        "source": SOURCE,
        "note": "",
        "qualifier": "",
        "period_end": per["period_end"].to_numpy()[r_per],
    }
    # only the columns this contract has (a v1 checkout has no area_code …), every other one empty
    data = {c: columns.get(c, "") for c in frame_module.FRAME_COLUMNS}
    return frame_module.conform(pd.DataFrame(data))


def describe(frame: pd.DataFrame) -> str:
    """'282,000 rows, 131 areas, 60 indicators, 11,790 series': the shape a bench line prints."""
    series_key = [c for c in ("indicator_id", "area", "breakdown") if c in frame.columns]
    return (f"{len(frame):,} rows, {frame['area'].nunique()} areas, {frame['indicator_id'].nunique()} indicators, "
            f"{len(frame.drop_duplicates(series_key)):,} series")
