"""Hostile data text (issue 7, items 5–8): the fixtures, and a store that holds all of them.

tests/fixtures/hostile/text/ holds one file per hostile input:
- markup.csv: HTML (`<img onerror>`, `<script>`, `<svg onload>`, `<iframe>`, `<a href>`, `<span style>`),
  Markdown links and images (`javascript:` and tracking addresses), bold, headings, tables, LaTeX, Streamlit
  directives (`:red[…]`, `:material/…:`, badges), emoji shortcodes, entities and Plotly `%{…}` fields, in
  names, units, areas, groups, sources and notes; one source is a plain https:// address;
- formulas.csv: text a spreadsheet would run (`=HYPERLINK(…)`, `+…`, `-…`, `@…`, also after spaces);
- long_text.csv: 10,000-character names, units, areas, groups, sources and notes (and a 5,000-character
  English name) — written by `write_long_text`, not committed (360 KB).

`hostile_store` commits all three through the real `indicators import` into a new SQLite store.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "hostile" / "text"
HEADER = ["indicator_id", "indicator", "indicator_en", "group", "unit", "area", "period", "kind", "value",
          "of_total", "direction", "method", "source", "note"]
#: The primary area of every hostile file (the one with the targets).
MAIN_AREA = "Huyện <b>Kim</b> Sơn [bấm](http://evil.example/area) :red[đỏ] $x^2$"
#: What a payload would set if any script from the data ran.
PWNED = "__pwned"


def long_words(seed: str, n: int) -> str:
    """`n` characters of Vietnamese words starting with `seed`, ending in 'Z' (so a cut is visible)."""
    base = f"{seed} chỉ tiêu rất dài về phát triển kinh tế xã hội nông thôn mới "
    return (base * (n // len(base) + 1))[: n - 1] + "Z"


def write_long_text(path: Path) -> Path:
    """long_text.csv: the long texts of item 5, three series (words, one endless word, a long sub-area)."""
    rows = []
    for period, kind, value in (("2020", "baseline", "10"), ("2023", "actual", "30"), ("2025", "target", "90")):
        rows.append(dict(indicator_id="long_text", indicator=long_words("Tên", 10_000),
                         indicator_en=long_words("Name", 5_000), group=long_words("Nhóm", 10_000),
                         unit=long_words("đơn vị", 10_000), area=MAIN_AREA, period=period, kind=kind, value=value,
                         source=long_words("Nguồn", 10_000), note=long_words("Ghi chú", 10_000),
                         direction="increase"))
        rows.append(dict(indicator_id="long_word", indicator="X" * 10_000, group="Y" * 10_000, unit="đv",
                         area=MAIN_AREA, period=period, kind=kind, value=value,
                         source="https://example.org/" + "a" * 9_980, note="N" * 10_000, direction="increase"))
    rows.append(dict(indicator_id="long_std", indicator=long_words("Chuẩn", 10_000), unit="1 = đạt chuẩn",
                     area=long_words("Xã", 10_000), period="2023", kind="actual", value="1", source="Báo cáo",
                     direction="increase"))
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def fixture_files(tmp: Path) -> list[Path]:
    return [FIXTURES / "markup.csv", write_long_text(tmp / "long_text.csv"), FIXTURES / "formulas.csv"]


def indicators_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The installed `indicators` command, as a user runs it."""
    command = Path(sys.executable).with_name("indicators")
    return subprocess.run([str(command), *args], env=env, capture_output=True, text=True, timeout=300, check=False,
                          stdin=subprocess.DEVNULL)


def hostile_store(folder: Path) -> dict[str, str]:
    """A new SQLite store under `folder` holding the three hostile files, committed by `indicators import`
    (the first replaces an empty store, the others update it); returns the environment that points at it."""
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, INDICATORS_DATABASE_URL=f"sqlite:///{folder / 'hostile.sqlite'}",
               INDICATORS_VAR_DIR=str(folder), INDICATORS_DATA=str(folder / "no-seed.csv"))
    for i, path in enumerate(fixture_files(folder)):
        done = indicators_cli("import", str(path), "--comment", f"hostile {path.stem}", "--user", "tester",
                              "--mode", "replace" if i == 0 else "update", env=env)
        assert done.returncode == 0, (path.name, done.stdout, done.stderr)
    return {k: env[k] for k in ("INDICATORS_DATABASE_URL", "INDICATORS_VAR_DIR", "INDICATORS_DATA")}
