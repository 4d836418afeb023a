"""Reading a report table's words: column headers (period, kind, role), STT numbering, letterhead, title,
footnotes and the cell forms of figures. Pure functions on text, used by `wide` (the layout and the mapping).

>>> meaning("Ước TH năm 2023")
('value', '2023', 'estimate', '')
>>> meaning("Mục tiêu NQ ĐH đến 2025")
('value', '2025', 'target', '')
>>> meaning("So sánh (%)")[0]
'derived'
>>> stt_level("1.2"), stt_level("II"), stt_level("a"), stt_level("-")
(2, 0, 3, 4)
"""

from __future__ import annotations

import re
from functools import lru_cache

from indicators import contract
from indicators.contract import fold

#: Header words of the columns that are not figures (folded, punctuation as spaces).
LABEL_WORDS = frozenset({"chi tieu", "ten chi tieu", "noi dung", "danh muc", "cac chi tieu", "chi tieu chu yeu",
                         "ten don vi", "don vi hanh chinh", "xa thi tran", "xa phuong thi tran", "dia ban",
                         "ten xa", "xa", "ten", "dia phuong", "chi tieu kinh te xa hoi", "ten huyen",
                         "don vi hanh chinh cap xa", "ten don vi hanh chinh"})
STT_WORDS = frozenset({"stt", "tt", "so tt", "so thu tu", "thu tu", "ma so", "ma"})
UNIT_WORDS = frozenset({"dvt", "don vi tinh", "dv tinh", "d v t", "don vi"})
NOTE_WORDS = frozenset({"ghi chu", "chu thich"})
#: Headers of a breakdown's columns (exact, accented: "Nam" is male, "Năm" a year) -> (dimension, value).
BREAKDOWNS: dict[str, tuple[str, str]] = {
    word: pair for value, pair in (("Nam", ("sex", "Nam")), ("Nữ", ("sex", "Nữ")),
                                   ("Thành thị", ("residence", "Thành thị")), ("Nông thôn", ("residence", "Nông thôn")))
    for word in (value, value.lower(), value.upper())}
_DERIVED = re.compile(r"\b(so sanh|tang giam|so voi|toc do|chenh lech|ty le hoan thanh|ty le thuc hien|"
                      r"ty le dat|hoan thanh ke hoach|phan tram so|chi so phat trien)\b")
_DERIVED_RAW = re.compile(r"=|\+/-|±|%\s*(so|KH)|\b(19|20)\d\d\s*/\s*(19|20)\d\d\b")
#: "% TH/KH", "TH so KH", "Ước TH/CK": one figure over another (folded text, slashes kept)
_RATIO_WORDS = re.compile(r"\b(th|kh|uoc th|uoc|ck|cung ky|nq)\s*/\s*(th|kh|ck|cung ky|nq|ke hoach)\b|"
                          r"\bso (kh|ke hoach|cung ky|ck|nq|muc tieu)\b")
_ESTIMATE = re.compile(r"\b(uoc|uoc tinh|uoc th|uoc dat|so bo|du kien|du bao)\b")
_TARGET = re.compile(r"\b(ke hoach|kh|du toan|muc tieu|nghi quyet|nq|chi tieu nq|chi tieu kh|dh|phan dau)\b")
_ACTUAL = re.compile(r"\b(thuc hien|th|thuc te|chinh thuc|cung ky|ket qua)\b")
_BASELINE = re.compile(r"\b(nam goc|co so|goc)\b")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_SPAN = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-–—]\s*((?:19|20)\d\d)(?!\d)")
_MONTHS = re.compile(r"\b(\d{1,2}) thang(?: dau nam)?(?: nam)? ((?:19|20)\d\d)\b")
_QUARTER = re.compile(r"\bquy (i{1,3}|iv|[1-4])\b.*?((?:19|20)\d\d)")
_MARKER = re.compile(r"\(?(\*+)\)?\s*$")
#: Words that end an area's name in a title ('… HUYỆN KIM SƠN NĂM 2023').
_AFTER_NAME = frozenset({"nam", "giai", "den", "tu", "quy", "thang", "nhiem", "theo", "va", "phan", "ve", "tinh",
                         "ke", "thuc", "uoc", "so", "nghi"})
