"""What a deck, a brief and presentation mode show, worked out once from the view of a version.

`prepare(view, lang, area=, term=)` (or `view.report(lang, area, term)`) gives a `ReportModel` of one scope
(an area in a term; the view's defaults when not given — view.py holds those rules): its "as of" date, the
term and whether it is closed, the series of that area grouped into `Section`s (series with a target
first), and every source numbered once. A closed term's sentences state each target's verdict. `group_figure` picks each group's chart; `slide_plan` is the
one plan of slides: presentation mode shows it slide by slide, and the deck follows it (its title, then each
group's slide carrying the sentences of that group's series slides, in the plan's order). The writers live
in pptx.py and pdf.py; this module decides *what* they say, they decide *how it looks*.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go

from indicators.i18n import indicator_name, t
from indicators.present import charts
from indicators.present.formatting import fmt_date
from indicators.present.narrative import (
    counts_text,
    group_lead,
    ordered,
    sentence,
    verdict_counts,
    verdict_sentence,
)
from indicators.present.plaintext import AREA_LIMIT, SOURCE_LIMIT, shorten
from indicators.progress.statuses import status_label
from indicators.progress.terms import verdict_label

#: The status whose colour a verdict takes in the deck and the brief.
VERDICT_COLOURS = {"achieved": "achieved", "not_achieved": "deterioration", "no_final": "no_data"}

if TYPE_CHECKING:
    from indicators.present.view import VersionView


@dataclass(frozen=True)
class Section:
    """One group of series (of the main area), series with a target first."""

    group: str
    rows: pd.DataFrame

    @property
    def has_targets(self) -> bool:
        return bool(self.rows["target_value"].notna().any())


@dataclass(frozen=True)
class ReportModel:
    """Everything a report says, in one language."""

    lang: str
    version: str
    area: str
    term: str
    as_of: pd.Timestamp | None
    frame: pd.DataFrame
    result: pd.DataFrame
    sections: list[Section]
    sources: list[str] = field(default_factory=list)
    closed: bool = False  # the term is over: sentences state each target's verdict

    def source_numbers(self, rows: pd.DataFrame) -> list[int]:
        """The 1-based numbers of the sources cited by `rows` (latest and target sources), in order."""
        cited = [s for col in ("latest_source", "target_source") for s in rows[col] if s]
        return sorted({self.sources.index(s) + 1 for s in cited if s in self.sources})

    def sources_text(self, rows: pd.DataFrame, *, limit: int = 600) -> str:
        """'Nguồn: [1] …; [3] …' for a footer, cut at about `limit` characters."""
        parts = [f"[{n}] {shorten(self.sources[n - 1], SOURCE_LIMIT)}" for n in self.source_numbers(rows)]
        return shorten(t("source", self.lang) + ": " + "; ".join(parts), limit)

    def series_rows(self, row: pd.Series) -> pd.DataFrame:
        """The dataset rows of one series (indicator, area and breakdown)."""
        f = self.frame
        return f[(f["indicator_id"] == row["indicator_id"]) & (f["area"] == row["area"])
                 & (f["breakdown"] == row["breakdown"])]

    def sentences(self, rows: pd.DataFrame) -> list[str]:
        """A sentence per series: its verdict in a closed term when it has a target, else its progress."""
        return [verdict_sentence(r, self.lang) if self.closed and r["verdict"] else
                sentence(r, self.lang, with_source=False) for _, r in rows.iterrows()]

    def mark(self, row: pd.Series) -> tuple[str, str]:
        """A row's status column: its verdict in a closed term, else its status — and the status code whose
        colour it takes (achieved, deterioration for not achieved, no data for no final figure)."""
        if self.closed and row["verdict"]:
            return verdict_label(row["verdict"], self.lang), VERDICT_COLOURS[row["verdict"]]
        return status_label(row["status"], self.lang), str(row["status"])

    @property
    def term_line(self) -> str:
        """A closed term's verdicts in one sentence ('Nhiệm kỳ 2020–2025 đã kết thúc: 3/6 mục tiêu đạt, …');
        '' for an open term."""
        return verdict_counts(self.result, self.term, self.lang) if self.closed else ""

    @property
    def subtitle(self) -> str:
        """'Huyện Kim Sơn · Nhiệm kỳ 2020–2025'."""
        return " · ".join(p for p in (shorten(self.area, AREA_LIMIT), self.term) if p)

    @property
    def dateline(self) -> str:
        """'Số liệu đến 31/10/2023 · Phiên bản 3'."""
        parts = [f"{t('data_as_of', self.lang)} {fmt_date(self.as_of, self.lang)}"] if self.as_of is not None else []
        if self.version:
            parts.append(f"{t('version', self.lang)} {self.version}")
        return " · ".join(parts)


def term_text(result: pd.DataFrame, lang: str = "vi") -> str:
    """'Nhiệm kỳ 2020–2025' from the data: the commonest target year, and the commonest baseline year of the
    series with a target; 'Mục tiêu đến năm 2025' without baselines; '' without targets."""
    targets = result[result["target_date"].notna()]
    if targets.empty:
        return ""
    end = int(targets["target_date"].dt.year.mode().iloc[0])
    baselines = targets.loc[(targets["baseline_from"] == "row") & targets["baseline_date"].notna(), "baseline_date"]
    if baselines.empty:
        return t("report_targets_for", lang, end=end)
    start = int(baselines.dt.year.mode().iloc[0])
    return t("report_term", lang, start=start, end=end)


def _sources(result: pd.DataFrame) -> list[str]:
    cited = [s for _, r in result.iterrows() for s in (r["latest_source"], r["target_source"]) if s]
    return list(dict.fromkeys(cited))


def prepare(view: VersionView, lang: str = "vi", *, area: str | None = None, term: str | None = None) -> ReportModel:
    """The report of a version about one area in one term (an unknown or no term: the area's default; no
    area: the term's default area)."""
    chosen = view.term(term) or view.default_term(area)
    area = area or view.default_area(chosen)
    scope = view.scope(area, chosen.label if chosen else None)
    result = scope.result
    main = ordered(result)
    groups = list(dict.fromkeys(result["group"]))  # in file order
    sections = [Section(g or t("report_other_group", lang), main[main["group"] == g]) for g in groups]
    main = pd.concat([s.rows for s in sections]) if sections else main
    return ReportModel(lang=lang, version=view.label, area=area,
                       term=chosen.text(lang) if chosen else term_text(main, lang), as_of=scope.as_of,
                       frame=scope.frame, result=main, sections=sections, sources=_sources(main),
                       closed=scope.closed)


def group_figure(report: ReportModel, section: Section) -> go.Figure:
    """A group's chart: the share of each target reached when the group has targets; else the history of its
    longest series when it has two values or more; else a table of the latest figures."""
    lang = report.lang
    if section.has_targets:
        fig = charts.target_share_chart(section.rows, lang)
    else:
        longest = section.rows.sort_values("n_obs", ascending=False, kind="stable").iloc[0]
        if longest["n_obs"] >= 2:
            fig = charts.series_chart(report.series_rows(longest), longest, lang)
        else:
            fig = charts.latest_values_chart(section.rows, lang)
    return fig


def indicator_figure(report: ReportModel, row: pd.Series) -> go.Figure:
    """One series' chart (history, target, projection)."""
    return charts.series_chart(report.series_rows(row), row, report.lang)


@dataclass(frozen=True)
class Slide:
    """One slide of presentation mode: the title slide, a group, or one series (`row` = its result index)."""

    kind: str  # "title" | "group" | "indicator"
    title: str
    section: int | None = None
    row: int | None = None


def slide_plan(report: ReportModel) -> list[Slide]:
    """Title, then per group: the group's slide and one slide per series (the deck puts a group's series
    sentences on the group's slide, in this order)."""
    plan = [Slide("title", t("report_title", report.lang))]
    for i, section in enumerate(report.sections):
        plan.append(Slide("group", section.group, section=i))
        for idx in section.rows.index.tolist():
            name = indicator_name(section.rows.loc[idx], report.lang)
            plan.append(Slide("indicator", name, section=i, row=int(idx)))
    return plan


def slide_rows(report: ReportModel, slide: Slide) -> pd.DataFrame:
    """The series a slide is about (all of them for the title slide)."""
    if slide.kind == "group" and slide.section is not None:
        return report.sections[slide.section].rows
    if slide.kind == "indicator" and slide.row is not None:
        return report.result.loc[[slide.row]]
    return report.result


def slide_lines(report: ReportModel, slide: Slide) -> list[str]:
    """The words of a slide: the subtitle and date, a group's lead and counts, or a series' sentence."""
    rows = slide_rows(report, slide)
    if slide.kind == "title":
        return [p for p in (report.subtitle, report.dateline, report.term_line, counts_text(rows, report.lang)) if p]
    if slide.kind == "group":
        return [group_lead(rows, slide.title, report.lang), counts_text(rows, report.lang)]
    return report.sentences(rows)


def slide_figure(report: ReportModel, slide: Slide, *, dark: bool = False,
                 size: int = charts.PRESENTATION_FONT) -> go.Figure:
    """A slide's chart with large type: statuses by group, the group's chart, or the series' history."""
    if slide.kind == "group" and slide.section is not None:
        fig = group_figure(report, report.sections[slide.section])
    elif slide.kind == "indicator":
        fig = indicator_figure(report, slide_rows(report, slide).iloc[0])
    else:
        fig = charts.status_by_group_chart(report.result, report.lang)
    return charts.presentation(fig, dark=dark, size=size, height=max(560, int(fig.layout.height or 0)))
