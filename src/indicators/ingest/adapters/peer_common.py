"""What the peer-format adapters (Open SDG, DHIS2, PX-Web) share: contract rows built one by one with the
cell each came from, indicator names matched to the store's catalogue, totals told from breakdowns, the
contract dimension a breakdown column stands for, "no figure" marks, and the reports of what was left out
or kept.

>>> slug("Tỷ lệ hộ nghèo (%)")
'ty_le_ho_ngheo'
>>> is_total("Tổng số"), is_total("Nữ"), is_total("")
(True, False, True)
>>> no_figure(".."), no_figure("NA"), no_figure("0")
(True, True, False)
>>> dimension("Sex"), dimension("Nhóm tuổi"), dimension("Persons in low income", ["Females"])
('sex', 'age_group', 'sex')
>>> dimension("Disability status"), dimension("marital status")
('disability_status', 'marital_status')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from indicators import contract
from indicators.contract import fold
from indicators.i18n import t
from indicators.ingest.adapters import Catalogue, Converted, Origin, contract_table
from indicators.ingest.limits import Limits
from indicators.ingest.reading import ReadError
from indicators.ingest.report import Issue, make_issue
from indicators.ingest.xlsx import column_letters

__all__ = ["Rows", "breakdowns_kept", "dimension", "is_total", "issue_at", "no_figure", "slug"]

#: Words naming the total of a breakdown (folded): the rows kept when a breakdown has no place in the contract.
TOTAL_WORDS = frozenset({
    "", "total", "totals", "all", "both sexes", "all ages", "all persons", "default", "tong", "tong so", "tong cong",
    "chung", "ca nuoc", "toan quoc", "toan tinh", "toan huyen", "toan xa", "toan thanh pho", "tat ca",
    "ca hai gioi", "_t", "_z",
})
#: Names (folded) of a breakdown column or variable that stand for a contract dimension.
DIMENSION_WORDS: dict[str, frozenset[str]] = {
    "sex": frozenset({"sex", "gender", "gioi tinh", "gioi", "kon"}),
    "age_group": frozenset({"age", "ages", "age group", "age groups", "age band", "nhom tuoi", "do tuoi", "tuoi",
                            "alder", "alter"}),
    "residence": frozenset({"location", "urban rural", "urbanisation", "urbanization", "residence",
                            "area of residence", "type of location", "thanh thi nong thon", "khu vuc",
                            "noi cu tru"}),
}
#: Values (folded) that tell a column of an unknown name is sex or residence ("Persons in low income": Females).
_SEX_VALUES = frozenset({"male", "males", "female", "females", "men", "women", "man", "woman", "boys", "girls",
                         "nam", "nu", "nam gioi", "nu gioi"})
_RESIDENCE_VALUES = frozenset({"urban", "rural", "thanh thi", "nong thon", "town", "countryside"})
#: Cells that hold no figure (PX-Web's dots and dash, Open SDG's NA, DHIS2's empty value).
NO_FIGURE = frozenset({"", "..", ".", "...", "....", ".....", "......", "-", "–", "—", "…", "x", "na", "n/a",
                       "null", "nan", ":"})


#: A number as machines write it (PX, DHIS2, Open SDG): '.' is the decimal mark, never a thousands separator.
_MACHINE = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


def slug(name: str, limit: int = 60) -> str:
    """A contract id from a name: folded to ASCII, words joined by '_' ('Dân số (người)' -> 'dan_so')."""
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", name)  # units and codes in brackets are not the name
    text = re.sub(r"[^a-z0-9]+", "_", fold(text) or fold(name)).strip("_")
    if not text:
        text = re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_")
    return text[:limit].rstrip("_") or "indicator"


def is_total(text: str) -> bool:
    """Whether a breakdown cell names the total (empty, 'Total', 'Tổng số', 'Cả nước', DHIS2 'default')."""
    folded = fold(re.sub(r"^[\d.+-]+\s+", "", text))
    return folded in TOTAL_WORDS or folded.startswith(("tong so", "total "))


def dimension(name: str, values: Iterable[str] = ()) -> str:
    """The contract dimension a breakdown column or variable stands for: sex, age_group or residence by its
    name ("Sex", "Giới tính", "Age", "Location") or, for another name, by its values (all "Male"/"Females"/
    "Nữ": sex; all "Urban"/"Nông thôn": residence); else its folded name ("Disability status" ->
    "disability_status"). Totals among the values are not looked at."""
    folded = re.sub(r"[^a-z0-9]+", " ", fold(name)).strip()  # "Thành thị, nông thôn", "Urban/rural"
    for dim, words in DIMENSION_WORDS.items():
        if folded in words:
            return dim
    seen = {fold(v) for v in values if not is_total(v)}
    if seen and seen <= _SEX_VALUES:
        return "sex"
    if seen and seen <= _RESIDENCE_VALUES:
        return "residence"
    return folded.replace(" ", "_") or "breakdown"


#: An age group as written: "<5y", "15-49y", "18 to 64 years", "65 years and over", "Dưới 1 tuổi", "60+".
_AGE = re.compile(r"(?i)^(?:(?:under|over|below|above|aged?|dưới|trên|từ)\s+)?[<>≥≤]?\s*\d+\s*"
                  r"(?:\+|(?:-|–|to|đến)\s*\d+)?\s*(?:y|yr|yrs|years?|tuổi|months?|tháng)?"
                  r"(?:\s+(?:and\s+(?:over|under|older|above)|or\s+(?:more|older)|trở\s+lên))?(?:\s+(?:years?|tuổi))?$")


def known_parts(text: str) -> list[tuple[str, str]] | None:
    """A breakdown value naming several known dimensions at once ("Females, 18 to 64 years", DHIS2's
    "Female, <5y") as (dimension, part) pairs; None unless every part is sex, residence or an age group,
    each once. A bare number is no age group.

    >>> known_parts("Females, 18 to 64 years"), known_parts("Nữ"), known_parts("Fixed, <1y"), known_parts("3")
    ([('sex', 'Females'), ('age_group', '18 to 64 years')], [('sex', 'Nữ')], None, None)
    """
    pairs: list[tuple[str, str]] = []
    for part in (p.strip() for p in text.split(",")):
        folded = fold(part)
        dim = ("sex" if folded in _SEX_VALUES else "residence" if folded in _RESIDENCE_VALUES
               else "age_group" if _AGE.match(part) and not part.isdigit() else "")
        if not dim or any(d == dim for d, _ in pairs):
            return None
        pairs.append((dim, part))
    return pairs or None


def breakdown_of(pairs: Iterable[tuple[str, str]]) -> str:
    """The canonical breakdown text of (column's dimension, value) pairs, totals left out ("" when all are
    totals). A value of a column that is no known dimension may name known ones ("Females, 18 to 64 years":
    `known_parts`); a dimension already given keeps the first value. (Cached: a file repeats a few
    combinations over many rows.)"""
    return _breakdown_of(tuple(pairs))


@lru_cache(maxsize=1 << 14)
def _breakdown_of(pairs: tuple[tuple[str, str], ...]) -> str:
    kept: dict[str, str] = {}
    for dim, written in pairs:
        value = " ".join(unicodedata.normalize("NFC", written).replace(";", ",").split())  # ";" parts dimensions
        if is_total(value):
            continue
        parts = [(dim, value)] if dim in DIMENSION_WORDS else known_parts(value) or [(dim, value)]
        for d, v in parts:
            kept.setdefault(d, v)
    return contract.breakdown_text(kept) if kept else ""


def breakdowns_kept(frame_columns: dict[str, list[str]]) -> tuple[str, str] | None:
    """The info line of a conversion that kept breakdowns: how many breakdown series, by which dimensions
    ("Giữ 40 chuỗi phân tổ (Giới tính, Nhóm tuổi)"); None when it kept none."""
    series = {(i, a, b) for i, a, b in zip(frame_columns["indicator_id"], frame_columns["area"],
                                           frame_columns["breakdown"], strict=True) if b}
    if not series:
        return None
    dims = list(dict.fromkeys(dim for *_, b in series for dim in contract.parse_breakdown(b)))
    known = contract.BREAKDOWN_DIMENSIONS
    order = sorted(dims, key=lambda d: (list(known).index(d) if d in known else len(known), d))
    names = [known.get(d, (d, d)) for d in order]
    return (t("breakdowns_kept", "vi", n=len(series), dims=", ".join(n[0] for n in names)),
            t("breakdowns_kept", "en", n=len(series), dims=", ".join(n[1] for n in names)))


def with_kept(detected: tuple[str, str], kept: tuple[str, str] | None) -> tuple[str, str]:
    """The "what was found" line, with the breakdowns kept said after it."""
    return detected if kept is None else (f"{detected[0]} {kept[0]}", f"{detected[1]} {kept[1]}")


def no_figure(text: str) -> bool:
    """Whether a value cell means "no figure" rather than a number to check."""
    return text.strip().lower() in NO_FIGURE


def issue_at(code: str, cell: str = "", row: int | None = None, sheet: str = "", column: str | None = None,
             value: str = "", **params: object) -> Issue:
    """An adapter's own issue, already naming the cell of the original file (or its record number)."""
    return replace(make_issue(code, row, column, value, **params), cell=cell, sheet=sheet)


