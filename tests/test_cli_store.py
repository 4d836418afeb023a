"""The store's commands: import, history, rollback, export, users — through `indicators.cli.main`."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pandas as pd
import pytest
from argon2 import PasswordHasher

from indicators import paths
from indicators.cli import main
from indicators.present.export import to_csv_bytes
from indicators.store import accounts as auth
from indicators.store.versions import Store
from tests.frames import make_frame

FIXTURES = Path(__file__).parent / "fixtures"


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    """make_frame without formula-like sources (an export prefixes those with ')."""
    formula_like = frame["source"].str.startswith(("=", "+", "-", "@"))
    return frame.assign(source=frame["source"].where(~formula_like, "Cục Thống kê tỉnh Ninh Bình"))


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store in tmp_path, seeded (on first need) from a small contract file."""
    seed = tmp_path / "seed.csv"
    seed.write_bytes(to_csv_bytes(_clean(make_frame(40))))
    monkeypatch.setenv("INDICATORS_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    monkeypatch.setenv("INDICATORS_DATA", str(seed))
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    return tmp_path


def _store(env: Path) -> Store:
    return Store(f"sqlite:///{env / 'store.sqlite'}")


def test_import_seeds_then_commits_and_history_lists_both(env: Path, capsys) -> None:
    update = env / "update.csv"
    frame = _clean(make_frame(48))
    frame.loc[0, ["value", "of_total"]] = [99.5, 100.0]  # of its total: a large change, not above_total
    update.write_bytes(to_csv_bytes(frame))
    assert main(["import", str(update), "--comment", "số liệu cuối năm", "--user", "lan", "--lang", "en"]) == 0
    out, err = capsys.readouterr()
    assert "seeded version 1" in err
    assert "large_change" in out  # validation's warning against the current version
    assert "version 2: 48 rows (new 8, changed 1, unchanged 39, removed 0)" in out
    assert main(["history", "--format", "json"]) == 0
    history = json.loads(capsys.readouterr().out)
    assert [(v["version"], v["user"], v["comment"]) for v in history] == [
        (2, "lan", "số liệu cuối năm"), (1, "system", "seeded from seed.csv")]
    assert {"version", "created_at", "user", "comment", "rows", "sha256"} <= set(history[0])
    assert main(["history"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("*    2") and "lan" in lines[0] and lines[1].startswith("     1")


def test_import_update_mode_and_json(env: Path, capsys) -> None:
    patch = env / "patch.csv"
    patch.write_bytes(to_csv_bytes(_clean(make_frame(40)).iloc[:3].assign(value=1.0)))
    assert main(["import", str(patch), "--comment", "sửa 3 số", "--mode", "update", "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["version"], record["mode"], record["changed"], record["removed"]) == (2, "update", 3, 0)
    with _store(env) as store:
        assert len(store.load()) == len(store.load(1))


def test_invalid_file_prints_the_report_and_commits_nothing(env: Path, capsys) -> None:
    assert main(["import", str(FIXTURES / "bad" / "duplicate_key.csv"), "--comment", "x"]) == 1
    out = capsys.readouterr().out
    assert "duplicate" in out.lower() or "trùng" in out.lower()
    with _store(env) as store:
        assert [v.version for v in store.history()] == [1]


def test_unreadable_file_exits_2(env: Path, capsys) -> None:
    assert main(["import", str(FIXTURES / "bad" / "binary.bin"), "--comment", "x"]) == 2
    assert main(["import", str(env / "missing.csv"), "--comment", "x"]) == 2
    assert "missing.csv" in capsys.readouterr().err


def test_rollback_and_export(env: Path, capsys, tmp_path: Path) -> None:
    other = env / "other.csv"
    other.write_bytes(to_csv_bytes(_clean(make_frame(20, seed=9))))
    assert main(["import", str(other), "--comment", "khác", "--yes"]) == 0
    assert main(["rollback", "1", "--user", "minh", "--comment", "nhầm tệp"]) == 0
    assert "phiên bản 3:" in capsys.readouterr().out
    assert main(["export", "--out", str(tmp_path / "v3.csv")]) == 0
    assert main(["export", "--version", "2", "--out", str(tmp_path / "v2.xlsx"), "--lang", "en"]) == 0
    assert "version 2, " in capsys.readouterr().out.splitlines()[-1]
    with _store(env) as store:
        assert (tmp_path / "v3.csv").read_bytes() == to_csv_bytes(store.load(1))
        assert store.current_version().restored_from == 1
    assert (tmp_path / "v2.xlsx").read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("argv", [
    ["rollback", "42"],
    ["export", "--version", "42", "--out", "x.csv"],
    ["export", "--out", "x.pdf"],
    ["history", "--database-url", "postgresql://nobody@127.0.0.1:1/none"],
])
def test_bad_input_is_one_line_and_exit_2(env: Path, capsys, argv: list[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"indicators {argv[0]}: ") and err.count("\n") == 1 and "Traceback" not in err


def test_users_add_list_and_no_echo(env: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("mật khẩu dài đủ\n"))
    assert main(["users", "add", "lan", "--role", "analyst", "--password-stdin"]) == 0
    out, err = capsys.readouterr()
    assert "lan" in out and "mật khẩu" not in out + err
    assert main(["users", "list", "--lang", "en"]) == 0
    assert capsys.readouterr().out.split() == ["lan", "analyst", "active", "every", "area"]
    with _store(env) as store:
        assert auth.authenticate(store, "lan", "mật khẩu dài đủ") is not None


def test_users_add_asks_twice(env: Path, capsys, monkeypatch) -> None:
    answers = iter(["một mật khẩu", "khác mật khẩu"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["users", "add", "lan", "--role", "admin", "--lang", "en"]) == 2
    assert "differ" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["users", "add", "lan", "--role", "admin", "--password-stdin"]) == 2
    err = capsys.readouterr().err
    assert "at least 8" in err and "short" not in err
    assert main(["users", "list"]) == 0 and capsys.readouterr().out == ""


def test_shipped_data_seeds_the_store(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("INDICATORS_DATABASE_URL", f"sqlite:///{tmp_path / 's.sqlite'}")
    monkeypatch.delenv("INDICATORS_DATA", raising=False)
    assert main(["export", "--out", str(tmp_path / "now.csv")]) == 0
    assert f"từ {paths.KIM_SON_DATA} + {paths.NINH_BINH_DATA}" in capsys.readouterr().err
    assert main(["history", "--format", "json"]) == 0
    versions = json.loads(capsys.readouterr().out)
    assert len(versions) == 1 and versions[0]["filename"] == "kim_son_2020_2025.csv + ninh_binh_2025_2030.csv"
    exported = pd.read_csv(tmp_path / "now.csv", dtype=str, keep_default_na=False)
    assert {"Huyện Kim Sơn", "Tỉnh Ninh Bình"} <= set(exported["area"])


def test_indicators_data_names_the_one_file_to_seed_from(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("INDICATORS_DATABASE_URL", f"sqlite:///{tmp_path / 's.sqlite'}")
    monkeypatch.setenv("INDICATORS_DATA", str(paths.KIM_SON_DATA))
    assert main(["export", "--out", str(tmp_path / "now.csv")]) == 0
    assert f"từ {paths.KIM_SON_DATA}\n" in capsys.readouterr().err
    assert main(["history", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["filename"] == "kim_son_2020_2025.csv"


class _Terminal(io.StringIO):
    """stdin as a terminal that answers `answer`."""

    def isatty(self) -> bool:
        return True


def _fewer_rows(env: Path) -> Path:
    smaller = env / "smaller.csv"
    smaller.write_bytes(to_csv_bytes(_clean(make_frame(40)).iloc[:30]))
    return smaller


def test_import_that_removes_rows_without_a_terminal_is_refused(env: Path, capsys) -> None:
    assert main(["import", str(_fewer_rows(env)), "--comment", "thiếu dòng", "--lang", "en"]) == 1
    out, err = capsys.readouterr()
    assert "preview against version 1: new 0, changed 0, unchanged 30, removed 10" in out
    assert out.count("  remove: ") == 10
    refusal = err.splitlines()[-1]  # (the line before says the store was seeded)
    assert refusal.startswith("indicators import: ") and "--yes" in refusal and "nothing written" in refusal
    with _store(env) as store:
        assert [v.version for v in store.history()] == [1]
    assert main(["import", str(_fewer_rows(env)), "--comment", "thiếu dòng", "--format", "json"]) == 1
    record = json.loads(capsys.readouterr().out)
    assert record["committed"] is False and record["preview"]["removed"] == 10 and record["base"] == 1
    with _store(env) as store:
        assert [v.version for v in store.history()] == [1]


@pytest.mark.parametrize(("answer", "code", "versions"), [("n\n", 1, [1]), ("\n", 1, [1]), ("y\n", 0, [2, 1])])
def test_import_that_removes_rows_asks_on_a_terminal(env: Path, capsys, monkeypatch, answer: str, code: int,
                                                     versions: list[int]) -> None:
    monkeypatch.setattr("sys.stdin", _Terminal(answer))
    assert main(["import", str(_fewer_rows(env)), "--comment", "thiếu dòng"]) == code
    assert "bỏ 10 dòng? [y/N]" in capsys.readouterr().err
    with _store(env) as store:
        assert [v.version for v in store.history()] == versions


def test_import_yes_commits_what_was_previewed(env: Path, capsys) -> None:
    assert main(["import", str(_fewer_rows(env)), "--comment", "thiếu dòng", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "bị bỏ 10" in out and "phiên bản 2: 30 dòng (mới 0, thay đổi 0, không đổi 30, bị bỏ 10)" in out
    with _store(env) as store:
        assert len(store.load()) == 30


def test_import_that_removes_nothing_never_asks(env: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", _Terminal(""))  # would answer "no"
    patch = env / "patch.csv"
    patch.write_bytes(to_csv_bytes(_clean(make_frame(40)).iloc[:3].assign(value=1.0)))
    assert main(["import", str(patch), "--comment", "sửa 3 số", "--mode", "update"]) == 0
    assert "[y/N]" not in capsys.readouterr().err


@pytest.mark.parametrize("url", ["mysql://u:secret@db/x", "foo", "oracle://h/x", "sqlite+pysqlcipher:///x.db"])
def test_unknown_database_url_is_one_line(env: Path, capsys, monkeypatch, url: str) -> None:
    monkeypatch.setenv("INDICATORS_DATABASE_URL", url)
    assert main(["history"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("indicators history: ") and err.count("\n") == 1 and "Traceback" not in err
    assert "sqlite:///" in err and "secret" not in err


def test_history_into_a_closed_pipe_says_nothing(tmp_path: Path) -> None:
    """`indicators history | head -1`: the reader leaves early; no "Broken pipe" line, no traceback."""
    import subprocess
    import sys

    env = {**os.environ, "INDICATORS_DATABASE_URL": f"sqlite:///{tmp_path / 's.sqlite'}"}
    subprocess.run([sys.executable, "-m", "indicators.cli", "history"], env=env, capture_output=True, check=True)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line is written
    try:
        done = subprocess.run([sys.executable, "-m", "indicators.cli", "history"], env=env, stdout=write_end,
                              stderr=subprocess.PIPE, text=True)
    finally:
        os.close(write_end)
    assert "Broken pipe" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert done.stderr == ""
