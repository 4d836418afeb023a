"""Moving a dataset frame in and out of `version_rows` fast, inside the caller's transaction.

SQLAlchemy Core builds ~1 µs of Python objects per value, far too slow for a million rows, so the rows
go through the DBAPI connection that SQLAlchemy's transaction already holds:

- SQLite: `executemany` of a 50-row `INSERT … VALUES (…),(…)` over one flat parameter list, built in
  chunks from factorised columns (each distinct string is one Python object, bound many times).
- PostgreSQL: `COPY … FROM STDIN` (psycopg 3), and `COPY (SELECT …) TO STDOUT (FORMAT csv)` read back
  by pandas' C parser.

Rows of a version occupy the id range [first_id, first_id + n) in file order, so no other index is needed.
Every table and column name in the SQL below comes from `store.tables.version_rows`.
"""

from __future__ import annotations

import gc
import io
import itertools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
from sqlalchemy import Column

from indicators.frame import (
    DATETIME_DTYPE,
    FLOAT_COLUMNS,
    FRAME_COLUMNS,
    TEXT_COLUMNS,
    conform,
    empty_frame,
)
from indicators.store.tables import version_rows

CHUNK_ROWS = 100_000
SQLITE_ROWS_PER_STATEMENT = 40  # 40 x 23 bound values stays under SQLite's oldest limit of 999


def _names(*columns: Column[Any]) -> str:
    """Quoted column names for SQL text (double quotes: standard SQL, SQLite and PostgreSQL alike)."""
    return ", ".join(f'"{c.name}"' for c in columns)


_C = version_rows.c
_TABLE = f'"{version_rows.name}"'
_ID, _VERSION_ID = _names(_C.id), _names(_C.version_id)
_FRAME = _names(*(_C[name] for name in FRAME_COLUMNS))  # the frame's columns, in the frame's order
_TEXTS = _names(*(_C[name] for name in TEXT_COLUMNS))
_RANGE = f"{_ID} BETWEEN ? AND ? ORDER BY {_ID}"  # a version's rows, in file order (SQLite parameters)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Millions of short-lived tuples make the cyclic GC run constantly; none of them form cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def python_columns(frame: pd.DataFrame, *, none_for_nan: bool) -> list[list[Any]]:
    """Columns of `frame` as Python lists ready to bind: text as shared str objects (NA -> None),
    dates as ISO 'YYYY-MM-DD' (NaT -> None), floats as float (NaN kept, or None if `none_for_nan`)."""
    out: list[list[Any]] = []
    for name in FRAME_COLUMNS:
        series = frame[name]
        if name in TEXT_COLUMNS or name == "period_end":
            codes, uniques = pd.factorize(series)  # NA gets code -1 ...
            if name == "period_end":
                labels = np.datetime_as_string(np.asarray(uniques, dtype=DATETIME_DTYPE), unit="D")
            else:
                labels = np.asarray(uniques, dtype=object)
                if any("\x00" in label for label in labels if isinstance(label, str)):
                    raise ValueError(f"column {name!r} contains a NUL character")  # PostgreSQL refuses it
            lookup = np.concatenate([labels.astype(object), np.array([None], dtype=object)])  # ... -> None
            out.append(lookup[codes].tolist())
        elif name in FLOAT_COLUMNS and none_for_nan:
            values = series.to_numpy()
            objects = values.astype(object)
            objects[np.isnan(values)] = None
            out.append(objects.tolist())
        else:
            out.append(series.tolist())
    return out


def _chunks(frame: pd.DataFrame) -> Iterator[tuple[int, pd.DataFrame]]:
    for start in range(0, len(frame), CHUNK_ROWS):
        yield start, frame.iloc[start : start + CHUNK_ROWS]


