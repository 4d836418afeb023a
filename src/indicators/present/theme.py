"""The one palette and the one chart theme of the product: pages, chart images, the deck and the brief.

Every colour a user sees is declared here once, as #rrggbb: the eight status colours, the colours of a series
chart (actual, target, projection, baseline), and per background mode (LIGHT for pages, handouts and slides;
DARK for presentation mode's dark slides) the background, surfaces, text, muted text, grid and accent. From
them come the two Plotly templates ("indicators", "indicators_dark"), the deck's RGBColor and the brief's RGB
triples (`rgb`), the Streamlit `[theme]` of .streamlit/config.toml (`streamlit_theme`; a test keeps the file
equal to it) and the status badges' colours.

Colour is never the only signal: a status always comes with its words and its symbol (statuses.py). Text
colours reach WCAG AA against the backgrounds they are drawn on (≥ 4.5:1), chart marks ≥ 3:1;
tests/test_theme.py computes every pair.

One font: DejaVu Sans (every Vietnamese letter and the status symbols ✔ ▲ ◆ ▼ ✖ ○), shipped with the package
in present/fonts/ (fontfiles.py), so the charts, images and the brief draw the same letters on any machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

#: The font family of every chart, on screen and in images (the deck's text is Arial: see pptx.py).
FONT_FAMILY = "DejaVu Sans"
FONT = f"{FONT_FAMILY}, Arial, sans-serif"
FONT_SIZE = 14
TEMPLATE = "indicators"
TEMPLATE_DARK = "indicators_dark"

#: Status code → colour (text on white in the brief and the deck, white text on it in the deck's boxes,
#: marks on either background).
STATUS_COLOURS: dict[str, str] = {
    "achieved": "#1a7f37",
    "on_track": "#1d6fb8",
    "needs_acceleration": "#9a6700",
    "limited": "#bc4c00",
    "deterioration": "#c62828",
    "insufficient_data": "#6e7781",
    "no_target": "#7a5cad",
    "no_data": "#5a6470",
}
#: Streamlit's badge colour names (st.badge takes only these), one per status; config.toml gives each name
#: the colour of the first status that uses it, so the two statuses that cannot be judged share the gray.
BADGES: dict[str, str] = {
    "achieved": "green", "on_track": "blue", "needs_acceleration": "yellow", "limited": "orange",
    "deterioration": "red", "insufficient_data": "gray", "no_target": "violet", "no_data": "gray",
}
#: Marks of a series chart.
SERIES = {"actual": "#1d6fb8", "target": "#1a7f37", "projection": "#a87400", "baseline": "#6e7781"}


@dataclass(frozen=True)
class Mode:
    """The colours of one background: pages, handouts and light slides, or dark slides."""

    background: str
    surface: str  # panels, widgets, group rows of tables
    header: str   # table headings
    text: str
    muted: str    # captions, footers, sources
    grid: str
    accent: str   # titles and the deck's bar; Streamlit's primary colour
    on_accent: str  # text on an accent or status fill


LIGHT = Mode(background="#ffffff", surface="#f6f8fa", header="#e8eef6", text="#1f2328", muted="#59636e",
             grid="#d8dee4", accent="#1f3864", on_accent="#ffffff")
DARK = Mode(background="#0e1117", surface="#161b22", header="#1f2a37", text="#e6edf3", muted="#9da7b3",
            grid="#30363d", accent="#8ab4f8", on_accent="#0e1117")
COLORWAY = [SERIES["actual"], SERIES["target"], SERIES["projection"], STATUS_COLOURS["no_target"],
            STATUS_COLOURS["limited"], SERIES["baseline"]]


def rgb(colour: str) -> tuple[int, int, int]:
    """'#1f3864' → (31, 56, 100): for fpdf2's set_*_color and python-pptx's RGBColor(*rgb(c))."""
    c = colour.lstrip("#")
    if len(c) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def mix(colour: str, other: str, share: float) -> str:
    """`colour` with `share` (0–1) of `other` mixed in, as #rrggbb."""
    a, b = rgb(colour), rgb(other)
    return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b, strict=True))


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours, 1–21 (AA text needs 4.5, marks and large text 3).

    >>> round(contrast("#ffffff", "#000000"), 1)
    21.0
    """
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def badge_text(code: str) -> str:
    """A status badge's text: the status colour a fifth darker, readable on its tint."""
    return mix(STATUS_COLOURS[code], "#000000", 0.2)


