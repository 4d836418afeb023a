"""Chart images (PNG, SVG) rendered server-side by kaleido 1.x in the system Chromium, kept warm.

Starting Chromium costs about two seconds; a warm one renders a 1920×1080 chart in about 0.2 s. So the
first image starts kaleido's sync server (one Chromium with one tab, living as long as the process) and
every later image reuses it. That server is not safe to call from two threads at once (Streamlit runs a
script per session in its own thread), so calls are serialised by a lock; if Chromium has died, the server
is restarted once.

All text is drawn in one font that has every Vietnamese letter and the status symbols (✔ ▲ ◆ ▼ ✖ ○):
DejaVu Sans, shipped with the package; Chromium finds it through the fonts.conf of fontfiles.py (set as
FONTCONFIG_FILE before Chromium starts), so images look the same on a machine with no fonts installed.
An SVG names the same family first, with fallbacks for a viewer that lacks it.
"""

from __future__ import annotations

import copy
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import kaleido
import plotly.graph_objects as go

from indicators.present import fontfiles, theme

EXPORT_FONT = theme.FONT
#: Seconds kaleido may take for one image before giving up.
RENDER_TIMEOUT = 60

_lock = threading.Lock()
_log = logging.getLogger(__name__)
#: The fonts.conf Chromium starts with (tests point it at other font folders).
fontconfig: Callable[[], Path] = fontfiles.chromium_fontconfig


def _with_font(value: Any, family: str) -> Any:
    """A copy of a figure dict in which every font family (layout, template, traces) is `family`."""
    if isinstance(value, dict):
        return {k: family if k == "family" else _with_font(v, family) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_font(v, family) for v in value]
    return value


def figure_dict(fig: go.Figure, *, font: str = EXPORT_FONT) -> dict[str, Any]:
    """The figure as kaleido takes it, with one font family everywhere."""
    spec = _with_font(copy.deepcopy(fig.to_dict()), font)
    layout = spec.setdefault("layout", {})
    layout.setdefault("font", {})["family"] = font
    return spec


def warm_up() -> None:
    """Start the shared Chromium now (e.g. before a deck), so the first image is not the slow one."""
    with _lock:
        _start()


def _start() -> None:
    if not kaleido._global_server.is_running():  # noqa: SLF001 - the public start warns when running
        os.environ["FONTCONFIG_FILE"] = str(fontconfig())  # Chromium inherits the environment
        kaleido.start_sync_server(n=1, timeout=RENDER_TIMEOUT, mathjax=False, silence_warnings=True)


def _render(spec: dict[str, Any], opts: dict[str, Any]) -> bytes:
    with _lock:
        _start()
        try:
            return bytes(kaleido.calc_fig_sync(spec, opts=opts))
        except (ValueError, TypeError):
            raise
        except Exception:  # Chromium died or hung: start a fresh one and try once more
            _log.warning("kaleido failed; restarting Chromium", exc_info=True)
            kaleido.stop_sync_server(silence_warnings=True)
            _start()
            return bytes(kaleido.calc_fig_sync(spec, opts=opts))


def render(fig: go.Figure, fmt: str, width: int = 1920, height: int = 1080, scale: float = 1) -> bytes:
    """The figure as `fmt` ('png', 'svg', 'pdf', 'jpg', 'webp') of width×height layout pixels × scale."""
    opts = dict(format=fmt, width=int(width), height=int(height), scale=scale)
    return _render(figure_dict(fig), opts)


def to_png(fig: go.Figure, width: int = 1920, height: int = 1080, scale: float = 1) -> bytes:
    """A PNG of width×scale by height×scale pixels (1920×1080 by default: a full-HD slide)."""
    return render(fig, "png", width, height, scale)


def to_svg(fig: go.Figure, width: int = 1920, height: int = 1080) -> bytes:
    """An SVG (UTF-8 XML) of width×height, text kept as text in EXPORT_FONT."""
    return render(fig, "svg", width, height)
