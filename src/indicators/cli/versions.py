"""Files in and out of the store: `validate`, `convert`, `import`, `history`, `rollback`, `export`."""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from indicators.cli.common import (
    ADAPTER_OPTIONS,
    DATABASE_URL,
    DECIMAL,
    FORMAT,
    LANG,
    SHEET,
    USER,
    VERSION,
    adapter_options,
    count,
    current_or_seed,
    open_store,
    print_json,
    reading_store,
    stored_version,
)
from indicators.cli.registry import CliError, arg, command
from indicators.i18n import t


def counts_line(info: Any, lang: str) -> str:
    return t("cli_counts", lang, version=info.version, rows=count(info.rows, lang), new=count(info.new, lang),
             changed=count(info.changed, lang), unchanged=count(info.unchanged, lang),
             removed=count(info.removed, lang))


def print_report(report: Any, args: argparse.Namespace) -> None:
    if args.format == "json":
        print_json(report.to_dict(lang=args.lang))
    else:
        sys.stdout.writelines(line + "\n" for line in report.to_lines(lang=args.lang))


def checked_file(args: argparse.Namespace) -> Any:
    """Read, convert and validate FILE with the adapter options, against the store if there is one."""
    from indicators.ingest.validate import validate_path
    from indicators.store.staging import with_store

    rows = None
    with reading_store(args) as store:
        options = adapter_options(args, store)
        if store is not None:
            info = store.current_version()
            rows = store.load(info.version) if info is not None else None
            options = with_store(store, options, rows)  # the stored indicators, aliases and profiles
    result = validate_path(Path(args.file), decimal=args.decimal, sheet=args.sheet, current=rows, options=options)
    if args.format == "text" and result.unreadable and result.report.codes() == {"unreadable_file"}:
        raise CliError(result.report.errors[0].message(args.lang))
    return result


def print_detected(result: Any, args: argparse.Namespace) -> None:
    """What the adapter found ("detected: a report table…"), on stderr for JSON output; for a contract
    file only `convert` says it."""
    if result.detected is None or (result.format == "tidy" and args.command != "convert"):
        return  # a contract file is what validate and import expect: nothing to say
    text = result.detected[1 if args.lang == "en" else 0]
    print(t("cli_detected", args.lang, format=result.format, detected=text),
          file=sys.stderr if args.format == "json" else sys.stdout)


@command("validate", arg("file", metavar="FILE", help="the file to check: contract CSV/XLSX, a report table "
         "(biểu), the product's form, Open SDG, DHIS2 or PX-Web"), DECIMAL, SHEET, *ADAPTER_OPTIONS, FORMAT, LANG,
         DATABASE_URL)
def validate(args: argparse.Namespace) -> int:
    """check a file against contract v2; exit 0 valid, 1 invalid, 2 unreadable

    The file's format is detected (or given by --from) and said; a report table is read through its saved
    mapping profile or a proposed one, and its rows matched to the store's indicators. Every problem is
    reported with its row, column and value — for a converted file, the sheet and cell of the original.
    Nothing is written anywhere.
    """
    result = checked_file(args)
    print_detected(result, args)
    print_report(result.report, args)
    if args.format == "text" and result.needs_decimal:
        print(t("cli_decimal_hint", args.lang))
    return 2 if result.unreadable else 0 if result.report.valid else 1


@command("convert", arg("file", metavar="FILE", help="a report table (biểu), the product's form, Open SDG, "
         "DHIS2 or PX-Web file, or contract CSV/XLSX"),
         arg("--out", metavar="OUT", required=True, help="OUT.csv or OUT.xlsx: the contract rows"),
         *ADAPTER_OPTIONS, DECIMAL, SHEET, FORMAT, LANG, DATABASE_URL)
def convert(args: argparse.Namespace) -> int:
    """convert a file to contract v2 rows; exit 0 valid, 1 invalid (rows written to fix), 2 unreadable

    Says what it detected and prints the validation report. Valid rows are written as `indicators export`
    writes them (numbers with a decimal point), so OUT imports as is; rows with errors are written as
    converted (text as in the file, formula-safe) for the analyst to correct. Nothing is written to the store.
    """
    from indicators.present.export import to_csv_bytes, to_xlsx_bytes

    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise CliError(t("cli_out_suffix", args.lang, path=out))
    result = checked_file(args)
    print_detected(result, args)
    print_report(result.report, args)
    if result.unreadable or result.frame is None or result.converted is None:
        return 2
    told = sys.stderr if args.format == "json" else sys.stdout
    if result.report.valid:
        data = to_xlsx_bytes(result.frame) if out.suffix.lower() == ".xlsx" else to_csv_bytes(result.frame)
    elif result.format == "tidy":  # already contract rows: the file itself is what to correct
        print(t("cli_tidy_not_converted", args.lang, file=Path(args.file).name), file=told)
        return 1
    else:
        data = converted_text(result.converted.raw, xlsx=out.suffix.lower() == ".xlsx")
    out.write_bytes(data)
    print(t("cli_converted" if result.report.valid else "cli_converted_invalid", args.lang,
            rows=result.report.rows, path=out), file=told)
    return 0 if result.report.valid else 1


