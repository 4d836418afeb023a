"""Batches (issue 9, item 7): the communes' forms of one round checked one by one and as one set of rows, one
combined report naming the files, one preview, committed as one version or one version per file; and the
options a stage was made with are part of its key."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators.ingest.adapters import Options
from indicators.store import staging
from indicators.store.versions import ConcurrentCommitError, Store, StoreUnavailable

HEADER = "indicator_id,indicator,unit,group,area,period,kind,value,direction,source\n"
INDICATORS = (("ho_ngheo", "Tỷ lệ hộ nghèo", "%", "Xã hội", "decrease"),
              ("thu_nhap", "Thu nhập bình quân đầu người", "triệu đồng", "Kinh tế", "increase"))


def commune(area: str, values: tuple[float, float], period: str = "2024") -> bytes:
    """One commune's form: two indicators of one period."""
    lines = [HEADER]
    for (ident, name, unit, group, direction), value in zip(INDICATORS, values, strict=True):
        lines.append(f"{ident},{name},{unit},{group},{area},{period},actual,{value},{direction},"
                     f"Báo cáo {area}\n")
    return "".join(lines).encode("utf-8")


ROUND = [("kim_hai.csv", commune("Xã Kim Hải", (3.1, 52.0))),
         ("kim_tan.csv", commune("Xã Kim Tân", (2.4, 61.5))),
         ("an_hoa.csv", commune("Xã Ân Hòa", (4.0, 48.2)))]


def seeded(store: Store) -> int:
    """Version 1: last year's figures of the first commune."""
    staged = staging.stage(store, commune("Xã Kim Hải", (3.5, 49.0), "2023"), "2023.csv")
    return staging.commit(store, staged, user="lan", comment="2023").version


def test_a_round_of_three_communes_as_one_version(store: Store) -> None:
    seeded(store)
    calls: list[tuple[float, str]] = []
    batch = staging.stage_batch(store, ROUND, mode="update", progress=lambda s, m: calls.append((s, m)))
    assert batch.valid and batch.report.valid and batch.base == 1
    assert batch.counts() == {"new": 6, "changed": 0, "unchanged": 0, "removed": 0}
    assert batch.filenames == ["kim_hai.csv", "kim_tan.csv", "an_hoa.csv"] and batch.report.rows == 6
    assert [s for s, _ in calls] == [0.0, 1 / 3, 2 / 3, 1.0] and "an_hoa.csv" in calls[2][1]
    [info] = staging.commit_batch(store, batch, user="lan", comment="kỳ 2024")
    assert (info.version, info.new, info.mode) == (2, 6, "update")
    assert info.filename == "kim_hai.csv, kim_tan.csv, an_hoa.csv"
    stored = store.load()
    assert len(stored) == 8 and set(stored["area"]) == {"Xã Kim Hải", "Xã Kim Tân", "Xã Ân Hòa"}


def test_one_version_per_file_chains_the_versions(store: Store) -> None:
    seeded(store)
    batch = staging.stage_batch(store, ROUND, mode="replace", per_file=True)
    assert batch.mode == "update" and batch.per_file  # one version per file always adds: never removes
    assert batch.counts()["removed"] == 0 and batch.counts()["new"] == 6
    infos = staging.commit_batch(store, batch, user="lan", comment="kỳ 2024")
    assert [(i.version, i.parent, i.filename, i.new) for i in infos] == [
        (2, 1, "kim_hai.csv", 2), (3, 2, "kim_tan.csv", 2), (4, 3, "an_hoa.csv", 2)]
    assert len(store.load()) == 8


def test_a_key_two_files_give_is_an_error_naming_both(store: Store) -> None:
    again = ("kim_hai_sua.csv", commune("Xã Kim Hải", (3.0, 52.0)))
    batch = staging.stage_batch(store, [*ROUND, again])
    assert not batch.valid and batch.dry_run is None
    dups = [i for i in batch.report.issues if i.code == "batch_duplicate_key"]
    assert len(dups) == 2 and {i.file for i in dups} == {"kim_hai_sua.csv"}
    first = dups[0]
    assert first.row == 2 and "kim_hai.csv" in first.message("vi") and "dòng 2" in first.message("vi")
    assert "ho_ngheo | Xã Kim Hải | 2024 | actual" in first.value
    assert "kim_hai_sua.csv" in first.to_line("vi") and "kim_hai.csv" in first.to_line("en")
    with pytest.raises(ValueError):
        staging.commit_batch(store, batch, user="lan", comment="x")
    assert store.current_version() is None  # nothing written


