"""Hostile data text in everything the app produces (issue 7, items 5, 6, 8): every figure, the chart SVG and
PNG, the deck, the brief and the CSV/XLSX downloads, built from the store the real `indicators import` wrote.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest
from lxml import etree
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from indicators.present import charts, images
from indicators.present import model as reports
from indicators.present.export import FORMULA_STARTS, to_csv_bytes, to_xlsx_bytes
from indicators.present.pdf import build_brief
from indicators.present.plaintext import LABEL_LIMIT, chart_text
from indicators.present.pptx import build_deck
from indicators.present.view import main_area, view_of
from indicators.progress.communes import standards_table
from indicators.progress.engine import compute_progress
from indicators.store.versions import Store
from tests.hostile_text import hostile_store

OUR_TAGS = re.compile(r"<br>|</?extra>")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    env = hostile_store(tmp_path_factory.mktemp("hostile_out"))
    store = Store(env["INDICATORS_DATABASE_URL"])
    info = store.current_version()
    assert info is not None
    frame = store.load(info.version)
    yield frame, compute_progress(frame)


def every_figure(frame: pd.DataFrame, result: pd.DataFrame, lang: str) -> list[go.Figure]:
    figs = [charts.pace_chart(result, lang), charts.status_by_group_chart(result, lang),
            charts.standards_chart(standards_table(frame, main_area(frame), lang), lang)]
    for _, row in result.iterrows():
        rows = frame[(frame["indicator_id"] == row["indicator_id"]) & (frame["area"] == row["area"])]
        figs.append(charts.series_chart(rows, row, lang))
    report = reports.prepare(view_of(frame, version=1), lang)
    figs += [reports.slide_figure(report, slide) for slide in reports.slide_plan(report)]
    figs.append(charts.latest_values_chart(result, lang))
    return figs


def strings(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, k)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from strings(v, key)
    elif isinstance(value, str):
        yield key, value


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_figure_draws_html_from_data(data: tuple[pd.DataFrame, pd.DataFrame], lang: str) -> None:
    frame, result = data
    seen = []
    for fig in every_figure(frame, result, lang):
        spec = fig.to_plotly_json()
        spec["layout"].pop("template", None)
        for key, text in strings(spec):
            left = OUR_TAGS.sub("", text)
            assert "<" not in left and ">" not in left and "$" not in left, (key, text[:200])
            if key != "hovertemplate":
                assert "%{" not in text, (key, text[:200])
            else:
                assert "evil" not in text and "&" not in text, text  # templates are ours, never data
            seen.append(text)
    drawn = "\n".join(seen)
    assert chart_text("<script>window.__pwned=1</script>") in drawn or chart_text('<a href="javascript:') in drawn
    assert "&lt;b&gt;" in drawn  # the unit '<b>u</b>' is drawn as text
    assert "…" in drawn  # 10,000-character texts are cut


def test_a_long_title_is_cut_and_wrapped(data: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    frame, result = data
    row = result[result["indicator_id"] == "long_text"].iloc[0]
    fig = charts.series_chart(frame[frame["indicator_id"] == "long_text"], row, "vi")
    title = fig.layout.title.text
    assert len(title.replace("<br>", " ")) <= LABEL_LIMIT
    assert title.endswith("…") and "<br>" in title


def test_chart_svg_and_png_hold_no_live_html(data: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    frame, result = data
    row = result[result["indicator_id"] == "xss_name"].iloc[0]
    fig = charts.presentation(charts.series_chart(frame[frame["indicator_id"] == "xss_name"], row, "vi"))
    svg = images.to_svg(fig)
    tree = etree.fromstring(svg)
    tags = {etree.QName(e).localname for e in tree.iter() if isinstance(e.tag, str)}
    assert not tags & {"a", "script", "image", "foreignObject", "iframe", "img"}, tags
    assert not [e for e in tree.iter() if isinstance(e.tag, str) and any(k.startswith("on") for k in e.attrib)]
    styled = [e.get("style") for e in tree.iter("{http://www.w3.org/2000/svg}tspan") if e.get("style")]
    assert styled == [], styled[:3]  # no <b>, <span style> from data
    text = "".join(tree.itertext())
    assert '<img src=x onerror="window.__pwned=1">' in text  # shown as the text it is
    png = images.to_png(fig, 800, 500)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_deck_shows_hostile_text_as_text(data: tuple[pd.DataFrame, pd.DataFrame], lang: str) -> None:
    frame, result = data
    deck = Presentation(io.BytesIO(build_deck(view_of(frame, label=3), lang=lang)))
    texts, links = [], []
    for slide in deck.slides:
        title = slide.shapes.title.text_frame.text
        assert len(title) <= LABEL_LIMIT, title[:120]
        for shape in slide.shapes:
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
            for tf in frames:
                for para in tf.paragraphs:
                    for run in para.runs:
                        texts.append(run.text)
                        links.append(run.hyperlink.address)
    assert [a for a in links if a] == []
    body = "\n".join(texts)
    assert "<b>u</b>" in body and "…" in body
    assert max(len(t) for t in texts) < 1500  # a 10,000-character text is cut


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_brief_is_written_from_hostile_text(data: tuple[pd.DataFrame, pd.DataFrame], lang: str) -> None:
    frame, result = data
    pdf = PdfReader(io.BytesIO(build_brief(view_of(frame, label=3), lang=lang)))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert len(pdf.pages) <= 6
    assert "…" in text and "<b>u</b>" in text
    assert not [a for page in pdf.pages for a in (page.get("/Annots") or [])]  # no links in the brief


def _risky(text: str) -> bool:
    return text.lstrip(" \u00a0\n").startswith(FORMULA_STARTS)


def test_csv_and_xlsx_downloads_neutralise_every_formula(data: tuple[pd.DataFrame, pd.DataFrame],
                                                         tmp_path: Path) -> None:
    frame, _ = data
    rows = list(csv.reader(io.StringIO(to_csv_bytes(frame).decode("utf-8-sig"))))
    cells = [c for row in rows[1:] for c in row]
    assert "'=HYPERLINK(\"http://evil.example/x\",\"Bấm\")" in cells
    assert [c for c in cells if _risky(c) and not re.fullmatch(r"-?\d+(\.\d+)?", c)] == []
    book = load_workbook(io.BytesIO(to_xlsx_bytes(frame)))
    values = [cell for row in book.active.iter_rows(min_row=2) for cell in row]
    assert [c.coordinate for c in values if c.data_type == "f"] == []
    assert [c.value for c in values if isinstance(c.value, str) and _risky(c.value)] == []
    assert "'@SUM(A1:A9)" in {c.value for c in values}
