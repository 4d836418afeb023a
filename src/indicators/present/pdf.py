"""The PDF brief (fpdf2): one to three A4 pages — title, date and version, the status counts, a table of
every indicator with its status in words, the sentences that matter, and the numbered sources.

    data = build_brief(load_view(store, 3), lang="vi")

fpdf2's built-in fonts are Latin-1 only and cannot write "Đúng tiến độ"; the brief embeds DejaVu Sans
(regular, bold, and the condensed cut for the table), which has every Vietnamese letter and the status
symbols; the fonts ship with the package (fontfiles.py), so the brief builds on a machine without any.
Its colours are the palette's (theme.py). To stay within three pages the table lists every series but the sentences are only those of
series with a target or with a change to tell (two values or more); the deck carries them all.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace

from indicators.callbacks import ProgressCallback, no_progress
from indicators.i18n import indicator_name, t
from indicators.present.fontfiles import FILES as FONTS
from indicators.present.fontfiles import FONT_DIR
from indicators.present.formatting import fmt_date, fmt_period, fmt_value
from indicators.present.model import ReportModel
from indicators.present.narrative import counts_text, group_lead
from indicators.present.plaintext import GROUP_LIMIT, NAME_LIMIT, shorten
from indicators.present.theme import LIGHT, STATUS_COLOURS, rgb
from indicators.present.view import VersionView, value_text

INK, MUTED, ACCENT = rgb(LIGHT.text), rgb(LIGHT.muted), rgb(LIGHT.accent)
MARGIN = 12.0
#: Characters of the footer line and of one listed source; longer texts are cut with "…" (a table row and a
#: footer must fit on one page; the data page and the downloads hold every text whole).
FOOTER_LIMIT, SOURCE_LIST_LIMIT = 110, 600


class Brief(FPDF):
    """An A4 page setup with DejaVu fonts and a footer naming the area, the data's date, version and page."""

    def __init__(self, report: ReportModel, font_dir: Path = FONT_DIR) -> None:
        super().__init__(format="A4")
        self.report = report
        for (family, style), name in FONTS.items():
            self.add_font(family, style, str(font_dir / name))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=14)
        self.set_title(t("report_title", report.lang))
        self.set_creator("indicators")
        self.set_lang(report.lang)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font("dejavu", "", 7)
        self.set_text_color(*MUTED)
        left = shorten(" · ".join(p for p in (self.report.subtitle, self.report.dateline) if p), FOOTER_LIMIT)
        self.cell(0, 4, left, align="L")
        self.set_x(MARGIN)
        self.cell(0, 4, t("report_page", self.report.lang, n=self.page_no(), total="{nb}"), align="R")

    def para(self, text: str, size: float, *, bold: bool = False, colour: tuple[int, int, int] = INK,
             gap: float = 1.0) -> None:
        self.set_font("dejavu", "B" if bold else "", size)
        self.set_text_color(*colour)
        self.multi_cell(0, size * 0.45, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)


def _head(pdf: Brief) -> None:
    r = pdf.report
    pdf.para(t("report_title", r.lang), 15, bold=True, colour=ACCENT)
    pdf.para(r.subtitle, 11)
    made = t("report_made_on", r.lang, date=fmt_date(date.today(), r.lang))
    pdf.para(" · ".join(p for p in (r.dateline, made) if p), 8.5, colour=MUTED, gap=2)
    if r.term_line:  # a closed term: its verdicts in one sentence
        pdf.para(r.term_line, 9, bold=True, gap=1)
    pdf.para(counts_text(r.result, r.lang), 9, bold=True, gap=2)


def _row_cells(r: ReportModel, row: pd.Series) -> list[str]:
    latest = value_text(row, r.lang)
    if pd.notna(row["latest_value"]):
        latest += f" ({fmt_period(row['latest_period'], row['latest_date'], r.lang)})"
    target = "—"
    if pd.notna(row["target_value"]):
        target = fmt_value(row["target_value"], row["target_qualifier"], row["unit"], r.lang)
        target += f" ({fmt_period(row['target_period'], row['target_date'], r.lang)})"
    refs = ",".join(str(n) for n in r.source_numbers(pd.DataFrame([row])))
    return [shorten(indicator_name(row, r.lang), NAME_LIMIT), latest, target, r.mark(row)[0], refs]


def _table(pdf: Brief) -> None:
    r = pdf.report
    pdf.set_font("dejavu-c", "", 7.5)
    pdf.set_text_color(*INK)
    headings = [t("indicator_page", r.lang), t("latest", r.lang), t("target", r.lang), t("status", r.lang),
                t("report_source_no", r.lang)]
    heading_style = FontFace(family="dejavu-c", emphasis="B", fill_color=rgb(LIGHT.header))
    group_style = FontFace(family="dejavu-c", emphasis="B", color=ACCENT, fill_color=rgb(LIGHT.surface))
    with pdf.table(col_widths=(72, 40, 32, 30, 12), text_align="LEFT", line_height=3.3, padding=(0.8, 1),
                   borders_layout="HORIZONTAL_LINES", headings_style=heading_style) as table:
        table.row(headings)
        for section in r.sections:
            table.row().cell(shorten(section.group, GROUP_LIMIT), colspan=5, style=group_style)
            for _, row in section.rows.iterrows():
                cells = _row_cells(r, row)
                line = table.row()
                for j, text in enumerate(cells):
                    style = FontFace(color=rgb(STATUS_COLOURS[r.mark(row)[1]]), emphasis="B") if j == 3 else None
                    line.cell(text, style=style)
    pdf.ln(3)


def _worth_a_sentence(row: pd.Series) -> bool:
    return bool(pd.notna(row["target_value"]) or pd.notna(row["previous_value"]))


def _narrative(pdf: Brief) -> None:
    r = pdf.report
    pdf.para(t("report_narrative", r.lang), 11, bold=True, colour=ACCENT)
    for section in r.sections:
        rows = section.rows[section.rows.apply(_worth_a_sentence, axis=1)]
        if rows.empty:
            continue
        pdf.para(group_lead(section.rows, section.group, r.lang), 9, bold=True, gap=0.5)
        for (_, row), text in zip(rows.iterrows(), r.sentences(rows), strict=True):
            refs = ",".join(str(n) for n in r.source_numbers(pd.DataFrame([row])))
            pdf.para(f"• {text}" + (f" [{refs}]" if refs else ""), 8.5, gap=0.8)
        pdf.ln(1)


def _sources(pdf: Brief) -> None:
    r = pdf.report
    pdf.para(t("report_sources", r.lang), 11, bold=True, colour=ACCENT)
    for n, source in enumerate(r.sources, start=1):
        pdf.para(f"[{n}] {shorten(source, SOURCE_LIST_LIMIT)}", 7, colour=MUTED, gap=0.4)


def build_brief(view: VersionView, *, lang: str = "vi", progress: ProgressCallback | None = None,
                area: str | None = None, term: str | None = None) -> bytes:
    """The PDF bytes of the brief of a version."""
    notify = progress or no_progress
    notify(0.0, t("report_building", lang))
    pdf = Brief(view.report(lang, area, term))
    pdf.add_page()
    _head(pdf)
    _table(pdf)
    notify(0.5, t("report_narrative", lang))
    _narrative(pdf)
    _sources(pdf)
    data = bytes(pdf.output())
    notify(1.0, t("report_done", lang))
    return data
