"""`indicators template`: the XLSX form ("biểu mẫu") the communes fill in and send back."""

from __future__ import annotations

import argparse
from pathlib import Path

from indicators.cli.common import DATABASE_URL, LANG, current_or_seed, open_store
from indicators.cli.registry import CliError, arg, command
from indicators.i18n import t

AREA = arg("--area", metavar="NAME", action="append",
           help="an area to make a sheet for (repeat it; default: every area of the store)")
PERIOD = arg("--period", metavar="P", help="the period to fill in (default: the year after the latest figure)")
INDICATOR = arg("--indicator", metavar="ID", action="append",
                help="an indicator to list (repeat it; default: each area's own, all for a new area)")
OUT = arg("--out", metavar="FILE.xlsx", required=True, help="the form to write")


@command("template", AREA, PERIOD, INDICATOR, OUT, LANG, DATABASE_URL)
def template(args: argparse.Namespace) -> int:
    """write the XLSX form ("biểu mẫu") for the chosen areas to fill in and send back

    One sheet per area, prefilled from the store's current version: the indicators by group, their
    units, directions, latest figures and targets, and an empty column for the new period with drop-down
    lists for the kind and the direction; the layout is locked (no password), a "Hướng dẫn" sheet says
    how to fill it in. Filled in, `validate` and `import` read it back with no mapping (import it in
    update mode: it holds only the new period).
    """
    from indicators.present.forms import TemplateError, build_template, chosen_areas, chosen_period

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise CliError(t("cli_template_suffix", args.lang))
    with open_store(args) as store:
        info = current_or_seed(store, args.lang)
        current = store.load(info.version) if info is not None else None
    try:
        areas, period = chosen_areas(current, args.area), chosen_period(current, args.period)
        data = build_template(current, areas=areas, period=period, lang=args.lang, indicators=args.indicator)
    except TemplateError as exc:
        raise CliError(exc.message(args.lang)) from None
    out.write_bytes(data)
    print(t("cli_template_written", args.lang, out=out, areas=len(areas), period=period,
            version=info.version if info is not None else "—"))
    return 0
