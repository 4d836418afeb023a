"""The SQLite store holds the password hashes: its folder is 0700, the file and its -wal/-shm are 0600."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from indicators import paths
from indicators.store import accounts as auth
from indicators.store.versions import Store


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    old = os.umask(0o022)  # what made the first release's store 0644
    yield
    os.umask(old)


def test_a_new_store_is_owner_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    var = tmp_path / "var"
    monkeypatch.setenv("INDICATORS_VAR_DIR", str(var))
    monkeypatch.delenv("INDICATORS_DATABASE_URL", raising=False)
    with Store.from_env() as store:
        auth.add_user(store, "lan", "đúng-mật-khẩu 2025", "analyst")
        database = var / "indicators.sqlite"
        companions = [database.with_name(database.name + s) for s in ("-wal", "-shm")]
        assert all(p.exists() for p in companions)  # WAL mode, while the store is open
        assert mode(var) == 0o700
        assert [mode(p) for p in [database, *companions]] == [0o600, 0o600, 0o600]


def test_an_existing_world_readable_store_is_made_owner_only(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    database = var / "indicators.sqlite"
    with Store(f"sqlite:///{database}") as store:
        store.ensure_schema()
    for path in [var, database, *var.glob("indicators.sqlite-*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)  # as the first release left them
    monkeypatch.setenv("INDICATORS_VAR_DIR", str(var))
    with Store(f"sqlite:///{database}") as store:
        store.ensure_schema()
        assert mode(var) == 0o700 and mode(database) == 0o600
        assert all(mode(p) == 0o600 for p in var.glob("indicators.sqlite-*"))


def test_a_folder_the_store_did_not_create_is_left_alone(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    paths.private_sqlite_file(shared / "deep" / "store.sqlite")
    assert mode(shared) == 0o755  # not ours to change
    assert mode(shared / "deep") == 0o700 and mode(shared / "deep" / "store.sqlite") == 0o600
