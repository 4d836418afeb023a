"""Rewrite the README's command-line reference from each command's --help: `make docs`.

The README holds, between the two markers below, what `COLUMNS=100 indicators … --help` prints for every
command, in fenced blocks; tests/test_docs.py regenerates them and fails when the README differs.
"""

from __future__ import annotations

from pathlib import Path

from indicators.cli import DOCS_COLUMNS, command_paths, help_text

README = Path(__file__).resolve().parents[1] / "README.md"
START = f"<!-- cli-help: written by `make docs` from each command's --help at COLUMNS={DOCS_COLUMNS} -->"
END = "<!-- cli-help end -->"


def help_block(path: tuple[str, ...]) -> str:
    """One command's help as the README shows it: the command line, then exactly what it prints."""
    return f"```text\n$ {' '.join(('indicators', *path, '--help'))}\n{help_text(path)}```"


def cli_reference() -> str:
    return "\n\n".join(help_block(path) for path in command_paths())


def rewrite(readme: str) -> str:
    """The README with its command-line reference regenerated (the text around it untouched)."""
    head, found, rest = readme.partition(START)
    _old, found_end, tail = rest.partition(END)
    if not (found and found_end):
        raise ValueError(f"the README needs the two markers {START!r} and {END!r}")
    return f"{head}{START}\n{cli_reference()}\n{END}{tail}"


if __name__ == "__main__":
    README.write_text(rewrite(README.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"{README}: command-line reference rewritten")