def check_size(data: bytes, limits: Limits) -> None:
    """The file-size limit for formats read without `read_grid` (JSON, XML, PX)."""
    if len(data) > limits.file_mb * 1e6:
        raise ReadError("file_too_large", limit=f"{limits.file_mb:g}", setting=Limits.setting("file_mb"))


def cell_name(row: int, column: int) -> str:
    return f"{column_letters(column)}{row}" if row > 0 and column > 0 else ""


@dataclass
class _Indicator:
    indicator_id: str
    indicator: str
    unit: str
    group: str = ""
    direction: str = ""
    indicator_en: str = ""


@dataclass
class Rows:
    """Contract rows built one at a time, each with the original row and column of its cells.

    `add(name=..., unit=..., area=..., period=..., value=..., row=..., column=...)`: `row`/`column` are
    the value's cell (1-based; column 0 when the original has no columns, e.g. a JSON record); `at`
    gives other columns' cells ({"period": (row, col)}); `breakdown` is the canonical text ("" for the
    total, `breakdown_of`). The indicator's id, unit, group and direction come from the store's catalogue
    when its name (or id) matches one there."""

    catalogue: Catalogue
    columns: dict[str, list[str]] = field(default_factory=dict)
    origin_rows: dict[str, list[int]] = field(default_factory=dict)
    origin_cols: dict[str, list[int]] = field(default_factory=dict)
    _indicators: dict[tuple[str, str], _Indicator] = field(default_factory=dict)

    NAMES = ("indicator_id", "indicator", "indicator_en", "group", "unit", "area", "breakdown", "period", "kind",
             "value", "direction", "source", "note")

    def __post_init__(self) -> None:
        for name in self.NAMES:
            self.columns[name] = []
        self.origin_rows = {"*": []}
        self.origin_cols = {"*": []}

    def __len__(self) -> int:
        return len(self.columns["value"])

    def indicator(self, name: str, unit: str, code: str = "") -> _Indicator:
        """The indicator a row's name (and unit) names: the catalogue's when it matches, else a new slug."""
        key = (name, unit)
        found = self._indicators.get(key)
        if found is not None:
            return found
        match = self.catalogue.match(code) if code else None
        match = match or self.catalogue.match(name)
        stored = self.catalogue.get(match[0]) if match else None
        if stored is not None:  # the file's own unit wins: a changed unit is then seen, never hidden
            found = _Indicator(str(stored["indicator_id"]), str(stored.get("indicator", name) or name),
                               unit or str(stored.get("unit", "")), str(stored.get("group", "")),
                               str(stored.get("direction", "")), str(stored.get("indicator_en", "")))
        else:
            taken = {i.indicator_id for i in self._indicators.values() if i.indicator != name}
            base = slug(name)
            new_id, n = base, 2
            while new_id in taken:
                new_id, n = f"{base}_{n}", n + 1
            found = _Indicator(new_id, name, unit)
        self._indicators[key] = found
        return found

    def add(self, *, name: str, unit: str, area: str, period: str, value: str, row: int, column: int,
            kind: str = "actual", source: str = "", note: str = "", code: str = "", breakdown: str = "",
            at: dict[str, tuple[int, int]] | None = None) -> None:
        ind = self.indicator(name, unit, code)
        cells = {"indicator_id": ind.indicator_id, "indicator": ind.indicator, "indicator_en": ind.indicator_en,
                 "group": ind.group, "unit": ind.unit, "area": area, "breakdown": breakdown, "period": period,
                 "kind": kind,
                 "value": value, "direction": ind.direction, "source": source, "note": note}
        for key, text in cells.items():
            self.columns[key].append(text)
        index = len(self.columns["value"]) - 1
        self.origin_rows["*"].append(row)
        self.origin_cols["*"].append(column)
        for key, (r, c) in (at or {}).items():
            rows, cols = self.origin_rows.setdefault(key, []), self.origin_cols.setdefault(key, [])
            missing = index - len(rows)
            if missing > 0:  # earlier rows had this column at their value's cell
                rows.extend(self.origin_rows["*"][len(rows):index])
                cols.extend(self.origin_cols["*"][len(cols):index])
            rows.append(r)
            cols.append(c)

    def converted(self, fmt: str, detected: tuple[str, str], issues: list[Issue], *, filename: str,
                  sha256: str = "", sheet: str = "") -> Converted:
        n = len(self)
        rows = {k: np.asarray(v + self.origin_rows["*"][len(v):n], dtype=np.int64)
                for k, v in self.origin_rows.items()}
        cols = {k: np.asarray(v + self.origin_cols["*"][len(v):n], dtype=np.int64)
                for k, v in self.origin_cols.items()}
        keep = {k: v for k, v in self.columns.items() if k in ("indicator_id", "indicator", "unit", "area",
                                                                  "period", "kind", "value", "source")
                or any(v)}
        numeric = {"value": np.array([bool(_MACHINE.fullmatch(v)) for v in self.columns["value"]], dtype=bool)}
        raw = contract_table(keep, numeric=numeric, filename=filename, sha256=sha256)
        detected = with_kept(detected, breakdowns_kept(self.columns))
        return Converted(raw, fmt, detected, Origin(rows, cols, sheet), issues, sheet=sheet)


