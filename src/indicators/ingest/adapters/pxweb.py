"""PX-Web tables -> contract rows: PX files (the PC-Axis format of GSO's and Statistics Sweden's PX-Web) and
the CSV a PX-Web site writes ("Dân số trung bình phân theo địa phương": a title line, then a header
"Địa phương","2019","2020","Sơ bộ 2021"…).

A PX file declares its variables (`STUB` rows, `HEADING` columns, `VALUES("var")=…`) and then every
cell in `DATA=` (the stub variables vary slowest, the last heading fastest). Each variable plays a role:
the time variable (`TIMEVAL`, or named period/year/năm) gives the period — "Sơ bộ"/"preliminary" marks an
estimate —, an area variable (region, địa phương, tỉnh… or with a `MAP`) the area, the contents variable
(`CONTVARIABLE`) the indicator (else `CONTENTS`/`TITLE`, unit `UNITS`); any other variable is a breakdown
(sex, age…): its total (its `ELIMINATION` value, or a value named "Total"/"Tổng số") is the breakdown "", each
other value `<dimension>=<value>` (sex, age_group, residence by the variable's name or values, else its folded
name: "marital status" -> `marital_status`). The "what was found" line says how many breakdown series were kept.
The same for the label columns of a PX-Web CSV besides the area. The area's total ("Cả nước", "00 Sweden") is
`--area` when given.
Cells ".." "..." "-" hold no figure (reported, left out).

PX files have no cells: an issue names a figure as the "cell" of a text file — row N is line N of the PX
file, the column letter the figure's place on that line (A = its first figure after `DATA=`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from indicators.contract import fold
from indicators.i18n import pair
from indicators.ingest.adapters import Converted, Options
from indicators.ingest.adapters.peer_common import (
    Rows,
    breakdown_of,
    cell_name,
    check_size,
    contract_period,
    dimension,
    is_total,
    issue_at,
    no_figure,
    no_figures,
)
from indicators.ingest.grid import read_grid
from indicators.ingest.limits import Limits
from indicators.ingest.reading import ReadError
from indicators.ingest.report import Issue

__all__ = ["convert", "sniff"]

_PX_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(AXIS-VERSION|CHARSET|MATRIX|CODEPAGE|LANGUAGE)\s*=", re.IGNORECASE)
_AREA_WORDS = frozenset({"region", "area", "dia phuong", "tinh", "tinh thanh pho", "tinh, thanh pho", "vung",
                         "huyen", "xa", "province", "county", "municipality", "reference area", "dia ban",
                         "don vi hanh chinh", "quan huyen", "phuong xa"})
#: Names of a time variable, as written (lower case): "Năm" is the year, "Nam" (male) is not.
_TIME_WORDS = frozenset({"period", "year", "years", "time", "quarter", "month", "năm", "kỳ", "thời gian", "thời kỳ",
                         "quý", "tháng", "tid", "år", "vuosi"})
#: Marks of a preliminary figure in a time value (folded): "Sơ bộ 2023", "2023 (prel.)", "Ước tính 2024".
_PRELIMINARY = re.compile(r"\(?(?<![a-z])(so bo|prel\.?|preliminary|uoc tinh|uoc|estimated?)(?![a-z])\)?")
_MARKS = re.compile(r"\(\*+\)|\*+|[()]")  # footnote marks: "2019 (*)"
_YEARISH = re.compile(r"(19|20)\d\d([MQKHSW]\d{1,2})?")
_FREQ = {"A1": "{y}", "H1": "{y}H{p}", "Q1": "{y}Q{p}", "M1": "{y}M{p}", "W1": "{y}W{p}"}


def sniff(data: bytes, filename: str) -> bool:
    """A PX file (it starts with a PX keyword) or the CSV a PX-Web site writes (a title line, then a
    header of a label and years)."""
    if _PX_START.match(data[:256]) or filename.lower().endswith(".px"):
        return True
    return _px_csv_header(data) is not None


# --- the PX file ---------------------------------------------------------------------------------------

@dataclass
class _Px:
    keywords: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (KEYWORD, sub) -> values
    data: str = ""  # the text after DATA=
    data_line: int = 0  # the file's line of the first line of `data`

    def get(self, key: str, sub: str = "") -> list[str]:
        return self.keywords.get((key, sub), [])

    def one(self, key: str, sub: str = "") -> str:
        values = self.get(key, sub)
        return values[0] if values else ""


_TOKEN = re.compile(r'"([^"]*)"|(,)|([^\s,"]+)')
_KEYWORD = re.compile(r"([A-Za-z0-9_-]+)(?:\[([^\]]*)\])?(?:\((.*)\))?", re.DOTALL)


def _damaged(reason: tuple[str, str]) -> ReadError:
    return ReadError("peer_file_damaged", format="PX", reason=reason)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        m = re.search(rb'CODEPAGE\s*=\s*"([^"]+)"', data[:4096])
        codec = m.group(1).decode("ascii", "replace") if m else "cp1252"
        try:
            return data.decode(codec, errors="replace")
        except LookupError:
            return data.decode("cp1252", errors="replace")


def _values(text: str) -> list[str]:
    """A keyword's value: quoted strings (consecutive ones without a comma are one long text) and words."""
    out: list[str] = []
    glue = False
    for m in _TOKEN.finditer(text):
        string, comma, word = m.groups()
        if comma:
            glue = False
            continue
        if string is not None and glue and out:
            out[-1] += string
        else:
            out.append(string if string is not None else word)
        glue = string is not None
    return out


