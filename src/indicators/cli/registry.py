"""How a command is declared: once, its options beside it, its docstring as its help.

    @command("history", FORMAT, LANG, DATABASE_URL)
    def history(args: argparse.Namespace) -> int:
        '''the versions of the store, newest first (* = current)'''

The docstring's first line is the command's line in `indicators --help`; the whole docstring is the
description its own `--help` shows, as written. A group of commands (`indicators users add|list|…`) is
one `group(name, help)` whose actions are declared the same way with `@users.command(...)`. Nothing else
registers a command: `build_parser` builds argparse from these declarations.
"""

from __future__ import annotations

import argparse
import inspect
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn

Handler = Callable[[argparse.Namespace], int]


class CliError(Exception):
    """A problem with the user's input, reported as one line and exit code `code`."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Arg:
    """One argument: the names and keywords of `ArgumentParser.add_argument`."""

    names: tuple[str, ...]
    options: Mapping[str, Any]

    def add_to(self, parser: Any) -> None:
        parser.add_argument(*self.names, **self.options)


def arg(*names: str, **options: Any) -> Arg:
    return Arg(names, options)


@dataclass(frozen=True)
class OneOf:
    """Options that exclude each other; the usage line shows `[--data PATH | --version N]`."""

    args: tuple[Arg, ...]

    def add_to(self, parser: Any) -> None:
        exclusive = parser.add_mutually_exclusive_group()
        for one in self.args:
            one.add_to(exclusive)


Option = Arg | OneOf


@dataclass
class Command:
    """A command (`run` set) or a group of commands (`actions` set)."""

    name: str
    help: str
    description: str
    options: tuple[Option, ...] = ()
    run: Handler | None = None
    actions: dict[str, Command] = field(default_factory=dict)

    def command(self, name: str, *options: Option) -> Callable[[Handler], Handler]:
        """Declare an action of this group: `@users.command("add", ...)`."""
        return _declare(self.actions, name, options)

    def add_to(self, subparsers: Any, formatter: type[argparse.HelpFormatter]) -> None:
        parser = subparsers.add_parser(self.name, help=self.help, description=self.description,
                                       formatter_class=formatter)
        for option in self.options:
            option.add_to(parser)
        if self.run is not None:
            parser.set_defaults(run=self.run)
        if self.actions:
            actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
            for action in self.actions.values():
                action.add_to(actions, formatter)

    def paths(self, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
        """This command's words and those of its actions: ("users",), ("users", "add"), …"""
        yield (*prefix, self.name)
        for action in self.actions.values():
            yield from action.paths((*prefix, self.name))


#: Every command, in the order `indicators --help` lists them.
COMMANDS: dict[str, Command] = {}


def command(name: str, *options: Option) -> Callable[[Handler], Handler]:
    """Declare a command: the decorated function is its handler, its docstring its help."""
    return _declare(COMMANDS, name, options)


def group(name: str, help: str) -> Command:
    """Declare a group of commands; declare its actions with `@group.command(...)`."""
    if name in COMMANDS:
        raise ValueError(f"the command {name!r} is declared twice")
    COMMANDS[name] = Command(name, help, help)
    return COMMANDS[name]


def _declare(table: dict[str, Command], name: str,
             options: tuple[Option, ...]) -> Callable[[Handler], Handler]:
    def declare(run: Handler) -> Handler:
        doc = inspect.getdoc(run)
        if not doc:
            raise ValueError(f"the command {name!r} needs a docstring: it is its --help")
        if name in table:
            raise ValueError(f"the command {name!r} is declared twice")
        table[name] = Command(name, doc.splitlines()[0], doc, options, run)
        return run

    return declare


class Parser(argparse.ArgumentParser):
    """argparse, but bad input is one line on stderr (`indicators summary: argument --format: …`), exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def formatter(width: int | None = None) -> type[argparse.HelpFormatter]:
    """Descriptions as written; options wrapped to `width` (default: the terminal's, as argparse does)."""
    if width is None:
        return argparse.RawDescriptionHelpFormatter

    class Fixed(argparse.RawDescriptionHelpFormatter):
        def __init__(self, prog: str) -> None:
            super().__init__(prog, width=width)

    return Fixed


def build_parser(description: str, width: int | None = None) -> Parser:
    """The `indicators` parser from `COMMANDS` (the command modules must have been imported)."""
    help_format = formatter(width)
    parser = Parser(prog="indicators", description=description, formatter_class=help_format)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for declared in COMMANDS.values():
        declared.add_to(subparsers, help_format)
    return parser
