"""Presentation mode: a title slide, then per group its slide and one slide per indicator, in large type.

Previous/Next buttons answer the ← → keys (Streamlit's own button shortcuts, no script); the slide number
is kept in ?slide= so a link opens on that slide; "Dark" switches the charts to the dark template and the
slide to a dark panel. The sidebar builds the PowerPoint deck and the PDF brief, with progress.

The slides are about the chosen area in the chosen term (sidebar, ?area= and ?term=; a closed term's slides
state the verdicts). The slide plan is the version's (`VersionView.slide_plan`), the deck's too; the plan and
each slide's chart and words are built once per version, language, area, term and slide (`ui.per_version`).
"""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from indicators.i18n import t
from indicators.present import images, theme
from indicators.present import model as reports
from indicators.present.pdf import build_brief
from indicators.present.plaintext import LABEL_LIMIT, NAME_LIMIT, shorten
from indicators.present.pptx import build_deck
from indicators.present.view import VersionView
from webui import ui

#: Larger text inside the slide panel (constant CSS, no data in it); the dark panel when asked for.
STYLE = """<style>
.st-key-slide_panel p, .st-key-slide_panel li {font-size: 1.55rem; line-height: 1.45;}
.st-key-slide_panel h1 {font-size: 3rem;} .st-key-slide_panel h2 {font-size: 2.4rem;}
.st-key-slide_panel [data-testid="stCaptionContainer"] p {font-size: 1rem;}
</style>"""
DARK = theme.dark_panel_css(".st-key-slide_panel")


@ui.per_version
def _plan(v: VersionView, lang: str, area: str, term: str | None) -> tuple[reports.ReportModel, list[reports.Slide]]:
    report = v.report(lang, area, term)
    return report, reports.slide_plan(report)


@ui.per_version
def _slide(v: VersionView, lang: str, area: str, term: str | None, number: int,
           dark: bool) -> tuple[go.Figure, pd.DataFrame, list[str], str]:
    """Slide `number` (1-based): its chart, its series, its lines and its sources line."""
    report, plan = _plan(v, lang, area, term)
    slide = plan[number - 1]
    rows = reports.slide_rows(report, slide)
    return (reports.slide_figure(report, slide, dark=dark), rows, reports.slide_lines(report, slide),
            report.sources_text(rows, limit=900))


def _step(delta: int, count: int) -> None:
    current = int(st.session_state.get("slide") or 1)
    st.session_state["slide"] = str(min(count, max(1, current + delta)))


lang = ui.lang()
v = ui.view()
scope = ui.scope(v, lang)
term = scope.term.label if scope.term else None
report, plan = _plan(v, lang, scope.area, term)
numbers = [str(i) for i in range(1, len(plan) + 1)]
ui.sync_from_url("slide", numbers)
if st.session_state.get("slide") not in numbers:
    st.session_state["slide"] = "1"

prev_col, pick_col, next_col, dark_col = st.columns([1, 6, 1, 1], vertical_alignment="bottom")
prev_col.button(f"◀ {t('present_prev', lang)}", key="slide_prev", shortcut="Left", on_click=_step,
                args=(-1, len(plan)), width="stretch")
pick_col.selectbox(t("present_slide", lang), numbers, key="slide",
                   format_func=lambda n: f"{n}/{len(plan)} · {shorten(plan[int(n) - 1].title, LABEL_LIMIT)}")
next_col.button(f"{t('present_next', lang)} ▶", key="slide_next", shortcut="Right", on_click=_step,
                args=(1, len(plan)), width="stretch", type="primary")
dark = dark_col.toggle(t("present_dark", lang), key="dark", value=st.context.theme.type == "dark")
number = st.session_state["slide"]
ui.sync_to_url("slide", number)
slide = plan[int(number) - 1]

st.html(STYLE + (DARK if dark else ""))
figure, rows, lines, sources = _slide(v, lang, scope.area, term, int(number), bool(dark))
with st.container(key="slide_panel"):
    (st.title if slide.kind == "title" else st.header)(ui.plain(slide.title, NAME_LIMIT))
    if slide.kind == "indicator" and report.closed and rows.iloc[0]["verdict"]:
        ui.verdict_badge(rows.iloc[0]["verdict"], lang)
    elif slide.kind == "indicator":
        ui.status_badge(rows.iloc[0]["status"], lang)
    for line in lines:
        st.markdown(ui.plain(line))
    st.plotly_chart(figure, theme=None, key=f"slide_chart_{number}", config={"displaylogo": False})
    st.caption(ui.plain(sources))
st.caption(t("present_keys", lang))

png_col, svg_col, _ = st.columns([1, 1, 4])
png_col.download_button(t("present_chart_png", lang), data=lambda: images.to_png(figure), key="chart_png",
                        file_name=f"slide_{number}.png", mime="image/png", on_click="ignore", icon=":material/image:")
svg_col.download_button(t("present_chart_svg", lang), data=lambda: images.to_svg(figure), key="chart_svg",
                        file_name=f"slide_{number}.svg", mime="image/svg+xml", on_click="ignore")

with st.sidebar:
    st.subheader(t("present_exports", lang))
    built = st.session_state.get("exports")
    if st.button(t("present_build", lang), key="build_exports", icon=":material/slideshow:"):
        with st.status(t("report_building", lang), expanded=True) as status:
            bar = st.progress(0.0)

            def tell(share: float, start: float, label: str):  # noqa: ANN202 - a progress callback
                return lambda f, m: bar.progress(min(1.0, start + share * f), text=ui.plain(f"{label}: {m}"))

            deck = build_deck(v, lang=lang, progress=tell(0.8, 0.0, t("present_deck_building", lang)),
                              area=scope.area, term=term)
            brief = build_brief(v, lang=lang, progress=tell(0.2, 0.8, t("present_brief_building", lang)),
                                area=scope.area, term=term)
            built = st.session_state["exports"] = {"key": (v.key, lang, scope.area, term), "pptx": deck,
                                                   "pdf": brief}
            status.update(label=t("report_done", lang), state="complete", expanded=False)
    if built and built["key"] == (v.key, lang, scope.area, term):
        stem = f"chi_tieu_v{v.version}_{lang}"
        st.download_button(t("present_deck", lang), built["pptx"], file_name=f"{stem}.pptx", key="deck_download",
                           mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                           on_click="ignore", icon=":material/download:")
        st.download_button(t("present_brief", lang), built["pdf"], file_name=f"{stem}.pdf", key="brief_download",
                           mime="application/pdf", on_click="ignore", icon=":material/download:")
