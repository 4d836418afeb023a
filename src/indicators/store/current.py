"""The dataset the dashboard shows: the store's current version, seeded from the shipped CSV on first use.

Pages ask for `current_key()` on every run (a cheap query) and cache everything else under that key, so a
commit or rollback is visible to every viewer on their next rerun.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from indicators import paths
from indicators.store.versions import Store


def load_csv(path: Path, *, decimal: str | None = None) -> pd.DataFrame:
    """Read and validate a contract v1 file; raises InvalidDataError listing the problems."""
    from indicators.ingest.validate import load_file

    return load_file(Path(path), decimal=decimal)


@dataclass(frozen=True)
class Snapshot:
    """One version of the dataset as the pages see it."""

    key: str
    version: int | None
    created_at: str
    frame: pd.DataFrame


@lru_cache(maxsize=4)
def _store_for(url: str | None) -> Store:
    store = Store(url) if url else Store.from_env()
    store.ensure_schema()
    return store


def _store() -> Store:
    """One Store (one connection pool) per database URL for the life of the process."""
    return _store_for(os.environ.get("INDICATORS_DATABASE_URL"))


def ensure_seeded() -> None:
    """Seed an empty store from the shipped data (or $INDICATORS_DATA)."""
    store = _store()
    if store.current_version() is None:
        source = paths.default_data_file()
        data = source.read_bytes()
        store.seed_if_empty(load_csv(source), source_name=source.name, sha256=hashlib.sha256(data).hexdigest())


def current_key() -> str:
    """A cheap identifier of what is current: 'v<version id>'."""
    info = _store().current_version()
    if info is None:
        ensure_seeded()
        info = _store().current_version()
    assert info is not None
    return f"v{info.version}"


def store() -> Store:
    """The process-wide store for pages that write (upload, history, rollback), seeded like the views:
    an analyst who opens the upload page first still previews against the shipped data."""
    ensure_seeded()
    return _store()


def load_snapshot(key: str) -> Snapshot:
    """The rows of the version named by `key` (from current_key)."""
    store = _store()
    version = int(key.removeprefix("v"))
    info = store.version(version)
    return Snapshot(key=key, version=version, created_at=str(info.created_at), frame=store.load(version))
