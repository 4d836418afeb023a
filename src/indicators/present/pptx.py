"""The PowerPoint deck (python-pptx): title, summary, one slide per group with its chart and sentences,
the sources; every slide carries its sources, the version and the date of the data in a footer.

    data = build_deck(load_view(store, 3), lang="vi", progress=lambda f, m: print(f, m))

Slides are 16:9 and drawn on the blank layout with explicit text boxes, so nothing depends on a template.
Text is Arial (on every Windows and Office machine, with all Vietnamese letters; a deck cannot carry its
fonts); chart images are PNGs rendered by images.py with large type, since a chart fills about half a
projected slide. Every colour is the palette's (theme.py), as in the brief and on the pages.
"""

from __future__ import annotations

import io
import math
import struct
from datetime import date

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import PP_ALIGN
from pptx.slide import Slide
from pptx.util import Inches, Pt

from indicators.callbacks import ProgressCallback, no_progress
from indicators.i18n import indicator_name, t
from indicators.present import charts, images
from indicators.present.formatting import fmt_date, fmt_percent, fmt_period, fmt_value
from indicators.present.model import ReportModel, group_figure, slide_plan
from indicators.present.narrative import counts_text, share_reached
from indicators.present.plaintext import LABEL_LIMIT, NAME_LIMIT, SOURCE_LIMIT, shorten
from indicators.present.theme import LIGHT, STATUS_COLOURS, rgb
from indicators.present.view import VersionView, value_text
from indicators.progress.statuses import STATUS_CODES, status_label

FONT = "Arial"
WIDTH, HEIGHT, MARGIN = 13.333, 7.5, 0.5
BODY_TOP, BODY_BOTTOM = 1.75, 6.6
CHART_PX = (1440, 900)  # 16:10, placed 7.2 in wide (54% of the slide): 30 px text projects at ≈ 21 px
CHART_FONT = 30
TABLE_ROWS = 8
#: Characters of an indicator's name in the summary table (a row stays within its slide).
CELL_LIMIT = 120


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor(*rgb(hex_colour))


INK, MUTED, ACCENT, ON_ACCENT = (_rgb(c) for c in (LIGHT.text, LIGHT.muted, LIGHT.accent, LIGHT.on_accent))


def _text(slide: Slide, box: tuple[float, float, float, float], paragraphs: list[str], size: float, *,
          bold: bool = False, colour: RGBColor = INK, align: PP_ALIGN = PP_ALIGN.LEFT, space: float = 0) -> None:
    """A text box at (left, top, width, height) inches, one paragraph per string."""
    frame = slide.shapes.add_textbox(*(Inches(v) for v in box)).text_frame
    frame.word_wrap = True
    for i, text in enumerate(paragraphs):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.alignment = align
        para.space_after = Pt(space)
        run = para.add_run()
        run.text = text
        run.font.name, run.font.size, run.font.bold, run.font.color.rgb = FONT, Pt(size), bold, colour


class Deck:
    """A deck being written: slides, and per slide the rows whose sources its footer cites."""

    def __init__(self, report: ReportModel) -> None:
        self.report = report
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(WIDTH), Inches(HEIGHT)
        self.cited: list[pd.DataFrame | None] = []

    def slide(self, title: str, cites: pd.DataFrame | None, subtitle: str = "", *,
              title_box: tuple[float, float, float, float] = (MARGIN, 0.3, WIDTH - 2 * MARGIN, 0.8),
              title_size: float = 28) -> Slide:
        """A new slide whose title is its real title placeholder (outline view, screen readers, python-pptx's
        `slide.shapes.title`); its footer will cite the sources of `cites` (None: the slide lists them)."""
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[5])  # "Title Only"
        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Inches(WIDTH), Inches(0.12))
        bar.fill.solid()
        bar.fill.fore_color.rgb = ACCENT
        bar.line.fill.background()
        holder = slide.shapes.title
        holder.left, holder.top, holder.width, holder.height = (Inches(v) for v in title_box)
        frame = holder.text_frame
        frame.word_wrap = True
        para = frame.paragraphs[0]
        para.alignment = PP_ALIGN.LEFT
        run = para.add_run()
        run.text = shorten(title, LABEL_LIMIT)
        run.font.name, run.font.size, run.font.bold, run.font.color.rgb = FONT, Pt(title_size), True, ACCENT
        if subtitle:
            _text(slide, (MARGIN, 1.05, WIDTH - 2 * MARGIN, 0.5), [subtitle], 16, colour=MUTED)
        self.cited.append(cites)
        return slide

    def add_footers(self) -> None:
        """Sources on the left, slide number, version and date of the data on the right — on every slide."""
        total = len(self.prs.slides)
        for n, (slide, rows) in enumerate(zip(self.prs.slides, self.cited, strict=True), start=1):
            if rows is not None:
                _text(slide, (MARGIN, 6.72, 9.6, 0.7), [self.report.sources_text(rows, limit=520)], 8, colour=MUTED)
            right = [t("report_slide", self.report.lang, n=n, total=total), self.report.dateline]
            _text(slide, (10.3, 6.72, 2.53, 0.7), right, 9, colour=MUTED, align=PP_ALIGN.RIGHT)

    def save(self) -> bytes:
        self.add_footers()
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()


