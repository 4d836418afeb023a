"""DejaVu Sans, shipped with the package (present/fonts/, its licence beside it), found without a fixed path.

The brief (fpdf2) embeds these files directly. Chart images are drawn by Chromium, which finds fonts through
fontconfig: `chromium_fontconfig()` writes a small fonts.conf that adds this folder to the system's own
configuration (resolved by fontconfig itself, so it holds on any distribution, and also where no font is
installed), and images.py points Chromium at it with FONTCONFIG_FILE. So every chart, image and brief draws
the same letters on every machine, Vietnamese included. (Chromium on macOS and Windows ignores fontconfig and
uses the installed DejaVu Sans, or Arial, which also has every Vietnamese letter.)

Why ship rather than look the fonts up with `fc-match`: a lookup depends on what the machine has (Debian's
fonts-dejavu-core, or nothing, or another version), and the brief must build everywhere; the four files are
2.8 MB and fpdf2 embeds only the glyphs a brief uses.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

FONT_DIR = Path(__file__).resolve().parent / "fonts"
#: (family, style) as fpdf2 names them → file in FONT_DIR. The condensed cut sets the brief's table.
FILES = {("dejavu", ""): "DejaVuSans.ttf", ("dejavu", "B"): "DejaVuSans-Bold.ttf",
         ("dejavu-c", ""): "DejaVuSansCondensed.ttf", ("dejavu-c", "B"): "DejaVuSansCondensed-Bold.ttf"}

_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
{include}  <dir>{dir}</dir>
</fontconfig>
"""


def font_file(family: str = "dejavu", style: str = "") -> Path:
    """The shipped TTF of (family, style), e.g. ('dejavu', 'B') → …/fonts/DejaVuSans-Bold.ttf."""
    return FONT_DIR / FILES[(family, style)]


def fontconfig_text(font_dir: Path = FONT_DIR, *, system: bool = True) -> str:
    """A fonts.conf adding `font_dir` to the system configuration (or, system=False, naming only it)."""
    include = ""
    if system:  # a FONTCONFIG_FILE already set is kept; "fonts.conf" is the system's, found by fontconfig
        base = os.environ.get("FONTCONFIG_FILE", "")
        if not base or Path(base) in _written.values():
            base = "fonts.conf"
        include = f'  <include ignore_missing="yes">{escape(base)}</include>\n'
    return _CONF.format(include=include, dir=escape(str(font_dir)))


_written: dict[tuple[Path, bool], Path] = {}


def chromium_fontconfig(font_dir: Path = FONT_DIR, *, system: bool = True) -> Path:
    """The path of a fonts.conf for Chromium (written once per process into a temporary folder)."""
    key = (font_dir, system)
    path = _written.get(key)
    if path is None or not path.is_file():
        folder = Path(tempfile.mkdtemp(prefix="indicators-fonts-"))
        path = folder / "fonts.conf"
        path.write_text(fontconfig_text(font_dir, system=system), encoding="utf-8")
        _written[key] = path
    return path


__all__ = ["FONT_DIR", "FILES", "font_file", "fontconfig_text", "chromium_fontconfig"]
