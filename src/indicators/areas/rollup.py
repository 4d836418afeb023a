"""Roll-ups: a parent area's figure computed from its children's, labelled as computed, with coverage.

Only where the indicator declares how (`rollup`: `sum` for counts, `mean`, `weighted:<indicator_id>` for
rates weighted by another indicator's value of the same child, period and kind); `none` or undeclared
rolls nothing up. A parent that reports its own row for an (indicator, breakdown, period, kind) keeps it.

The children of a row are the units valid on the row's `period_end` whose parent on that day is the parent
(`Register`): a commune's 2024 figure counts towards its old district, its 2026 figure towards the merged
province, and a figure dated outside its unit's days counts nowhere — nothing is added across a merger.
Coverage is counted against the children valid on that day: `reported` of `expected`, in `source`
("Tính từ số liệu 22/23 xã"). A child's series break (a new standard) is the computed row's break too; a
parent whose own unit changed (the merged province) is marked by `Crosswalk.mark_breaks` on frame + computed.
Levels roll up one at a time (communes, then districts), so a province of districts is computed from its
districts' reported or computed figures.

Vectorised: the register is asked once per (area, day) and per (parent, day); the values are grouped
(0.22–0.29 s for a 278,640-row province here: `python -m bench --only rollup`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators import contract
from indicators.areas.register import LEVELS, Register, as_day
from indicators.frame import FRAME_COLUMNS
from indicators.i18n import t

ROLLUP_COLUMNS: tuple[str, ...] = (*FRAME_COLUMNS, "computed", "reported", "expected")
RULES = ("sum", "mean")
WEIGHTED = "weighted:"  # contract.rollup_code's form: weighted:<indicator_id>
_GROUP = ["parent", "indicator_id", "breakdown", "period", "kind", "term"]
#: The columns a roll-up reads of a child's row (the rest of a computed row comes from the indicator).
_NEEDED = ["indicator_id", "area", "breakdown", "period", "kind", "term", "period_end", "value", "of_total",
           "series_break"]
#: Columns every row of an indicator shares: the computed row takes them from the indicator's first row.
_PER_INDICATOR = ("indicator", "indicator_en", "group", "unit", "direction", "method", "rollup")


def _rules(frame: pd.DataFrame) -> dict[str, str]:
    """indicator_id -> its roll-up rule, for the indicators that declare sum, mean or weighted:<id>."""
    declared = frame.loc[frame["rollup"].fillna("") != "", ["indicator_id", "rollup"]]
    first = declared.drop_duplicates("indicator_id")
    return {i: r for i, r in zip(first["indicator_id"], first["rollup"], strict=True)
            if r in RULES or contract.rollup_weight(r)}


def _parents(reg: Register, rows: pd.DataFrame) -> pd.DataFrame:
    """For each (area, period_end) of `rows`: the unit's level and its parent on that day."""
    combos = rows[["area", "period_end"]].drop_duplicates()
    levels, parents = [], []
    for area, end in zip(combos["area"], combos["period_end"], strict=True):
        unit = reg.unit(area, as_day(end))
        levels.append(unit.level if unit else "")
        parents.append(unit.parent if unit else "")
    return combos.assign(level=levels, parent=parents)


def _coverage(reg: Register, keys: pd.DataFrame) -> pd.DataFrame:
    """For each (parent, period_end): how many children were valid then, their level, the parent's code and
    own parent on that day."""
    combos = keys[["parent", "period_end"]].drop_duplicates()
    expected, level, code, grand = [], [], [], []
    for parent, end in zip(combos["parent"], combos["period_end"], strict=True):
        day = as_day(end)
        children = reg.children_of(parent, day)
        expected.append(len(children))
        child_levels = [reg.level_of(c, day) or "" for c in children]
        level.append(max(set(child_levels), key=child_levels.count) if child_levels else "")
        unit = reg.unit(parent, day)
        code.append(unit.code if unit else "")
        grand.append(unit.parent if unit else "")
    return combos.assign(expected=expected, child_level=level, parent_code=code, grandparent=grand)


def _weights(frame: pd.DataFrame, rows: pd.DataFrame, rules: dict[str, str]) -> np.ndarray:
    """Each row's weight (NaN when the child has none): the weight indicator's value for the same area,
    period and kind — of the same breakdown when the weight has one, else of the total."""
    weight_of = {i: contract.rollup_weight(r) for i, r in rules.items() if contract.rollup_weight(r)}
    out = np.full(len(rows), np.nan)
    wanted = rows["indicator_id"].isin(list(weight_of)).to_numpy()
    if not wanted.any():
        return out
    keys = ["weight_id", "area", "period", "kind", "breakdown"]
    part = rows.loc[wanted, ["indicator_id", "area", "period", "kind", "breakdown"]]
    part = part.assign(weight_id=part["indicator_id"].map(weight_of)).drop(columns="indicator_id")
    weights = frame.loc[frame["indicator_id"].isin(set(weight_of.values())) & frame["area"].isin(part["area"].unique()),
                        ["indicator_id", "area", "period", "kind", "breakdown", "value"]]
    weights = weights.rename(columns={"indicator_id": "weight_id"}).dropna(subset=["value"]).drop_duplicates(keys)
    same = part.merge(weights, how="left", on=keys)["value"].to_numpy()
    total = weights[weights["breakdown"] == ""].drop(columns="breakdown")
    fallback = part.merge(total, how="left", on=keys[:-1])["value"].to_numpy()
    out[wanted] = np.where(np.isnan(same), fallback, same)
    return out


