"""Stage, then commit (SQLite and PostgreSQL): a commit writes exactly the staged preview against its base
version, or nothing at all."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators.present.export import to_csv_bytes
from indicators.store import staging
from indicators.store.versions import ConcurrentCommitError, Store
from tests.frames import make_frame

META = {"user": "lan", "comment": "cuối năm", "filename": "so_lieu.csv", "sha256": "a" * 64}


def _csv(frame: pd.DataFrame) -> bytes:
    return to_csv_bytes(frame.assign(source="Cục Thống kê"))


def test_stage_on_an_empty_store_then_commit(store: Store) -> None:
    data = _csv(make_frame(40))
    staged = staging.stage(store, data, "dau.csv")
    assert staged.valid and staged.base is None and staged.counts()["new"] == 40
    assert staged.sha256 == staging.sha256(data) and staged.key.base is None
    info = staging.commit(store, staged, user="lan", comment="đầu tiên")
    assert (info.version, info.new, info.sha256, info.filename) == (1, 40, staged.sha256, "dau.csv")
    pd.testing.assert_frame_equal(store.load(), staged.dry_run.result.reset_index(drop=True), check_exact=True)


def test_a_stale_stage_is_refused_and_nothing_is_written(store: Store) -> None:
    store.commit(make_frame(40), **META)
    staged = staging.stage(store, _csv(make_frame(40).assign(value=1.0)), "moi.csv")
    assert staged.base == 1 and staged.counts()["changed"] == 40
    store.commit(make_frame(30), **META)  # a colleague, meanwhile
    with pytest.raises(ConcurrentCommitError) as refused:
        staging.commit(store, staged, user="lan", comment="x")
    assert (refused.value.expected, refused.value.actual) == (1, 2)
    assert [v.version for v in store.history()] == [2, 1] and len(store.load()) == 30
    again = staging.stage(store, _csv(make_frame(40).assign(value=1.0)), "moi.csv")  # a new preview
    assert again.base == 2 and again.counts()["new"] == 10
    assert staging.commit(store, again, user="lan", comment="x").new == 10


def test_removals_and_update_mode_without_reading_again(store: Store, monkeypatch) -> None:
    store.commit(make_frame(40).assign(source="Cục Thống kê"), **META)
    staged = staging.stage(store, _csv(make_frame(40).iloc[:25]), "it.csv")
    assert staged.removed == 15 and len(staged.removals) == 15
    assert set(staged.removals.columns) == {"indicator_id", "area", "breakdown", "period", "kind", "term", "old"}
    reads = []
    monkeypatch.setattr(staging, "validate_bytes", lambda *a, **k: reads.append(a))
    update = staging.restage(staged, mode="update")
    assert reads == [] and update.checked is staged.checked and update.base == staged.base
    assert update.removed == 0 and update.removals.empty and update.counts()["unchanged"] == 25
    assert staging.restage(update, mode="update") is update
    info = staging.commit(store, update, user="lan", comment="chỉ sửa")
    assert (info.mode, info.rows, info.removed) == ("update", 40, 0)


def test_an_invalid_stage_cannot_be_committed(store: Store) -> None:
    staged = staging.stage(store, b"indicator_id,value\nx,1\n", "sai.csv")
    assert not staged.valid and staged.report.errors and staged.counts()["new"] == 0
    with pytest.raises(ValueError, match="not valid"):
        staging.commit(store, staged, user="lan", comment="x")
    assert store.history() == []