def no_figures(n: int, first: tuple[int, int] | None, sheet: str = "") -> list[Issue]:
    """One `no_figure` warning: how many cells held no figure ('..', '-', 'NA', empty) and were left out."""
    if not n or first is None:
        return []
    r, c = first
    return [issue_at("no_figure", cell_name(r, c), row=r if r > 0 else None, sheet=sheet, n=n)]


_MONTH_OF_QUARTER = {"1": "03", "2": "06", "3": "09", "4": "12"}
_FINANCIAL_END = {"april": 3, "july": 6, "oct": 9, "nov": 10}
_PERIOD_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.IGNORECASE), kind) for p, kind in (
    (r"(\d{4})", "year"),
    (r"(\d{4})-(\d{2})", "same"),
    (r"(\d{4})-(\d{2})-(\d{2})", "same"),
    (r"\d{1,2}/\d{1,2}/\d{4}", "same"),
    (r"(\d{4})(\d{2})", "month"),  # DHIS2 202401
    (r"(\d{4})M(\d{1,2})", "month"),  # PX 2024M01
    (r"(\d{4})(\d{2})(\d{2})", "day"),  # DHIS2 daily 20240115
    (r"(\d{4})(\d{2})B", "bimonth"),  # DHIS2 bi-monthly 202401B = Jan-Feb
    (r"(\d{4})[QK](\d)", "quarter"),  # DHIS2 / PX 2024Q1 (Swedish PX: K)
    (r"(\d{4})[SH](\d)", "half"),  # DHIS2 2024S1, PX 2024H1
    (r"(\d{4})AprilS(\d)", "half_april"),  # DHIS2 six-monthly starting April
    (r"(\d{4})W(\d{1,2})", "week"),  # ISO week (DHIS2 weekly, PX 2024W01)
    (r"(\d{4})BiW(\d{1,2})", "biweek"),
    (r"(\d{4})(April|July|Oct|Nov)", "financial"),  # DHIS2 financial years
))


