"""Where things are in a report table ("biểu"): the title zone, the header rows (merged cells joined), the
column-number row, the body of figures and the footer (footnotes, source, signature block).

A header is the first row with two or more cells that names its columns (STT, Chỉ tiêu, ĐVT…) or holds two
periods/kinds; it continues over the next rows (three at most) while the label and STT cells stay empty
(merged from above). A merged cell's text applies to every column it spans; in CSV, where merges are lost,
an empty header cell after a spanning one continues it when the row below splits it ("Năm 2023" over
"KH | TH"). The body ends at the first footnote, source or signature line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indicators.ingest.adapters import wide_header as wh
from indicators.ingest.grid import Grid

#: A figure's text, roughly (the fast test used to find the body; the exact reading is `wide_cells`).
FIGURE = re.compile(r"^[<>≥≤~]?\s*[-+−]?\d[\d.,\s]*\s*%?\s*(\(?\*+\)?)?(\s*/\s*\d[\d.,]*)?$")
_HEADER_SCAN = 60


@dataclass
class Part:
    text: str
    row: int
    column: int


@dataclass
class Layout:
    header: tuple[int, int]  # first and last header row
    numbers_row: int  # the column-number row (0: none)
    body: tuple[int, int]  # first and last body row
    first: int  # first and last column of the table
    last: int
    parts: dict[int, list[Part]] = field(default_factory=dict)  # column -> its header cells, top down
    stt: int = 0  # the STT column (0: none) and the label column
    label: int = 0
    title: str = ""
    title_lines: list[Part] = field(default_factory=list)
    unit: Part | None = None  # the "Đơn vị tính: …" line
    source: Part | None = None  # the "Nguồn: …" line
    letterhead_area: Part | None = None
    notes: dict[str, str] = field(default_factory=dict)  # footnote marker -> text

    def header_text(self, column: int) -> str:
        return " / ".join(p.text for p in self.parts.get(column, []))

    def header_rows(self) -> str:
        return f"{self.header[0]}-{self.header[1]}"


def _filled(cells: list[str]) -> list[str]:
    return [c for c in cells if c]


def _is_header_start(cells: list[str]) -> bool:
    filled = _filled(cells)
    if len(filled) < 2 or all(wh.is_letterhead(c) or wh.unit_line(c) for c in filled):
        return False
    names = {wh.words(c) for c in filled}
    if names & (wh.STT_WORDS | wh.LABEL_WORDS | wh.UNIT_WORDS):
        return True
    periods = 0
    for text in filled:
        role, period, kind, _ = wh.meaning(text)
        periods += role == "value" and bool(period or kind)
    return periods >= 2


def find_layout(grid: Grid, header: tuple[int, int] | None = None) -> Layout | None:
    """The table's layout; None when no header is found. `header` forces the header rows (a profile)."""
    if header is None:
        start = next((r for r in range(1, min(grid.height, _HEADER_SCAN) + 1) if _is_header_start(grid.rows[r - 1])),
                     None)
        if start is None:
            start = next((r for r in range(1, min(grid.height, _HEADER_SCAN) + 1)
                          if len(_filled(grid.rows[r - 1])) >= 3), None)
        if start is None:
            return None
        stt, label = _key_columns(grid.rows[start - 1])
        end = start
        while end - start < 2 and end < grid.height and _continues(grid, end + 1, start, stt, label):
            end += 1
    else:
        start, end = header
        stt, label = _key_columns(grid.rows[start - 1])
    numbers_row = end + 1 if end < grid.height and wh.column_number_row(grid.rows[end]) else 0
    first_body = (numbers_row or end) + 1
    first, last = _extent(grid, start, end)
    layout = Layout((start, end), numbers_row, (first_body, first_body - 1), first, last, stt=stt, label=label)
    layout.parts = _header_parts(grid, start, end, first, last)
    if not layout.label:
        layout.label = _guess_label(grid, layout)
    if _numbering(grid, layout, layout.label) and layout.label + 1 <= layout.last and not layout.stt:
        layout.stt, layout.label = layout.label, layout.label + 1  # "Chỉ tiêu" merged over STT and label
    _read_title(grid, layout)
    _read_body_and_footer(grid, layout)
    return layout


def _key_columns(cells: list[str]) -> tuple[int, int]:
    stt = label = 0
    for j, text in enumerate(cells, 1):
        name = wh.words(text)
        if not stt and name in wh.STT_WORDS:
            stt = j
        elif not label and name in wh.LABEL_WORDS:
            label = j
    return stt, label


def _continues(grid: Grid, row: int, start: int, stt: int, label: int) -> bool:
    cells = grid.rows[row - 1]
    if not _filled(cells) or wh.column_number_row(cells):
        return False
    for column in (stt, label or 1):
        if column and cells[column - 1] and grid.merged_origin(row, column)[0] == row:
            return False
    return not any(wh.is_footer(c) for c in _filled(cells))