def _parse(text: str) -> _Px:
    px = _Px()
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " \t\r\n;":
            i += 1
        if i >= n:
            break
        eq = text.find("=", i)
        if eq < 0:
            raise _damaged(pair("reason_px_syntax", line=text.count("\n", 0, i) + 1))
        head = text[i:eq].strip()
        if head.upper() == "DATA":
            end = text.rfind(";")
            body = text[eq + 1:end if end > eq else n]
            px.data, px.data_line = body, text.count("\n", 0, eq) + 1
            return px
        m = _KEYWORD.fullmatch(head)
        if not m:
            raise _damaged(pair("reason_px_syntax", line=text.count("\n", 0, i) + 1))
        j, quoted = eq + 1, False
        while j < n and (quoted or text[j] != ";"):
            quoted ^= text[j] == '"'
            j += 1
        key, lang, sub = m.group(1).upper(), m.group(2), m.group(3)
        if not lang:  # the file's default language only
            px.keywords[(key, ",".join(_values(sub)) if sub else "")] = _values(text[eq + 1:j])
        i = j + 1
    raise _damaged(pair("reason_px_no_data"))


def _cells(px: _Px, expected: int) -> Iterator[tuple[str, int, int]]:
    """The figures after DATA= as (text, line of the file, place on the line), exactly `expected` of them."""
    found = 0
    for number, line in enumerate(px.data.split("\n")):
        place = 0
        for m in _TOKEN.finditer(line):
            string, comma, word = m.groups()
            if comma:
                continue
            place += 1
            found += 1
            if found > expected:
                continue  # only counted, for the message
            yield (string if string is not None else word), px.data_line + number, place
    if found != expected:
        raise _damaged(pair("reason_px_cells", found=f"{found:,}", expected=f"{expected:,}"))


@dataclass
class _Variable:
    name: str
    values: list[str]
    role: str = "breakdown"  # time, area, contents, breakdown
    total: str | None = None  # the value that is the total of a breakdown or area
    dimension: str = ""  # a breakdown's contract dimension (sex, age_group, marital_status…)


def _variables(px: _Px) -> list[_Variable]:
    names = px.get("STUB") + px.get("HEADING")
    content = px.one("CONTVARIABLE")
    timevals = {sub for key, sub in px.keywords if key == "TIMEVAL"}
    variables = []
    for name in names:
        values = px.get("VALUES", name)
        if not values:
            raise _damaged(pair("reason_px_no_values", variable=name))
        var = _Variable(name, values)
        folded = fold(name)
        if name == content:
            var.role = "contents"
        elif name in timevals or unicodedata.normalize("NFC", name.strip().lower()) in _TIME_WORDS:
            var.role = "time"
        elif folded in _AREA_WORDS or px.get("MAP", name) or "region" in fold(px.one("DOMAIN", name)):
            var.role = "area"
        elimination = px.get("ELIMINATION", name)
        if elimination and elimination[0] in values:
            var.total = elimination[0]
        else:
            var.total = next((v for v in values if is_total(v) and v), None)
        if var.role == "breakdown":
            var.dimension = dimension(name, [v for v in values if v != var.total])
        variables.append(var)
    return variables


def _bare(text: str) -> str:
    return _MARKS.sub("", _PRELIMINARY.sub("", fold(text))).upper().replace(" ", "")


def _period(text: str, code: str) -> tuple[str | None, bool]:
    """(contract period, preliminary?) from a time value ('Sơ bộ 2023', '2006K1') or its TIMEVAL code."""
    preliminary = bool(_PRELIMINARY.search(fold(text)))
    period = contract_period(_bare(text))
    if period is None and code:
        period = contract_period(code)
    return period, preliminary


