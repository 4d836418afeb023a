"""One palette and one chart theme: declared once, readable (WCAG AA), and the same on the pages, in the images,
the deck and the brief."""

from __future__ import annotations

import io
import json
import re
import tomllib
from pathlib import Path

import plotly.io as pio
import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from indicators import paths
from indicators.present import charts, images, theme
from indicators.present.pptx import build_deck
from indicators.present.theme import DARK, LIGHT, SERIES, STATUS_COLOURS, contrast
from indicators.present.view import VersionView, view_of
from indicators.progress.statuses import STATUS_CODES, STATUSES
from indicators.store.current import load_csv

ROOT = Path(__file__).resolve().parents[1]
HEX = re.compile(r"#[0-9a-fA-F]{6}\b")
#: Streamlit's st.badge colour names.
BADGE_NAMES = {"red", "orange", "yellow", "blue", "green", "violet", "gray", "grey", "primary"}


@pytest.fixture(scope="module")
def shipped() -> VersionView:
    return view_of(load_csv(paths.KIM_SON_DATA))


def test_config_toml_theme_is_the_palette() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    declared = {k: v for k, v in config["theme"].items() if k not in ("font", "fontFaces")}  # fonts: below
    assert declared == theme.streamlit_theme()
    assert config["theme"]["primaryColor"] == LIGHT.accent and config["theme"]["textColor"] == LIGHT.text


def test_colour_literals_live_only_in_the_palette() -> None:
    sources = [p for folder in ("src", "webui", "app_pages") for p in (ROOT / folder).rglob("*.py")
               if p.name != "theme.py"]
    texts = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in sources}
    assert {p: HEX.findall(text) for p, text in texts.items() if HEX.search(text)} == {}
    triples = re.compile(r"RGBColor\(0x|colou?r\w*\s*[=(]\s*\(?\d+, \d+, \d+|\b(?:white|black)\b\"")
    assert [p for p, text in texts.items() if triples.search(text)] == []


@pytest.mark.parametrize("mode", [LIGHT, DARK], ids=["light", "dark"])
def test_text_colours_reach_wcag_aa_on_their_backgrounds(mode: theme.Mode) -> None:
    pairs = {(fg, bg): contrast(getattr(mode, fg), getattr(mode, bg))
             for fg in ("text", "muted", "accent") for bg in ("background", "surface", "header")}
    pairs[("on_accent", "accent")] = contrast(mode.on_accent, mode.accent)
    assert {k: round(v, 2) for k, v in pairs.items() if v < 4.5} == {}


def test_status_colours_are_readable_as_text_and_under_white_text() -> None:
    # status words in the brief's and the deck's tables (on white), white words on the deck's status boxes
    # and inside the share chart's bars, and each badge's text on its tint
    low = {code: round(contrast(c, LIGHT.background), 2) for code, c in STATUS_COLOURS.items()
           if contrast(c, LIGHT.background) < 4.5 or contrast(c, LIGHT.on_accent) < 4.5}
    assert low == {}
    badges = {code: round(contrast(theme.badge_text(code), theme.badge_background(code)), 2) for code in STATUS_CODES}
    assert {c: v for c, v in badges.items() if v < 4.5} == {}


@pytest.mark.parametrize("mode", [LIGHT, DARK], ids=["light", "dark"])
def test_chart_marks_stand_out_from_both_backgrounds(mode: theme.Mode) -> None:
    marks = {**STATUS_COLOURS, **{f"series_{k}": v for k, v in SERIES.items()}}
    assert {k: round(contrast(c, mode.background), 2) for k, c in marks.items()
            if contrast(c, mode.background) < 3} == {}


def test_colour_is_never_the_only_signal() -> None:
    assert set(STATUS_COLOURS) == set(STATUS_CODES) == set(theme.BADGES) == set(charts.SYMBOLS)
    assert len({s.symbol for s in STATUSES}) == len(STATUSES)
    for lang in ("vi", "en"):
        assert len({s.label(lang) for s in STATUSES}) == len(STATUSES), lang
    assert len(set(STATUS_COLOURS.values())) == len(STATUS_COLOURS)


