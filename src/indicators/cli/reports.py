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
from indicators.cli.registry import OneOf, arg, command
from indicators.i18n import t

READ = (OneOf((DATA, VERSION)), DATABASE_URL)  # where summary and report read, as export does


def version_data(args: argparse.Namespace) -> tuple[Any, int | None]:
    """The rows a command shows and their version: --data FILE, else the store's --version or current one."""
    if args.data:
        from indicators.store.current import load_csv

        return load_csv(Path(args.data)), None
    with open_store(args) as store:
        info = stored_version(store, args)
        return store.load(info.version), info.version


@command("summary", *READ, FORMAT, LANG)
def summary(args: argparse.Namespace) -> int:
    """progress of every indicator against its target

    One line per series (status, latest value, target, pace), then the count of each status; with
    --format json, a list of objects (numbers as JSON numbers, null where unknown).
    """
    from indicators.present.formatting import format_summary_text
    from indicators.progress.engine import summary_records

    frame, _version = version_data(args)
    records = summary_records(frame)
    if args.format == "json":
        print_json(records)
    else:
        sys.stdout.write(format_summary_text(records, lang=args.lang))
    return 0


KIND = arg("--format", choices=["pptx", "pdf"], required=True, help="PowerPoint deck or PDF brief")


@command("report", KIND, arg("--out", metavar="FILE", required=True, help="the file to write"), *READ, LANG)
def report(args: argparse.Namespace) -> int:
    """write the PowerPoint deck or the PDF brief of a version

    The deck and the brief say what the pages say, in Vietnamese or English, citing the version.
    """
    from indicators.present.pdf import build_brief
    from indicators.present.pptx import build_deck
    from indicators.progress.engine import compute_progress

    frame, version = version_data(args)
    build = build_deck if args.format == "pptx" else build_brief
    data = build(frame, compute_progress(frame), lang=args.lang, version=version)
    out = Path(args.out)
    out.write_bytes(data)
    print(t("cli_report_written", args.lang, out=out, size=count(len(data), args.lang), format=args.format,
            language=args.lang, version=version or "—"))
    return 0
