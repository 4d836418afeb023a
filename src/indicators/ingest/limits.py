"""Bounds on the work one input file may cause, checked before (and while) it is read.

A 2.7 KB workbook can claim a million rows and sixteen thousand columns, and a 4 MB zip can unpack to
gigabytes of XML: every read is bounded by these limits, each settable by an environment variable (see the
README's Configuration table). The defaults fit the 50 MB upload cap: a 50 MB workbook of real data unpacks
to about 800 MB of XML (15x) and holds about 1.2 million rows of the contract's 14 columns.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

#: field -> (environment variable, default)
SETTINGS: dict[str, tuple[str, float]] = {
    "file_mb": ("INDICATORS_MAX_FILE_MB", 200),
    "xlsx_mb": ("INDICATORS_MAX_XLSX_MB", 1000),
    "xlsx_ratio": ("INDICATORS_MAX_XLSX_RATIO", 100),
    "rows": ("INDICATORS_MAX_ROWS", 2_000_000),
    "columns": ("INDICATORS_MAX_COLUMNS", 256),
    "cells": ("INDICATORS_MAX_CELLS", 30_000_000),
    "memory_mb": ("INDICATORS_READER_MEMORY_MB", 4096),
}
#: Members smaller than this are never refused for their compression ratio (tiny XML compresses well).
RATIO_FLOOR_BYTES = 8 << 20


@dataclass(frozen=True)
class Limits:
    file_mb: float = 200  # bytes read from a path (the CLI); uploads are capped by Streamlit (50 MB)
    xlsx_mb: float = 1000  # total uncompressed size of a workbook's parts
    xlsx_ratio: float = 100  # uncompressed / compressed size of one part (a zip bomb is 300–1000x)
    rows: int = 2_000_000  # rows of a sheet or a CSV file
    columns: int = 256  # columns of a sheet or a CSV file
    cells: int = 30_000_000  # rows x columns of the area a sheet spans
    memory_mb: int = 4096  # address space the XLSX reading process may grow by (1,000,000 rows: ~2.1 GB)

    @classmethod
    def from_env(cls) -> Limits:
        """The limits of the environment; a setting that is not a positive number keeps its default."""
        values: dict[str, float] = {}
        for f in fields(cls):
            name, default = SETTINGS[f.name]
            try:
                value = float(os.environ.get(name, default))
            except ValueError:
                value = float(default)
            value = value if value > 0 else float(default)
            values[f.name] = int(value) if f.type in ("int", int) else value
        return cls(**values)  # type: ignore[arg-type]

    @staticmethod
    def setting(field_name: str) -> str:
        return SETTINGS[field_name][0]