def test_badges_use_streamlit_names_and_the_palettes_colours() -> None:
    from webui import ui

    assert ui.BADGE_COLOURS == theme.BADGES and set(theme.BADGES.values()) <= BADGE_NAMES
    config = theme.streamlit_theme()
    for code, name in theme.BADGES.items():
        owner = next(c for c, n in theme.BADGES.items() if n == name)
        assert config[f"{name}Color"] == STATUS_COLOURS[owner], code


@pytest.mark.parametrize(("name", "mode"), [(theme.TEMPLATE, LIGHT), (theme.TEMPLATE_DARK, DARK)])
def test_templates_are_built_from_the_palette(name: str, mode: theme.Mode) -> None:
    layout = pio.templates[name].layout
    assert layout.paper_bgcolor == layout.plot_bgcolor == mode.background
    assert layout.font.color == mode.text and layout.font.family == theme.FONT
    assert layout.xaxis.gridcolor == layout.yaxis.gridcolor == mode.grid
    assert list(layout.colorway) == theme.COLORWAY
    assert pio.templates[name].data.table[0].header.fill.color == mode.header


def test_deck_draws_in_the_palette(shipped: VersionView) -> None:
    prs = Presentation(io.BytesIO(build_deck(shipped)))
    colours = set()
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                colours |= {str(r.font.color.rgb) for p in shape.text_frame.paragraphs for r in p.runs}
            if shape.shape_type == 1:  # autoshape: the title bar and the status boxes
                colours.add(str(shape.fill.fore_color.rgb))
            if shape.has_table:
                colours |= {str(c.fill.fore_color.rgb) for row in shape.table.rows for c in row.cells}
    palette = {c.lstrip("#").upper() for c in [*STATUS_COLOURS.values(), *vars(LIGHT).values()]}
    assert colours <= palette, colours - palette
    assert {LIGHT.accent.lstrip("#").upper(), LIGHT.header.lstrip("#").upper()} <= colours


def _chart_specs(at: AppTest) -> list[tuple[dict, str]]:
    return [(json.loads(c.proto.spec), c.proto.theme) for c in at.get("plotly_chart")]


def test_overview_draws_its_charts_as_the_images_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   shipped: VersionView) -> None:
    """The page's figures use the app's own template (theme=None, not Streamlit's), so the screen and the
    PNG/SVG/deck have the same colours and fonts."""
    monkeypatch.setenv("INDICATORS_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    monkeypatch.setenv("INDICATORS_VAR_DIR", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    assert not at.exception
    specs = _chart_specs(at)
    assert len(specs) == 2 and {t for _, t in specs} == {""}, "drawn with theme=None"
    result = shipped.result
    exported = images.figure_dict(charts.pace_chart(result))
    keys = ("paper_bgcolor", "plot_bgcolor", "colorway", "font", "hoverlabel", "xaxis", "yaxis", "legend")
    for spec, _ in specs:
        page = spec["layout"]["template"]["layout"]
        assert {k: page[k] for k in keys} == {k: exported["layout"]["template"]["layout"][k] for k in keys}
        assert spec["layout"]["template"]["layout"]["font"]["family"] == images.EXPORT_FONT


def test_the_browser_gets_the_shipped_font(tmp_path: Path) -> None:
    """config.toml's [[theme.fontFaces]] point at files the app serves: the very TTFs of the images and brief."""
    import requests

    from indicators.present import fontfiles
    from tests.live_server import serve

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    faces = config["theme"]["fontFaces"]
    assert {f["family"] for f in faces} == {theme.FONT_FAMILY} and config["server"]["enableStaticServing"]
    with serve(tmp_path) as server:
        for face in faces:
            response = requests.get(f"{server.url}/{face['url']}", timeout=30)
            assert response.status_code == 200, face
            assert response.content == (fontfiles.FONT_DIR / Path(face["url"]).name).read_bytes()