def badge_background(code: str) -> str:
    """A status badge's background: a light tint of the status colour."""
    return mix(STATUS_COLOURS[code], LIGHT.background, 0.88)


def streamlit_theme() -> dict[str, Any]:
    """The `[theme]` table of .streamlit/config.toml, from the palette (tests/test_theme.py keeps them equal)."""
    out: dict[str, Any] = {
        "base": "light", "primaryColor": LIGHT.accent, "backgroundColor": LIGHT.background,
        "secondaryBackgroundColor": LIGHT.surface, "textColor": LIGHT.text, "linkColor": LIGHT.accent,
        "borderColor": LIGHT.grid, "dataframeHeaderBackgroundColor": LIGHT.header,
        "chartCategoricalColors": COLORWAY,
    }
    for code, name in BADGES.items():
        if f"{name}Color" not in out:
            out[f"{name}Color"] = STATUS_COLOURS[code]
            out[f"{name}TextColor"] = badge_text(code)
            out[f"{name}BackgroundColor"] = badge_background(code)
    return out


def dark_panel_css(selector: str) -> str:
    """CSS (constant, no data) that draws the element `selector` as a dark slide in DARK's colours."""
    return (f"<style>\n{selector} {{background: {DARK.background}; border-radius: 0.6rem; padding: 1.2rem 1.6rem;}}\n"
            f"{selector} p, {selector} h1, {selector} h2, {selector} li, {selector} span {{color: {DARK.text};}}\n"
            f"{selector} a {{color: {DARK.accent};}}\n</style>")


def _layout(mode: Mode, base: go.Layout) -> go.Layout:
    axis = dict(gridcolor=mode.grid, linecolor=mode.grid, zerolinecolor=mode.grid, tickcolor=mode.grid,
                title=dict(font=dict(color=mode.text)), tickfont=dict(color=mode.text))
    layout = go.Layout(base)
    layout.update(
        font=dict(family=FONT, size=FONT_SIZE, color=mode.text),
        title=dict(font=dict(size=18, color=mode.text), x=0, xanchor="left"),
        margin=dict(l=60, r=30, t=60, b=50), colorway=COLORWAY,
        paper_bgcolor=mode.background, plot_bgcolor=mode.background,
        xaxis=axis, yaxis=axis, legend=dict(font=dict(color=mode.text), bgcolor=mode.background),
        hoverlabel=dict(font=dict(family=FONT, color=mode.text), bgcolor=mode.background, bordercolor=mode.grid),
    )
    return layout


def template(mode: Mode = LIGHT) -> go.layout.Template:
    """The Plotly template of `mode`: plotly_white (or plotly_dark) with the palette's colours and font."""
    source = pio.templates["plotly_white" if mode is LIGHT else "plotly_dark"]
    table = dict(header=dict(fill=dict(color=mode.header), font=dict(color=mode.text), line=dict(color=mode.grid)),
                 cells=dict(fill=dict(color="rgba(0,0,0,0)"), font=dict(color=mode.text), line=dict(color=mode.grid)))
    data = go.layout.template.Data(source.data)
    data.table = [go.Table(**table)]
    return go.layout.Template(data=data, layout=_layout(mode, source.layout))


def register() -> None:
    """Register both templates with Plotly (done on import)."""
    pio.templates[TEMPLATE] = template(LIGHT)
    pio.templates[TEMPLATE_DARK] = template(DARK)


register()


def _toml_value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return f'"{value}"'


def streamlit_toml() -> str:
    """streamlit_theme() as the lines of config.toml's [theme] table (`python -m indicators.present.theme`)."""
    return "\n".join(f"{k} = {_toml_value(v)}" for k, v in streamlit_theme().items())


if __name__ == "__main__":
    print(streamlit_toml())
