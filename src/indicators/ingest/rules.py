"""The row checks of data contract v2, run column by column over a `RawTable` (used by `validation`).

Each text column is coded once: integer codes into its distinct stripped values (`Coded`). Checks of a
cell's text (id pattern, kind words, periods, numbers) then run once per distinct value, and row-level
rules (one key per row, one unit per indicator) are numpy operations on the codes — so a million rows cost
about as much as their distinct values. Python loops only build the issues of the (few) bad cells.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from indicators.contract import (
    BREAKDOWN_DIMENSIONS,
    BY_NAME,
    COLUMNS,
    DIRECTION_WORDS,
    DIRECTIONS,
    ID_PATTERN,
    KEY,
    KIND_WORDS,
    KINDS,
    METHOD_WORDS,
    PER_INDICATOR,
    QUALIFIERS,
    SERIES_BREAK_WORDS,
    HeaderMatch,
    breakdown_text,
    canonical_word,
    header_match,
    parse_breakdown,
    rollup_code,
    term_text,
)
from indicators.i18n import pair
from indicators.ingest.cells import NumberCells, classify_numbers, parse_periods
from indicators.ingest.reading import TEXT, RawTable
from indicators.ingest.report import IssueLog

WORDS = {"kind": KIND_WORDS, "direction": DIRECTION_WORDS, "method": METHOD_WORDS,
         "series_break": SERIES_BREAK_WORDS}


def _term(text: str) -> str | None:
    try:
        return term_text(text)
    except ValueError:
        return None


def _area_code(text: str) -> str | None:
    return text if text.isascii() and text.isdigit() else None


#: contract v2 columns checked value by value: column -> (its canonical form or None, the issue code).
CANONICAL: dict[str, tuple[Callable[[str], str | None], str]] = {
    "term": (_term, "bad_term"),
    "rollup": (rollup_code, "unknown_rollup"),
    "area_code": (_area_code, "bad_area_code"),
}


@dataclass
class Coded:
    """A text column as codes into its distinct values, stripped of surrounding whitespace."""

    codes: np.ndarray  # int32, one per row
    uniques: pa.Array  # distinct texts
    original: pa.ChunkedArray | None = None  # the column itself while its texts are unchanged (zero copy)

    @classmethod
    def of(cls, column: pa.ChunkedArray) -> Coded:
        encoded = pc.dictionary_encode(column).chunks
        if not encoded:
            return cls(np.zeros(0, np.int32), pa.array([], TEXT), column)
        codes = np.concatenate([chunk.indices.to_numpy() for chunk in encoded])
        dictionary = max((chunk.dictionary for chunk in encoded), key=len)  # chunks share one growing memo
        return cls(codes, dictionary, column).mapped(pc.utf8_trim_whitespace)

    @classmethod
    def empty(cls, n: int) -> Coded:
        return cls(np.zeros(n, np.int32), pa.array([""], TEXT))

    def mapped(self, func: Callable[[pa.Array], pa.Array]) -> Coded:
        """The column with `func` applied to every distinct value (re-coded when values merge)."""
        new = func(self.uniques)
        if pc.all(pc.equal(new, self.uniques)).as_py() in (True, None):
            return self
        recoded = pc.dictionary_encode(new)
        return Coded(recoded.indices.to_numpy()[self.codes], recoded.dictionary)

    @property
    def empty_code(self) -> int:
        return int(pc.index(self.uniques, "").as_py())

    def is_empty(self) -> np.ndarray:
        return self.codes == self.empty_code

    def values(self) -> list[str]:
        return self.uniques.to_pylist()

    def texts(self) -> pa.ChunkedArray | pa.Array:
        return self.original if self.original is not None else self.uniques.take(pa.array(self.codes))

    def text_of(self, rows: np.ndarray) -> list[str]:
        return self.uniques.take(pa.array(self.codes[rows])).to_pylist()


def map_headers(raw: RawTable, log: IssueLog) -> dict[str, int]:
    """Contract column -> index of the raw column that holds it; unknown, doubled and missing reported.

    Each header claims the column it names (`contract.header_match`); of several claims on one column the
    best wins: an exact one (accents as declared) over a folded one, a folded one over one that may be
    another word ("Nam" ~ "Năm"), the leftmost among equals. Two exact claims are a `duplicate_column`
    error; every other losing claim is a `header_collision` warning (its column is not read), and so is a
    winning claim that may be another word."""
    claims: dict[str, list[tuple[int, int, HeaderMatch]]] = {}
    for i, text in enumerate(raw.header):
        match = header_match(text) if text else None
        if match is None:
            if text or pc.max(pc.binary_length(raw.column(i))).as_py():
                log.add("unknown_column", value=text or f"#{i + 1}")
        else:
            claims.setdefault(match.column, []).append((match.rank, i, match))
    found: dict[str, int] = {}
    for name, claimed in claims.items():
        claimed.sort(key=lambda claim: claim[:2])
        rank, best, match = claimed[0]
        found[name] = best
        label = (BY_NAME[name].label_vi, BY_NAME[name].label_en)
        if match.homographs:
            log.add("header_collision", column=name, value=raw.header[best], label=label,
                    reason=pair("header_collision_homograph", words=", ".join(match.homographs)))
        for other_rank, i, _ in claimed[1:]:
            if rank == other_rank == 0:
                log.add("duplicate_column", column=name, value=raw.header[i], other=raw.header[best])
            else:
                log.add("header_collision", column=name, value=raw.header[i], label=label,
                        reason=pair("header_collision_lost", other=raw.header[best]))
    for col in COLUMNS:
        if col.required and col.name not in found:
            log.add("missing_column", column=col.name, label=(col.label_vi, col.label_en))
    return found


def first_of(groups: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For rows (indices, in order) belonging to `groups[rows]`: (group ids, first row of each group)."""
    first = ~pd.Series(groups[rows]).duplicated().to_numpy()
    return groups[rows[first]], rows[first]


