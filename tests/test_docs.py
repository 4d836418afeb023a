"""Docs that cannot drift: the README shows every command's full --help as the command prints it (as datasette's
docs tests do; `make docs` rewrites it), and names every environment setting and page."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from indicators.cli import DOCS_COLUMNS, command_paths, help_text
from tests import update_docs

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", list(command_paths()), ids=lambda path: " ".join(("indicators", *path)))
def test_readme_shows_each_commands_full_help(path: tuple[str, ...]) -> None:
    assert update_docs.help_block(path) in README, f"run `make docs`: {' '.join(path)} --help changed"


def test_readme_command_reference_is_what_make_docs_writes() -> None:
    assert update_docs.rewrite(README) == README, "run `make docs`: a command was added or removed"


@pytest.mark.parametrize("path", [(), ("users", "add")], ids=["indicators", "users add"])
def test_the_help_in_the_readme_is_what_a_terminal_of_that_width_shows(path: tuple[str, ...]) -> None:
    done = subprocess.run([sys.executable, "-m", "indicators.cli", *path, "--help"], capture_output=True,
                          text=True, timeout=120, check=True, env={**os.environ, "COLUMNS": str(DOCS_COLUMNS)})
    assert done.stdout == help_text(path)


def test_every_environment_setting_is_documented() -> None:
    used = set()
    for path in [*(ROOT / "src" / "indicators").rglob("*.py"), ROOT / "app.py", *(ROOT / "app_pages").glob("*.py"),
                 *(ROOT / "webui").glob("*.py")]:
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


def test_ci_runs_make_check_which_runs_the_docs_and_doctests() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "make check" in ci
    check = makefile[makefile.index("\ncheck:"):].split("\n\n")[0]
    assert check.startswith("\ncheck: lint typecheck")  # ruff check ., mypy
    assert "pytest -q --doctest-modules src/indicators" in check and "pytest -q tests/test_docs.py" in check