def _title_slide(deck: Deck) -> None:
    r = deck.report
    slide = deck.slide(t("report_title", r.lang), r.result, title_box=(1.0, 1.9, 11.3, 1.4), title_size=38)
    _text(slide, (1.0, 3.35, 11.3, 0.7), [r.subtitle], 26)
    _text(slide, (1.0, 4.15, 11.3, 0.6), [r.dateline], 20)
    made = t("report_made_on", r.lang, date=fmt_date(date.today(), r.lang))
    _text(slide, (1.0, 4.8, 11.3, 0.5), [made], 14, colour=MUTED)
    if r.term_line:  # a closed term: its verdicts in one sentence
        _text(slide, (1.0, 5.4, 11.3, 0.9), [r.term_line], 16, colour=INK)


def _status_boxes(slide: Slide, result: pd.DataFrame, lang: str) -> None:
    counts = result["status"].value_counts()
    present = [c for c in STATUS_CODES if c in counts.index]
    width = min(1.9, (WIDTH - 2 * MARGIN - 0.15 * (len(present) - 1)) / max(1, len(present)))
    for i, code in enumerate(present):
        left = MARGIN + i * (width + 0.15)
        box = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(left), Inches(BODY_TOP), Inches(width), Inches(1.05))
        box.fill.solid()
        box.fill.fore_color.rgb = _rgb(STATUS_COLOURS[code])
        box.line.fill.background()
        _text(slide, (left, BODY_TOP, width, 0.55), [str(int(counts[code]))], 26, bold=True, colour=ON_ACCENT,
              align=PP_ALIGN.CENTER)
        _text(slide, (left, BODY_TOP + 0.52, width, 0.5), [status_label(code, lang)], 11, colour=ON_ACCENT,
              align=PP_ALIGN.CENTER)


def _summary_cells(report: ReportModel, row: pd.Series) -> list[str]:
    lang = report.lang
    share = share_reached(row)
    latest = value_text(row, lang)
    if pd.notna(row["latest_value"]):
        latest += f" ({fmt_period(row['latest_period'], row['latest_date'], lang)})"
    target = fmt_value(row["target_value"], row["target_qualifier"], row["unit"], lang)
    if pd.notna(row["target_value"]):
        target += f" ({fmt_period(row['target_period'], row['target_date'], lang)})"
    return [shorten(indicator_name(row, lang), CELL_LIMIT), latest, target,
            fmt_percent(share[0], lang) if share else "—", report.mark(row)[0]]


def _table(slide: Slide, report: ReportModel, rows: pd.DataFrame, top: float) -> None:
    lang = report.lang
    headers = [t("indicator_page", lang), t("latest", lang), t("target", lang), t("progress", lang),
               t("status", lang)]
    widths = [4.9, 2.5, 2.0, 1.2, 1.73]
    shape = slide.shapes.add_table(len(rows) + 1, 5, Inches(MARGIN), Inches(top), Inches(sum(widths)),
                                   Inches(0.4 * (len(rows) + 1)))
    table = shape.table
    for j, w in enumerate(widths):
        table.columns[j].width = Inches(w)
    body = [headers] + [_summary_cells(report, r) for _, r in rows.iterrows()]
    codes = [""] + [report.mark(r)[1] for _, r in rows.iterrows()]
    for i, cells in enumerate(body):
        for j, text in enumerate(cells):
            frame = table.cell(i, j).text_frame
            frame.word_wrap = True
            run = frame.paragraphs[0].add_run()
            run.text = text
            run.font.name, run.font.size, run.font.bold = FONT, Pt(12), i == 0
            run.font.color.rgb = INK
            if i and j == 4:
                run.font.color.rgb = _rgb(STATUS_COLOURS[codes[i]])
                run.font.bold = True
            cell = table.cell(i, j)  # the palette's heading fill and white rows, as in the brief
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(LIGHT.header if i == 0 else LIGHT.background)


def _summary_slides(deck: Deck) -> None:
    r = deck.report
    rows = r.result[r.result["target_value"].notna()]
    heading = t("report_summary_sub", r.lang, n=len(r.result), k=len(rows))
    if rows.empty:
        rows, heading = r.result, t("report_all_indicators", r.lang)
    pages = max(1, math.ceil(len(rows) / TABLE_ROWS))
    for p in range(pages):
        part = rows.iloc[p * TABLE_ROWS:(p + 1) * TABLE_ROWS]
        title = t("report_summary", r.lang) + ("" if p == 0 else " " + t("report_continued", r.lang))
        slide = deck.slide(title, part, subtitle=counts_text(r.result, r.lang) if p else heading)
        top = BODY_TOP
        if p == 0:
            _status_boxes(slide, r.result, r.lang)
            top = BODY_TOP + 1.3
        _table(slide, r, part, top)