def combine(*codes: np.ndarray) -> np.ndarray:
    """One int64 per distinct combination of several (non-negative) code columns."""
    key = codes[0].astype(np.int64)
    for more in codes[1:]:
        size = int(more.max(initial=0)) + 1
        if int(key.max(initial=0)) >= (1 << 62) // size:  # re-number before the product could overflow
            key = pd.factorize(key)[0].astype(np.int64)
        key = key * size + more
    return key


def _constant(array: pa.Array) -> Callable[[pa.Array], pa.Array]:
    return lambda _: array


def _plain(value: float, decimal: str) -> str:
    return f"{value:.15g}".replace(".", decimal)


@dataclass
class Numbers:
    """value and of_total read under the file's decimal convention."""

    values: dict[str, np.ndarray]
    qualifier: pa.Array
    decimal: str | None
    needs_decimal: bool


class RowChecks:
    """The state of one validation: coded columns, which rows take part, and the issue log."""

    def __init__(self, raw: RawTable, log: IssueLog) -> None:
        self.raw, self.log, self.n = raw, log, raw.n_rows
        self.rows = raw.header_row + 1 + np.arange(self.n, dtype=np.int64)
        self.index = map_headers(raw, log)
        self.cols = {name: Coded.of(raw.column(i)) for name, i in self.index.items()}
        skipped = np.zeros(self.n, dtype=bool)
        skipped[raw.skipped] = True
        self.blank = self._blank_rows(skipped)
        self.in_frame = ~self.blank & ~skipped  # rows in the typed frame
        ids = self.col("indicator_id")
        no_id = self.in_frame & ids.is_empty() if "indicator_id" in self.index else np.zeros(self.n, bool)
        self.report("missing_indicator_id", "indicator_id", no_id)
        self.active = self.in_frame & ~no_id  # rows every other check looks at

    def col(self, name: str) -> Coded:
        return self.cols.get(name) or Coded.empty(self.n)

    def _blank_rows(self, skipped: np.ndarray) -> np.ndarray:
        blank = ~skipped if self.cols else np.zeros(self.n, dtype=bool)
        for coded in self.cols.values():
            blank &= coded.is_empty()
        last = np.flatnonzero(~blank)
        inner = blank.copy()
        inner[last[-1] + 1 if last.size else 0:] = False  # trailing blank rows go without a warning
        self.report("blank_row", None, inner)
        return blank

    def report(self, code: str, column: str | None, mask: np.ndarray,
               params: dict[str, object] | Callable[[np.ndarray], list[dict[str, object]]] | None = None,
               values: Callable[[np.ndarray], list[str]] | None = None) -> None:
        """One issue per row in `mask` (up to the log's limit; the rest are only counted)."""
        where = np.flatnonzero(mask)
        kept = where[: self.log.room(code)]
        texts = values(kept) if values else self.col(column).text_of(kept) if column else [""] * len(kept)
        extra = params(kept) if callable(params) else [params or {}] * len(kept)
        self.log.add_cells(code, column, self.rows[kept], texts, extra)
        self.log.more(code, len(where) - len(kept))

    def cells(self, code: str, name: str, flagged: np.ndarray, **params: object) -> None:
        """Report every active row whose value in column `name` is flagged in `flagged` (per distinct value)."""
        if name in self.index and flagged.any():
            self.report(code, name, self.active & flagged[self.col(name).codes], params)

    # --- per-value checks -------------------------------------------------------------------------
    def check_text(self) -> None:
        """A NUL character is refused in every cell (the store could not hold it: validation and commit
        must agree)."""
        for name, coded in self.cols.items():
            flagged = np.asarray(pc.match_substring(coded.uniques, "\x00").to_numpy(zero_copy_only=False), dtype=bool)
            self.cells("nul_character", name, flagged)

    def check_ids(self) -> None:
        bad = [bool(v) and not ID_PATTERN.fullmatch(v) for v in self.col("indicator_id").values()]
        self.cells("bad_indicator_id", "indicator_id", np.array(bad, dtype=bool))

    def check_words(self) -> None:
        """kind/direction/method words -> codes (the columns are rewritten); unknown words reported."""
        for name, vocabulary in WORDS.items():
            if name not in self.index:
                continue
            coded = self.cols[name]
            words = coded.values()
            codes = [canonical_word(w, vocabulary) if w else "" for w in words]
            self.cells(f"unknown_{name}", name, np.array([c is None for c in codes], dtype=bool))
            canonical = pa.array([c if c is not None else w for c, w in zip(codes, words, strict=True)], TEXT)
            self.cols[name] = coded.mapped(_constant(canonical))

    def check_v2(self) -> None:
        """Contract v2's optional columns: term, roll-up and area code to their canonical form (bad ones
        reported), and the breakdown — its own column and the dimension columns (Giới tính: Nữ) — to one
        canonical 'dim=value; …' text per row."""
        for name, (canonical_of, code) in CANONICAL.items():
            if name not in self.index:
                continue
            coded = self.cols[name]
            words = coded.values()
            codes = [canonical_of(w) if w else "" for w in words]
            self.cells(code, name, np.array([c is None for c in codes], dtype=bool))
            self.cols[name] = coded.mapped(_constant(pa.array([c if c is not None else w for c, w in
                                                               zip(codes, words, strict=True)], TEXT)))
        dims = [d for d in BREAKDOWN_DIMENSIONS if d in self.index]
        if "breakdown" not in self.index and not dims:
            return
        base = self.col("breakdown")
        parsed: list[dict[str, str] | None] = []
        for text in base.values():
            try:
                parsed.append(parse_breakdown(text))
            except ValueError:
                parsed.append(None)
        self.cells("bad_breakdown", "breakdown", np.array([p is None for p in parsed], dtype=bool))
        key = combine(base.codes, *(self.cols[d].codes for d in dims))
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        texts, conflicts = [], np.zeros(len(first), dtype=bool)
        for i, r in enumerate(first):
            pairs = parsed[base.codes[r]]
            if pairs is None:
                texts.append(base.values()[base.codes[r]])
                continue
            pairs = dict(pairs)
            for d in dims:
                value = self.cols[d].text_of(np.array([r]))[0]
                if value:
                    conflicts[i] |= pairs.get(d, value) != value
                    pairs[d] = value
            texts.append(breakdown_text(pairs))
        self.cols["breakdown"] = Coded(inverse.reshape(-1).astype(np.int32), pa.array(texts, TEXT))
        if conflicts.any():
            self.report("bad_breakdown", "breakdown" if "breakdown" in self.index else dims[0],
                        self.active & conflicts[inverse.reshape(-1)])

    def check_periods(self) -> np.ndarray:
        """period_end per row (NaT when empty or not a period)."""
        coded = self.col("period")
        ends = parse_periods(coded.values())
        texts = np.array(coded.values(), dtype=object)
        self.cells("bad_period", "period", np.isnat(ends) & (texts != ""))
        return ends[coded.codes]

    def check_numbers(self, decimal: str | None) -> Numbers:
        """Read value and of_total under one decimal convention for the file (see parsing)."""
        parsed: dict[str, tuple[Coded, NumberCells, np.ndarray]] = {}
        for name in ("value", "of_total"):
            coded = self.col(name)
            numeric = self.raw.numeric.get(self.index.get(name, -1), np.zeros(self.n, dtype=bool))
            parsed[name] = (coded, classify_numbers(coded.uniques), numeric)
        evidence = {sep: {name: self.active & ~num & getattr(cells, f"{kind}_only")[c.codes]
                          for name, (c, cells, num) in parsed.items()}
                    for sep, kind in ((",", "comma"), (".", "point"))}
        counts = {sep: sum(int(m.sum()) for m in by_col.values()) for sep, by_col in evidence.items()}
        conflict = decimal is None and counts[","] > 0 and counts["."] > 0
        if conflict:
            self._conflict(evidence, counts)
        elif decimal is None:
            decimal = "," if counts[","] else "." if counts["."] else None
        needs = conflict
        values: dict[str, np.ndarray] = {}
        for name, (coded, cells, numeric) in parsed.items():
            ok = cells.comma if decimal == "," else cells.point if decimal == "." else cells.comma | cells.point
            if decimal is None:
                needs |= self._ambiguous(name, cells, numeric)
                ok = ok & ~cells.ambiguous
            with_comma, with_point = cells.values(","), cells.values(".")
            chosen = with_comma if decimal == "," else with_point if decimal == "." else \
                np.where(cells.ambiguous, np.nan, np.where(cells.comma_only, with_comma, with_point))
            values[name] = np.where(numeric, with_point[coded.codes], chosen[coded.codes])
            bad = self.active & ~numeric & ~cells.empty[coded.codes] & ~(ok | cells.ambiguous)[coded.codes]
            if conflict:
                bad &= ~(cells.comma_only | cells.point_only)[coded.codes]
            if name == "of_total":
                bad |= self.active & (cells.qualifier != 0)[coded.codes]
            convention = pair("check_decimal_named", decimal=decimal) if decimal else ""
            self.report("bad_number", name, bad, {"convention": convention})
            huge = self.active & np.isinf(values[name])  # '1' followed by 400 zeros reads as +inf
            if huge.any():
                self.report("number_out_of_range", name, huge)
                values[name] = np.where(huge, np.nan, values[name])
        value_coded, value_cells, _ = parsed["value"]
        qualifier = pa.array(QUALIFIERS, TEXT).take(pa.array(value_cells.qualifier[value_coded.codes]))
        return Numbers(values, qualifier, decimal, needs)

    def _ambiguous(self, name: str, cells: NumberCells, numeric: np.ndarray) -> bool:
        codes = self.col(name).codes
        mask = self.active & ~numeric & cells.ambiguous[codes]
        with_comma, with_point = cells.values(","), cells.values(".")

        def readings(rows: np.ndarray) -> list[dict[str, object]]:
            return [{"as_comma": (_plain(with_comma[c], ","), _plain(with_comma[c], ".")),
                     "as_point": (_plain(with_point[c], ","), _plain(with_point[c], "."))} for c in codes[rows]]

        self.report("ambiguous_number", name, mask, readings)
        return bool(mask.any())

    def _conflict(self, evidence: dict[str, dict[str, np.ndarray]], counts: dict[str, int]) -> None:
        """Both conventions appear: name the cells of the minority (both sides on a tie)."""
        for this, other in ((",", "."), (".", ",")):
            if counts[this] > counts[other]:
                continue
            first_name, first_mask = next((n, m) for n, m in evidence[other].items() if m.any())
            first = int(np.flatnonzero(first_mask)[0])
            for name, mask in evidence[this].items():
                self.report("conflicting_decimal", name, mask, {
                    "this": this, "other": other, "n_other": counts[other], "other_row": int(self.rows[first]),
                    "other_value": self.col(first_name).text_of(np.array([first]))[0]})

    # --- row rules --------------------------------------------------------------------------------
    def check_per_indicator(self) -> None:
        """Empty cells take the indicator's value from its other rows; two different values are an error."""
        if "indicator_id" not in self.index:
            return
        ids = self.col("indicator_id").codes
        for name in PER_INDICATOR:
            if name not in self.index:
                continue
            coded = self.cols[name]
            known = np.array([v in DIRECTIONS if name == "direction" else v != "" for v in coded.values()], dtype=bool)
            filled = self.active & known[coded.codes]  # unknown directions are reported once, not twice
            group_ids, first_rows = first_of(ids, np.flatnonzero(filled))
            first_row = np.full(len(self.col("indicator_id").uniques), -1, dtype=np.int64)
            first_row[group_ids] = first_rows
            reference = first_row[ids]
            has_ref = reference >= 0
            reference_code = np.where(has_ref, coded.codes[np.maximum(reference, 0)], -1)

            def others(rows: np.ndarray, coded: Coded = coded, reference: np.ndarray = reference) -> list[dict[str, object]]:
                return [{"indicator_id": i, "other_value": v, "other_row": int(self.rows[r])}
                        for i, v, r in zip(self.col("indicator_id").text_of(rows), coded.text_of(reference[rows]),
                                           reference[rows], strict=True)]

            self.report("inconsistent_indicator", name, filled & (coded.codes != reference_code), others)
            fill = self.active & coded.is_empty() & has_ref
            if fill.any():
                codes = coded.codes.copy()
                codes[fill] = reference_code[fill]
                self.cols[name] = Coded(codes, coded.uniques)

    def check_required(self) -> None:
        for col in COLUMNS:
            if col.required and col.name != "indicator_id" and col.name in self.index:
                self.report("missing_value", col.name, self.active & self.cols[col.name].is_empty(),
                            {"label": (col.label_vi, col.label_en)})

    def check_targets(self) -> None:
        kind = self.col("kind")
        target = np.array([v == "target" for v in kind.values()], dtype=bool)[kind.codes]
        ids = self.col("indicator_id")
        self.report("target_without_direction", "direction", self.active & target & self.col("direction").is_empty(),
                    lambda rows: [{"indicator_id": i} for i in ids.text_of(rows)])

    def check_duplicates(self, period_end: np.ndarray) -> None:
        """(indicator_id, area, breakdown, period, kind, term) once: '2023' and '31/12/2023' are the same
        period."""
        if "indicator_id" not in self.index:
            return
        area, kind = self.col("area"), self.col("kind")
        kind_known = np.array([v in KINDS for v in kind.values()], dtype=bool)
        part = self.active & ~np.isnat(period_end) & kind_known[kind.codes] & ~area.is_empty()
        rows = np.flatnonzero(part)
        if rows.size < 2:
            return
        period_code, _ = pd.factorize(period_end[rows])
        key = combine(self.col("indicator_id").codes[rows], area.codes[rows], self.col("breakdown").codes[rows],
                      np.asarray(period_code), kind.codes[rows], self.col("term").codes[rows])
        later = pd.Series(key).duplicated().to_numpy()
        if not later.any():
            return
        first_by_key = pd.Series(rows).groupby(key).transform("first").to_numpy()
        mask = np.zeros(self.n, dtype=bool)
        mask[rows[later]] = True
        first_of_row = np.zeros(self.n, dtype=np.int64)
        first_of_row[rows] = first_by_key
        key_columns = [n for n in KEY if n in self.cols]
        self.report("duplicate_key", None, mask,
                    lambda dup: [{"first_row": int(self.rows[f])} for f in first_of_row[dup]],
                    lambda dup: [" | ".join(p) for p in zip(*(self.col(n).text_of(dup) for n in key_columns),
                                                            strict=True)])

    def required_present(self) -> bool:
        return all(c.name in self.index for c in COLUMNS if c.required)
