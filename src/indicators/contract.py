"""Data contract v2 (v1 files stay valid): the columns, words and codes an analyst's CSV may use — declared once.

Everything that reads, validates, stores or exports a dataset takes its column names, aliases and
vocabularies from here, so the contract cannot drift between the CLI, the pages and the store.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

CONTRACT_VERSION = 2


@dataclass(frozen=True)
class Column:
    """A contract column. A header names it *exactly* when it equals (any case or spacing, accents kept)
    its name, a label or one of `accented`; *folded* when it equals one of them or of `aliases` with the
    accents stripped (see `header_match`). `aliases` are written folded, `accented` as Vietnamese writes them."""

    name: str
    required: bool
    label_vi: str
    label_en: str
    aliases: tuple[str, ...] = ()
    accented: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("indicator_id", True, "Mã chỉ tiêu", "Indicator id", ("ma chi tieu", "ma", "id"), ("Mã", "Mã số")),
    Column("indicator", True, "Chỉ tiêu", "Indicator", ("chi tieu", "ten chi tieu"), ("Tên chỉ tiêu",)),
    Column("indicator_en", False, "Chỉ tiêu (tiếng Anh)", "Indicator (English)", ("chi tieu tieng anh",),
           ("Chỉ tiêu tiếng Anh",)),
    Column("group", False, "Nhóm", "Group", ("nhom", "linh vuc"), ("Lĩnh vực",)),
    Column("unit", True, "Đơn vị tính", "Unit", ("don vi tinh", "don vi", "dvt"), ("Đơn vị", "ĐVT")),
    Column("area", True, "Địa bàn", "Area", ("dia ban", "don vi hanh chinh"), ("Đơn vị hành chính",)),
    # --- contract v2 (issue 10): all optional, so every v1 file stays valid
    Column("area_code", False, "Mã địa bàn", "Area code", ("ma dia ban", "ma dvhc", "ma don vi hanh chinh",
           "area code", "geocode"), ("Mã ĐVHC", "Mã đơn vị hành chính")),
    Column("parent_area", False, "Địa bàn cấp trên", "Parent area", ("dia ban cap tren", "cap tren", "thuoc",
           "parent"), ("Thuộc", "Cấp trên")),
    Column("breakdown", False, "Phân tổ", "Breakdown", ("phan to", "breakdown", "disaggregation")),
    Column("period", True, "Kỳ/Năm", "Period", ("ky/nam", "ky", "nam", "thoi diem", "ky nam"),
           ("Năm", "Kỳ", "Thời điểm", "Kỳ năm", "Kỳ / Năm")),
    Column("kind", True, "Loại", "Kind", ("loai", "loai so lieu"), ("Loại số liệu",)),
    Column("term", False, "Nhiệm kỳ", "Term", ("nhiem ky", "term"), ("Nhiệm kì",)),
    Column("value", True, "Giá trị", "Value", ("gia tri", "so lieu"), ("Số liệu",)),
    Column("of_total", False, "Tổng số", "Of total", ("tong so", "tren tong so", "of total"), ("Trên tổng số",)),
    Column("direction", False, "Chiều hướng", "Direction", ("chieu huong", "huong"), ("Hướng",)),
    Column("method", False, "Phương pháp", "Method", ("phuong phap",)),
    Column("rollup", False, "Cách tổng hợp", "Roll-up", ("cach tong hop", "tong hop", "rollup", "aggregation")),
    Column("series_break", False, "Gãy chuỗi", "Series break", ("gay chuoi", "series break", "break")),
    Column("source", True, "Nguồn", "Source", ("nguon", "nguon so lieu"), ("Nguồn số liệu",)),
    Column("note", False, "Ghi chú", "Note", ("ghi chu",)),
)
#: Folded aliases that other common Vietnamese words fold onto too: a header matching one of these only
#: with its accents stripped may be that other word ("Nam" = male, not "Năm" = year), so it is used
#: (when no header names the column exactly) with a `header_collision` warning. folded -> the other words.
HEADER_HOMOGRAPHS: dict[str, tuple[str, ...]] = {
    "nam": ("Nam", "Nậm"),  # male / south, not Năm (year)
    "ky": ("Ký", "Kỹ"),  # signed / technical, not Kỳ (period)
    "ma": ("Má", "Mà", "Mạ"),  # not Mã (id)
    "huong": ("Hương",),  # a name, not Hướng (direction)
}
#: Breakdown dimensions a tidy file may give as columns of their own ("Giới tính": Nữ): validation folds
#: them into `breakdown` ("sex=Nữ"). They are headers, not frame columns.
DIMENSION_COLUMNS: tuple[Column, ...] = (
    Column("sex", False, "Giới tính", "Sex", ("gioi tinh", "sex", "gender"), ("Giới",)),
    Column("residence", False, "Thành thị/nông thôn", "Urban/rural", ("thanh thi/nong thon", "thanh thi nong thon",
           "khu vuc thanh thi/nong thon", "urban/rural", "residence"), ("Thành thị - nông thôn",)),
    Column("age_group", False, "Nhóm tuổi", "Age group", ("nhom tuoi", "do tuoi", "age group", "age"),
           ("Độ tuổi",)),
)
#: code -> (Vietnamese, English) label of the known breakdown dimensions, in the order they are written.
BREAKDOWN_DIMENSIONS: dict[str, tuple[str, str]] = {c.name: (c.label_vi, c.label_en) for c in DIMENSION_COLUMNS}
COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
#: The columns contract v2 added: a v1 file, frame or stored row is a v2 one with '' in each.
V2_COLUMNS: tuple[str, ...] = ("area_code", "parent_area", "breakdown", "term", "rollup", "series_break")
REQUIRED: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.required)
BY_NAME: dict[str, Column] = {c.name: c for c in (*COLUMNS, *DIMENSION_COLUMNS)}

#: The key of a row: a second row with the same key is an error. (v1: indicator_id, area, period, kind —
#: a v1 file has no breakdown and no term, so its keys are unchanged.)
KEY: tuple[str, ...] = ("indicator_id", "area", "breakdown", "period", "kind", "term")
#: The key of a series: what the progress engine summarises.
SERIES: tuple[str, ...] = ("indicator_id", "area", "breakdown")
#: Every row of one indicator must agree on these.
PER_INDICATOR: tuple[str, ...] = ("indicator", "unit", "group", "direction", "rollup")

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

#: Why a series breaks at a row (its value is not comparable with the earlier ones), folded word -> code.
SERIES_BREAKS: tuple[str, ...] = ("merger", "new_standard", "method_change", "break")
SERIES_BREAK_WORDS: dict[str, str] = {
    "merger": "merger", "sap nhap": "merger", "hop nhat": "merger", "sap xep": "merger",
    "new_standard": "new_standard", "chuan moi": "new_standard", "chuan ngheo moi": "new_standard",
    "doi chuan": "new_standard", "new standard": "new_standard",  # fold() makes "new_standard" this
    "method_change": "method_change", "method change": "method_change", "phuong phap moi": "method_change", "doi phuong phap": "method_change",
    "break": "break", "co": "break", "x": "break", "yes": "break", "true": "break", "1": "break",
}
#: How a parent area's value is computed from its children's, folded word -> code (`weighted:<id>` apart).
ROLLUPS: tuple[str, ...] = ("none", "sum", "mean")
ROLLUP_WORDS: dict[str, str] = {
    "none": "none", "khong": "none", "sum": "sum", "tong": "sum", "cong": "sum", "tong cong": "sum",
    "mean": "mean", "binh quan": "mean", "trung binh": "mean", "average": "mean",
}
_WEIGHT_WORDS = ("weighted", "weighted mean", "weighted mean by", "weighted by", "binh quan gia quyen",
                 "binh quan gia quyen theo", "trung binh co trong so", "trung binh co trong so theo")
_WEIGHTED = re.compile(r"^(.*?)[\s:=]+([a-z0-9_]+)$")
_TERM = re.compile(r"^(?:(?:nhiem ky|nhiem ki|nk|giai doan|term)\s*)?(\d{4})[\s\-–—/]+(\d{4})$")
_DIM = re.compile(r"^[a-z0-9_]+$")

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


def loose(text: str) -> str:
    """Lower-case (NFC) and collapse spacing, keeping the accents: 'Năm ' -> 'năm', 'NAM' -> 'nam'."""
    text = unicodedata.normalize("NFC", text.strip()).casefold()
    return re.sub(r"[\s_\-]+", " ", unicodedata.normalize("NFC", text)).strip()


def _header_indexes() -> tuple[dict[str, str], dict[str, str]]:
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    for col in (*COLUMNS, *DIMENSION_COLUMNS):
        for spelling in (col.name, col.label_vi, col.label_en, *col.accented):
            exact[loose(spelling)] = col.name
        for spelling in (col.name, col.label_vi, col.label_en, *col.accented, *col.aliases):
            folded[fold(spelling)] = col.name
    return exact, folded


_EXACT, _HEADERS = _header_indexes()


@dataclass(frozen=True)
class HeaderMatch:
    """What a header names: the contract `column`, whether `exact`ly (accents as declared) or only folded,
    and for a folded match the other words it may be (`HEADER_HOMOGRAPHS`; () when none)."""

    column: str
    exact: bool
    homographs: tuple[str, ...] = ()

    @property
    def rank(self) -> int:
        """0 exact, 1 folded, 2 folded and possibly another word: the lowest rank claims a column."""
        return 0 if self.exact else 2 if self.homographs else 1


def header_match(header: str) -> HeaderMatch | None:
    """How `header` names a contract column (see `Column`), or None."""
    name = _EXACT.get(loose(header))
    if name is not None:
        return HeaderMatch(name, True)
    key = fold(header)
    name = _HEADERS.get(key)
    return None if name is None else HeaderMatch(name, False, HEADER_HOMOGRAPHS.get(key, ()))


def canonical_header(header: str) -> str | None:
    """The contract column a header names, in English or Vietnamese, any case or spacing, exactly or with
    the accents stripped; else None (`header_match` says how)."""
    return _HEADERS.get(fold(header))


def canonical_word(word: str, vocabulary: dict[str, str]) -> str | None:
    """Map a kind/direction/method word (English or Vietnamese) to its code; None when unknown."""
    return vocabulary.get(fold(word))


# --- plausibility (issue 9): values that read as numbers but cannot be right -------------------------
@dataclass(frozen=True)
class Plausibility:
    """A check of a value against what it measures (ingest/plausibility.py runs them): its issue `code`,
    `severity` ("error": cannot be right; "warning": worth a second look), what it checks, and the
    vocabularies it uses (`units`: folded units it applies to; `words`: folded words of an indicator's name)."""

    code: str
    severity: str
    checks: str
    units: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()


#: Units that count things (a count is never negative), as written; matched folded, also after a scale
#: word ("nghìn người"). Lengths of roads and the like are non-negative too.
COUNT_UNITS: tuple[str, ...] = (
    "xã", "phường", "thị trấn", "đơn vị", "thôn", "xóm", "bản", "tổ dân phố", "khu dân cư", "làng",
    "người", "lượt người", "lượt", "lao động", "hộ", "gia đình", "đảng viên", "chi bộ", "đảng bộ",
    "tổ chức cơ sở đảng", "tổ chức", "cán bộ", "hội viên", "đoàn viên", "trường", "lớp", "học sinh",
    "sinh viên", "giáo viên", "trạm", "trạm y tế", "cơ sở", "bác sĩ", "giường", "giường bệnh", "doanh nghiệp",
    "hợp tác xã", "làng nghề", "công trình", "dự án", "nhà", "căn", "cái", "chiếc", "con", "cây", "ca", "vụ",
    "km", "km2", "km²", "m", "ha",
    "persons", "people", "households", "communes", "schools", "members", "cases", "number",
)
#: Scale words before a count unit ("nghìn người" counts people too).
COUNT_SCALES: tuple[str, ...] = ("nghìn", "ngàn", "triệu", "trăm", "vạn", "thousand", "million", "hundred")
#: Units of a share of a whole.
SHARE_UNITS: tuple[str, ...] = ("%", "phần trăm", "percent")
#: An indicator in a share unit whose name starts with one of these is a share of a whole (≤ 100 %) ...
SHARE_WORDS: tuple[str, ...] = ("tỷ lệ", "tỉ lệ", "tỷ trọng", "tỉ trọng", "share", "rate", "proportion",
                                "percentage")
#: ... unless its name measures growth or a ratio to a plan or period, which may pass 100 % ("Tỷ lệ thu
#: ngân sách so với dự toán" 120 %). These also keep an indicator out of `ten_times_off` (a growth rate
#: of 0.5 % after 7 % is no typo).
CHANGE_WORDS: tuple[str, ...] = ("tốc độ", "tăng trưởng", "so với", "so cùng kỳ", "so kế hoạch", "so dự toán",
                                 "growth", "compared", "against", "versus", "relative to")
#: A value at least this many times its series' typical value (or at most its inverse) is `ten_times_off`.
TEN_TIMES = 10.0
#: The fewest other values a series needs before a value is judged against them.
SERIES_MIN_OTHERS = 2

PLAUSIBILITY: tuple[Plausibility, ...] = (
    Plausibility("above_total", "error", "a value above its total (of_total): 30 of 23 communes"),
    # a warning, not an error: the words cannot tell every share from a ratio to a plan
    Plausibility("share_above_100", "warning", "a share of a whole above 100 %: unit a share unit and the "
                 "name starting with a share word, without a change word", SHARE_UNITS, SHARE_WORDS,
                 CHANGE_WORDS),
    Plausibility("negative_count", "error", "a negative count: the unit counts things", COUNT_UNITS),
    Plausibility("ten_times_off", "warning", "a value at least ten times above or below the median of its "
                 "series (same indicator and area, other periods; in the file and in the stored version)",
                 unless=CHANGE_WORDS),
    Plausibility("unit_changed", "warning", "an indicator's unit in the file differs from the stored one"),
)
PLAUSIBILITY_BY_CODE: dict[str, Plausibility] = {p.code: p for p in PLAUSIBILITY}


def count_unit(unit: str) -> bool:
    """Whether `unit` counts things (COUNT_UNITS, after an optional scale word), any case or accents."""
    words = fold(unit)
    for scale in _COUNT_SCALES:
        if words.startswith(scale):
            words = words[len(scale):]
            break
    return words in _COUNT_UNITS


def share_unit(unit: str) -> bool:
    return fold(unit) in _SHARE_UNITS


def _starts_with_word(text: str, words: tuple[str, ...]) -> bool:
    return any(text == w or text.startswith(w + " ") for w in words)


def _has_words(text: str, words: tuple[str, ...]) -> bool:
    padded = f" {text} "
    return any(f" {w} " in padded for w in words)


def change_measure(name: str, *, folded: bool = False) -> bool:
    """Whether an indicator's name says it measures growth or a ratio to a plan or period (CHANGE_WORDS).
    `folded`: the name is already `fold`ed."""
    return _has_words(name if folded else fold(name), _CHANGE_WORDS)


def share_of_whole(name: str, *, folded: bool = False) -> bool:
    """Whether an indicator's name says it is a share of a whole: a share word first, no change word."""
    text = name if folded else fold(name)
    return _starts_with_word(text, _SHARE_WORDS) and not _has_words(text, _CHANGE_WORDS)


_COUNT_UNITS = frozenset(fold(u) for u in COUNT_UNITS)
_COUNT_SCALES = tuple(fold(s) + " " for s in COUNT_SCALES)
_SHARE_UNITS = frozenset(fold(u) for u in SHARE_UNITS)
_SHARE_WORDS = tuple(fold(w) for w in SHARE_WORDS)
_CHANGE_WORDS = tuple(fold(w) for w in CHANGE_WORDS)


# --- contract v2 (issue 10): terms, breakdowns, series breaks, roll-ups -------------------------------
def parse_term(text: str) -> tuple[int, int]:
    """A Party Congress term as written -> (start, end); ValueError when it is not one.

    >>> parse_term("2020-2025"), parse_term("Nhiệm kỳ 2020 – 2025"), parse_term("giai đoạn 2021-2025")
    ((2020, 2025), (2020, 2025), (2021, 2025))
    """
    match = _TERM.match(fold(text))
    if not match:
        raise ValueError(f"not a term: {text!r}")
    start, end = int(match.group(1)), int(match.group(2))
    if not 0 < end - start <= 10:
        raise ValueError(f"a term runs forward by 1 to 10 years: {text!r}")
    return start, end


def term_text(text: str) -> str:
    """The canonical label of a term: 'nhiệm kỳ 2020 – 2025' -> '2020-2025' (ValueError when not a term)."""
    start, end = parse_term(text)
    return f"{start}-{end}"


def breakdown_text(pairs: dict[str, str]) -> str:
    """The canonical breakdown of a row: the known dimensions first (BREAKDOWN_DIMENSIONS), then the others
    alphabetically; '' for the total.

    >>> breakdown_text({"age_group": "15-24", "sex": "Nữ"}), breakdown_text({})
    ('sex=Nữ; age_group=15-24', '')
    """
    known = [d for d in BREAKDOWN_DIMENSIONS if d in pairs]
    others = sorted(d for d in pairs if d not in BREAKDOWN_DIMENSIONS)
    return "; ".join(f"{d}={pairs[d]}" for d in (*known, *others) if pairs[d] != "")


def parse_breakdown(text: str) -> dict[str, str]:
    """'sex=Nữ; age_group=15-24' -> {'sex': 'Nữ', 'age_group': '15-24'}; ValueError when malformed
    (a part without '=', a dimension not written [a-z0-9_]+, an empty value, a dimension twice).
    Dimensions may be written by their label too ('Giới tính=Nữ')."""
    out: dict[str, str] = {}
    for part in (p.strip() for p in unicodedata.normalize("NFC", text).split(";")):
        if not part:
            continue
        dim, sep, value = (x.strip() for x in part.partition("="))
        if not sep:
            dim, sep, value = (x.strip() for x in part.partition(":"))
        known = canonical_header(dim)
        code = known if known in BREAKDOWN_DIMENSIONS else dim
        if not sep or not value or not _DIM.fullmatch(code) or code in out:
            raise ValueError(f"not a breakdown: {text!r}")
        out[code] = value
    return out


def breakdown_label(text: str, lang: str = "vi") -> str:
    """A breakdown as people read it: 'sex=Nữ; age_group=15-24' -> 'Giới tính: Nữ · Nhóm tuổi: 15-24';
    the total (no breakdown) -> 'Tổng số' / 'Total'."""
    if not text:
        return "Tổng số" if lang == "vi" else "Total"
    try:
        pairs = parse_breakdown(text)
    except ValueError:
        return text
    labels = {d: (vi if lang == "vi" else en) for d, (vi, en) in BREAKDOWN_DIMENSIONS.items()}
    return " · ".join(f"{labels.get(d, d)}: {v}" for d, v in pairs.items())


def rollup_code(word: str) -> str | None:
    """A roll-up word -> its code ('tổng' -> 'sum', 'bình quân gia quyền theo dan_so' -> 'weighted:dan_so');
    None when unknown.

    >>> rollup_code("Tổng"), rollup_code("weighted:dan_so"), rollup_code("bình quân gia quyền theo dan_so")
    ('sum', 'weighted:dan_so', 'weighted:dan_so')
    """
    folded = fold(word)
    if folded in ROLLUP_WORDS:
        return ROLLUP_WORDS[folded]
    match = _WEIGHTED.match(unicodedata.normalize("NFC", word).strip())  # the weight's id as written
    if match and (fold(match.group(1)) in _WEIGHT_WORDS) and ID_PATTERN.fullmatch(match.group(2)):
        return f"weighted:{match.group(2)}"
    return None


def rollup_weight(code: str) -> str:
    """The weight indicator of a 'weighted:<id>' roll-up ('' for the others)."""
    return code.partition(":")[2] if code.startswith("weighted:") else ""
