"""The store survives what real deployments do to it: a commit killed with SIGKILL halfway, several
processes creating the schema at the same moment, arbitrary content."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text

from indicators import contract
from indicators.frame import conform
from indicators.store.versions import Store, version_rows
from tests.frames import make_frame

ROOT = Path(__file__).resolve().parents[1]
META = {"user": "lan", "comment": "c", "filename": "f.csv", "sha256": "a" * 64}

BIG_COMMIT = """
import sys
from indicators.store.versions import Store
from tests.frames import make_frame
store = Store(sys.argv[1])
frame = make_frame(int(sys.argv[2]), seed=5)
print("ready", flush=True)
store.commit(frame, user="big", comment="big", filename="big.csv", sha256="f" * 64)
print("done", flush=True)
"""


def _python(code: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _writing_started(store: Store, url: str) -> bool:
    """True once the big commit has written a good part of its rows (uncommitted)."""
    if store.dialect == "sqlite":
        wal = Path(url.removeprefix("sqlite:///") + "-wal")
        return wal.exists() and wal.stat().st_size > 8 * 2**20
    with store.engine.connect() as conn:
        copied = conn.execute(text("SELECT max(tuples_processed) FROM pg_stat_progress_copy")).scalar()
    return (copied or 0) > 20_000


def test_sigkill_in_the_middle_of_a_large_commit(store_url: str) -> None:
    first = make_frame(50)
    with Store(store_url) as store:
        store.seed_if_empty(first, source_name="seed.csv", sha256="0" * 64)
        process = _python(BIG_COMMIT, store_url, "300000")
        deadline = time.monotonic() + 120
        while not _writing_started(store, store_url):
            assert process.poll() is None, f"the commit ended before it could be killed: {process.communicate()}"
            assert time.monotonic() < deadline, "the commit never started writing"
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
        out, _err = process.communicate()
        assert process.returncode == -signal.SIGKILL and "done" not in out
    with Store(store_url) as store:
        if store.dialect == "sqlite":
            with store.engine.connect() as conn:
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert store.current_version().version == 1
        pd.testing.assert_frame_equal(store.load(), first, check_exact=True)
        # The next commit waits for the killed transaction to be gone, then takes number 2: the killed
        # version left neither a version row nor any of its rows.
        assert store.commit(make_frame(5), **META).version == 2
        with store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(version_rows)).scalar_one() == 55


SCHEMA = """
import sys, time
from indicators.store.versions import Store
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))
with Store(sys.argv[1]) as store:
    store.ensure_schema()
    assert store.current_version() is None
print("ok")
"""


def test_processes_starting_at_once_create_the_schema_once(store_url: str) -> None:
    start = f"{time.time() + 4.0:.3f}"  # after every process has imported the library
    processes = [_python(SCHEMA, store_url, start) for _ in range(3)]
    results = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0] * 3, results
    with Store(store_url) as store:
        assert store.commit(make_frame(3), **META).version == 1


def _frames() -> st.SearchStrategy[pd.DataFrame]:
    texts = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12)
    floats = st.floats(allow_nan=True, allow_infinity=True)
    dates = st.one_of(st.none(), st.dates(min_value=pd.Timestamp("1700-01-01").date(),
                                          max_value=pd.Timestamp("2250-12-31").date()))
    row = st.tuples(texts, texts, texts, floats, floats, dates,
                    st.sampled_from(contract.QUALIFIERS), st.integers(0, 2**62))
    return st.lists(row, max_size=15).map(_frame_of)


def _frame_of(rows: list[tuple]) -> pd.DataFrame:
    n = len(rows)
    columns = list(zip(*rows, strict=True)) if rows else [[]] * 8
    name, area, note, value, of_total, period_end, qualifier, excel_row = columns
    frame = pd.DataFrame({
        "row": np.asarray(excel_row, dtype="int64"),
        **{c: [f"{c}_{i}" for i in range(n)] for c in contract.COLUMN_NAMES},
    })
    frame["indicator"], frame["area"], frame["note"] = list(name), list(area), list(note)
    frame["value"], frame["of_total"] = np.asarray(value, float), np.asarray(of_total, float)
    frame["qualifier"] = list(qualifier)
    frame["period_end"] = pd.to_datetime(pd.Series(period_end, dtype=object), errors="coerce")
    return conform(frame)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(frame=_frames())
def test_any_content_round_trips(store: Store, frame: pd.DataFrame) -> None:
    info = store.commit(frame, **META)
    pd.testing.assert_frame_equal(store.load(info.version), frame, check_exact=True)