def write_sqlite(dbapi_conn: Any, frame: pd.DataFrame, *, version_id: int, first_id: int) -> None:
    """Insert `frame` as the rows of `version_id` through a sqlite3 connection already in a transaction
    that holds the write lock (BEGIN IMMEDIATE), with `first_id` = the largest id + 1.

    The id is left to SQLite, which gives each new row the largest rowid + 1: under the write lock the
    rows get exactly [first_id, first_id + n), checked at the end. With the version id written into the
    statement, one value less is bound per row (about 5% less time). SQLite stores a bound
    NaN as NULL, so floats are bound as they are (binding None is much slower).
    """
    ncol = len(FRAME_COLUMNS)
    one = f"({int(version_id)}, " + ", ".join(["?"] * ncol) + ")"
    insert = f"INSERT INTO {_TABLE} ({_VERSION_ID}, {_FRAME}) VALUES "
    many_sql = insert + ", ".join([one] * SQLITE_ROWS_PER_STATEMENT)
    step = SQLITE_ROWS_PER_STATEMENT * ncol
    cursor = dbapi_conn.cursor()
    with _gc_paused():
        for _start, part in _chunks(frame):
            n = len(part)
            flat: list[Any] = [None] * (n * ncol)
            for j, column in enumerate(python_columns(part, none_for_nan=False)):
                flat[j::ncol] = column
            whole = (n // SQLITE_ROWS_PER_STATEMENT) * step
            cursor.executemany(many_sql, (flat[i : i + step] for i in range(0, whole, step)))
            cursor.executemany(insert + one, (flat[i : i + ncol] for i in range(whole, n * ncol, ncol)))
    last = cursor.execute(f"SELECT max({_ID}) FROM {_TABLE}").fetchone()[0]
    cursor.close()
    if len(frame) and last != first_id + len(frame) - 1:
        raise RuntimeError(f"{version_rows.name} ids are not contiguous: expected {first_id}.., got last {last}")


def write_postgres(dbapi_conn: Any, frame: pd.DataFrame, *, version_id: int, first_id: int) -> None:
    """COPY `frame` into version_rows through a psycopg 3 connection already in a transaction."""
    sql = f"COPY {_TABLE} ({_ID}, {_VERSION_ID}, {_FRAME}) FROM STDIN"
    with _gc_paused(), dbapi_conn.cursor() as cursor, cursor.copy(sql) as copy:
        for start, part in _chunks(frame):
            n = len(part)
            ids = range(first_id + start, first_id + start + n)
            columns = python_columns(part, none_for_nan=True)
            for record in zip(ids, itertools.repeat(version_id, n), *columns, strict=True):
                copy.write_row(record)


def _text(codes: np.ndarray, uniques: Any) -> Any:
    """Repeated strings become one arrow string each, then a C-level take (NA where code is -1)."""
    return pd.array(np.asarray(uniques, dtype=object), dtype="str").take(codes, allow_fill=True)


def _dates(codes: np.ndarray, uniques: Any) -> Any:
    dates = pd.DatetimeIndex(pd.to_datetime(np.asarray(uniques, dtype=object), format="%Y-%m-%d"))
    return dates.astype(DATETIME_DTYPE).take(codes, allow_fill=True, fill_value=None)


def frame_from_columns(columns: Sequence[Sequence[Any]]) -> pd.DataFrame:
    """Build the exact dataset frame from per-column sequences of Python values, as fetched."""
    data: dict[str, Any] = {}
    for name, values in zip(FRAME_COLUMNS, columns, strict=True):
        if name == "row":
            data[name] = np.asarray(values, dtype="int64")
        elif name in FLOAT_COLUMNS:
            data[name] = np.asarray(values, dtype="float64")  # None -> NaN
        else:
            codes, uniques = pd.factorize(np.asarray(values, dtype=object))
            data[name] = _dates(codes, uniques) if name == "period_end" else _text(codes, uniques)
    return conform(pd.DataFrame(data))


_SEPARATOR = "\x1f"  # ASCII "unit separator": joins a row's text in SQL; split again in arrow


def read_sqlite(dbapi_conn: Any, first_id: int, count: int) -> pd.DataFrame:
    """Rows [first_id, first_id + count) of version_rows, in order, as the dataset frame.

    Building Python objects is most of the cost of a fetch, so SQLite joins each row's 13 texts into
    one (as undecoded bytes) and arrow splits them again. If a text contains the separator itself,
    the rows are fetched again column by column.
    """
    fmt = _SEPARATOR.join(["%s"] * len(TEXT_COLUMNS))  # printf: one allocation, unlike ||
    joined = f"printf('{fmt}', {_TEXTS})"
    rest = _names(_C.value, _C.of_total, _C.period_end)  # _split_rows reads them in this order
    factory, dbapi_conn.text_factory = dbapi_conn.text_factory, bytes
    try:
        cursor = dbapi_conn.execute(
            f"SELECT {_names(_C.row)}, {joined}, {rest} FROM {_TABLE} WHERE {_RANGE}",
            (first_id, first_id + count - 1),
        )
        parts, complete = [], True
        with _gc_paused():
            while rows := cursor.fetchmany(CHUNK_ROWS):
                part = _split_rows(rows)
                if part is None:
                    complete = False
                    break
                parts.append(part)
        cursor.close()
    finally:
        dbapi_conn.text_factory = factory
    return _concat(parts) if complete else _read_sqlite_by_column(dbapi_conn, first_id, count)


def _split_rows(rows: list[tuple[Any, ...]]) -> pd.DataFrame | None:
    excel_row, joined, value, of_total, period_end = zip(*rows, strict=True)
    pieces = pc.split_pattern(pa.array(joined, pa.binary()).cast(pa.string()), _SEPARATOR)
    lengths = pc.list_value_length(pieces)
    k, n = len(TEXT_COLUMNS), len(rows)
    if pieces.null_count or pc.min(lengths).as_py() != k or pc.max(lengths).as_py() != k:
        return None
    texts = pc.list_flatten(pieces)
    data: dict[str, Any] = {name: pd.array(texts.take(np.arange(j, n * k, k)), dtype="str")
                            for j, name in enumerate(TEXT_COLUMNS)}
    data["row"] = np.asarray(excel_row, dtype="int64")
    data["value"] = np.asarray(value, dtype="float64")
    data["of_total"] = np.asarray(of_total, dtype="float64")
    codes, uniques = pd.factorize(np.asarray(period_end, dtype=object))
    data["period_end"] = _dates(codes, [u.decode() for u in uniques])
    return conform(pd.DataFrame(data)[list(FRAME_COLUMNS)])


def _read_sqlite_by_column(dbapi_conn: Any, first_id: int, count: int) -> pd.DataFrame:
    cursor = dbapi_conn.cursor()
    cursor.execute(f"SELECT {_FRAME} FROM {_TABLE} WHERE {_RANGE}", (first_id, first_id + count - 1))
    parts = []
    with _gc_paused():
        while rows := cursor.fetchmany(CHUNK_ROWS):
            parts.append(frame_from_columns(list(zip(*rows, strict=True))))
    cursor.close()
    return _concat(parts)


def read_postgres(dbapi_conn: Any, first_id: int, count: int) -> pd.DataFrame:
    """Rows [first_id, first_id + count) of version_rows via COPY … TO STDOUT (FORMAT csv), parsed by
    arrow's CSV reader with every column's type given (text stays text: "00" is not 0).

    In PostgreSQL's CSV an empty string is written `""` and NULL as nothing; text columns are NOT NULL,
    so only the float columns and period_end read an empty field as missing.
    """
    sql = (
        f"COPY (SELECT {_FRAME} FROM {_TABLE} WHERE {_ID} BETWEEN {int(first_id)} "
        f"AND {int(first_id + count - 1)} ORDER BY {_ID}) TO STDOUT (FORMAT csv)"
    )
    buffer = io.BytesIO()
    with dbapi_conn.cursor() as cursor, cursor.copy(sql) as copy:
        for block in copy:
            buffer.write(block)
    if buffer.tell() == 0:
        return empty_frame()
    buffer.seek(0)
    types = {name: pa.string() for name in TEXT_COLUMNS} | {
        "row": pa.int64(), "value": pa.float64(), "of_total": pa.float64(), "period_end": pa.date32()}
    table = pa_csv.read_csv(
        buffer,
        read_options=pa_csv.ReadOptions(column_names=list(FRAME_COLUMNS)),
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(column_types=types, strings_can_be_null=False,
                                              quoted_strings_can_be_null=False),
    )
    data: dict[str, Any] = {}
    for name in FRAME_COLUMNS:
        column = table.column(name)
        if name in TEXT_COLUMNS:
            data[name] = pd.array(column, dtype="str")
        elif name == "period_end":
            data[name] = pd.to_datetime(column.to_numpy()).astype(DATETIME_DTYPE)
        else:
            data[name] = column.to_numpy()
    return conform(pd.DataFrame(data))


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    if not parts:
        return empty_frame()
    if len(parts) == 1:
        return parts[0]
    return conform(pd.concat(parts, ignore_index=True))
