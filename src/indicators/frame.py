"""The dataset frame that validation produces and the store keeps: its columns, dtypes and a check.

One row per contract row, in the file's order::

    row | indicator_id … note (contract.COLUMN_NAMES) | qualifier | period_end

`row` is the Excel row number of the source row (header = row 1), text columns are pandas `str` with ""
for empty, `value`/`of_total` are float64 with NaN for empty, `qualifier` is one of contract.QUALIFIERS
and `period_end` is the day the period ends (datetime64[ns], midnight).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from indicators import contract

FRAME_COLUMNS: tuple[str, ...] = ("row", *contract.COLUMN_NAMES, "qualifier", "period_end")
#: The key of a series (indicator, area, breakdown): what the progress engine summarises.
SERIES: tuple[str, ...] = contract.SERIES
FLOAT_COLUMNS: tuple[str, ...] = ("value", "of_total")
TEXT_COLUMNS: tuple[str, ...] = tuple(
    c for c in FRAME_COLUMNS if c not in ("row", "period_end", *FLOAT_COLUMNS)
)
#: Columns whose change makes a row "changed" (the key, the Excel row and the derived date do not).
COMPARED_COLUMNS: tuple[str, ...] = tuple(
    c for c in (*contract.COLUMN_NAMES, "qualifier") if c not in contract.KEY
)
DATETIME_DTYPE = "datetime64[ns]"


def dtypes() -> dict[str, Any]:
    """The dtype of every frame column, in order."""
    out: dict[str, Any] = {}
    for name in FRAME_COLUMNS:
        if name == "row":
            out[name] = np.dtype("int64")
        elif name == "period_end":
            out[name] = np.dtype(DATETIME_DTYPE)
        elif name in FLOAT_COLUMNS:
            out[name] = np.dtype("float64")
        else:
            out[name] = pd.StringDtype(na_value=np.nan)
    return out


def empty_frame() -> pd.DataFrame:
    """A frame with no rows and the exact columns and dtypes."""
    return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in dtypes().items()})


def conform(frame: pd.DataFrame) -> pd.DataFrame:
    """Check the columns and cast to the exact dtypes; raise ValueError naming what is wrong.

    Contract v2's columns a v1 frame lacks are added empty; other extra or missing columns are refused
    rather than guessed; compatible dtypes (object text, int32
    rows, datetime64[us]) are cast, so what the store returns equals what validation produced.
    """
    absent_v2 = [c for c in contract.V2_COLUMNS if c not in frame.columns]
    if absent_v2:  # a frame made to contract v1 is a v2 frame without its optional columns
        frame = frame.assign(**dict.fromkeys(absent_v2, ""))
    missing = [c for c in FRAME_COLUMNS if c not in frame.columns]
    extra = [c for c in frame.columns if c not in FRAME_COLUMNS]
    if missing or extra:
        raise ValueError(f"dataset frame columns: missing {missing}, unexpected {extra}")
    frame = frame.loc[:, list(FRAME_COLUMNS)]
    wanted = dtypes()
    casts = {c: t for c, t in wanted.items() if frame[c].dtype != t}
    if casts:
        try:
            frame = frame.astype(casts)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"dataset frame dtypes: {exc}") from exc
    if not frame.index.equals(pd.RangeIndex(len(frame))):
        frame = frame.reset_index(drop=True)
    return frame
