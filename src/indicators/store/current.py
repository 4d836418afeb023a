"""The process's store: one Store per database URL for the life of the server, seeded from the shipped CSV
on first use.

Pages ask for `current_version_id()` on every run (a cheap query) and cache the version's view
(`present.view.load_view(shared_store(), id)`) under `(store_key(), id)`, so a commit or rollback is visible
to every viewer on their next rerun.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

import pandas as pd

from indicators import paths
from indicators.store.versions import Store


def load_csv(path: Path, *, decimal: str | None = None) -> pd.DataFrame:
    """Read and validate a contract file (v1 or v2); raises InvalidDataError listing the problems."""
    from indicators.ingest.validate import load_file

    return load_file(Path(path), decimal=decimal)


@lru_cache(maxsize=4)
def _store_for(url: str | None) -> Store:
    store = Store(url) if url else Store.from_env()
    store.ensure_schema()
    return store


def _store() -> Store:
    """One Store (one connection pool) per database URL for the life of the process."""
    return _store_for(store_key() or None)


def ensure_seeded() -> None:
    """Seed an empty store from the shipped data (or $INDICATORS_DATA)."""
    store = _store()
    if store.current_version() is None:
        source = paths.default_data_file()
        data = source.read_bytes()
        store.seed_if_empty(load_csv(source), source_name=source.name, sha256=hashlib.sha256(data).hexdigest())


def store_key() -> str:
    """Which store this process reads ($INDICATORS_DATABASE_URL, '' for the default): part of every cache key,
    since version 1 of one store is not version 1 of another."""
    return os.environ.get("INDICATORS_DATABASE_URL") or ""


def current_version_id() -> int:
    """The current version's id (a cheap query); an empty store is seeded first."""
    info = _store().current_version()
    if info is None:
        ensure_seeded()
        info = _store().current_version()
    assert info is not None
    return info.version


def shared_store() -> Store:
    """The process-wide store for pages that read or write (upload, history, rollback), seeded like the views:
    an analyst who opens the upload page first still previews against the shipped data."""
    ensure_seeded()
    return _store()