def _chunks(texts: list[str], chars_per_line: int, lines: int) -> list[list[str]]:
    """Split sentences into boxes of about `lines` lines of `chars_per_line` characters."""
    boxes: list[list[str]] = [[]]
    used = 0.0
    for text in texts:
        need = math.ceil(len(text) / chars_per_line) + 0.6
        if boxes[-1] and used + need > lines:
            boxes.append([])
            used = 0.0
        boxes[-1].append(text)
        used += need
    return boxes


def _group_slides(deck: Deck, section_index: int, rows: pd.DataFrame, png: bytes) -> None:
    """A group's slide: its chart and the sentences of `rows` (its series slides in the plan), continued."""
    r = deck.report
    section = r.sections[section_index]
    sentences = r.sentences(rows)
    first = _chunks(sentences, 52, 19)[0]
    slide = deck.slide(section.group, rows.iloc[:len(first)], subtitle=counts_text(section.rows, r.lang))
    width, height = struct.unpack(">II", png[16:24])  # the PNG's IHDR: fit 7.2 in wide, or the body's height
    size = dict(width=Inches(7.2)) if height / width <= 4.85 / 7.2 else dict(height=Inches(4.85))
    slide.shapes.add_picture(io.BytesIO(png), Inches(MARGIN), Inches(BODY_TOP), **size)
    _text(slide, (7.95, BODY_TOP, WIDTH - 7.95 - MARGIN, BODY_BOTTOM - BODY_TOP), first, 13, space=6)
    done = len(first)
    boxes = _chunks(sentences[done:], 66, 20) if done < len(sentences) else []
    for k in range(0, len(boxes), 2):  # continuation slides: two columns of sentences
        columns = boxes[k:k + 2]
        count = sum(len(c) for c in columns)
        slide = deck.slide(f"{section.group} {t('report_continued', r.lang)}", rows.iloc[done:done + count])
        done += count
        for x, box in zip((MARGIN, 6.85), columns, strict=False):
            _text(slide, (x, BODY_TOP - 0.5, 5.95, BODY_BOTTOM - BODY_TOP + 0.5), box, 13, space=6)


def _sources_slides(deck: Deck) -> None:
    r = deck.report
    numbered = [f"[{n}] {shorten(s, 2 * SOURCE_LIMIT)}" for n, s in enumerate(r.sources, start=1)]
    for i, box in enumerate(_chunks(numbered, 150, 22)):
        title = t("report_sources", r.lang) + ("" if i == 0 else " " + t("report_continued", r.lang))
        slide = deck.slide(title, None)
        _text(slide, (MARGIN, BODY_TOP - 0.5, WIDTH - 2 * MARGIN, BODY_BOTTOM - BODY_TOP + 0.5), box, 11, space=3)


def chart_png(report: ReportModel, section_index: int) -> bytes:
    """The group's chart as a slide-sized PNG with large type; a long table gets a taller image."""
    section = report.sections[section_index]
    fig = charts.presentation(group_figure(report, section), size=CHART_FONT)
    width, height = CHART_PX
    if all(tr.type == "table" for tr in fig.data):
        lines = sum(math.ceil(len(shorten(indicator_name(r, report.lang), NAME_LIMIT)) / 46)
                    for _, r in section.rows.iterrows())
        height = max(height, round((lines + 1) * CHART_FONT * 1.9 + 40))
    return images.to_png(fig, width, height)


def build_deck(view: VersionView, *, lang: str = "vi", progress: ProgressCallback | None = None,
               area: str | None = None, term: str | None = None) -> bytes:
    """The .pptx bytes of the deck of a version: its title and summary, then the groups of the slide plan
    (`model.slide_plan`, the one presentation mode shows), each with its series' sentences, then the sources."""
    notify = progress or no_progress
    notify(0.0, t("report_building", lang))
    report = view.report(lang, area, term)
    plan = slide_plan(report)
    deck = Deck(report)
    _title_slide(deck)
    _summary_slides(deck)
    groups = [s.section for s in plan if s.kind == "group" and s.section is not None]
    for k, i in enumerate(groups):
        notify(0.05 + 0.9 * k / max(1, len(groups)), t("report_chart", lang, name=report.sections[i].group))
        series = [s.row for s in plan if s.kind == "indicator" and s.section == i]
        _group_slides(deck, i, report.result.loc[series], chart_png(report, i))
    _sources_slides(deck)
    data = deck.save()
    notify(1.0, t("report_done", lang))
    return data


__all__ = ["build_deck", "chart_png"]
