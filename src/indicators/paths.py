"""Where things live: the shipped data and the store's data folder, anchored on this file."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
SHIPPED_DATA = DATA_DIR / "kim_son_2020_2025.csv"


def default_data_file() -> Path:
    """The dataset the dashboard seeds from: $INDICATORS_DATA or the shipped Kim Sơn CSV."""
    return Path(os.environ.get("INDICATORS_DATA", SHIPPED_DATA))


def var_dir() -> Path:
    """The writable data folder (the default SQLite store lives here): $INDICATORS_VAR_DIR or ./var."""
    return Path(os.environ.get("INDICATORS_VAR_DIR", PROJECT_ROOT / "var"))
