"""The `indicators` command line: thin commands over the library.

Each command is a small function that parses nothing itself: `build_parser` declares the options, the
function calls one piece of the library, prints text or JSON and returns the exit code. Bad input never
shows a traceback: library errors are caught at this edge and reported in one line on stderr.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
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
    from indicators.present.formatting import format_summary_text
    from indicators.progress.engine import result_records

    view = _version_view(args)
    records = result_records(view.result)
    if args.format == "json":
        print_json(records)
    else:  # the latest value as the pages and the reports write it ("23/23 xã")
        texts = view.value_texts(args.lang)
        sys.stdout.write(format_summary_text([{**r, "latest_text": x} for r, x in zip(records, texts, strict=True)],
                                             lang=args.lang))
    return 0


def _add_summary(sub: Any) -> None:
    p = sub.add_parser("summary", help="progress of every indicator against its target")
    p.add_argument("--data", default=str(paths.default_data_file()), help="contract v1 CSV/XLSX (default: shipped data)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--lang", choices=["vi", "en"], default="vi")


# --- validate --------------------------------------------------------------------------------------
@command("validate")
def cmd_validate(args: argparse.Namespace) -> int:
    from indicators.ingest.validate import validate_path

    result = validate_path(Path(args.file), decimal=args.decimal, sheet=args.sheet)
    if args.format == "text" and result.unreadable and result.report.codes() == {"unreadable_file"}:
        raise CliError(result.report.errors[0].message(args.lang))
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
    p.add_argument("--sheet", help="XLSX sheet name (default: the first visible sheet)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--lang", choices=["vi", "en"], default="vi")


#: Parser builders, one per command; modules add theirs here.
PARSER_BUILDERS: list[Callable[[Any], None]] = [_add_summary, _add_validate]


# --- report ----------------------------------------------------------------------------------------
def _version_view(args: argparse.Namespace) -> Any:
    """The view of what a command shows (`present.view`, as the pages build it): --data FILE, else the store's
    --version or current version."""
    from indicators.present.view import load_view, view_of

    if args.data:
        from indicators.store.current import load_csv

        return view_of(load_csv(Path(args.data)), label=getattr(args, "version", None))
    from indicators.store.versions import Store, StoreError

    try:
        version = int(args.version) if args.version else None
    except ValueError:
        raise CliError(f"--version must be a version number, not {args.version!r}") from None
    url = getattr(args, "database_url", None)
    store = Store(url) if url else Store.from_env()
    try:
        store.ensure_schema()
        info = store.version(version) if version is not None else store.current_version()
        if info is None:
            raise CliError("the store holds no version yet: pass --data FILE")
        return load_view(store, info.version)
    except StoreError as exc:
        raise CliError(str(exc)) from None
    finally:
        store.close()


@command("report")
def cmd_report(args: argparse.Namespace) -> int:
    from indicators.present.pdf import build_brief
    from indicators.present.pptx import build_deck

    view = _version_view(args)
    build = build_deck if args.format == "pptx" else build_brief
    data = build(view, lang=args.lang)
    out = Path(args.out)
    out.write_bytes(data)
    print(f"{out}: {len(data):,} bytes ({args.format}, {args.lang}, version {view.label or '—'})")
    return 0


def _add_report(sub: Any) -> None:
    p = sub.add_parser("report", help="write the PowerPoint deck or the PDF brief of a dataset")
    p.add_argument("--format", choices=["pptx", "pdf"], required=True)
    p.add_argument("--out", required=True, help="the file to write")
    p.add_argument("--lang", choices=["vi", "en"], default="vi")
    p.add_argument("--version", help="a stored version number (default: the current one); with --data, a label")
    p.add_argument("--data", help="a contract v1 CSV/XLSX to report on instead of the store")


PARSER_BUILDERS.append(_add_report)


# --- store: import, history, rollback, export, users -----------------------------------------------
def _add_store_option(p: Any) -> None:
    p.add_argument("--database-url", help="the store (default: $INDICATORS_DATABASE_URL, else var/indicators.sqlite)")


@contextmanager
def _open_store(args: argparse.Namespace) -> Iterator[Any]:
    """The store of --database-url or the environment; store and database errors become one line
    (a full disk or an unreachable server in the user's language, see `store.as_store_error`)."""
    from indicators.store.versions import Store, StoreError, as_store_error

    try:
        with Store(args.database_url) if args.database_url else Store.from_env() as store:
            yield store
    except StoreError as exc:
        raise CliError(exc.message(_lang(args))) from None
    except Exception as exc:
        mapped = as_store_error(exc)
        if mapped is None:
            raise
        raise CliError(mapped.message(_lang(args))) from None


def _lang(args: argparse.Namespace) -> str:
    return getattr(args, "lang", None) or "vi"


def _current_or_seed(store: Any) -> Any:
    """The current version; an empty store is first seeded from the shipped data (if the file exists)."""
    info = store.current_version()
    source = paths.default_data_file()
    if info is None and source.exists():
        from indicators.ingest.validate import load_file

        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        info = store.seed_if_empty(load_file(source), source_name=source.name, sha256=digest)
        info = info or store.current_version()
        print(f"indicators: seeded version {info.version} from {source}", file=sys.stderr)
    return info


def _counts(info: Any) -> str:
    return (f"version {info.version}: {info.rows:,} rows (new {info.new:,}, changed {info.changed:,}, "
            f"unchanged {info.unchanged:,}, removed {info.removed:,})")


@command("import")
def cmd_import(args: argparse.Namespace) -> int:
    from indicators.i18n import t
    from indicators.ingest.validate import ReadError, read_path
    from indicators.store import staging

    path = Path(args.file)
    try:
        data = read_path(path)
    except ReadError as exc:
        from indicators.ingest.report import ValidationReport

        if args.format == "text" and exc.code == "unreadable_file":
            raise CliError(exc.issue.message(args.lang)) from None
        _print_report(ValidationReport([exc.issue]), args)
        return 2
    with _open_store(args) as store:
        _current_or_seed(store)
        staged = staging.stage(store, data, path.name, decimal=args.decimal, sheet=args.sheet, mode=args.mode)
        report = staged.report
        if not staged.valid:
            _print_report(report, args)
            return 2 if staged.checked.unreadable else 1
        counts = staged.counts()
        out = sys.stderr if args.format == "json" else sys.stdout
        if args.format != "json":
            sys.stdout.writelines(line + "\n" for line in report.to_lines(lang=args.lang)[:-1])
        print(t("cli_preview", args.lang, base=staged.base if staged.base is not None else "—", **counts), file=out)
        if staged.removed and not args.yes and not _confirm_removals(staged, args, out):
            if args.format == "json":
                print_json({"committed": False, "base": staged.base, "preview": counts,
                            "error": t("cli_needs_yes", args.lang, n=staged.removed, base=staged.base)})
            return 1
        info = staging.commit(store, staged, user=args.user or getpass.getuser(), comment=args.comment)
    if args.format == "json":
        print_json({**info.to_dict(), "warnings": report.to_dict(lang=args.lang)["warnings"]})
    else:
        print(_counts(info))
    return 0


def _confirm_removals(staged: Any, args: argparse.Namespace, out: Any) -> bool:
    """List the rows a replace would drop and ask on the terminal; without one, refuse (nothing written)."""
    from indicators.i18n import t

    removals = staged.removals
    for row in removals.head(10).itertuples(index=False):
        print(t("cli_removed_row", args.lang, row=" · ".join(str(v) for v in row)), file=out)
    if len(removals) > 10:
        print(t("cli_removed_more", args.lang, n=len(removals) - 10), file=out)
    if not sys.stdin.isatty():
        print(f"indicators import: {t('cli_needs_yes', args.lang, n=staged.removed, base=staged.base)}",
              file=sys.stderr)
        return False
    sys.stderr.write(t("cli_confirm", args.lang, n=staged.removed))
    sys.stderr.flush()
    if sys.stdin.readline().strip().lower() not in ("y", "yes", "c", "có", "co"):
        print(f"indicators import: {t('cli_declined', args.lang)}", file=sys.stderr)
        return False
    return True


def _print_report(report: Any, args: argparse.Namespace) -> None:
    if args.format == "json":
        print_json(report.to_dict(lang=args.lang))
    else:
        sys.stdout.writelines(line + "\n" for line in report.to_lines(lang=args.lang))


def _add_import(sub: Any) -> None:
    p = sub.add_parser("import", help="validate a file and commit it as a new version of the store")
    p.add_argument("file", help="the CSV or XLSX file to import")
    p.add_argument("--comment", required=True, help="what this version is (kept in the history)")
    p.add_argument("--mode", choices=["replace", "update"], default="replace",
                   help="replace the whole dataset (default) or update: upsert rows by key")
    p.add_argument("--decimal", choices=[",", "."], help="decimal separator, when the file does not show it")
    p.add_argument("--sheet", help="XLSX sheet name (default: the first visible sheet)")
    p.add_argument("--user", help="who commits (default: your login name)")
    p.add_argument("--yes", action="store_true",
                   help="commit without asking even when rows are removed (for scripts; without a terminal "
                        "and without --yes, a commit that removes rows is refused)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--lang", choices=["vi", "en"], default="vi")
    _add_store_option(p)


@command("history")
def cmd_history(args: argparse.Namespace) -> int:
    with _open_store(args) as store:
        versions, current = store.history(), store.current_version()
    if args.format == "json":
        print_json([v.to_dict() for v in versions])
        return 0
    for v in versions:
        mark = "*" if current and v.version == current.version else " "
        print(f"{mark} {v.version:>4}  {v.created_at:%Y-%m-%d %H:%M} UTC  {v.user:<12} {v.mode:<8} "
              f"{v.rows:>9,} rows  +{v.new} ~{v.changed} -{v.removed}  {v.comment}")
    if not versions:
        print("no version yet")
    return 0


def _add_history(sub: Any) -> None:
    p = sub.add_parser("history", help="the versions of the store, newest first (* = current)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    _add_store_option(p)


@command("rollback")
def cmd_rollback(args: argparse.Namespace) -> int:
    with _open_store(args) as store:
        info = store.rollback(args.version, user=args.user or getpass.getuser(), comment=args.comment)
    print(f"{_counts(info)} — a copy of version {args.version}")
    return 0


def _add_rollback(sub: Any) -> None:
    p = sub.add_parser("rollback", help="make a new version with the content of an older one")
    p.add_argument("version", type=int, help="the version whose content becomes current again")
    p.add_argument("--user", help="who rolls back (default: your login name)")
    p.add_argument("--comment", help="why (default: 'rollback to version N')")
    _add_store_option(p)


@command("export")
def cmd_export(args: argparse.Namespace) -> int:
    from indicators.present.export import to_csv_bytes, to_xlsx_bytes

    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise CliError("--out must name a .csv or .xlsx file")
    with _open_store(args) as store:
        info = store.version(args.version) if args.version else _current_or_seed(store)
        if info is None:
            raise CliError("the store has no version yet")
        frame = store.load(info.version)
    out.write_bytes(to_csv_bytes(frame) if out.suffix.lower() == ".csv" else to_xlsx_bytes(frame))
    print(f"{out}: version {info.version}, {len(frame):,} rows")
    return 0


def _add_export(sub: Any) -> None:
    p = sub.add_parser("export", help="write a version as contract v1 CSV or XLSX (formula-safe)")
    p.add_argument("--version", type=int, help="the version to export (default: the current one)")
    p.add_argument("--out", required=True, help="FILE.csv or FILE.xlsx")
    _add_store_option(p)


def _new_password(args: argparse.Namespace) -> str:
    """One line from stdin with --password-stdin; else asked twice, never echoed."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat the password: ") != first:
        raise CliError("the two passwords differ")
    return first


@command("users")
def cmd_users(args: argparse.Namespace) -> int:
    from indicators.store import accounts as auth

    with _open_store(args) as store:
        if args.action == "add":
            user = auth.add_user(store, args.name, _new_password(args), args.role)
            print(f"user {user.name} added ({user.role})")
        elif args.action == "passwd":
            auth.set_password(store, args.name, _new_password(args))
            print(f"password of {args.name} changed")
        elif args.action in ("disable", "enable"):
            auth.disable_user(store, args.name, disabled=args.action == "disable")
            print(f"user {args.name} {args.action}d")
        elif args.action == "unlock":
            auth.unlock(store, args.name, client=args.client or "")
            print(f"sign-in of {args.name} unlocked" + (f" (and address {args.client})" if args.client else ""))
        else:
            for u in auth.list_users(store):
                print(f"{u.name:<20} {u.role:<8} {'disabled' if u.disabled else 'active'}")
    return 0


def _add_users(sub: Any) -> None:
    p = sub.add_parser("users", help="analyst and admin accounts (no default account exists)")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    for action, helptext in [("add", "create an account"), ("passwd", "set a new password")]:
        a = actions.add_parser(action, help=helptext)
        a.add_argument("name")
        if action == "add":
            a.add_argument("--role", choices=["analyst", "admin"], required=True)
        a.add_argument("--password-stdin", action="store_true", help="read the password from one line of stdin")
        _add_store_option(a)
    for action in ("disable", "enable"):
        a = actions.add_parser(action, help=f"{action} an account (nothing is deleted)")
        a.add_argument("name")
        _add_store_option(a)
    a = actions.add_parser("unlock", help="end a name's sign-in lock now (after failed sign-ins)")
    a.add_argument("name")
    a.add_argument("--client", help="also end the back-off of this client address (as the server log names it)")
    _add_store_option(a)
    _add_store_option(actions.add_parser("list", help="the accounts and their roles"))


PARSER_BUILDERS.extend([_add_import, _add_history, _add_rollback, _add_export, _add_users])


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
