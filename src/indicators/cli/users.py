"""`indicators users add|passwd|disable|enable|unlock|scope|list`: the accounts (no default account exists)."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING, Any

from indicators.cli.common import DATABASE_URL, LANG, open_store
from indicators.cli.registry import CliError, OneOf, arg, group
from indicators.i18n import t

if TYPE_CHECKING:
    from indicators.store.versions import Store

users = group("users", "analyst and admin accounts (no default account exists)")
NAME = arg("name", metavar="NAME", help="the account's name")
PASSWORD_STDIN = arg("--password-stdin", action="store_true", help="read the password from one line of stdin")


def new_password(args: argparse.Namespace) -> str:
    """One line from stdin with --password-stdin; else asked twice, never echoed."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(t("cli_password", args.lang))
    if getpass.getpass(t("cli_password_again", args.lang)) != first:
        raise CliError(t("cli_passwords_differ", args.lang))
    return first


ROLE = arg("--role", choices=["analyst", "admin"], required=True, help="what the account may do")
AREAS = arg("--area", dest="areas", action="append", default=[], metavar="AREA",
            help="limit the account to this area and the units under it (repeat for more; default: every area)")
NEEDS_APPROVAL = arg("--needs-approval", action="store_true",
                     help="its commits are submitted, and written only when a reviewer approves them")


def known_areas(store: Store, areas: list[str], lang: str) -> tuple[str, ...]:
    """The areas as the data writes them, checked against the current version's areas (else the shipped
    data's) and the areas register; an unknown one is one line, exit 2."""
    from indicators import paths
    from indicators.store.submissions import WriteRefused, area_register
    from indicators.store.submissions import known_areas as known

    info = store.current_version()
    frame: Any = store.load(info.version) if info is not None else None
    if frame is None and all(path.exists() for path in paths.default_data_files()):
        from indicators.store.current import seed_data

        frame = seed_data().frame
    try:
        return known(areas, frame, area_register(frame))
    except WriteRefused as exc:
        raise CliError(exc.message(lang)) from None


def scope_line(user: Any, lang: str) -> str:
    scope = "; ".join(user.scope) if user.scope else t("cli_every_area", lang)
    approval = f" · {t('cli_needs_approval', lang)}" if user.needs_approval else ""
    return t("cli_user_scope", lang, name=user.name, scope=scope, approval=approval)


@users.command("add", NAME, ROLE, AREAS, NEEDS_APPROVAL, PASSWORD_STDIN, LANG, DATABASE_URL)
def add(args: argparse.Namespace) -> int:
    """create an account

    The password is asked twice and never echoed (or read from one line of stdin with --password-stdin).
    With --area the account writes only rows of those areas (or of units under them) and may not replace
    the whole dataset; the names are checked against the data and the areas register. With
    --needs-approval its commits wait for a reviewer (`indicators submissions`).
    """
    from indicators.store import accounts

    with open_store(args) as store:
        areas = known_areas(store, args.areas, args.lang)
        user = accounts.add_user(store, args.name, new_password(args), args.role, scope=areas,
                                 needs_approval=args.needs_approval)
    print(t("cli_user_added", args.lang, name=user.name, role=user.role))
    print(scope_line(user, args.lang))
    return 0


@users.command("scope", NAME, OneOf((AREAS, arg("--every-area", action="store_true",
                                                 help="lift the limit: the account writes every area"))),
               arg("--needs-approval", dest="approval", action=argparse.BooleanOptionalAction, default=None,
                   help="whether its commits need a reviewer's approval (default: unchanged)"), LANG, DATABASE_URL)
def scope(args: argparse.Namespace) -> int:
    """change the areas an account may write, and whether its commits need approval

    Applies from the account's next write (a signed-in session is re-checked before each one).
    """
    from indicators.store import accounts

    with open_store(args) as store:
        user = accounts.find_user(store, args.name)
        if user is None:
            raise CliError(f"there is no user called {args.name!r}")
        if args.areas or args.every_area:
            user = accounts.set_scope(store, user.name, known_areas(store, args.areas, args.lang))
        if args.approval is not None:
            user = accounts.set_approval(store, user.name, args.approval)
    print(scope_line(user, args.lang))
    return 0


@users.command("passwd", NAME, PASSWORD_STDIN, LANG, DATABASE_URL)
def passwd(args: argparse.Namespace) -> int:
    """set a new password

    Sessions signed in with the old password are signed out at their next write.
    """
    from indicators.store import accounts

    with open_store(args) as store:
        accounts.set_password(store, args.name, new_password(args))
    print(t("cli_password_changed", args.lang, name=args.name))
    return 0


def _set_disabled(args: argparse.Namespace, disabled: bool) -> int:
    from indicators.store import accounts

    with open_store(args) as store:
        accounts.disable_user(store, args.name, disabled=disabled)
    print(t("cli_user_disabled" if disabled else "cli_user_enabled", args.lang, name=args.name))
    return 0


@users.command("disable", NAME, LANG, DATABASE_URL)
def disable(args: argparse.Namespace) -> int:
    """disable an account (nothing is deleted)"""
    return _set_disabled(args, True)


@users.command("enable", NAME, LANG, DATABASE_URL)
def enable(args: argparse.Namespace) -> int:
    """enable an account again"""
    return _set_disabled(args, False)


@users.command("unlock", NAME, arg("--client", metavar="ADDRESS", help="also end the back-off of this client "
                                   "address (as the server log names it)"), LANG, DATABASE_URL)
def unlock(args: argparse.Namespace) -> int:
    """end a name's sign-in lock now (after failed sign-ins)"""
    from indicators.store import accounts

    with open_store(args) as store:
        accounts.unlock(store, args.name, client=args.client or "")
    if args.client:
        print(t("cli_unlocked_client", args.lang, name=args.name, client=args.client))
    else:
        print(t("cli_unlocked", args.lang, name=args.name))
    return 0


@users.command("list", LANG, DATABASE_URL)
def list_(args: argparse.Namespace) -> int:
    """the accounts, their roles, the areas they may write and whether they need approval"""
    from indicators.store import accounts

    with open_store(args) as store:
        for u in accounts.list_users(store):
            state = t("cli_user_state_disabled" if u.disabled else "cli_user_state_active", args.lang)
            scope = "; ".join(u.scope) if u.scope else t("cli_every_area", args.lang)
            approval = f" · {t('cli_needs_approval', args.lang)}" if u.needs_approval else ""
            print(f"{u.name:<20} {u.role:<8} {state:<10} {scope}{approval}")
    return 0