def _extent(grid: Grid, start: int, end: int) -> tuple[int, int]:
    """The first and last column of the header, widened to the first column the rows below use (a yearbook
    table's top-left header cell is often empty)."""
    columns = [j for r in range(start, end + 1) for j, c in enumerate(grid.rows[r - 1], 1) if c]
    below = [next((j for j, c in enumerate(row, 1) if c), 0) for row in grid.rows[end:end + 40]]
    if columns and any(below):
        columns.append(min(j for j in below if j))
    for r0, c0, r1, c1 in grid.merged:
        if r0 <= end and r1 >= start:
            columns += [c0, c1]
    return (min(columns), max(columns)) if columns else (1, grid.width)


def _header_parts(grid: Grid, start: int, end: int, first: int, last: int) -> dict[int, list[Part]]:
    """Each column's header cells top down, merged ranges and CSV spans filled in."""
    cells: dict[tuple[int, int], Part] = {}
    for r in range(start, end + 1):
        for j in range(first, last + 1):
            text = grid.cell(r, j)
            if text:
                cells[(r, j)] = Part(text, r, j)
    for r0, c0, r1, c1 in grid.merged:
        origin = cells.get((r0, c0))
        if origin is None or r0 > end or r1 < start:
            continue
        for r in range(max(r0, start), min(r1, end) + 1):
            for j in range(max(c0, first), min(c1, last) + 1):
                cells.setdefault((r, j), origin)
    for r in range(end - 1, start - 1, -1):  # CSV: a spanning cell continues over the cells the row below
        # splits (bottom up, so a lower row's spans are known before the row above is continued)
        for j in range(first + 1, last + 1):
            left = cells.get((r, j - 1))
            if (r, j) not in cells and left is not None and (r + 1, j) in cells and (r + 1, left.column) in cells:
                cells[(r, j)] = left
    parts: dict[int, list[Part]] = {}
    for j in range(first, last + 1):
        column: list[Part] = []
        for r in range(start, end + 1):
            part = cells.get((r, j))
            if part is not None and (not column or column[-1] is not part) and part.text not in [p.text for p in column]:
                column.append(part)
        parts[j] = column
    return parts


def _numbering(grid: Grid, layout: Layout, column: int) -> bool:
    """Most of the column's body cells are STT numbers (I, 1, 1.1, a, -) and the next column has words."""
    rows = grid.rows[layout.body[0] - 1:layout.body[0] + 40]
    own = [row[column - 1] for row in rows if column - 1 < len(row) and row[column - 1]]
    beside = [row[column] for row in rows if column < len(row) and row[column] and not FIGURE.match(row[column])]
    return bool(own) and sum(wh.stt_level(t) >= 0 for t in own) * 2 > len(own) and len(beside) >= len(own) // 2


def _guess_label(grid: Grid, layout: Layout) -> int:
    """The column holding the most words (not figures) in the rows below the header."""
    best, score = layout.first, -1
    rows = grid.rows[layout.body[0] - 1:layout.body[0] + 40]
    for j in range(layout.first, layout.last + 1):
        if j == layout.stt:
            continue
        texts = [row[j - 1] for row in rows if j - 1 < len(row) and row[j - 1]]
        words = sum(1 for t in texts if not FIGURE.match(t) and wh.stt_level(t) < 0 and len(t) > 3)
        if words > score:
            best, score = j, words
    return best


def _read_title(grid: Grid, layout: Layout) -> None:
    for r in range(1, layout.header[0]):
        for j, text in enumerate(grid.rows[r - 1], 1):
            if not text:
                continue
            unit = wh.unit_line(text)
            if unit:
                layout.unit = Part(unit, r, j)
            elif wh.is_letterhead(text) or _only_an_area(text):
                area = wh.area_in(text)
                if area and layout.letterhead_area is None:
                    layout.letterhead_area = Part(area, r, j)
            else:
                layout.title_lines.append(Part(text, r, j))
    titles = [p.text for p in layout.title_lines if not re.match(r"(?i)^biểu(\s*số)?\s*[\w.-]*\s*$", p.text)]
    layout.title = titles[0] if titles else (layout.title_lines[0].text if layout.title_lines else "")


def _only_an_area(text: str) -> bool:
    """'HUYỆN KIM SƠN' on the line under 'ỦY BAN NHÂN DÂN': a letterhead naming the area, not a title."""
    area = wh.area_in(text)
    return area is not None and wh.words(area) == wh.words(text)


def _read_body_and_footer(grid: Grid, layout: Layout) -> None:
    first_body, last_body = layout.body[0], layout.body[0] - 1
    footer = False
    for r in range(first_body, grid.height + 1):
        cells = grid.rows[r - 1]
        filled = _filled(cells)
        if not filled:
            continue
        if not footer and wh.is_footer(filled[0]) and not any(
                FIGURE.match(c) for j, c in enumerate(cells, 1) if c and j not in (layout.stt, layout.label)):
            footer = True
        if not footer:
            last_body = r
            continue
        for j, text in enumerate(cells, 1):
            source = wh.source_line(text) if text else None
            if source and layout.source is None:
                layout.source = Part(source, r, j)
            note = wh.footnote(text) if text else None
            if note:
                layout.notes.setdefault(*note)
            unit = wh.unit_line(text) if text else None
            if unit and layout.unit is None:
                layout.unit = Part(unit, r, j)
    layout.body = (first_body, last_body)
