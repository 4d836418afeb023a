"""Chart images: valid PNG/SVG of the requested size, one font with Vietnamese text intact, large type."""

from __future__ import annotations

import io
import os
import re
import struct
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import kaleido
import pandas as pd
import plotly.graph_objects as go
import pytest

from indicators import paths
from indicators.present import charts, fontfiles, images
from indicators.progress.engine import compute_progress
from indicators.store.current import load_csv

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TITLE = "Số đảng viên mới được kết nạp trong nhiệm kỳ"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which must come first."""
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture(scope="module")
def shipped() -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = load_csv(paths.KIM_SON_DATA)
    return frame, compute_progress(frame)


@pytest.fixture(scope="module")
def series_fig(shipped: tuple[pd.DataFrame, pd.DataFrame]) -> go.Figure:
    frame, result = shipped
    row = result[result["indicator_id"] == "dang_vien_moi"].iloc[0]
    return charts.series_chart(frame[frame["indicator_id"] == "dang_vien_moi"], row, "vi")


def test_png_is_full_hd_by_default(series_fig: go.Figure) -> None:
    data = images.to_png(series_fig)
    assert png_size(data) == (1920, 1080)
    assert kaleido._global_server.is_running(), "Chromium stays warm for the next image"


@pytest.mark.parametrize(("width", "height", "scale"), [(800, 450, 2), (2400, 1350, 1)])
def test_png_size_follows_width_height_and_scale(series_fig: go.Figure, width: int, height: int, scale: int) -> None:
    assert png_size(images.to_png(series_fig, width, height, scale)) == (width * scale, height * scale)


def svg_root(data: bytes) -> ET.Element:
    return ET.fromstring(data.decode("utf-8"))


def test_svg_is_xml_of_the_requested_size_with_vietnamese_text(series_fig: go.Figure) -> None:
    data = images.to_svg(series_fig, 1920, 1080)
    root = svg_root(data)
    assert root.tag.endswith("svg")
    assert (root.get("width"), root.get("height")) == ("1920", "1080")
    text = " ".join("".join(el.itertext()) for el in root.iter() if el.tag.endswith("text"))
    assert TITLE in text
    assert "1.000 đảng viên" in text          # Vietnamese number format survives
    assert unicodedata.is_normalized("NFC", text)


def test_every_text_uses_the_one_export_font(series_fig: go.Figure) -> None:
    svg = images.to_svg(series_fig).decode("utf-8")
    families = set(re.findall(r"font-family:\s*([^;\"]+)", svg))
    assert families == {"'DejaVu Sans', Arial, sans-serif"}


def test_export_does_not_change_the_figure(series_fig: go.Figure) -> None:
    before = series_fig.to_dict()
    images.to_svg(series_fig)
    assert series_fig.to_dict() == before


@pytest.mark.parametrize("chart", ["series", "pace", "share", "table", "status"])
def test_presentation_charts_have_text_of_at_least_20px(shipped: tuple[pd.DataFrame, pd.DataFrame],
                                                        series_fig: go.Figure, chart: str) -> None:
    _, result = shipped
    fig = {
        "series": series_fig, "pace": charts.pace_chart(result), "status": charts.status_by_group_chart(result),
        "share": charts.target_share_chart(result), "table": charts.latest_values_chart(result.head(5)),
    }[chart]
    svg = images.to_svg(charts.presentation(fig)).decode("utf-8")
    sizes = [float(s) for s in re.findall(r"font-size:\s*([\d.]+)px", svg)]
    assert sizes and min(sizes) >= 20, sorted(set(sizes))


def test_dark_presentation_has_a_dark_background(series_fig: go.Figure) -> None:
    dark = images.to_svg(charts.presentation(series_fig, dark=True)).decode("utf-8")
    light = images.to_svg(charts.presentation(series_fig)).decode("utf-8")
    assert "fill: rgb(14, 17, 23)" in dark and "fill: rgb(14, 17, 23)" not in light
    assert series_fig.layout.template.layout.paper_bgcolor != "#0e1117"  # the original is untouched


def _title_ink(png: bytes) -> int:
    """Dark pixels in the title band of a chart PNG (its letters)."""
    from PIL import Image

    band = Image.open(io.BytesIO(png)).convert("L").crop((0, 0, 800, 45))
    return sum(1 for v in band.tobytes() if v < 128)


def test_images_draw_with_the_shipped_font_on_a_machine_without_fonts(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Chromium sees only the fonts.conf images.py gives it: naming only the package's font folder, the
    Vietnamese title is drawn (in DejaVu Sans, the only font there); naming an empty folder, nothing is."""
    fig = go.Figure(go.Bar(x=["Cần đẩy nhanh", "Đã đạt"], y=[1, 2]))
    fig.update_layout(template=charts.TEMPLATE, title="Đúng tiến độ ✔ ▲ ◆ — Số đảng viên mới")
    (tmp_path / "empty").mkdir()
    confs = {"shipped": fontfiles.fontconfig_text(system=False),
             "none": fontfiles.fontconfig_text(tmp_path / "empty", system=False)}
    monkeypatch.setenv("FONTCONFIG_FILE", os.environ.get("FONTCONFIG_FILE", ""))  # put back afterwards
    ink = {}
    try:
        for name, text in confs.items():
            (tmp_path / f"{name}.conf").write_text(text, encoding="utf-8")
            monkeypatch.setattr(images, "fontconfig", lambda n=name: tmp_path / f"{n}.conf")
            kaleido.stop_sync_server(silence_warnings=True)
            ink[name] = _title_ink(images.to_png(fig, 800, 450))
            assert os.environ["FONTCONFIG_FILE"] == str(tmp_path / f"{name}.conf")
    finally:
        kaleido.stop_sync_server(silence_warnings=True)  # the next image starts Chromium with the real config
    assert ink["none"] == 0 and ink["shipped"] > 300, ink


def test_chromium_sees_the_system_fonts_and_the_shipped_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FONTCONFIG_FILE", raising=False)
    ours = fontfiles.chromium_fontconfig()
    conf = fontfiles.fontconfig_text()
    assert '<include ignore_missing="yes">fonts.conf</include>' in conf  # the system's, found by fontconfig
    assert f"<dir>{fontfiles.FONT_DIR}</dir>" in conf and "/usr/share/fonts" not in conf
    monkeypatch.setenv("FONTCONFIG_FILE", "/etc/custom/fonts.conf")
    assert '<include ignore_missing="yes">/etc/custom/fonts.conf</include>' in fontfiles.fontconfig_text()
    monkeypatch.setenv("FONTCONFIG_FILE", str(ours))  # set by images.py: never includes itself
    assert str(ours) not in fontfiles.fontconfig_text()
