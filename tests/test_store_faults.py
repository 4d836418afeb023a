"""A full disk under the store: a real small filesystem (tmpfs mounted for the test), not a mock.

Each test mounts an 8 MB tmpfs, puts the SQLite store on it, fills what is left with a filler file, and
checks that a commit is refused with StoreFull ("the database is full; nothing was written"), that the
data are intact, that the CLI says it in one line (exit 2) and the upload page in the user's language,
that the background WAL checkpoint stays silent, and that everything works again once space is freed.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from indicators.cli import main
from indicators.present.export import to_csv_bytes
from indicators.store import accounts as auth
from indicators.store.tables import version_rows
from indicators.store.versions import Store, StoreFull, StoreUnavailable, as_store_error
from tests.frames import make_frame

ROOT = Path(__file__).resolve().parents[1]
META = {"user": "lan", "comment": "cuối năm", "filename": "so_lieu.csv", "sha256": "a" * 64}


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """An 8 MB tmpfs mounted at tmp_path/disk (needs root, as in the project's containers and CI)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(disk)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path, keep: int = 0) -> Path:
    """Fill the filesystem, then give back `keep` bytes; delete the returned file to free the space."""
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as out:
        block = b"\0" * 65536
        try:
            while True:
                out.write(block)
        except OSError:
            pass
        try:
            while True:
                out.write(b"\0" * 512)
        except OSError:
            pass
    if keep:
        os.truncate(filler, max(0, filler.stat().st_size - keep))
    return filler


def test_a_commit_on_a_full_disk_is_store_full_and_changes_nothing(small_disk: Path) -> None:
    with Store(f"sqlite:///{small_disk / 'store.sqlite'}") as store:
        first = make_frame(200)
        store.commit(first, **META)
        store.flush()
        filler = fill(small_disk, keep=64 * 1024)
        with pytest.raises(StoreFull) as raised:
            store.commit(make_frame(20_000, seed=3), **META)
        assert "nothing was written" in str(raised.value)
        assert "chưa ghi gì" in raised.value.message("vi")
        assert [v.version for v in store.history()] == [1]
        pd.testing.assert_frame_equal(store.load(), store.load(1))
        assert len(store.load()) == 200

        filler.unlink()  # space again: the same Store (same pool) works, no restart
        info = store.commit(make_frame(20_000, seed=3), **META)
        assert info.version == 2 and len(store.load()) == 20_000


def test_the_checkpoint_after_a_commit_stays_silent_on_a_full_disk(small_disk: Path, capfd, monkeypatch) -> None:
    """The commit is durable in the WAL; copying it into the database file fails on a full disk: that is
    no error for anyone (the next checkpoint copies it), so no traceback from the background thread."""
    import sqlite3

    failures: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: failures.append(args.exc_value))
    path = small_disk / "store.sqlite"
    with Store(f"sqlite:///{path}") as store:
        store.commit(make_frame(200), **META)
        store.flush()
        reader = sqlite3.connect(path, isolation_level=None)  # a reader holds the WAL: nothing copied yet
        reader.execute("BEGIN")
        reader.execute(f"SELECT count(*) FROM {version_rows.name}").fetchone()
        info = store.commit(make_frame(5_000, seed=1), **META)
        store.flush()
        filler = fill(small_disk)
        reader.execute("COMMIT")
        reader.close()
        before = path.stat().st_size
        store._checkpoint_soon()  # what every commit starts
        store.flush()
        assert failures == [] and "Traceback" not in capfd.readouterr().err
        assert path.stat().st_size == before, "the disk was full: nothing could be copied"
        assert store.current_version().version == info.version and len(store.load()) == 5_000
        filler.unlink()
        store._checkpoint_soon()
        store.flush()
        assert path.stat().st_size > before  # copied now that there is space
    assert failures == []


