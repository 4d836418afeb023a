"""`indicators db upgrade|current`: the store's schema revision (Alembic; see store/migrations)."""

from __future__ import annotations

import argparse

from indicators.cli.common import DATABASE_URL, LANG, lang, open_store
from indicators.cli.registry import group
from indicators.i18n import t

db = group("db", "the store's schema revision: upgrade it, or show where it stands")

#: `db current`'s exit code: 0 this program can use the store, 1 it needs `db upgrade`, 2 it is refused.
_EXIT = {"empty": 0, "current": 0, "unstamped": 1, "older": 1, "newer": 2, "foreign": 2}


@db.command("upgrade", LANG, DATABASE_URL)
def upgrade(args: argparse.Namespace) -> int:
    """bring the store to this program's schema

    Back the store up first. Prints the revision before and after; running it again changes nothing. A store
    made by the release before schema versions is recognised and recorded as the baseline first.
    """
    from indicators.store.migrations import BASELINE

    language = lang(args)
    with open_store(args) as store:
        before, after = store.upgrade_schema()
    if before.kind == "current":
        print(t("db_up_to_date", language, head=after.label))
        return 0
    if before.kind == "unstamped":
        print(t("db_stamped", language, baseline=BASELINE))
    print(t("db_upgraded", language, before=before.label, after=after.label))
    return 0


@db.command("current", LANG, DATABASE_URL)
def current(args: argparse.Namespace) -> int:
    """the store's schema revision and this program's

    Exit code 0: this program can use the store; 1: it needs `indicators db upgrade`; 2: it is refused (a
    newer store, or a database that is not an indicators store).
    """
    language = lang(args)
    with open_store(args) as store:
        found = store.schema_state()
    status = _state_text(found.kind, found.head, language)
    print(t("db_current", language, store=found.label, head=found.head, status=status))
    return _EXIT[found.kind]


def _state_text(kind: str, head: str, language: str) -> str:
    """What a schema state means for the admin, in words."""
    if kind == "empty":
        return t("db_state_empty", language, head=head)
    if kind == "unstamped":
        return t("db_state_unstamped", language)
    if kind == "older":
        return t("db_state_older", language)
    if kind == "current":
        return t("db_state_current", language)
    if kind == "newer":
        return t("db_state_newer", language)
    return t("db_state_foreign", language)
