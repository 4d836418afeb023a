"""Where things live: the shipped data and the store's data folder, anchored on this file."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
KIM_SON_DATA = DATA_DIR / "kim_son_2020_2025.csv"
NINH_BINH_DATA = DATA_DIR / "ninh_binh_2025_2030.csv"
#: The shipped files, in seeding order: an empty store gets them all as one seed version (the old district's
#: 2020-2025 term and the merged province's 2025-2030 term are one dataset, told apart by area and term).
SHIPPED_DATA: tuple[Path, ...] = (KIM_SON_DATA, NINH_BINH_DATA)


def default_data_files() -> tuple[Path, ...]:
    """The files the dashboard seeds from: $INDICATORS_DATA (one file) or the shipped ones."""
    named = os.environ.get("INDICATORS_DATA")
    return (Path(named),) if named else SHIPPED_DATA


def var_dir() -> Path:
    """The writable data folder (the default SQLite store lives here): $INDICATORS_VAR_DIR or ./var."""
    return Path(os.environ.get("INDICATORS_VAR_DIR", PROJECT_ROOT / "var"))


PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def private_sqlite_file(database: Path) -> None:
    """Make a SQLite store owner-only before SQLite opens it: the store holds the password hashes.

    Missing folders are created 0700 (and the data folder, `var_dir()`, is set to 0700 even if it
    exists); the database file is created 0600 if missing, otherwise set to 0600, and so are its -wal,
    -shm and -journal files (SQLite creates those with the database file's permissions). A folder the
    store did not create, other than the data folder, is left as it is.
    """
    database = database.absolute()
    missing = [p for p in [database.parent, *database.parent.parents] if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)
        os.chmod(folder, PRIVATE_DIR_MODE)  # mkdir's mode is masked by the umask
    if database.parent == var_dir().absolute():
        os.chmod(database.parent, PRIVATE_DIR_MODE)
    os.close(os.open(database, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE_MODE))
    for path in [database, *(database.with_name(database.name + s) for s in SQLITE_COMPANIONS)]:
        with contextlib.suppress(FileNotFoundError):
            os.chmod(path, PRIVATE_FILE_MODE)
