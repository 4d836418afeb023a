"""The process's store: one Store per database URL for the life of the server, seeded from the shipped CSVs
on first use (all of them as one version, see `seed_data`).

Pages ask for `current_version_id()` on every run (a cheap query) and cache the version's view
(`present.view.load_view(shared_store(), id)`) under `(store_key(), id)`, so a commit or rollback is visible
to every viewer on their next rerun.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from indicators import contract, paths
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


@dataclass(frozen=True)
class Seed:
    """What an empty store is seeded with: the validated rows of every file, in file order, recorded as one
    version named after the files ("kim_son_2020_2025.csv + ninh_binh_2025_2030.csv") with the sha256 of
    their bytes one after the other."""

    frame: pd.DataFrame
    source_name: str
    sha256: str
    files: tuple[Path, ...]


def seed_data(files: Sequence[Path] | None = None) -> Seed:
    """The seed of `files` (default: $INDICATORS_DATA, else the shipped files). Raises InvalidDataError
    for a file with errors, ValueError when two files hold the same row key (a seed never overwrites)."""
    from indicators.frame import conform
    from indicators.ingest.validate import InvalidDataError, validate_bytes

    chosen = tuple(Path(f) for f in (paths.default_data_files() if files is None else files))
    digest = hashlib.sha256()
    frames = []
    for path in chosen:
        data = path.read_bytes()  # validated from the bytes hashed: the record names exactly what was read
        digest.update(data)
        result = validate_bytes(data, path.name)
        if not result.report.valid or result.frame is None:
            raise InvalidDataError(result.report, path.name)
        frames.append(result.frame)
    frame = frames[0] if len(frames) == 1 else conform(pd.concat(frames, ignore_index=True))
    key = ["period_end" if k == "period" else k for k in contract.KEY]
    twice = frame.duplicated(key, keep=False)
    if len(frames) > 1 and twice.any():
        first = frame.loc[twice, list(contract.KEY)].iloc[0].tolist()
        raise ValueError(f"the seed files {' + '.join(p.name for p in chosen)} hold the same row twice: {first}")
    return Seed(frame, " + ".join(p.name for p in chosen), digest.hexdigest(), chosen)


def ensure_seeded() -> None:
    """Seed an empty store from the shipped data (or $INDICATORS_DATA): one version for all the files."""
    store = _store()
    if store.current_version() is None:
        seed = seed_data()
        store.seed_if_empty(seed.frame, source_name=seed.source_name, sha256=seed.sha256)


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