def test_a_period_written_two_ways_is_the_same_key(store: Store) -> None:
    other = ("kim_hai_cuoi_nam.csv", commune("Xã Kim Hải", (3.1, 52.0), "31/12/2024"))
    batch = staging.stage_batch(store, [ROUND[0], other])
    assert {i.code for i in batch.report.errors} == {"batch_duplicate_key"}


def test_files_that_disagree_on_an_indicator_are_reported(store: Store) -> None:
    odd = ("kim_tan.csv", commune("Xã Kim Tân", (2.4, 61.5)).replace(b",%,", ",phần trăm,".encode()))
    batch = staging.stage_batch(store, [ROUND[0], odd])
    [issue] = [i for i in batch.report.errors if i.code == "batch_inconsistent_indicator"]
    assert (issue.file, issue.column, issue.value) == ("kim_tan.csv", "unit", "phần trăm")
    assert "kim_hai.csv" in issue.message("en") and "'%'" in issue.message("en")


def test_each_file_issue_names_its_file_and_a_bad_file_stops_the_batch(store: Store) -> None:
    bad = ("kim_tan.csv", commune("Xã Kim Tân", (2.4, 61.5)).replace(b",61.5,", ",sáu mươi,".encode()))
    batch = staging.stage_batch(store, [ROUND[0], bad, ("rong.csv", b"")])
    assert not batch.valid and batch.frame is None
    found = {(i.file, i.code, i.row) for i in batch.report.errors}
    assert ("kim_tan.csv", "bad_number", 3) in found and ("rong.csv", "empty_file", None) in found
    frame = batch.report.to_frame("vi")
    assert list(frame.columns[:2]) == ["severity", "file"]
    assert set(frame["file"]) == {"kim_tan.csv", "rong.csv"}


def test_a_colleague_commit_before_the_batch_writes_nothing(store: Store) -> None:
    seeded(store)
    batch = staging.stage_batch(store, ROUND, per_file=True)
    seeded(store)  # version 2, meanwhile
    with pytest.raises(ConcurrentCommitError):
        staging.commit_batch(store, batch, user="lan", comment="x")
    assert store.current_version().version == 2


def test_a_failure_midway_says_what_was_committed(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    batch = staging.stage_batch(store, ROUND, per_file=True)
    real, calls = Store.commit, []

    def flaky(self: Store, frame: pd.DataFrame, **kwargs: object):
        calls.append(kwargs["filename"])
        if len(calls) == 2:
            raise StoreUnavailable("connection lost")
        return real(self, frame, **kwargs)

    monkeypatch.setattr(Store, "commit", flaky)
    with pytest.raises(staging.BatchStopped) as stopped:
        staging.commit_batch(store, batch, user="lan", comment="x")
    assert stopped.value.filename == "kim_tan.csv" and isinstance(stopped.value.cause, StoreUnavailable)
    assert [i.filename for i in stopped.value.committed] == ["kim_hai.csv"]
    assert store.current_version().version == 1 and len(store.load()) == 2  # the first file, whole


def test_options_are_part_of_the_stage_key(store: Store) -> None:
    data = commune("Xã Kim Hải", (3.1, 52.0))
    plain = staging.stage(store, data, "a.csv")
    same = staging.stage(store, data, "a.csv", options=Options())
    other = staging.stage(store, data, "a.csv", options=Options(area="Xã Kim Tân"))
    assert plain.key.options == "" and same.key.options == staging.options_key(Options())
    assert same.key != other.key and staging.options_key(Options(area="Xã Kim Tân")) == other.key.options
    assert staging.restage(other, mode="update").key.options == other.key.options
    edited = pd.DataFrame({"column": ["C", "D"], "kind": ["actual", "estimate"]})
    mapped = [staging.options_key(Options(mapping={"columns": edited.assign(kind=kind)}))
              for kind in (["actual", "estimate"], ["actual", "actual"], ["actual", "estimate"])]
    assert mapped[0] != mapped[1] and mapped[0] == mapped[2]  # an edited mapping re-stages
