"""What the commands share: their common options, JSON output, and the one way to open the store.

`open_store(args)` is the store of `--database-url`, else $INDICATORS_DATABASE_URL, else the SQLite file
under the data folder; a store or database error (a full disk, an unreachable server, an unknown URL, no
such version) becomes one line in the user's language and exit code 2. `stored_version` is the version a
command reads: `--version N`, else the current one — an empty store is first seeded from the shipped
data, as the app does on its first start.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from indicators import paths
from indicators.cli.registry import CliError, arg
from indicators.i18n import LANGS, t

if TYPE_CHECKING:
    from indicators.store.versions import Store, VersionInfo

LANG = arg("--lang", choices=list(LANGS), default="vi", help="the language of the output (default: vi)")
FORMAT = arg("--format", choices=["text", "json"], default="text", help="text (default) or JSON")
DATABASE_URL = arg("--database-url", metavar="URL",
                   help="the store (default: $INDICATORS_DATABASE_URL, else var/indicators.sqlite)")
VERSION = arg("--version", metavar="N", help="a stored version (default: the current one)")
DATA = arg("--data", metavar="PATH", help="read this contract v2 CSV/XLSX instead of the store")
DECIMAL = arg("--decimal", choices=[",", "."], metavar="SEP",
              help="the decimal separator, , or . (when the file does not show it)")
SHEET = arg("--sheet", metavar="NAME", help="XLSX sheet name (default: the first visible sheet)")
USER = arg("--user", metavar="NAME", help="who writes this version (default: your login name); an account's name "
           "applies its areas and approval")
FROM = arg("--from", dest="fmt", metavar="FORMAT", default="auto",
           choices=["auto", "tidy", "template", "wide", "opensdg", "dhis2", "pxweb"],
           help="what the file is: auto (default: detected, and said), tidy (contract rows), template (the "
           "product's form), wide (a report table, biểu), opensdg, dhis2, pxweb")
PROFILE = arg("--profile", metavar="NAME",
              help="apply this saved mapping profile to a report table (default: one saved for its layout)")
AREA = arg("--area", metavar="NAME", help="the area of a table that names none (e.g. 'Xã Kim Chính')")
META = arg("--meta", metavar="FILE", help="a second file that explains the first: a DHIS2 id → name mapping "
           "(CSV kind,id,name or DHIS2 metadata JSON) or an Open SDG metadata YAML (unit, area, target)")
#: The options of every command that reads an analyst's file (validate, convert, import).
ADAPTER_OPTIONS = (FROM, PROFILE, AREA, META)


def lang(args: argparse.Namespace) -> str:
    return getattr(args, "lang", None) or "vi"


def print_json(obj: Any) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2, allow_nan=False)
    sys.stdout.write("\n")


def count(n: int, lang: str) -> str:
    """A count as the language writes it.

    >>> count(1234, "vi"), count(1234, "en")
    ('1.234', '1,234')
    """
    from indicators.present.formatting import fmt_number

    return fmt_number(n, lang, decimals=0)


@contextmanager
def open_store(args: argparse.Namespace) -> Iterator[Store]:
    """The store of --database-url, else of the environment; its errors become one line (`CliError`)."""
    from indicators.store.versions import Store, StoreError, as_store_error

    try:
        with Store(args.database_url) if getattr(args, "database_url", None) else Store.from_env() as store:
            yield store
    except StoreError as exc:
        raise CliError(exc.message(lang(args))) from None
    except Exception as exc:
        mapped = as_store_error(exc)
        if mapped is None:
            raise
        raise CliError(mapped.message(lang(args))) from None


def current_or_seed(store: Store, lang: str) -> VersionInfo | None:
    """The current version; an empty store is first seeded from the shipped data (if the files exist)."""
    info = store.current_version()
    files = paths.default_data_files()
    if info is None and all(f.exists() for f in files):
        from indicators.store.current import seed_data

        seed = seed_data(files)
        info = store.seed_if_empty(seed.frame, source_name=seed.source_name, sha256=seed.sha256)
        info = info or store.current_version()
        if info is not None:
            seeded = t("cli_seeded", lang, version=info.version, source=" + ".join(str(f) for f in files))
            print(f"indicators: {seeded}", file=sys.stderr)
    return info


def version_number(args: argparse.Namespace) -> int | None:
    """--version as a number (None when not given); anything else is one line, exit 2."""
    if args.version is None:
        return None
    try:
        return int(args.version)
    except ValueError:
        raise CliError(t("cli_bad_version", lang(args), value=repr(args.version))) from None


def stored_version(store: Store, args: argparse.Namespace) -> VersionInfo:
    """The version a reading command shows: --version N, else the current one (an empty store seeded)."""
    number = version_number(args)
    info = store.version(number) if number is not None else current_or_seed(store, lang(args))
    if info is None:
        raise CliError(t("cli_store_empty", lang(args)))
    return info


def sqlite_file_missing(args: argparse.Namespace) -> bool:
    """Whether the store is a SQLite file that does not exist yet (a reading command must not create it)."""
    import os

    url = getattr(args, "database_url", None) or os.environ.get("INDICATORS_DATABASE_URL") or ""
    if not url:
        return not (paths.var_dir() / "indicators.sqlite").exists()
    if url.startswith("sqlite:///"):
        name = url.removeprefix("sqlite:///").split("?", 1)[0]
        return name not in ("", ":memory:") and not os.path.exists(name)
    return False


@contextmanager
def reading_store(args: argparse.Namespace) -> Iterator[Store | None]:
    """The store to match a file's indicators against, or None when there is none yet (never created)."""
    if sqlite_file_missing(args):
        if getattr(args, "profile", None):
            raise CliError(t("cli_no_store_for_profile", lang(args), name=args.profile))
        yield None
        return
    with open_store(args) as store:
        yield store


def adapter_options(args: argparse.Namespace, store: Store | None) -> Any:
    """The adapter options of --from/--sheet/--area/--profile/--meta (an unknown --profile is one line,
    exit 2). What the store knows besides — its indicators, aliases and profiles — is filled in by
    `store.staging` (`with_store`) against the version being read."""
    from indicators.ingest.adapters import Options

    options = Options(fmt=args.fmt, sheet=getattr(args, "sheet", None), area=getattr(args, "area", None))
    if getattr(args, "meta", None):
        from pathlib import Path

        from indicators.ingest.validate import ReadError, read_path

        try:
            options.companion = (Path(args.meta).name, read_path(Path(args.meta)))
        except ReadError as exc:
            raise CliError(exc.issue.message(lang(args))) from None
    name = getattr(args, "profile", None)
    if store is not None and name:
        options.profile = store.profile(name)
        if options.profile is None:
            known = ", ".join(p["name"] for p in store.profiles()) or "—"
            raise CliError(t("cli_unknown_profile", lang(args), name=name, known=known))
    return options
