"""`indicators users add|passwd|disable|enable|unlock|list`: the accounts (no default account exists)."""

from __future__ import annotations

import argparse
import getpass
import sys

from indicators.cli.common import DATABASE_URL, LANG, open_store
from indicators.cli.registry import CliError, arg, group
from indicators.i18n import t

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


@users.command("add", NAME, ROLE, PASSWORD_STDIN, LANG, DATABASE_URL)
def add(args: argparse.Namespace) -> int:
    """create an account

    The password is asked twice and never echoed (or read from one line of stdin with --password-stdin).
    """
    from indicators.store import accounts

    with open_store(args) as store:
        user = accounts.add_user(store, args.name, new_password(args), args.role)
    print(t("cli_user_added", args.lang, name=user.name, role=user.role))
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
    """the accounts and their roles"""
    from indicators.store import accounts

    with open_store(args) as store:
        for u in accounts.list_users(store):
            state = t("cli_user_state_disabled" if u.disabled else "cli_user_state_active", args.lang)
            print(f"{u.name:<20} {u.role:<8} {state}")
    return 0
