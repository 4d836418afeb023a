"""The figures of a report table as written, read cell by cell into contract text (value, of_total, note).

| written | value | of_total | note |
| --- | --- | --- | --- |
| `57,2` | `57,2` | | |
| `15/23` | `15` | `23` | |
| `< 1,5`, `≥ 95`, `trên 90` | kept as written (the shared validation reads the qualifier) | | |
| `3,10*`, `3,10 (*)` | `3,10` | | `*` and the footnote's text when the table has one |
| `8 - 9`, `từ 8 đến 9` | `>= 8` (a range: at least its lower bound; `<= 9` for a decreasing indicator) | | `8 - 9` (the range as written) |
| `-`, `..`, `…`, `x`, empty | no figure: no row, no issue | | |
| `Đạt`, `Tăng bình quân 10%/năm` | not converted: a warning `unconverted_cell` naming the cell | | |

Plain numbers (nearly every cell) are recognised by one vectorised regex pass; only the rest goes
through Python.

>>> forms = read_cells(["12,5", "-", "15/23", "3,10*", "8 - 9", "Đạt"])
>>> forms.keep.tolist(), forms.value.to_pylist(), forms.of_total, forms.marker, forms.bad.tolist()
([True, False, True, True, True, False], ['12,5', '', '15', '3,10', '>= 8', ''], {2: '23'}, {3: '*'}, [False, False, False, False, False, True])
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from indicators.ingest.cells import classify_numbers

NO_FIGURE = ("", "-", "--", "---", "..", "...", "…", "x", "X", "–", "—", "_", "/", "*")
_PLAIN = r"^-?[0-9][0-9.,]*$"
_MARKER = re.compile(r"^(.*?\d%?)\s*\(?(\*+)\)?$")
_RATIO = re.compile(r"^(\d[\d.,]*)\s*/\s*(\d[\d.,]*)$")
_RANGE = re.compile(r"(?i)^(?:từ\s*)?(\d[\d.,]*)\s*%?\s*(?:-|–|—|÷|đến)\s*(\d[\d.,]*)\s*%?$")


@dataclass
class CellForms:
    """How each cell reads; the rare forms are kept sparse (cell index -> text)."""

    keep: np.ndarray  # a figure (a contract row)
    bad: np.ndarray  # written but not a number: reported
    value: pa.Array  # every cell's value text ("" where there is no figure)
    of_total: dict[int, str]
    marker: dict[int, str]  # footnote marker ("*") after the figure
    note: dict[int, str]  # the range as written
    ranges: dict[int, tuple[str, str]]  # a range's bounds (the value is the lower bound, `>=`)


def read_cells(texts: Sequence[str] | pa.Array) -> CellForms:
    """Read every cell (see the module docstring); `texts` are stripped cell texts."""
    array = texts if isinstance(texts, pa.Array) else pa.array(list(texts), pa.large_string())
    n = len(array)
    none = np.asarray(pc.is_in(array, value_set=pa.array(NO_FIGURE, array.type)).to_numpy(zero_copy_only=False),
                      dtype=bool)
    plain = np.asarray(pc.match_substring_regex(array, _PLAIN).to_numpy(zero_copy_only=False), dtype=bool)
    keep = ~none
    bad = np.zeros(n, dtype=bool)
    of_total: dict[int, str] = {}
    marker: dict[int, str] = {}
    note: dict[int, str] = {}
    ranges: dict[int, tuple[str, str]] = {}
    special = np.flatnonzero(~none & ~plain)
    written = array.take(pa.array(special)).to_pylist() if special.size else []
    values: list[str] = []
    for i, original in zip(special.tolist(), written, strict=True):
        text = original
        found = _MARKER.match(text)
        if found:
            text, marker[i] = found.group(1).strip(), found.group(2)
        ratio, span = _RATIO.match(text), _RANGE.match(text)
        if ratio:
            text, of_total[i] = ratio.group(1), ratio.group(2)
        elif span:
            note[i], text, ranges[i] = original, f">= {span.group(1)}", (span.group(1), span.group(2))
        elif classify_numbers([text]).bad[0]:
            keep[i], bad[i], text = False, True, ""
        values.append(text)
    value = pc.if_else(pa.array(none), pa.scalar("", array.type), array)
    if special.size:
        mask = np.zeros(n, dtype=bool)
        mask[special] = True
        value = pc.replace_with_mask(value, pa.array(mask), pa.array(values, array.type))
    return CellForms(keep, bad, value, of_total, marker, note, ranges)