def converted_text(raw: Any, *, xlsx: bool) -> bytes:
    """The converted rows as text, headed by the contract's names, formula-safe (for fixing by hand)."""
    import pandas as pd

    from indicators.present.export import _defused

    frame = raw.cells.to_pandas()
    frame.columns = raw.header
    frame = pd.DataFrame({name: _defused(frame[name].astype("str")) for name in frame.columns})
    if not xlsx:
        return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
    import io

    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, sheet_name="indicators")
    return buffer.getvalue()


@command("import", arg("files", metavar="FILE", nargs="+", help="the file(s) to import: contract CSV/XLSX, "
         "report tables (biểu), the product's forms, Open SDG, DHIS2 or PX-Web; several files are one batch"),
         arg("--comment", metavar="TEXT", required=True, help="what this version is (kept in the history)"),
         arg("--mode", choices=["replace", "update"], default="replace",
             help="replace the whole dataset (default) or update: upsert rows by key"),
         arg("--per-file", action="store_true", help="a batch: one version per file (each an update) instead "
             "of one version for all"),
         *ADAPTER_OPTIONS, DECIMAL, SHEET, USER,
         arg("--yes", action="store_true", help="commit without asking even when rows are removed (for "
             "scripts; without a terminal and without --yes, a commit that removes rows is refused)"),
         FORMAT, LANG, DATABASE_URL)
def import_(args: argparse.Namespace) -> int:
    """validate file(s) and commit them as a new version of the store

    Prints what was detected, the report and the preview against the current version, then commits
    exactly that preview (refused, nothing written, if another commit moved the current version
    meanwhile). Several files are checked as one batch (a key two files give is an error naming both) and
    committed as one version, or one version per file with --per-file. Exit 1 when a file is invalid, a
    removal was not confirmed or the account may not write the rows, 2 when one is unreadable.

    --user naming an account writes as that account: a row outside its areas is refused (the rows are
    named, nothing is written), a limited account may only --mode update, and an account that needs
    approval submits the rows for review instead of committing them. No password is asked: whoever runs
    this command at the machine already holds the store. Without an account of that name, the name is
    only recorded, as before.
    """
    from indicators.ingest.report import ValidationReport
    from indicators.ingest.validate import ReadError, read_path
    from indicators.store import staging
    from indicators.store import submissions as subs
    from indicators.store.accounts import find_user

    files = []
    for name in args.files:
        path = Path(name)
        try:
            files.append((path.name, read_path(path)))
        except ReadError as exc:
            if args.format == "text" and exc.code == "unreadable_file":
                raise CliError(exc.issue.message(args.lang)) from None
            print_report(ValidationReport([replace(exc.issue, file=path.name)]), args)
            return 2
    with open_store(args) as store:
        current_or_seed(store, args.lang)
        options = adapter_options(args, store)
        if len(files) == 1 and not args.per_file:
            staged: Any = staging.stage(store, files[0][1], files[0][0], decimal=args.decimal, sheet=args.sheet,
                                        mode=args.mode, options=options)
            print_detected(staged.checked, args)
        else:
            staged = staging.stage_batch(store, files, options=options, mode=args.mode, per_file=args.per_file,
                                         decimal=args.decimal)
            for check in staged.files:
                print_detected(check.checked, args)
        if not staged.valid:
            print_report(staged.report, args)
            unreadable = staged.checked.unreadable if len(files) == 1 and not args.per_file else any(
                check.checked.unreadable for check in staged.files)
            return 2 if unreadable else 1
        counts = staged.counts()
        out = sys.stderr if args.format == "json" else sys.stdout
        if args.format != "json":
            sys.stdout.writelines(line + "\n" for line in staged.report.to_lines(lang=args.lang)[:-1])
        base = staged.base if staged.base is not None else "—"
        print(t("cli_preview", args.lang, base=base, **counts), file=out)
        account = find_user(store, args.user) if args.user else None
        register = None
        if account is not None:  # refused before any question: the account may not write these rows
            frame = subs.staged_rows(staged)
            current = staged.current if isinstance(staged, staging.Stage) else None
            register = subs.area_register(current if current is not None or staged.base is None
                                          else store.load(staged.base), frame)
            try:
                subs.check_write(account, frame, staged.mode, register)
            except subs.WriteRefused as refused:
                return print_refusal(refused, args)
        if staged.removed and not args.yes and not confirm_removals(staged, args, out):
            if args.format == "json":
                print_json({"committed": False, "base": staged.base, "preview": counts,
                            "error": t("cli_needs_yes", args.lang, n=staged.removed, base=staged.base)})
            return 1
        user = args.user or getpass.getuser()
        if account is not None:
            delivered = subs.deliver(store, staged, account, args.comment, register=register)
            if delivered.submission is not None:
                return print_submitted(delivered.submission, staged, args)
            infos = list(delivered.versions)
        elif isinstance(staged, staging.Stage):
            infos = [staging.commit(store, staged, user=user, comment=args.comment)]
        else:
            try:
                infos = staging.commit_batch(store, staged, user=user, comment=args.comment)
            except staging.BatchStopped as stopped:
                for info in stopped.committed:
                    print(counts_line(info, args.lang), file=out)
                raise CliError(t("cli_batch_stopped", args.lang, file=stopped.filename,
                                 n=len(stopped.committed), reason=stopped.cause)) from None
    warnings = staged.report.to_dict(lang=args.lang)["warnings"]
    if args.format == "json":
        body = [info.to_dict() for info in infos]
        print_json({**body[0], "warnings": warnings} if len(body) == 1 else {"versions": body, "warnings": warnings})
    else:
        for info in infos:
            print(counts_line(info, args.lang))
    return 0


