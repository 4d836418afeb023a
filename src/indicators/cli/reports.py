"""What a version shows: `indicators summary` (text or JSON) and `indicators report` (deck or brief)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from indicators.cli.common import (
    DATA,
    DATABASE_URL,
    FORMAT,
    LANG,
    VERSION,
    count,
    open_store,
    print_json,
    stored_version,
)
from indicators.cli.registry import CliError, OneOf, arg, command
from indicators.i18n import t

READ = (OneOf((DATA, VERSION)), DATABASE_URL)  # where summary and report read, as export does
SCOPE = (arg("--area", metavar="NAME", help="the area the report is about (default: the term's highest-level "
             "area with targets)"),
         arg("--term", metavar="YYYY-YYYY", help="the term the report is about, e.g. 2020-2025 (default: the "
             "latest term that has begun)"))


def version_view(args: argparse.Namespace) -> Any:
    """What a command shows, built as the pages build it (`present.view`): --data FILE, else the store's
    --version or current version."""
    from indicators.present.view import load_view, view_of

    if args.data:
        from indicators.store.current import load_csv

        return view_of(load_csv(Path(args.data)))
    with open_store(args) as store:
        info = stored_version(store, args)
        return load_view(store, info.version)


@command("summary", *READ, FORMAT, LANG)
def summary(args: argparse.Namespace) -> int:
    """progress of every indicator against its target

    One line per series (status, latest value, target, pace), then the count of each status; with
    --format json, a list of objects (numbers as JSON numbers, null where unknown).
    """
    from indicators.present.formatting import format_summary_text
    from indicators.progress.engine import result_records

    view = version_view(args)
    records = result_records(view.result)
    if args.format == "json":
        print_json(records)
    else:  # the latest value as the pages and the reports write it ("23/23 xã")
        texts = view.value_texts(args.lang)
        sys.stdout.write(format_summary_text([{**r, "latest_text": x} for r, x in zip(records, texts, strict=True)],
                                             lang=args.lang))
    return 0


KIND = arg("--format", choices=["pptx", "pdf"], required=True, help="PowerPoint deck or PDF brief")


@command("report", KIND, arg("--out", metavar="FILE", required=True, help="the file to write"), *READ, *SCOPE, LANG)
def report(args: argparse.Namespace) -> int:
    """write the PowerPoint deck or the PDF brief of a version

    The deck and the brief say what the pages say, in Vietnamese or English, citing the version: about one
    area in one term (--area, --term); a closed term's report states each target's verdict.
    """
    from indicators.present.pdf import build_brief
    from indicators.present.pptx import build_deck

    view = version_view(args)
    if args.area and args.area not in view.areas():
        raise CliError(t("cli_no_such_area", args.lang, area=args.area))
    if args.term and view.term(args.term) is None:
        known = ", ".join(x.label for x in view.terms) or "—"
        raise CliError(t("cli_no_such_term", args.lang, term=args.term, terms=known))
    build = build_deck if args.format == "pptx" else build_brief
    data = build(view, lang=args.lang, area=args.area, term=args.term)
    out = Path(args.out)
    out.write_bytes(data)
    print(t("cli_report_written", args.lang, out=out, size=count(len(data), args.lang), format=args.format,
            language=args.lang, version=view.label or "—"))
    return 0
