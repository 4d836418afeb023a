"""An indicator's breakdowns (sex, urban/rural, age group…) in one area: which dimensions and values its rows
have, the rows of one dimension's lines, and the table of its breakdown series' latest values and statuses.

Pure pandas: the indicator page (webui/breakdowns.py) draws what these return, `charts.breakdown_chart`
plots `lines`. A breakdown is the contract's canonical text ("sex=Nữ; age_group=15-24", "" the total).

>>> rows = pd.DataFrame({"breakdown": ["", "sex=Nam", "sex=Nữ", "sex=Nữ; age_group=15-24"]})
>>> dimensions(rows)
{'sex': ['Nam', 'Nữ'], 'age_group': ['15-24']}
>>> [(value, len(part)) for value, part in lines(rows, "sex")]
[(None, 1), ('Nam', 1), ('Nữ', 1)]
>>> [(value, len(part)) for value, part in lines(rows, "sex", {"age_group": "15-24"})]
[('Nữ', 1)]
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import pandas as pd

from indicators import contract
from indicators.i18n import LANGS, indicator_name

__all__ = ["dimension_label", "dimensions", "has_breakdowns", "headline", "lines", "of_series", "series_name",
           "series_table"]


@lru_cache(maxsize=4096)
def _parsed(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(contract.parse_breakdown(text).items()) if text else ()


def has_breakdowns(rows: pd.DataFrame) -> bool:
    """Whether any of the rows belongs to a breakdown series (a frame without the column has none)."""
    return "breakdown" in rows.columns and bool((rows["breakdown"].astype(str) != "").any())


def dimension_label(dim: str, lang: str) -> str:
    """'Giới tính' / 'Sex' for a known dimension; another is shown by its name ('disability_status')."""
    names = contract.BREAKDOWN_DIMENSIONS.get(dim)
    return names[LANGS.index(lang)] if names else dim


def series_name(row: Mapping[str, object] | pd.Series, lang: str) -> str:
    """How the deck, the brief and the tables name a series: the indicator's name, and for a breakdown series
    its label ("Tỷ lệ lao động qua đào tạo — Giới tính: Nữ"; the total is the indicator's name alone)."""
    name = indicator_name(row, lang)
    breakdown = str(row.get("breakdown", "") or "")
    return f"{name} — {contract.breakdown_label(breakdown, lang)}" if breakdown else name


def headline(result: pd.DataFrame) -> pd.DataFrame:
    """One series per indicator and area, as pages list them: its total, else (a file with breakdowns only)
    its first breakdown series — the other breakdown series are shown under it (`series_table`)."""
    if "breakdown" not in result.columns or not (result["breakdown"] != "").any():
        return result
    total_first = result.assign(_part=(result["breakdown"] != "").to_numpy()).sort_values("_part", kind="stable")
    keep = total_first.index[~total_first.duplicated(["indicator_id", "area"])]
    return result.loc[result.index.isin(keep)]


def of_series(rows: pd.DataFrame, row: Mapping[str, object] | pd.Series) -> pd.DataFrame:
    """The rows of one series among an indicator's rows in an area: those of its breakdown only."""
    if "breakdown" not in rows.columns:
        return rows
    return rows[(rows["breakdown"] == str(row.get("breakdown", "") or "")).to_numpy()]


def dimensions(rows: pd.DataFrame) -> dict[str, list[str]]:
    """Each dimension the rows' breakdowns name (known ones first, in the contract's order) and its values,
    in the order first met."""
    found: dict[str, dict[str, None]] = {}
    if "breakdown" not in rows.columns:
        return {}
    for text in pd.unique(rows["breakdown"].astype(str)):
        for dim, value in _parsed(str(text)):
            found.setdefault(dim, {})[value] = None
    known = list(contract.BREAKDOWN_DIMENSIONS)
    order = sorted(found, key=lambda d: (known.index(d) if d in known else len(known), d))
    return {dim: list(found[dim]) for dim in order}


def lines(rows: pd.DataFrame, dim: str, fixed: Mapping[str, str] | None = None) -> list[tuple[str | None, pd.DataFrame]]:
    """The rows of each line of a chart by `dim`: (None, the rows without `dim`: its total), then (value,
    rows) for each value of `dim` — only rows whose other dimensions are exactly `fixed` (none: the rows
    broken down by `dim` alone). A line without rows is left out."""
    fixed = dict(fixed or {})
    keys: dict[str, tuple[bool, str | None]] = {}
    for text in pd.unique(rows["breakdown"].astype(str)):
        pairs = dict(_parsed(str(text)))
        value = pairs.pop(dim, None)
        keys[str(text)] = (pairs == fixed, value)
    wanted = rows["breakdown"].astype(str).map(lambda b: keys[b][0]).to_numpy(dtype=bool)
    chosen = rows[wanted]
    value_of = chosen["breakdown"].astype(str).map(lambda b: keys[b][1])
    out: list[tuple[str | None, pd.DataFrame]] = []
    total = chosen[value_of.isna().to_numpy()]
    if len(total):
        out.append((None, total))
    values = dimensions(rows).get(dim, [])
    for value in values:
        part = chosen[(value_of == value).to_numpy()]
        if len(part):
            out.append((value, part))
    return out


def series_table(result: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """The indicator's series of the result (progress per series, one area) that are breakdowns, the total
    first: their result rows, ordered by dimension then value as met (`dimensions`)."""
    if "breakdown" not in result.columns:
        return result.iloc[0:0]
    mine = result[result["indicator_id"] == indicator_id]
    if not (mine["breakdown"].astype(str) != "").any():
        return mine.iloc[0:0]
    order = {"": (0, 0, 0)}
    for d, (dim, values) in enumerate(dimensions(mine).items()):
        for v, value in enumerate(values):
            order.setdefault(contract.breakdown_text({dim: value}), (1, d, v))
    rank = [order.get(str(b), (2, len(order), 0)) for b in mine["breakdown"]]
    positions = sorted(range(len(mine)), key=lambda i: (rank[i], str(mine["breakdown"].iat[i])))
    return mine.iloc[positions]
