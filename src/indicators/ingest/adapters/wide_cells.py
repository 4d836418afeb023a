"""The figures of a report table as written, read cell by cell into contract text (value, of_total, note).

| written | value | of_total | note |
| --- | --- | --- | --- |
| `57,2` | `57,2` | | |
| `15/23` | `15` | `23` | |
| `< 1,5`, `≥ 95`, `trên 90` | kept as written (the shared validation reads the qualifier) | | |
| `3,10*`, `3,10 (*)` | `3,10` | | `*` and the footnote's text when the table has one |
| `8 - 9`, `từ 8 đến 9` | `>= 8` (a range: its lower bound, at least) | | `8 - 9` (the range as written) |
| `-`, `..`, `…`, `x`, empty | no figure: no row, no issue | | |
| `Đạt`, `Tăng bình quân 10%/năm` | not converted: a warning `unconverted_cell` naming the cell | | |

Plain numbers (nearly every cell) are recognised by one vectorised regex pass; only the rest goes
through Python.

>>> forms = read_cells(["12,5", "-", "15/23", "3,10*", "8 - 9", "Đạt"])
>>> forms.keep.tolist(), forms.value, forms.of_total[2], forms.marker[3], forms.bad.tolist()
([True, False, True, True, True, False], ['12,5', '', '15', '3,10', '>= 8', ''], '23', '*', [False, False, False, False, False, True])
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
    keep: np.ndarray  # a figure (a contract row)
    bad: np.ndarray  # written but not a number: reported
    value: list[str]
    of_total: list[str]
    marker: list[str]  # footnote marker ("*") after the figure
    note: list[str]  # the range as written


def read_cells(texts: Sequence[str] | np.ndarray) -> CellForms:
    """Read every cell (see the module docstring); `texts` are stripped cell texts."""
    array = pa.array(list(texts) if not isinstance(texts, list) else texts, pa.large_string())
    n = len(array)
    none = np.asarray(pc.is_in(array, value_set=pa.array(NO_FIGURE, pa.large_string())).to_numpy(zero_copy_only=False),
                      dtype=bool)
    plain = np.asarray(pc.match_substring_regex(array, _PLAIN).to_numpy(zero_copy_only=False), dtype=bool)
    keep = ~none
    bad = np.zeros(n, dtype=bool)
    value: list[str] = array.to_pylist() if n else []
    for i in np.flatnonzero(none):
        value[i] = ""
    of_total = [""] * n
    marker = [""] * n
    note = [""] * n
    for i in np.flatnonzero(~none & ~plain):
        text = value[i]
        found = _MARKER.match(text)
        if found:
            text, marker[i] = found.group(1).strip(), found.group(2)
        ratio, span = _RATIO.match(text), _RANGE.match(text)
        if ratio:
            text, of_total[i] = ratio.group(1), ratio.group(2)
        elif span:
            note[i], text = value[i], f">= {span.group(1)}"
        elif classify_numbers([text]).bad[0]:
            keep[i], bad[i], text = False, True, ""
        value[i] = text
    return CellForms(keep, bad, value, of_total, marker, note)