def print_refusal(refused: Any, args: argparse.Namespace) -> int:
    """Why the account may not write the rows, and the rows named (first 20, then how many more): exit 1."""
    if args.format == "json":
        print_json({"committed": False, "error": refused.message(args.lang), "rows": refused.count,
                    "named": refused.rows.astype(str).to_dict("records")})
        return 1
    print(f"indicators import: {refused.message(args.lang)}", file=sys.stderr)
    sys.stderr.writelines(f"  {line}\n" for line in refused.lines(args.lang))
    return 1


def print_submitted(submission: int, staged: Any, args: argparse.Namespace) -> int:
    rows = int(staged.report.rows)
    if args.format == "json":
        print_json({"committed": False, "submission": submission, "rows": rows, "base": staged.base})
    else:
        print(t("cli_submitted", args.lang, id=submission, rows=rows))
    return 0


def confirm_removals(staged: Any, args: argparse.Namespace, out: Any) -> bool:
    """List the rows a replace would drop and ask on the terminal; without one, refuse (nothing written)."""
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


@command("history", FORMAT, LANG, DATABASE_URL)
def history(args: argparse.Namespace) -> int:
    """the versions of the store, newest first (* = current)

    One line per version: id, time (UTC), who, mode, rows, new/changed/removed rows and the comment; a
    version made by approving a submission has a second line: who submitted it and who approved it, when.
    """
    from indicators.store.submissions import approvals

    with open_store(args) as store:
        versions, current, approved = store.history(), store.current_version(), approvals(store)
    if args.format == "json":
        print_json([v.to_dict() | ({"submission": approved[v.version].to_dict()} if v.version in approved else {})
                    for v in versions])
        return 0
    for v in versions:
        print(t("cli_history_line", args.lang, mark="*" if current and v.version == current.version else " ",
                version=f"{v.version:>4}", created=f"{v.created_at:%Y-%m-%d %H:%M}", user=f"{v.user:<12}",
                mode=f"{v.mode:<8}", rows=f"{count(v.rows, args.lang):>9}", new=v.new, changed=v.changed,
                removed=v.removed, comment=v.comment))
        if (s := approved.get(v.version)) is not None and s.reviewed_at is not None:
            print("      " + t("history_approval", args.lang, user=s.user, submitted=f"{s.created_at:%Y-%m-%d %H:%M}",
                              reviewer=s.reviewer, reviewed=f"{s.reviewed_at:%Y-%m-%d %H:%M}"))
    if not versions:
        print(t("cli_history_empty", args.lang))
    return 0


@command("rollback",
         arg("version", type=int, metavar="VERSION", help="the version whose content becomes current again"),
         arg("--user", metavar="NAME", help="who rolls back (default: your login name)"),
         arg("--comment", metavar="TEXT", help="why (default: 'rollback to version N')"), LANG, DATABASE_URL)
def rollback(args: argparse.Namespace) -> int:
    """make a new version with the content of an older one

    Nothing is deleted: the older version's rows become a new current version, kept in the history.
    An account limited to areas or needing approval (--user) may not roll back: it replaces every area.
    """
    from indicators.store.accounts import find_user

    with open_store(args) as store:
        account = find_user(store, args.user) if args.user else None
        if account is not None and not account.unrestricted:
            raise CliError(t("rollback_unrestricted", args.lang), code=1)
        info = store.rollback(args.version, user=args.user or getpass.getuser(), comment=args.comment)
    print(t("cli_rolled_back", args.lang, counts=counts_line(info, args.lang), version=args.version))
    return 0


@command("export", VERSION, arg("--out", metavar="FILE", required=True, help="FILE.csv or FILE.xlsx"), LANG,
         DATABASE_URL)
def export(args: argparse.Namespace) -> int:
    """write a version as contract v2 CSV or XLSX (formula-safe)

    Text cells starting with =, +, -, @, tab or CR get a leading ' so that a spreadsheet shows them as
    text and never runs them.
    """
    from indicators.present.export import to_csv_bytes, to_xlsx_bytes

    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise CliError(t("cli_export_suffix", args.lang))
    with open_store(args) as store:
        info = stored_version(store, args)
        frame = store.load(info.version)
    out.write_bytes(to_csv_bytes(frame) if out.suffix.lower() == ".csv" else to_xlsx_bytes(frame))
    print(t("cli_exported", args.lang, out=out, version=info.version, rows=count(len(frame), args.lang)))
    return 0
