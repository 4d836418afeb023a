"""Each command is declared once, with its options beside it; every command speaks --lang, every command that
opens the store takes --database-url; argparse's complaints are one line on stderr and exit code 2."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import pytest

from indicators.cli import command_paths, help_text, main
from indicators.cli.registry import COMMANDS, Command
from indicators.i18n import TEXT

CLI = Path(__file__).resolve().parents[1] / "src" / "indicators" / "cli"
NO_STORE = {("validate",)}


def declared(path: tuple[str, ...]) -> Command:
    found = COMMANDS[path[0]]
    for word in path[1:]:
        found = found.actions[word]
    return found


LEAVES = [p for p in command_paths() if p and not declared(p).actions]  # the commands that run something


def _noop(args: argparse.Namespace) -> int:
    """does nothing"""
    return 0


def test_a_command_is_declared_once() -> None:
    group = Command("g", "a group", "a group")
    group.command("x")(_noop)
    with pytest.raises(ValueError, match="declared twice"):
        group.command("x")(_noop)


def test_a_command_without_a_docstring_is_refused() -> None:
    with pytest.raises(ValueError, match="docstring"):
        Command("g", "a group", "a group").command("x")(lambda args: 0)


def test_every_command_has_a_handler_and_the_parser_lists_them_all() -> None:
    assert {"summary", "validate", "import", "history", "rollback", "export", "report", "users"} <= set(COMMANDS)
    assert all(declared(path).run is not None for path in LEAVES)
    assert {path for path in LEAVES if path[0] == "users"} == {
        ("users", action) for action in ("add", "passwd", "disable", "enable", "unlock", "scope", "list")}
    assert {path for path in LEAVES if path[0] == "submissions"} == {
        ("submissions", action) for action in ("list", "show", "approve", "return")}
    listed = help_text(())
    for name, command in COMMANDS.items():
        assert re.search(rf"^    {name}\s+{re.escape(command.help[:20])}", listed, re.M), name  # a long name: help below


@pytest.mark.parametrize("path", LEAVES, ids=" ".join)
def test_every_command_speaks_both_languages(path: tuple[str, ...]) -> None:
    assert "--lang {vi,en}" in help_text(path)


@pytest.mark.parametrize("path", [p for p in LEAVES if p not in NO_STORE], ids=" ".join)
def test_every_command_that_opens_the_store_takes_database_url(path: tuple[str, ...]) -> None:
    assert "--database-url URL" in help_text(path)


@pytest.mark.parametrize("argv", [
    ["summary", "--format", "xml"],
    ["export"],                      # --out is required
    ["users"],                       # an action is required
    ["rollback", "two"],
    ["nope"],
])
def test_bad_arguments_are_one_line_and_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("indicators")
    assert err.rstrip().endswith("--help)")


@pytest.mark.parametrize(("lang", "words"), [("vi", "chưa có phiên bản nào\n"), ("en", "no version yet\n")])
def test_output_follows_lang(lang: str, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "--database-url", f"sqlite:///{tmp_path / 's.sqlite'}", "--lang", lang]) == 0
    assert capsys.readouterr().out == words


def test_every_cli_message_is_in_the_catalogue_in_both_languages() -> None:
    used = set()
    for module in CLI.glob("*.py"):
        used |= set(re.findall(r"""\bt\(\s*["'](\w+)["']""", module.read_text(encoding="utf-8")))
        used |= set(re.findall(r"""["'](cli_\w+)["']""", module.read_text(encoding="utf-8")))
    assert {"cli_counts", "cli_seeded", "cli_user_added"} <= used
    for key in sorted(used):
        vi, en = TEXT[key]
        assert vi and en and vi != en, key
        assert set(re.findall(r"{(\w+)", vi)) == set(re.findall(r"{(\w+)", en)), key


def test_python_m_runs_the_command_line(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "indicators.cli", "history", "--lang", "en",
                           "--database-url", f"sqlite:///{tmp_path / 's.sqlite'}"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "no version yet\n", "")
