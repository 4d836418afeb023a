"""The `indicators` command line: thin commands over the library, each declared once.

A command is one function in one of `COMMAND_MODULES`, declared with its options beside it
(`registry.command`, `registry.group`); its docstring is its `--help`. The function calls one piece of
the library, prints text or JSON in --lang and returns the exit code. Bad input never shows a traceback:
argparse's complaints and the library's errors are one line on stderr, exit code 2.

Adding a command group is one module here with its declarations, and its name in `COMMAND_MODULES`.
The README holds every command's `--help` at `DOCS_COLUMNS` (tests/test_docs.py; `make docs` rewrites it).
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import sys
from collections.abc import Iterator, Sequence

from indicators.cli.registry import COMMANDS, CliError, Parser
from indicators.cli.registry import build_parser as _build_parser

__all__ = ["COMMAND_MODULES", "DOCS_COLUMNS", "CliError", "build_parser", "command_paths", "help_text",
           "main"]

#: The modules that declare commands, in the order `indicators --help` lists them.
COMMAND_MODULES = ("reports", "versions", "users", "submissions", "db", "forms")
DESCRIPTION = "District socio-economic indicators: progress, validation, store and reports."
#: The terminal width (`COLUMNS`) at which the README shows each command's --help.
DOCS_COLUMNS = 100


def load_commands() -> None:
    """Import the command modules: their declarations fill `registry.COMMANDS`."""
    for name in COMMAND_MODULES:
        importlib.import_module(f"indicators.cli.{name}")


def build_parser(width: int | None = None) -> Parser:
    """The parser of every declared command; `width` fixes the help's width (default: the terminal's)."""
    load_commands()
    return _build_parser(DESCRIPTION, width)


def command_paths() -> Iterator[tuple[str, ...]]:
    """(), ("summary",), …, ("users",), ("users", "add"), …: every help page, in the README's order."""
    load_commands()
    yield ()
    for declared in COMMANDS.values():
        yield from declared.paths()


def help_text(path: Sequence[str], columns: int = DOCS_COLUMNS) -> str:
    """What `COLUMNS=<columns> indicators <path> --help` prints (argparse wraps at columns - 2)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        build_parser(columns - 2).parse_args([*path, "--help"])
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = int(args.run(args))
        sys.stdout.flush()  # inside the try: a reader that left (a closed pipe) is noticed here, not at exit
        return code
    except CliError as exc:
        print(f"indicators {args.command}: {exc}", file=sys.stderr)
        return exc.code
    except BrokenPipeError:  # `indicators history | head`: the reader left; say nothing more (as cat does)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except (OSError, ValueError) as exc:
        print(f"indicators {args.command}: {exc}", file=sys.stderr)
        return 2
