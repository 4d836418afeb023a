"""Approval of commune commits (issue 10, DHIS2's data approval): a submission changes nothing until a
reviewer approves it — one transaction makes the version, even onto a current version that moved, listing
what it overwrites — or returns it with a comment; the submitter and a reviewer out of scope cannot."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from argon2 import PasswordHasher

from indicators.cli import main
from indicators.frame import conform
from indicators.present.export import to_csv_bytes
from indicators.store import accounts, staging
from indicators.store import submissions as subs
from indicators.store.diff import preview
from indicators.store.versions import ConcurrentCommitError, Store
from tests.frames import make_frame

PASSWORD = "mật-khẩu-dài-đủ"
COMMUNE, OTHER = "Xã Đồng Hướng 1", "Xã Đồng Hướng 2"
META = dict(comment="c", filename="f.csv", sha256="a" * 64)


def seed_frame() -> pd.DataFrame:
    """Three communes' rows (no of_total, so a changed value stays valid)."""
    return make_frame(120, areas=3).assign(source="Cục Thống kê", of_total=np.nan)


@pytest.fixture
def store(store_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """Version 1 of three communes (SQLite, then PostgreSQL); hai (one commune, needs approval), tinh (every
    area), xa2 (another commune)."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setenv("INDICATORS_DATABASE_URL", store_url)
    s = Store(store_url)
    s.commit(seed_frame(), user="system", **META)
    accounts.add_user(s, "hai", PASSWORD, "analyst", scope=[COMMUNE], needs_approval=True)
    accounts.add_user(s, "tinh", PASSWORD, "analyst")
    accounts.add_user(s, "xa2", PASSWORD, "analyst", scope=[OTHER])
    yield s
    s.close()


def commune_rows(offset: float = 1.0) -> pd.DataFrame:
    """The commune's rows with every value changed by `offset`."""
    frame = seed_frame()
    mine = frame[frame["area"] == COMMUNE].copy()
    mine["value"] = mine["value"] + offset
    return conform(mine.reset_index(drop=True))


def staged_file(store: Store, frame: pd.DataFrame) -> staging.Stage:
    staged = staging.stage(store, to_csv_bytes(frame), "xa.csv", mode="update")
    assert staged.valid, staged.report.to_lines(lang="en")
    return staged


def submit_as_hai(store: Store, frame: pd.DataFrame | None = None) -> int:
    hai = accounts.find_user(store, "hai")
    delivered = subs.deliver(store, staged_file(store, commune_rows() if frame is None else frame), hai, "Quý 3")
    assert delivered.versions == () and delivered.submission is not None
    return delivered.submission


def test_a_submission_changes_nothing_and_keeps_its_rows(store: Store) -> None:
    before = store.load()
    sid = submit_as_hai(store)
    assert [v.version for v in store.history()] == [1]
    pd.testing.assert_frame_equal(store.load(), before)
    (sub,) = subs.submissions_list(store, "pending")
    assert (sub.id, sub.user, sub.comment, sub.filename, sub.base_version, sub.rows) == (sid, "hai", "Quý 3", "xa.csv",
                                                                                           1, 40)
    kept = subs.rows(store, sid)
    pd.testing.assert_frame_equal(kept.drop(columns="row"), commune_rows().drop(columns="row"))
    assert subs.submissions_list(store, "approved") == []


def test_approval_makes_one_version_of_the_current_updated_with_the_rows(store: Store) -> None:
    sid = submit_as_hai(store)
    review = subs.review_preview(store, sid)
    assert review.current == 1 and review.dry_run.counts() == {"new": 0, "changed": 40, "unchanged": 0, "removed": 0}
    assert review.overwritten.empty
    version = subs.approve(store, sid, "tinh", "Đồng ý", expected_current=1)
    info = store.version(version)
    assert (version, info.parent, info.mode, info.user, info.comment, info.changed) == (2, 1, "update", "tinh",
                                                                                          "Quý 3", 40)
    expected = preview(seed_frame(), subs.rows(store, sid), "update").result
    pd.testing.assert_frame_equal(store.load(), expected)
    sub = subs.submission(store, sid)
    assert (sub.status, sub.reviewer, sub.review_comment, sub.version_id) == ("approved", "tinh", "Đồng ý", 2)
    assert subs.approvals(store) == {2: sub}
    with pytest.raises(subs.SubmissionError, match="already approved or returned"):
        subs.approve(store, sid, "tinh")
    assert store.current_version().version == 2


def test_return_needs_a_comment_and_writes_no_version(store: Store) -> None:
    sid = submit_as_hai(store)
    with pytest.raises(subs.SubmissionError, match="Write a comment"):
        subs.send_back(store, sid, "tinh", "  ")
    subs.send_back(store, sid, "tinh", "Thiếu nguồn số liệu quý 3")
    sub = subs.submission(store, sid)
    assert (sub.status, sub.reviewer, sub.review_comment, sub.version_id) == ("returned", "tinh",
                                                                              "Thiếu nguồn số liệu quý 3", None)
    assert [v.version for v in store.history()] == [1]
    assert subs.submissions_list(store, user="HAI")[0].status == "returned"  # the submitter's own list
    assert submit_as_hai(store) == sid + 1  # and may submit again


def test_approval_onto_a_moved_current_lists_what_it_overwrites(store: Store) -> None:
    sid = submit_as_hai(store)
    theirs = seed_frame()
    first = int(np.flatnonzero((theirs["area"] == COMMUNE).to_numpy())[0])
    other = int(np.flatnonzero((theirs["area"] == OTHER).to_numpy())[0])
    theirs.loc[[first, other], "value"] = [777.0, 888.0]  # one row the submission holds, one it does not
    store.commit(theirs, user="tinh", expected_current=1, **META)
    review = subs.review_preview(store, sid)
    assert review.current == 2 and len(review.overwritten) == 1
    line = review.overwritten.iloc[0]
    assert (line["area"], line["indicator_id"], line["field"], line["new"]) == (
        COMMUNE, theirs["indicator_id"].iat[first], "value", "777")
    with pytest.raises(ConcurrentCommitError):  # previewed against version 1: refused, nothing written
        subs.approve(store, sid, "tinh", expected_current=1)
    assert subs.submission(store, sid).status == "pending" and store.current_version().version == 2
    version = subs.approve(store, sid, "tinh", expected_current=2)
    now = store.load(version)
    assert now["value"].iat[first] == commune_rows()["value"].iat[0]  # the submission's value
    assert now["value"].iat[other] == 888.0  # the change in between to another commune is kept


@pytest.mark.parametrize(("reviewer", "reason"), [
    ("hai", "needs approval itself"),  # the submitter (who needs approval besides)
    ("xa2", "outside the scope of xa2"),  # another commune's analyst
    ("nobody", "not an active analyst"),
])
def test_who_may_not_review(store: Store, reviewer: str, reason: str) -> None:
    sid = submit_as_hai(store)
    for act in (lambda: subs.approve(store, sid, reviewer), lambda: subs.send_back(store, sid, reviewer, "x")):
        with pytest.raises(subs.WriteRefused, match=reason):
            act()
    assert subs.submission(store, sid).status == "pending" and store.current_version().version == 1


def test_the_submitter_cannot_approve_even_without_the_approval_flag(store: Store) -> None:
    sid = subs.submit(store, commune_rows(), "tinh", "c", "f.csv", "b" * 64, 1)
    with pytest.raises(subs.WriteRefused, match="may not review their own"):
        subs.approve(store, sid, "TINH")
    accounts.add_user(store, "tinh2", PASSWORD, "analyst")
    assert subs.approve(store, sid, "tinh2") == 2


def test_a_district_analyst_covers_the_communes_under_it_while_they_were(store: Store) -> None:
    """A reviewer limited to Huyện Kim Sơn may approve Xã Kim Hải's rows of 2024 (the register's hierarchy on
    each row's day), not those of after the 2025 reorganisation, when the district was gone."""
    rows = commune_rows().assign(area="Xã Kim Hải")
    before = conform(rows[rows["period_end"] < "2025-01-01"].reset_index(drop=True))
    accounts.add_user(store, "huyen", PASSWORD, "analyst", scope=["Huyện Kim Sơn"])
    sid = subs.submit(store, before, "hai", "c", "f.csv", "b" * 64, 1)
    assert subs.approve(store, sid, "huyen") == 2
    assert (store.load()["area"] == "Xã Kim Hải").sum() == len(before)
    later = subs.submit(store, conform(rows[rows["period"] == "2025"].reset_index(drop=True)), "hai", "c", "f.csv",
                        "b" * 64, 2)
    with pytest.raises(subs.WriteRefused, match="outside the scope of huyen"):
        subs.approve(store, later, "huyen")


def test_a_failure_inside_the_approval_transaction_writes_nothing(store: Store, store_url: str) -> None:
    def fail(conn, info) -> None:
        raise subs.SubmissionError(("x", "another reviewer got there first"))

    with pytest.raises(subs.SubmissionError):
        store.commit(commune_rows(), user="tinh", mode="update", within=fail, **META)
    assert [v.version for v in store.history()] == [1]
    with Store(store_url) as again:  # the next version id is still 2: no row was kept
        assert again.commit(commune_rows(), user="tinh", mode="update", **META).version == 2


def test_deliver_commits_directly_for_an_account_without_approval(store: Store) -> None:
    xa2 = accounts.find_user(store, "xa2")
    frame = seed_frame()
    theirs = conform(frame[frame["area"] == OTHER].assign(value=lambda f: f["value"] + 2).reset_index(drop=True))
    delivered = subs.deliver(store, staged_file(store, theirs), xa2, "xã 2")
    assert delivered.submission is None and [v.version for v in delivered.versions] == [2]
    with pytest.raises(subs.WriteRefused, match="outside the scope"):
        subs.deliver(store, staged_file(store, commune_rows(5.0)), xa2, "not mine")
    assert store.current_version().version == 2


# --- the command line ------------------------------------------------------------------------------------
def test_cli_import_submits_then_list_approve_and_history(store: Store, tmp_path: Path, capsys) -> None:
    path = tmp_path / "xa.csv"
    path.write_bytes(to_csv_bytes(commune_rows()))
    assert main(["import", str(path), "--comment", "Quý 3", "--user", "hai", "--mode", "update", "--lang", "en"]) == 0
    assert "submitted for approval: submission 1 (40 rows), pending" in capsys.readouterr().out
    assert store.current_version().version == 1
    assert main(["submissions", "list", "--status", "pending", "--format", "json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert (listed["id"], listed["user"], listed["status"], listed["rows"]) == (1, "hai", "pending", 40)
    assert main(["submissions", "approve", "1", "--user", "hai", "--lang", "en"]) == 1
    assert "needs approval itself" in capsys.readouterr().err
    assert main(["submissions", "approve", "1", "--user", "tinh", "--comment", "ok", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "new 0, changed 40, unchanged 0" in out and "approved submission 1: version 2" in out
    assert main(["history", "--lang", "en"]) == 0
    history = capsys.readouterr().out.splitlines()
    assert history[1].strip().startswith("Submitted by hai at ") and "· Approved by tinh at " in history[1]
    assert main(["submissions", "list", "--lang", "en"]) == 0
    assert "Approved (v2)" in capsys.readouterr().out


def test_cli_return_needs_a_comment_and_says_whom(store: Store, capsys) -> None:
    sid = submit_as_hai(store)
    with pytest.raises(SystemExit):  # --comment is required
        main(["submissions", "return", str(sid), "--user", "tinh"])
    capsys.readouterr()
    assert main(["submissions", "return", str(sid), "--user", "tinh", "--comment", "Sai đơn vị", "--lang", "en"]) == 0
    assert f"returned submission {sid} to hai" in capsys.readouterr().out
    assert main(["submissions", "return", str(sid), "--user", "tinh", "--comment", "again", "--lang", "en"]) == 1
    assert "already approved or returned" in capsys.readouterr().err
    assert main(["submissions", "approve", "99", "--user", "tinh", "--lang", "en"]) in (1, 2)
    assert "no submission 99" in capsys.readouterr().err


def test_cli_users_add_scoped_with_approval(store: Store, capsys) -> None:
    sys.stdin = io.StringIO(PASSWORD + "\n")
    try:
        code = main(["users", "add", "xa3", "--role", "analyst", "--area", "Xã Đồng Hướng 0", "--area", OTHER,
                     "--needs-approval", "--password-stdin", "--lang", "en"])
    finally:
        sys.stdin = sys.__stdin__
    assert code == 0
    made = accounts.find_user(store, "xa3")
    assert made.scope == ("Xã Đồng Hướng 0", OTHER) and made.needs_approval


def test_a_batch_by_an_account_that_needs_approval_is_one_submission(store: Store) -> None:
    rows = commune_rows()
    files = [("a.csv", to_csv_bytes(rows.iloc[:20])), ("b.csv", to_csv_bytes(rows.iloc[20:]))]
    batch = staging.stage_batch(store, files, mode="update")
    assert batch.valid, batch.report.to_lines(lang="en")
    delivered = subs.deliver(store, batch, accounts.find_user(store, "hai"), "hai tệp")
    sub = subs.submission(store, delivered.submission)
    assert (sub.filename, sub.rows, sub.status) == ("a.csv, b.csv", 40, "pending")
    assert store.current_version().version == 1
    with pytest.raises(subs.WriteRefused, match="outside the scope of the account xa2"):
        subs.deliver(store, batch, accounts.find_user(store, "xa2"), "not mine")