def _timecodes(px: _Px, var: _Variable) -> list[str]:
    raw = px.get("TIMEVAL", var.name)
    if not raw:
        return []
    m = re.match(r"TLIST\((\w\d)", raw[0])
    pattern = _FREQ.get(m.group(1).upper()) if m else None
    codes = [c for c in raw[1:] if re.fullmatch(r"\d{4,8}", c)]
    if not pattern or len(codes) != len(var.values):
        return []
    return [pattern.format(y=c[:4], p=c[4:]) for c in codes]


def _convert_px(data: bytes, filename: str, options: Options) -> Converted:
    limits = options.limits or Limits.from_env()
    check_size(data, limits)
    px = _parse(_decode(data))
    variables = _variables(px)
    shape = [len(v.values) for v in variables]
    n_stub = len(px.get("STUB"))
    n_rows, n_columns = math.prod(shape[:n_stub]), math.prod(shape[n_stub:])
    if n_rows * n_columns > limits.cells:
        raise ReadError("too_many_sheet_cells", where=pair("where_file"), rows=f"{n_rows:,}",
                        columns=f"{n_columns:,}", cells=f"{n_rows * n_columns:,}", limit=f"{limits.cells:,}",
                        setting=Limits.setting("cells"))
    title = px.one("TITLE") or px.one("CONTENTS") or filename
    name = px.one("CONTENTS") or title
    source = options.source or " — ".join(p for p in (px.one("SOURCE"), filename) if p)
    periods = {v.name: [_period(value, code) for value, code in
                        zip(v.values, _timecodes(px, v) or [""] * len(v.values), strict=True)]
               for v in variables if v.role == "time"}
    rows = Rows(options.catalogue)
    blank, first_blank, assumed, bad_periods = 0, None, None, []
    breakdowns: dict[tuple[int, ...], str] = {}  # the breakdown of each combination of breakdown values
    cut = [i for i, v in enumerate(variables) if v.role == "breakdown"]
    for (token, line, place), index in zip(_cells(px, n_rows * n_columns),
                                           itertools.product(*(range(s) for s in shape)), strict=False):
        combination = tuple(index[i] for i in cut)
        breakdown = breakdowns.get(combination)
        if breakdown is None:
            breakdown = breakdowns[combination] = breakdown_of(
                (variables[i].dimension, variables[i].values[k]) for i, k in zip(cut, combination, strict=True)
                if variables[i].values[k] != variables[i].total)
        if no_figure(token):
            blank += 1
            first_blank = first_blank or (line, place)
            continue
        indicator, unit, area, period, kind = name, px.one("UNITS"), "", "", "actual"
        for var, k in zip(variables, index, strict=True):
            value = var.values[k]
            if var.role == "contents":
                indicator, unit = value, px.one("UNITS", value) or unit
            elif var.role == "area":
                area = options.area if options.area and value == var.total else value
            elif var.role == "time":
                contract, preliminary = periods[var.name][k]
                if contract is None:
                    bad_periods.append(issue_at("period_not_supported", cell_name(line, place), row=line,
                                                value=value))
                period, kind = contract or "", ("estimate" if preliminary else kind)
        if not period and any(v.role == "time" for v in variables):
            continue  # a period the contract cannot hold: reported above
        if not area:
            area = options.area or pair("peer_national_area")[0]
            assumed = assumed or (line, place)
        rows.add(name=indicator, unit=unit, area=area, period=period, value=token, row=line, column=place,
                 kind=kind, source=source, breakdown=breakdown)
    issues = no_figures(blank, first_blank) + _first_per_value(bad_periods)
    if assumed is not None and not options.area:
        issues.append(issue_at("area_assumed", cell_name(*assumed), row=assumed[0], value=rows.columns["area"][0]))
    detected = pair("detected_pxweb", format="PX", title=title, rows=len(rows))
    return rows.converted("pxweb", detected, issues, filename=filename, sha256=hashlib.sha256(data).hexdigest())


def _first_per_value(issues: list[Issue]) -> list[Issue]:
    seen: set[str] = set()
    out = []
    for issue in issues:
        if issue.value not in seen:
            seen.add(issue.value)
            out.append(issue)
    return out


# --- the CSV a PX-Web site writes --------------------------------------------------------------------