def _not_reported(made: pd.DataFrame, known: list[pd.DataFrame]) -> pd.DataFrame:
    """The computed rows whose (indicator, area, breakdown, period, kind) no row of `known` has."""
    keys = ["indicator_id", "area", "breakdown", "period", "kind"]
    parents = made["area"].unique()
    have = pd.concat([k.loc[k["area"].isin(parents), keys] for k in known], ignore_index=True).drop_duplicates()
    flagged = made[keys].merge(have.assign(_have=True), how="left", on=keys)["_have"]
    return made[flagged.isna().to_numpy()]


def _one_level(frame: pd.DataFrame, children: pd.DataFrame, reg: Register, rules: dict[str, str],
               lang: str) -> pd.DataFrame:
    """The parents' computed rows from `children` (rows of one level), where the parents report none."""
    rows = children.merge(_parents(reg, children), how="left", on=["area", "period_end"])
    rows = rows[(rows["parent"] != "") & rows["value"].notna()]
    rule = rows["indicator_id"].map(rules)
    rows = rows.assign(rule=rule, weight=_weights(frame, rows, rules))
    weighted = rows["rule"].str.startswith(WEIGHTED)
    rows = rows[~weighted | (rows["weight"].notna() & (rows["weight"] > 0))]
    if rows.empty:
        return pd.DataFrame(columns=list(ROLLUP_COLUMNS))
    rows = rows.assign(weighted_value=rows["value"] * rows["weight"].where(rows["rule"].str.startswith(WEIGHTED), 1.0),
                       weight=rows["weight"].where(rows["rule"].str.startswith(WEIGHTED), 1.0),
                       has_total=rows["of_total"].notna())
    grouped = rows.groupby(_GROUP, sort=False, dropna=False)
    out = grouped.agg(value_sum=("value", "sum"), weighted_sum=("weighted_value", "sum"), weight_sum=("weight", "sum"),
                      of_total=("of_total", "sum"), all_totals=("has_total", "all"), reported=("area", "nunique"),
                      period_end=("period_end", "first"), rule=("rule", "first"),
                      series_break=("series_break", "max")).reset_index()
    mean = out["rule"] == "mean"
    out["value"] = np.where(out["rule"] == "sum", out["value_sum"],
                            np.where(mean, out["value_sum"] / out["reported"], out["weighted_sum"] / out["weight_sum"]))
    out["of_total"] = out["of_total"].where((out["rule"] == "sum") & out["all_totals"])
    out = out.merge(_coverage(reg, out), how="left", on=["parent", "period_end"])
    return _finish(frame, out, lang)


def _finish(frame: pd.DataFrame, out: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Computed groups -> frame rows: the indicator's shared columns, the parent as the area, the source."""
    per = frame.drop_duplicates("indicator_id").set_index("indicator_id")[list(_PER_INDICATOR)]
    out = out.join(per, on="indicator_id")
    sources = {}
    for n, of, level in out[["reported", "expected", "child_level"]].drop_duplicates().itertuples(index=False):
        unit = level if level in LEVELS else "commune"
        sources[n, of, level] = t("rollup_source", lang, n=int(n), of=int(of),
                                  level=t(f"level_units_{unit}", lang))
    keys = zip(out["reported"], out["expected"], out["child_level"], strict=True)
    result = pd.DataFrame({
        "row": 0, "indicator_id": out["indicator_id"], "area": out["parent"], "period": out["period"],
        "kind": out["kind"], "value": out["value"].astype("float64"), "of_total": out["of_total"].astype("float64"),
        "source": [sources[k] for k in keys], "note": "", "qualifier": "", "period_end": out["period_end"],
        "area_code": out["parent_code"], "parent_area": out["grandparent"], "term": out["term"],
        "breakdown": out["breakdown"], "series_break": out["series_break"].fillna(""),
        **{c: out[c] for c in _PER_INDICATOR},
        "computed": True, "reported": out["reported"].astype("int64"), "expected": out["expected"].astype("int64"),
    })
    result = result.reindex(columns=list(ROLLUP_COLUMNS))
    return result.astype({c: frame[c].dtype for c in FRAME_COLUMNS if c in frame.columns})


def rollup(frame: pd.DataFrame, reg: Register, *, lang: str = "vi") -> pd.DataFrame:
    """The computed parent rows of `frame` (FRAME_COLUMNS + computed=True, reported, expected), one level
    at a time from the communes up; empty when no indicator declares a roll-up."""
    empty = pd.DataFrame({c: pd.Series(dtype=frame[c].dtype if c in frame.columns else "object")
                          for c in ROLLUP_COLUMNS}).astype({"computed": bool, "reported": "int64", "expected": "int64"})
    rules = _rules(frame)
    if not rules:
        return empty
    candidates = frame.loc[frame["indicator_id"].isin(list(rules)).to_numpy(), _NEEDED]
    levels = _parents(reg, candidates).set_index(["area", "period_end"])["level"]
    row_level = levels.reindex(pd.MultiIndex.from_frame(candidates[["area", "period_end"]])).to_numpy()
    computed: list[pd.DataFrame] = []
    for level in reversed(LEVELS[1:]):  # commune, then district
        children = candidates[row_level == level]
        if computed:  # the previous level's computed rows whose parents are of this level
            extra = pd.concat(computed, ignore_index=True)
            extra_levels = [reg.level_of(a, as_day(e)) for a, e in zip(extra["area"], extra["period_end"], strict=True)]
            children = pd.concat([children, extra.loc[np.asarray(extra_levels) == level, _NEEDED]],
                                 ignore_index=True)
        if children.empty:
            continue
        made = _one_level(frame, children, reg, rules, lang)
        if not made.empty:
            computed.append(_not_reported(made, [candidates, *computed]))
    if not computed:
        return empty
    out = pd.concat(computed, ignore_index=True)
    return out.astype({"computed": bool, "reported": "int64", "expected": "int64"}).reset_index(drop=True)