AREA_LEVELS = ("thành phố", "thị trấn", "thị xã", "phường", "huyện", "tỉnh", "quận", "xã")
_AREA_START = re.compile(r"^(xa|thi tran|phuong|huyen|tinh|quan|thi xa|thanh pho|tp)\b")
TOTAL_WORDS = frozenset({"tong so", "tong cong", "toan huyen", "toan tinh", "toan xa", "toan thi xa", "cong",
                         "tong", "toan thanh pho", "chung", "tong chung", "ca nuoc", "toan quoc"})
_FOOTER = re.compile(r"^(ghi chu|chu thich|luu y|nguon so lieu|nguoi lap|thu truong|lanh dao|chu tich|xac nhan|"
                     r"ke toan|tm ubnd|t m|kt chu tich|giam doc|truong phong|can bo|noi nhan)\b")
_DATE_LINE = re.compile(r"\bngay\b.*\bthang\b.*\bnam\b")
_LETTERHEAD = re.compile(r"^(uy ban nhan dan|ubnd|cong hoa xa hoi|doc lap|so \d|chi cuc|cuc thong ke|"
                         r"phong |van phong|truong |ban chi dao|trung tam )")
_UNIT_LINE = re.compile(r"(?i)(?:đơn vị tính|đvt|đơn vị)\s*[:：]\s*(.+?)\)?\s*$")
_SOURCE_LINE = re.compile(r"(?i)^\s*nguồn(?: số liệu)?\s*[:：]\s*(.+)$")
_ROMAN = re.compile(r"^(?=[IVXLC]+$)M{0,3}(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_ARABIC = re.compile(r"^\d+(\.\d+)*$")
_STT_IN_LABEL = re.compile(r"^\s*((?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ]|[A-Z])[.)]|[-+•*–])\s+(?=\S)")


@lru_cache(maxsize=1 << 16)  # the same headers and labels come back in every commune's form
def words(text: str) -> str:
    """Folded, punctuation as spaces: 'Đơn vị tính:' -> 'don vi tinh'."""
    return re.sub(r"[^a-z0-9]+", " ", fold(text)).strip()


@lru_cache(maxsize=1 << 12)
def meaning(header: str) -> tuple[str, str, str, str]:
    """(role, period, kind, footnote marker) of a column from its joined header text.

    The role is "stt", "label", "unit", "note", "derived", "skip" or "value"; a value column's period is a
    year ("2023"), a span's end year ("KH 2021-2025" -> "2025"), a month ("6 tháng đầu năm 2024" ->
    "2024-06") or "" (from the title, or `--period`); its kind is "actual" unless the words say otherwise
    ("Ước"/"Sơ bộ" -> estimate, "KH"/"Kế hoạch"/"Mục tiêu"/"NQ" -> target, "Năm gốc" -> baseline)."""
    folded = words(header)
    last = words(header.split(" / ")[-1]) if header else ""
    if not folded:
        return "skip", "", "", ""
    for role, vocabulary in (("stt", STT_WORDS), ("label", LABEL_WORDS), ("unit", UNIT_WORDS),
                             ("note", NOTE_WORDS)):
        if folded in vocabulary or last in vocabulary:
            return role, "", "", ""
    if _DERIVED.search(folded) or _DERIVED_RAW.search(header) or _RATIO_WORDS.search(fold(header)):
        return "derived", "", "", ""
    marker = _MARKER.search(header)
    # the lowest header cell is the most precise; a breakdown's cell ("Nữ") names no period (`breakdown_in`)
    parts = [words(p) for p in reversed(header.split(" / ")) if p.strip() not in BREAKDOWNS]
    period = next((p for p in map(period_of, parts) if p), "")
    kind = next((k for k in map(kind_of, parts) if k), "")
    return "value", period, kind, marker.group(1) if marker else ""


def kind_of(folded: str) -> str:
    """The kind a header's words name ("" when they name none)."""
    for kind, pattern in (("estimate", _ESTIMATE), ("target", _TARGET), ("baseline", _BASELINE),
                          ("actual", _ACTUAL)):
        if pattern.search(folded):
            return kind
    return ""


def period_of(folded: str) -> str:
    """The period a folded text names: the last year, a span's end, a month count or a quarter; else ""."""
    months = _MONTHS.search(folded)
    if months and 1 <= int(months.group(1)) <= 12:
        return f"{months.group(2)}-{int(months.group(1)):02d}"
    quarter = _QUARTER.search(folded)
    if quarter:
        q = {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(quarter.group(1)) or int(quarter.group(1))
        return f"{quarter.group(2)}-{3 * q:02d}"
    span = _SPAN.search(folded)
    if span:
        return span.group(2)
    years = _YEAR.findall(folded)
    return years[-1] if years else ""


def is_previous_year(folded: str) -> bool:
    """'Cùng kỳ năm trước' (the same period a year before) names no year of its own."""
    return "cung ky" in folded and not _YEAR.search(folded)


def stt_level(stt: str) -> int:
    """The depth an STT gives a row: 0 a group (I, II, A), 1 an item (1), 2 a sub-item (1.1), 3 (a, b),
    4 a dash item (-, +, •); -1 no STT."""
    text = stt.strip().rstrip(".)").strip()
    if not text:
        return -1
    if _ROMAN.match(text) or (len(text) == 1 and text.isupper() and text.isalpha()):
        return 0
    if _ARABIC.match(text):
        return 1 + text.count(".")
    if len(text) == 1 and text.isalpha():
        return 3
    if text in ("-", "+", "•", "*", "–", "—"):
        return 4 + (text == "+")
    return -1


def split_stt(label: str) -> tuple[str, str]:
    """('1.', 'Dân số') from '1. Dân số' — the numbering written inside a label, for tables without STT."""
    match = _STT_IN_LABEL.match(label)
    if not match:
        return "", label
    return match.group(1), label[match.end():].strip()


def clean_label(label: str) -> str:
    """A sub-item's own words: 'Trong đó: - Nữ' -> 'Nữ'; leading dashes and a trailing colon gone."""
    text = re.sub(r"(?i)^\s*(trong đó|bao gồm|chia ra|gồm)\s*[:：]?\s*", "", label)
    text = re.sub(r"^[-+•*–—]\s*", "", text).strip()
    text = re.sub(r"\s*(\(\*+\)|\*+)$", "", text)  # a footnote marker is not part of the name
    return " ".join(text.rstrip(":：").split())


def breakdown_in(header: str) -> str:
    """The breakdown a column's header names, as the contract writes it: "Năm 2023 / Nữ" -> "sex=Nữ",
    "Thành thị / 2023" -> "residence=Thành thị"; "" for a total or any other column."""
    pairs = dict(BREAKDOWNS[p.strip()] for p in header.split(" / ") if p.strip() in BREAKDOWNS)
    return contract.breakdown_text(pairs) if pairs else ""


def names_areas(title: str) -> bool:
    """'Dân số trung bình phân theo xã': a table whose rows (or columns) are areas."""
    return bool(re.search(r"\b(phan|chia) theo (xa|huyen|don vi hanh chinh|dia ban|thon|xom|phuong|dia phuong)\b",
                          words(title)))


def is_total(label: str) -> bool:
    return len(label) < 24 and fold(label[:1]) in ("t", "c") and words(label) in TOTAL_WORDS


def is_area_name(label: str) -> bool:
    """'Xã Kim Chính', 'Thị trấn Phát Diệm', 'TT. Bình Minh' (a capitalised name after the level)."""
    text = label.strip()
    if re.match(r"(?i)^tt\.?\s+[A-ZĐ]", text):
        return True
    return bool(_AREA_START.match(words(text))) and area_in(text) is not None


def area_in(text: str) -> str | None:
    """An area named in a letterhead or title: 'UBND XÃ KIM CHÍNH' -> 'Xã Kim Chính',
    'Một số chỉ tiêu chủ yếu huyện Kim Sơn năm 2023' -> 'Huyện Kim Sơn'; None when none is named."""
    if "cong hoa" in fold(text):
        return None  # 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM': not an area
    letterhead = re.match(r"(?i)^\s*(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+(.+)$", text)
    upper = bool(letterhead)
    body = letterhead.group(1) if letterhead else text
    lowered = body.lower()
    for level in AREA_LEVELS:
        for match in re.finditer(rf"(?<!\w){level}(?!\w)", lowered):
            names = []
            for word in body[match.end():].split():
                if not word[:1].isupper() or _YEAR.match(word) or fold(word) in _AFTER_NAME:
                    break
                names.append(word.strip(",.;:()"))
            if names:
                return f"{level.capitalize()} {' '.join(names).title() if upper or body.isupper() else ' '.join(names)}"
    return None


_FOOTER_LEADS = frozenset("gclntxk(*")


def is_footer(text: str) -> bool:
    """A footnote, source or signature-block line below the figures."""
    if fold(text[:1]) not in _FOOTER_LEADS and "ngày" not in text.lower():
        return False
    folded = words(text)
    return bool(_FOOTER.match(folded) or source_line(text) or text.lstrip().startswith(("(*", "*"))
                or (_DATE_LINE.search(folded) and len(folded) < 80))


def is_letterhead(text: str) -> bool:
    return bool(_LETTERHEAD.match(words(text)) or _LETTERHEAD.match(fold(text)) or text.isupper() and
                ("CỘNG HÒA" in text or "Độc lập" in text)) or bool(_DATE_LINE.search(words(text)))


def unit_line(text: str) -> str | None:
    """'Tỷ đồng' from 'Đơn vị tính: Tỷ đồng' (or '(ĐVT: %)'); None for any other text."""
    match = _UNIT_LINE.search(text)
    return match.group(1).strip() if match else None


def source_line(text: str) -> str | None:
    """'Chi cục Thống kê' from 'Nguồn: Chi cục Thống kê'; None for any other text."""
    match = _SOURCE_LINE.match(text)
    return match.group(1).strip().rstrip(".") if match else None


def footnote(text: str) -> tuple[str, str] | None:
    """('*', 'Số liệu sơ bộ') from '(*) Số liệu sơ bộ' or '* Số liệu sơ bộ'."""
    match = re.match(r"^\s*\(?(\*+)\)?\s*[:.]?\s*(.+)$", text) or re.search(r"\((\*+)\)\s*[:.]?\s*(.+)$", text)
    return (match.group(1), match.group(2).strip()) if match else None


def column_number_row(cells: list[str]) -> bool:
    """'(1) (2) … (9)=(7)/(6)' or 'A B 1 2 3': the row numbering the columns, not figures."""
    filled = [c for c in cells if c]
    if len(filled) < 3:
        return False
    if not all(re.match(r"^\(?\s*([0-9]{1,2}|[A-Ea-e])\s*\)?(\s*=.*)?$", c) for c in filled):
        return False
    digits = [int(c) for c in filled if c.isdigit()]
    return any("(" in c or "=" in c for c in filled) or (len(digits) >= 2 and digits == list(range(1, len(digits) + 1)))


def split_unit(header: str) -> tuple[str, str]:
    """('Diện tích', 'km²') from 'Diện tích (km²)': an indicator column's name and unit."""
    match = re.match(r"^(.*?)\s*\(([^()]+)\)\s*$", header)
    return (match.group(1).strip(), match.group(2).strip()) if match else (header.strip(), "")


def slug(name: str) -> str:
    """A proposed indicator id: the folded name, words joined by '_', at most 48 characters."""
    text = re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_") or "chi_tieu"
    if len(text) > 48:
        text = text[:48].rsplit("_", 1)[0]
    return text if not text[0].isdigit() else f"ct_{text}"
