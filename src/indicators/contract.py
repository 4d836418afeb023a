"""Data contract v1: the columns, words and codes an analyst's CSV may use — declared once.

Everything that reads, validates, stores or exports a dataset takes its column names, aliases and
vocabularies from here, so the contract cannot drift between the CLI, the pages and the store.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

CONTRACT_VERSION = 1


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    label_vi: str
    label_en: str
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("indicator_id", True, "Mã chỉ tiêu", "Indicator id", ("ma chi tieu", "ma", "id")),
    Column("indicator", True, "Chỉ tiêu", "Indicator", ("chi tieu", "ten chi tieu")),
    Column("indicator_en", False, "Chỉ tiêu (tiếng Anh)", "Indicator (English)", ("chi tieu tieng anh",)),
    Column("group", False, "Nhóm", "Group", ("nhom", "linh vuc")),
    Column("unit", True, "Đơn vị tính", "Unit", ("don vi tinh", "don vi", "dvt")),
    Column("area", True, "Địa bàn", "Area", ("dia ban", "don vi hanh chinh")),
    Column("period", True, "Kỳ/Năm", "Period", ("ky/nam", "ky", "nam", "thoi diem", "ky nam")),
    Column("kind", True, "Loại", "Kind", ("loai", "loai so lieu")),
    Column("value", True, "Giá trị", "Value", ("gia tri", "so lieu")),
    Column("of_total", False, "Tổng số", "Of total", ("tong so", "tren tong so", "of total")),
    Column("direction", False, "Chiều hướng", "Direction", ("chieu huong", "huong")),
    Column("method", False, "Phương pháp", "Method", ("phuong phap",)),
    Column("source", True, "Nguồn", "Source", ("nguon", "nguon so lieu")),
    Column("note", False, "Ghi chú", "Note", ("ghi chu",)),
)
COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
REQUIRED: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.required)
BY_NAME: dict[str, Column] = {c.name: c for c in COLUMNS}

#: The key of a row: a second row with the same key is an error.
KEY: tuple[str, ...] = ("indicator_id", "area", "period", "kind")
#: Every row of one indicator must agree on these.
PER_INDICATOR: tuple[str, ...] = ("indicator", "unit", "group", "direction")

KINDS: tuple[str, ...] = ("actual", "estimate", "baseline", "target")
KIND_WORDS: dict[str, str] = {
    "actual": "actual", "thuc hien": "actual", "thuc te": "actual", "dat": "actual",
    "estimate": "estimate", "uoc": "estimate", "uoc tinh": "estimate", "uoc dat": "estimate",
    "so bo": "estimate",
    "baseline": "baseline", "co so": "baseline", "goc": "baseline", "nam goc": "baseline",
    "target": "target", "muc tieu": "target", "ke hoach": "target", "chi tieu": "target",
}
DIRECTIONS: tuple[str, ...] = ("increase", "decrease")
DIRECTION_WORDS: dict[str, str] = {
    "increase": "increase", "tang": "increase", "higher_better": "increase", "up": "increase",
    "decrease": "decrease", "giam": "decrease", "lower_better": "decrease", "down": "decrease",
}
METHODS: tuple[str, ...] = ("linear", "cagr")
METHOD_WORDS: dict[str, str] = {"linear": "linear", "tuyen tinh": "linear", "cagr": "cagr"}

#: Value qualifiers, symbolic or in words, mapped to their symbol.
QUALIFIER_WORDS: dict[str, str] = {
    ">=": ">=", "<=": "<=", ">": ">", "<": "<", "~": "~", "≥": ">=", "≤": "<=", "≈": "~",
    "trên": ">", "hơn": ">", "dưới": "<", "gần": "~", "khoảng": "~", "xấp xỉ": "~",
    "từ": ">=", "ít nhất": ">=", "tối thiểu": ">=", "tối đa": "<=", "không quá": "<=",
}
QUALIFIERS: tuple[str, ...] = ("", ">", "<", ">=", "<=", "~")

ID_PATTERN = re.compile(r"^[a-z0-9_]+$")


_SPACING = re.compile(r"[\s_\-]+")


def _unaccent_table() -> dict[int, str]:
    """Each precomposed Latin letter (À…ỹ, Đ) -> its base letter, for str.translate."""
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for code in range(0xC0, 0x1F00):
        base = "".join(c for c in unicodedata.normalize("NFD", chr(code)) if not unicodedata.combining(c))
        if base != chr(code) and base.isascii() and len(base) == 1:
            table[code] = base
    return table


_UNACCENT = _unaccent_table()


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case, strip accents and collapse spacing: 'Đơn vị  tính' -> 'don vi tinh'. (Cached: report
    tables fold the same headers, units and names again and again.)

    >>> fold("  Đơn vị  tính "), fold("Tỷ lệ_hộ-nghèo"), fold("Nam"), fold("Năm"), fold("Ước TH 2024")
    ('don vi tinh', 'ty le ho ngheo', 'nam', 'nam', 'uoc th 2024')
    """
    text = text.lower().translate(_UNACCENT)
    if not text.isascii():  # combining marks (a decomposed file), or letters outside the table
        text = unicodedata.normalize("NFD", text).replace("đ", "d")
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACING.sub(" ", text).strip()


def _header_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for col in COLUMNS:
        for spelling in (col.name, col.label_vi, col.label_en, *col.aliases):
            index[fold(spelling)] = col.name
    return index


_HEADERS = _header_index()


def canonical_header(header: str) -> str | None:
    """The contract column a header names, in English or Vietnamese, any case or spacing; else None."""
    return _HEADERS.get(fold(header))


def canonical_word(word: str, vocabulary: dict[str, str]) -> str | None:
    """Map a kind/direction/method word (English or Vietnamese) to its code; None when unknown."""
    return vocabulary.get(fold(word))
