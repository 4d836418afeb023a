"""The versioned store, on SQLite and on PostgreSQL: versions, pointer, atomic commits, rollback."""

from __future__ import annotations

import json
import threading

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select, text

from indicators.frame import FRAME_COLUMNS
from indicators.store import rows as bulk
from indicators.store.versions import (
    ConcurrentCommitError,
    Store,
    VersionNotFound,
    engine_url,
    version_rows,
    versions,
)
from tests.frames import make_frame

META = {"user": "lan", "comment": "year-end figures", "filename": "so_lieu.csv", "sha256": "a" * 64}


def assert_same(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(actual, expected.reset_index(drop=True), check_exact=True)


def row_count(store: Store, version: int | None = None) -> int:
    query = select(func.count()).select_from(version_rows)
    if version is not None:
        query = query.where(version_rows.c.version_id == version)
    with store.engine.connect() as conn:
        return conn.execute(query).scalar_one()


def version_count(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(versions)).scalar_one()


def test_empty_store_has_no_version(store: Store) -> None:
    assert store.current_version() is None
    assert store.history() == []
    with pytest.raises(VersionNotFound):
        store.load()
    with pytest.raises(VersionNotFound):
        store.load(1)


def test_seed_only_when_empty(store: Store) -> None:
    frame = make_frame(60)
    info = store.seed_if_empty(frame, source_name="kim_son.csv", sha256="b" * 64)
    assert info is not None and (info.version, info.mode, info.rows, info.new) == (1, "seed", 60, 60)
    assert store.seed_if_empty(make_frame(5, seed=1), source_name="x.csv", sha256="c" * 64) is None
    assert store.current_version() == info
    assert_same(store.load(), frame)


def test_ensure_schema_is_idempotent(store_url: str) -> None:
    for _ in range(2):
        with Store(store_url) as store:
            store.ensure_schema()
            store._schema_ready = False
            store.ensure_schema()
    with Store(store_url) as store:
        assert store.current_version() is None


def test_replace_counts_and_every_version_loads_back(store: Store) -> None:
    first = make_frame(80)
    store.seed_if_empty(first, source_name="seed.csv", sha256="0" * 64)
    second = pd.concat([first.iloc[10:], make_frame(96)[80:]], ignore_index=True)  # 10 gone, 16 new
    second.loc[0, "value"] = 1234.5
    second.loc[1, "qualifier"] = "<"
    second.loc[2, "source"] = "Cục Thống kê"
    info = store.commit(second, mode="replace", expected_current=1, **META)
    assert (info.version, info.parent, info.rows) == (2, 1, 86)
    assert (info.new, info.changed, info.unchanged, info.removed) == (16, 3, 67, 10)
    assert (info.user, info.comment, info.filename, info.sha256) == tuple(META.values())
    assert_same(store.load(), second)
    assert_same(store.load(1), first)
    assert_same(store.load(2), second)


def test_update_upserts_by_key_in_place(store: Store) -> None:
    first = make_frame(40)
    store.seed_if_empty(first, source_name="seed.csv", sha256="0" * 64)
    patch = pd.concat([first.iloc[[5, 3]], make_frame(44)[40:]], ignore_index=True)
    patch.loc[0, "value"] = -7.25
    info = store.commit(patch, mode="update", **META)
    assert (info.new, info.changed, info.unchanged, info.removed, info.rows) == (4, 1, 1, 0, 44)
    expected = pd.concat([first, make_frame(44)[40:]], ignore_index=True)
    expected.loc[5] = patch.loc[0]
    expected.loc[3] = patch.loc[1]
    assert_same(store.load(), expected)


def test_history_newest_first_and_json(store: Store) -> None:
    store.seed_if_empty(make_frame(10), source_name="seed.csv", sha256="0" * 64)
    store.commit(make_frame(12), **META)
    store.commit(make_frame(14), mode="update", **META)
    history = store.history()
    assert [v.version for v in history] == [3, 2, 1]
    assert [v.mode for v in history] == ["update", "replace", "seed"]
    assert [v.parent for v in history] == [2, 1, None]
    record = json.loads(json.dumps(history[0].to_dict()))
    assert {"version", "created_at", "user", "comment", "rows", "sha256"} <= set(record)
    assert record["created_at"].endswith("+00:00")
    assert history[0].created_at >= history[1].created_at >= history[2].created_at


def test_rollback_is_a_new_version_with_the_old_content(store: Store) -> None:
    first, second = make_frame(30), make_frame(50, seed=3)
    store.seed_if_empty(first, source_name="seed.csv", sha256="0" * 64)
    store.commit(second, **META)
    info = store.rollback(1, user="minh")
    assert (info.version, info.mode, info.restored_from, info.parent, info.rows) == (3, "rollback", 1, 2, 30)
    assert info.sha256 == "0" * 64 and "1" in info.comment
    assert_same(store.load(), first)
    assert_same(store.load(2), second)  # nothing deleted
    assert row_count(store) == 30 + 50 + 30
    with pytest.raises(VersionNotFound):
        store.rollback(9, user="minh")
    assert store.current_version().version == 3


def test_every_version_keeps_exactly_its_rows(store: Store) -> None:
    frames = {1: make_frame(30)}
    store.seed_if_empty(frames[1], source_name="seed.csv", sha256="0" * 64)
    frames[2] = make_frame(45, seed=1)
    store.commit(frames[2], **META)
    store.commit(make_frame(10, seed=2), mode="update", **META)  # the same 10 first keys, new values
    frames[3] = pd.concat([make_frame(10, seed=2), frames[2].iloc[10:]], ignore_index=True)
    store.rollback(2, user="minh")
    frames[4] = frames[2]
    with store.engine.connect() as conn:
        per_version = dict(conn.execute(
            select(version_rows.c.version_id, func.count()).group_by(version_rows.c.version_id)
        ).all())
    assert per_version == {v.version: v.rows for v in store.history()}
    for version, frame in frames.items():
        assert_same(store.load(version), frame)


def test_stale_expected_current_is_refused_and_nothing_written(store: Store) -> None:
    store.seed_if_empty(make_frame(10), source_name="seed.csv", sha256="0" * 64)
    store.commit(make_frame(11), expected_current=1, **META)
    with pytest.raises(ConcurrentCommitError, match="now 2"):
        store.commit(make_frame(12), expected_current=1, **META)
    with pytest.raises(ConcurrentCommitError):
        store.commit(make_frame(12), expected_current=None, **META)
    assert (store.current_version().version, version_count(store), row_count(store)) == (2, 2, 21)


def test_a_constraint_failing_halfway_changes_nothing(store: Store) -> None:
    first = make_frame(50)
    store.seed_if_empty(first, source_name="seed.csv", sha256="0" * 64)
    bad = make_frame(2500)  # the last row has no id: NOT NULL fails after 2,499 rows went in
    bad["indicator_id"] = bad["indicator_id"].astype(object)
    bad.loc[len(bad) - 1, "indicator_id"] = None
    bad["indicator_id"] = bad["indicator_id"].astype("str")
    with pytest.raises(ValueError, match="constraint"):
        store.commit(bad, **META)
    assert (store.current_version().version, version_count(store), row_count(store)) == (1, 1, 50)
    assert_same(store.load(), first)
    assert store.commit(make_frame(7), **META).version == 2  # no gap in version numbers


def test_an_exception_midway_through_the_rows_changes_nothing(store: Store, monkeypatch) -> None:
    first = make_frame(50)
    store.seed_if_empty(first, source_name="seed.csv", sha256="0" * 64)
    name = "write_postgres" if store.dialect == "postgresql" else "write_sqlite"
    real_writer = getattr(bulk, name)

    def write_half_then_fail(conn, frame, **ids):
        real_writer(conn, frame.iloc[: len(frame) // 2], **ids)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(bulk, name, write_half_then_fail)
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.commit(make_frame(400, seed=2), **META)
    assert (store.current_version().version, version_count(store), row_count(store)) == (1, 1, 50)
    assert_same(store.load(), first)


def test_two_commits_at_once_same_base_one_is_refused(store_url: str) -> None:
    with Store(store_url) as setup:
        setup.seed_if_empty(make_frame(20), source_name="seed.csv", sha256="0" * 64)
    frames = [make_frame(3000, seed=1), make_frame(3000, seed=2)]
    barrier, outcomes = threading.Barrier(2), {}

    def commit(i: int) -> None:
        with Store(store_url) as store:
            store.ensure_schema()
            barrier.wait()
            try:
                outcomes[i] = store.commit(frames[i], expected_current=1, **META).version
            except ConcurrentCommitError as exc:
                outcomes[i] = exc

    threads = [threading.Thread(target=commit, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [i for i, outcome in outcomes.items() if outcome == 2]
    losers = [i for i, outcome in outcomes.items() if isinstance(outcome, ConcurrentCommitError)]
    assert len(winners) == 1 and len(losers) == 1
    with Store(store_url) as store:
        assert [v.version for v in store.history()] == [2, 1]
        assert_same(store.load(), frames[winners[0]])
        assert row_count(store) == 20 + 3000


def test_two_commits_at_once_on_latest_both_become_versions(store_url: str) -> None:
    with Store(store_url) as setup:
        setup.seed_if_empty(make_frame(20), source_name="seed.csv", sha256="0" * 64)
    frames = [make_frame(3000, seed=1), make_frame(2000, seed=2)]
    barrier = threading.Barrier(2)

    def commit(i: int) -> None:
        with Store(store_url) as store:
            store.ensure_schema()
            barrier.wait()
            store.commit(frames[i], **META)

    threads = [threading.Thread(target=commit, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with Store(store_url) as store:
        history = store.history()
        assert [v.version for v in history] == [3, 2, 1]
        assert history[0].parent == 2 and history[1].parent == 1
        assert sorted(v.rows for v in history[:2]) == [2000, 3000]
        for info in history:
            assert len(store.load(info.version)) == info.rows


def test_commit_refuses_a_frame_of_the_wrong_shape(store: Store) -> None:
    with pytest.raises(ValueError, match="missing"):
        store.commit(make_frame(5).drop(columns=["qualifier"]), **META)
    with pytest.raises(ValueError, match="mode"):
        store.commit(make_frame(5), mode="append", **META)  # type: ignore[arg-type]
    bad = make_frame(5)
    bad.loc[2, "note"] = "nul \x00 byte"
    with pytest.raises(ValueError, match="NUL"):
        store.commit(bad, **META)
    assert store.current_version() is None


def test_awkward_values_round_trip(store: Store) -> None:
    frame = make_frame(30)
    frame.loc[0, "value"] = np.nan
    frame.loc[1, "value"] = 0.1 + 0.2
    frame.loc[2, "value"] = -1e-300
    frame.loc[3, "value"] = 1.7976931348623157e308
    frame.loc[4, "of_total"] = np.inf
    frame.loc[5, "period_end"] = pd.NaT
    frame.loc[6, "note"] = "\r\n;,\"'\\N \\. NULL"
    frame.loc[7, "source"] = "Tiếng Việt có dấu: ắằẳẵặ ĐƯỢC 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀"
    frame.loc[8, "indicator_en"] = " leading and trailing spaces "
    frame.loc[9, "group"] = "unit\x1fseparator"  # the separator SQLite reads join texts with
    store.commit(frame, **META)
    assert_same(store.load(), frame)
    store.commit(frame.drop(index=9), **META)  # without it, the fast path
    assert_same(store.load(), frame.drop(index=9))


def test_empty_frame_is_a_version_too(store: Store) -> None:
    store.seed_if_empty(make_frame(5), source_name="seed.csv", sha256="0" * 64)
    info = store.commit(make_frame(0), **META)
    assert (info.rows, info.removed) == (0, 5)
    loaded = store.load()
    assert list(loaded.columns) == list(FRAME_COLUMNS) and len(loaded) == 0
    assert_same(store.load(1), make_frame(5))


def test_sqlite_settings(tmp_path) -> None:
    with Store(f"sqlite:///{tmp_path / 'deep' / 'folder' / 's.sqlite'}") as store:
        store.ensure_schema()
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 10_000


def test_from_env(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("INDICATORS_DATABASE_URL", raising=False)
    monkeypatch.setenv("INDICATORS_VAR_DIR", str(tmp_path / "var"))
    with Store.from_env() as store:
        store.ensure_schema()
    assert (tmp_path / "var" / "indicators.sqlite").exists()
    monkeypatch.setenv("INDICATORS_DATABASE_URL", f"sqlite:///{tmp_path / 'other.sqlite'}")
    with Store.from_env() as store:
        assert store.dialect == "sqlite" and store.current_version() is None
    assert (tmp_path / "other.sqlite").exists()


@pytest.mark.parametrize(("given", "expected"), [
    ("postgresql://u@h:5/db", "postgresql+psycopg://u@h:5/db"),
    ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ("sqlite:////var/x.sqlite", "sqlite:////var/x.sqlite"),
])
def test_engine_url(given: str, expected: str) -> None:
    assert engine_url(given) == expected


def test_the_row_codec_takes_every_sql_name_from_tables_py() -> None:
    """rows.py writes its SQL as text (for speed), but no table or column name in it is a literal: they
    come from store.tables.version_rows, so renaming one there renames it in every statement."""
    import ast
    import re
    from pathlib import Path

    from indicators.store.tables import metadata

    tree = ast.parse(Path(bulk.__file__).read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    sql = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
           and id(node) not in docstrings and re.search(r"\b(SELECT|INSERT|COPY|FROM|WHERE|ORDER BY)\b", node.value)]
    assert len(sql) >= 8, sql  # the statements are found ...
    names = {table.name for table in metadata.tables.values()} | {c.name for c in version_rows.columns}
    for piece in sql:  # ... and name nothing themselves
        assert not {word for word in re.findall(r"\w+", piece) if word in names}, piece


def test_checkpoints_requested_from_many_threads_never_join_an_unstarted_thread(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Sign-in attempts and commits in several server threads each ask for a WAL checkpoint: one thread
    joined another's checkpoint thread before it was started ("cannot join thread before it is started")."""
    store = Store(f"sqlite:///{tmp_path / 's.sqlite'}")
    store.ensure_schema()
    errors: list[BaseException] = []
    start = threading.Barrier(12)

    def ask() -> None:
        start.wait()
        try:
            for _ in range(30):
                store._checkpoint_soon()
                store.flush()
        except BaseException as exc:  # noqa: BLE001 — the failure is the point
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store.close()
    assert errors == []
