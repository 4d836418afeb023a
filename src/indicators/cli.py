"""The `indicators` command line: thin commands over the library.

Each command is a small function that parses nothing itself: `build_parser` declares the options, the
function calls one piece of the library, prints text or JSON and returns the exit code. Bad input never
shows a traceback: library errors are caught at this edge and reported in one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from indicators import paths

Command = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, Command] = {}


class CliError(Exception):
    """A problem with the user's input, reported as one line and exit code `code`."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def command(name: str) -> Callable[[Command], Command]:
    def register(func: Command) -> Command:
        COMMANDS[name] = func
        return func

    return register


def print_json(obj: Any) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2, allow_nan=False)
    sys.stdout.write("\n")


# --- summary ---------------------------------------------------------------------------------------
@command("summary")
def cmd_summary(args: argparse.Namespace) -> int:
    from indicators.dataset import load_csv
    from indicators.formatting import format_summary_text
    from indicators.progress import summary_records

    frame = load_csv(Path(args.data))
    records = summary_records(frame)
    if args.format == "json":
        print_json(records)
    else:
        sys.stdout.write(format_summary_text(records, lang=args.lang))
    return 0


def _add_summary(sub: Any) -> None:
    p = sub.add_parser("summary", help="progress of every indicator against its target")
    p.add_argument("--data", default=str(paths.default_data_file()), help="contract v1 CSV/XLSX (default: shipped data)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--lang", choices=["vi", "en"], default="vi")


# --- validate --------------------------------------------------------------------------------------
@command("validate")
def cmd_validate(args: argparse.Namespace) -> int:
    from indicators.validation import validate_bytes

    path = Path(args.file)
    result = validate_bytes(path.read_bytes(), path.name, decimal=args.decimal, sheet=args.sheet)
    if args.format == "json":
        print_json(result.report.to_dict(lang=args.lang))
    else:
        sys.stdout.writelines(line + "\n" for line in result.report.to_lines(lang=args.lang))
        if result.needs_decimal:
            print("hint: rerun with --decimal , or --decimal ." if args.lang == "en"
                  else "gợi ý: chạy lại với --decimal , hoặc --decimal .")
    return 2 if result.unreadable else 0 if result.report.valid else 1


def _add_validate(sub: Any) -> None:
    p = sub.add_parser("validate", help="check a contract v1 CSV/XLSX file; exit 0 valid, 1 invalid, 2 unreadable")
    p.add_argument("file", help="the CSV or XLSX file to check")
    p.add_argument("--decimal", choices=[",", "."], help="decimal separator, when the file does not show it")
    p.add_argument("--sheet", help="XLSX sheet name (default: the first sheet)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--lang", choices=["vi", "en"], default="vi")


#: Parser builders, one per command; modules add theirs here.
PARSER_BUILDERS: list[Callable[[Any], None]] = [_add_summary, _add_validate]


# --- report ----------------------------------------------------------------------------------------
def _report_input(args: argparse.Namespace) -> tuple[Any, str | int | None]:
    """The dataset to report on, and its version label: --data FILE, else the store (--version or current)."""
    if args.data:
        from indicators.dataset import load_csv

        return load_csv(Path(args.data)), args.version
    from indicators.store import Store, StoreError

    try:
        version = int(args.version) if args.version else None
    except ValueError:
        raise CliError(f"--version must be a version number, not {args.version!r}") from None
    store = Store.from_env()
    try:
        store.ensure_schema()
        info = store.version(version) if version is not None else store.current_version()
        if info is None:
            raise CliError("the store holds no version yet: pass --data FILE")
        return store.load(info.version), info.version
    except StoreError as exc:
        raise CliError(str(exc)) from None
    finally:
        store.close()


@command("report")
def cmd_report(args: argparse.Namespace) -> int:
    from indicators.progress import compute_progress
    from indicators.report_pdf import build_brief
    from indicators.report_pptx import build_deck

    frame, version = _report_input(args)
    build = build_deck if args.format == "pptx" else build_brief
    data = build(frame, compute_progress(frame), lang=args.lang, version=version)
    out = Path(args.out)
    out.write_bytes(data)
    print(f"{out}: {len(data):,} bytes ({args.format}, {args.lang}, version {version or '—'})")
    return 0


def _add_report(sub: Any) -> None:
    p = sub.add_parser("report", help="write the PowerPoint deck or the PDF brief of a dataset")
    p.add_argument("--format", choices=["pptx", "pdf"], required=True)
    p.add_argument("--out", required=True, help="the file to write")
    p.add_argument("--lang", choices=["vi", "en"], default="vi")
    p.add_argument("--version", help="a stored version number (default: the current one); with --data, a label")
    p.add_argument("--data", help="a contract v1 CSV/XLSX to report on instead of the store")


PARSER_BUILDERS.append(_add_report)

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="indicators",
        description="District socio-economic indicators: progress, validation, store and reports.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in PARSER_BUILDERS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except CliError as exc:
        print(f"indicators {args.command}: {exc}", file=sys.stderr)
        return exc.code
    except (OSError, ValueError) as exc:
        print(f"indicators {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
