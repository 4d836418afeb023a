"""Docs that cannot drift: every CLI command, environment setting and page is named in the README."""

from __future__ import annotations

import re
from pathlib import Path

from indicators.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_documented() -> None:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:  # type: ignore[union-attr]
        assert f"indicators {name}" in README, name


def test_every_environment_setting_is_documented() -> None:
    used = set()
    for path in [*(ROOT / "src" / "indicators").glob("*.py"), ROOT / "app.py", *(ROOT / "app_pages").glob("*.py")]:
        used |= set(re.findall(r"\b(INDICATORS_[A-Z_]+)\b", path.read_text(encoding="utf-8")))
    assert used, "the code reads its settings from INDICATORS_* variables"
    for name in sorted(used):
        assert name in README, name


def test_every_page_is_routed_and_documented() -> None:
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    for page in sorted((ROOT / "app_pages").glob("*.py")):
        if page.stem == "__init__":
            continue
        assert f'"app_pages/{page.name}"' in app, page.name


def test_readme_shows_the_two_commands_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make run" in README and "make test" in README
    assert "make test" in ci