@pytest.fixture
def cli_env(small_disk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    seed = tmp_path / "seed.csv"
    seed.write_bytes(to_csv_bytes(make_frame(40).assign(source="Cục Thống kê")))
    monkeypatch.setenv("INDICATORS_DATABASE_URL", f"sqlite:///{small_disk / 'store.sqlite'}")
    monkeypatch.setenv("INDICATORS_DATA", str(seed))
    return tmp_path


def test_cli_import_on_a_full_disk_is_one_line_exit_2_then_works(cli_env: Path, small_disk: Path, capfd) -> None:
    big = cli_env / "big.csv"  # outside the small disk
    big.write_bytes(to_csv_bytes(make_frame(20_000, seed=5).assign(source="Cục Thống kê")))
    assert main(["history"]) == 0
    assert main(["export", "--out", str(cli_env / "before.csv")]) == 0  # seeds version 1
    capfd.readouterr()
    filler = fill(small_disk, keep=64 * 1024)
    assert main(["import", str(big), "--comment", "lớn", "--yes", "--lang", "en"]) == 2
    out, err = capfd.readouterr()
    assert err.count("\n") == 1 and "Traceback" not in err and "OperationalError" not in err
    assert err.startswith("indicators import: The database is full") and "nothing was written" in err
    assert main(["import", str(big), "--comment", "lớn", "--yes"]) == 2
    assert "Cơ sở dữ liệu đã đầy" in capfd.readouterr().err
    filler.unlink()
    assert main(["export", "--out", str(cli_env / "after.csv")]) == 0
    assert (cli_env / "after.csv").read_bytes() == (cli_env / "before.csv").read_bytes()  # intact
    assert main(["import", str(big), "--comment", "lớn", "--yes"]) == 0  # and it works again
    assert "Traceback" not in capfd.readouterr().err


def test_upload_page_on_a_full_disk_says_so_and_writes_nothing(small_disk: Path, monkeypatch) -> None:
    url = f"sqlite:///{small_disk / 'store.sqlite'}"
    monkeypatch.setenv("INDICATORS_DATABASE_URL", url)
    monkeypatch.setenv("INDICATORS_DATA", str(ROOT / "data" / "kim_son_2020_2025.csv"))  # the file uploaded below
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    with Store(url) as store:
        auth.add_user(store, "lan", "mật-khẩu-dài-đủ", "analyst")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/upload.py").run()
    at.text_input(key="login_name").input("lan")
    at.text_input(key="login_password").input("mật-khẩu-dài-đủ")
    at.button[0].click().run()
    shipped = (ROOT / "data" / "kim_son_2020_2025.csv").read_bytes()
    header, *lines = shipped.splitlines(keepends=True)
    many = header + b"".join(lines) + b"".join(  # the shipped rows plus 3,000 more for other areas
        line.replace(b",Huy\xe1\xbb\x87n Kim S\xc6\xa1n,", f",Xã số {i},".encode(), 1)
        for i in range(60) for line in lines[:50] if b",Huy\xe1\xbb\x87n Kim S\xc6\xa1n," in line)
    at.file_uploader(key="upload").upload("nhieu.csv", many, "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.metric, [e.value for e in at.error]
    filler = fill(small_disk, keep=32 * 1024)
    at.text_input(key="comment").input("nhiều xã")
    next(b for b in at.button if b.label == "Ghi thành phiên bản mới").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Cơ sở dữ liệu đã đầy" in e.value and "chưa ghi gì" in e.value for e in at.error)
    filler.unlink()
    with Store(url) as store:
        assert [v.version for v in store.history()] == [1]
    next(b for b in at.button if b.label == "Ghi thành phiên bản mới").click().run()  # space again
    assert any("Đã ghi phiên bản 2" in s.value for s in at.success)


def test_postgresql_disk_full_and_connection_errors_are_mapped() -> None:
    import psycopg

    assert isinstance(as_store_error(psycopg.errors.DiskFull("could not extend file")), StoreFull)
    assert isinstance(as_store_error(psycopg.errors.AdminShutdown("terminating connection")), StoreUnavailable)
    assert isinstance(as_store_error(psycopg.OperationalError("connection refused")), StoreUnavailable)
    assert as_store_error(psycopg.errors.UniqueViolation("duplicate key")) is None
    assert as_store_error(ValueError("a bug")) is None


@pytest.mark.parametrize("url", ["mysql://u:secret@db/x", "foo"])
def test_pages_with_an_unknown_database_url_say_so(monkeypatch, url: str) -> None:
    monkeypatch.setenv("INDICATORS_DATABASE_URL", url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Địa chỉ cơ sở dữ liệu không được hỗ trợ" in e.value and "secret" not in e.value for e in at.error)