def contract_period(text: str) -> str | None:
    """A peer format's period in a contract form (the period's end month or day); None when the contract
    cannot hold it (a week starting on Wednesday, a school year '2016/2017').

    >>> [contract_period(p) for p in ("2024", "202401", "2024Q1", "2024S2", "2024W1", "2024April", "2016/2017")]
    ['2024', '2024-01', '2024-03', '2024-12', '2024-01-07', '2025-03', None]
    """
    import datetime as dt

    text = text.strip()
    for pattern, kind in _PERIOD_PATTERNS:
        m = pattern.fullmatch(text)
        if not m:
            continue
        try:
            if kind == "year":
                return text
            if kind == "same":
                return text
            year = int(m.group(1))
            if kind == "month":
                month = int(m.group(2))
                return f"{year}-{month:02d}" if 1 <= month <= 12 else None
            if kind == "day":
                return dt.date(year, int(m.group(2)), int(m.group(3))).isoformat()
            if kind == "bimonth":
                month = int(m.group(2))
                return f"{year}-{month + 1:02d}" if month in (1, 3, 5, 7, 9, 11) else None
            if kind == "quarter":
                q = m.group(2)
                return f"{year}-{_MONTH_OF_QUARTER[q]}" if q in _MONTH_OF_QUARTER else None
            if kind == "half":
                return {"1": f"{year}-06", "2": f"{year}-12"}.get(m.group(2))
            if kind == "half_april":
                return {"1": f"{year}-09", "2": f"{year + 1}-03"}.get(m.group(2))
            if kind in ("week", "biweek"):
                week = int(m.group(2)) * (2 if kind == "biweek" else 1)
                return dt.date.fromisocalendar(year, week, 7).isoformat()
            if kind == "financial":
                return f"{year + 1}-{_FINANCIAL_END[m.group(2).lower()]:02d}"
        except ValueError:
            return None
    return None