def _px_csv_header(data: bytes) -> tuple[int, list[str], str] | None:
    """(header row, header, separator) of a PX-Web CSV: one title cell on the first line, then (after blank
    lines) a header of label cells, one of them an area ("Địa phương", "Tỉnh, thành phố", "Region"), followed
    by year cells only ("2020", "Sơ bộ 2021"). A report table ("biểu": "Chỉ tiêu", "ĐVT"…) is not one."""
    head = data[:8192]
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # a workbook
        return None
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = head[:exc.start].decode("utf-8")
    lines = [line for line in text.splitlines()[:6]]
    if len(lines) < 2:
        return None
    probe = next((line for line in lines[1:] if line.strip()), "")
    sep = ";" if probe.count(";") > probe.count(",") else "\t" if "\t" in probe else ","
    parsed = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=sep))
    titles = [c for c in parsed[0] if c.strip()] if parsed else []
    if len(titles) != 1 or _is_year(titles[0]):
        return None
    for number, row in enumerate(parsed[1:], start=2):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        labels = list(itertools.takewhile(lambda c: not _is_year(c), cells))
        years = cells[len(labels):]
        if labels and years and all(_is_year(c) for c in years if c) and labels[0] \
                and any(fold(c) in _AREA_WORDS for c in labels):
            return number, cells, sep
        return None
    return None


def _is_year(text: str) -> bool:
    bare = _bare(text)
    return bool(bare) and _YEARISH.fullmatch(bare) is not None


def _title(text: str) -> tuple[str, str]:
    """(indicator, unit) from a PX-Web title: 'Dân số trung bình phân theo địa phương (Nghìn người)'."""
    m = re.fullmatch(r"(.*?)\s*\(([^()]*)\)\s*", text)
    name, unit = (m.group(1), m.group(2)) if m and m.group(1) else (text.strip(), "")
    short = re.sub(r"\s+(phân theo|chia theo)\s.*$", "", name, flags=re.IGNORECASE)
    return short or name, unit


def _convert_csv(data: bytes, filename: str, options: Options) -> Converted:
    found = _px_csv_header(data)
    if found is None:
        raise ReadError("not_a_table", reason=pair("reason_px_no_data"))
    header_row, _, sep = found
    grid = read_grid(data, filename, sheet=options.sheet, limits=options.limits)
    if grid.separator != sep:  # the title line misled the sniffer: say the separator as Excel's "sep=" line does
        body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        grid = read_grid(b"sep=" + sep.encode() + b"\n" + body, filename, limits=options.limits)
    header = grid.rows[header_row - 1]
    title = next((c for c in grid.rows[0] if c), filename)
    indicator, unit = _title(title)
    labels = list(itertools.takewhile(lambda c: not _is_year(c), header))
    area_col = next((j + 1 for j, c in enumerate(labels) if fold(c) in _AREA_WORDS), 1)
    breakdowns = [(j + 1, c) for j, c in enumerate(labels) if j + 1 != area_col]
    dims = {j: dimension(c, (grid.cell(r, j) for r in range(header_row + 1, grid.height + 1))) for j, c in breakdowns}
    periods = [(j + 1, *_period(c, "")) for j, c in enumerate(header) if j >= len(labels) and c]
    source = options.source or " — ".join(p for p in (title, filename) if p)
    rows = Rows(options.catalogue)
    blank, first_blank, issues = 0, None, []
    for r in range(header_row + 1, grid.height + 1):
        area = grid.cell(r, area_col)
        if not area or not any(grid.cell(r, j) for j, *_ in periods):
            continue  # a footnote or a blank line
        cut = [j for j, _ in breakdowns if not is_total(grid.cell(r, j))]
        breakdown = breakdown_of((dims[j], grid.cell(r, j)) for j in cut)
        if options.area and is_total(area):
            area = options.area
        for j, period, preliminary in periods:
            value = grid.cell(r, j)
            if no_figure(value):
                blank += 1
                first_blank = first_blank or (r, j)
                continue
            if period is None:
                issues.append(issue_at("period_not_supported", grid.ref(header_row, j), row=header_row,
                                       sheet=grid.sheet, value=grid.cell(header_row, j)))
                continue
            rows.add(name=indicator, unit=unit, area=area, period=period, value=value,
                     row=r, column=j, kind="estimate" if preliminary else "actual", source=source,
                     breakdown=breakdown,
                     at={"period": (header_row, j), "kind": (header_row, j), "area": (r, area_col),
                         "indicator": (1, 1), "indicator_id": (1, 1), "unit": (1, 1),
                         "breakdown": (r, cut[0] if cut else area_col)})
    issues = no_figures(blank, first_blank, grid.sheet) + _first_per_value(issues)
    detected = pair("detected_pxweb", format="CSV", title=title, rows=len(rows))
    return rows.converted("pxweb", detected, grid.issues + issues, filename=filename, sha256=grid.sha256,
                          sheet=grid.sheet)


def convert(data: bytes, filename: str, options: Options) -> Converted:
    if _PX_START.match(data[:256]) or (filename.lower().endswith(".px") and b"DATA" in data):
        return _convert_px(data, filename, options)
    if filename.lower().endswith(".px"):
        raise _damaged(pair("reason_px_no_data"))
    return _convert_csv(data, filename, options)
