"""Analyst accounts, kept in the store: salted slow hashes (argon2id), rate-limited sign-ins, re-checks.

Viewing needs no account; uploading, committing and rolling back do. Accounts are created from the
command line (`indicators users add NAME --role analyst`); there is no default account or password.
Passwords are never logged, echoed or stored: only their argon2 hash. Names and passwords follow
credentials.py (one script, compared case- and width-insensitively; no guessable password).

    add_user(store, "lan", password, "analyst")
    user = authenticate(store, "LAN", attempt, client="203.0.113.7")  # a User or None; LoginRefused, LoginBusy
    recheck(store, user)                                               # before every write: SessionRevoked?

Sign-in limits (per client and per name, counted atomically in the store) are in throttle.py. A User
carries `password_version`, a fingerprint of the stored hash at sign-in: `recheck` re-reads the account
and refuses a session whose account was disabled, lost its role or had its password changed since.
Nothing is deleted: accounts are disabled.

An account may be limited to areas (`scope`, issue 10: a commune's analyst writes only that commune's rows;
empty = every area) and may need approval (`needs_approval`: its commits become submissions a reviewer
approves). Both are re-read by `recheck`, so a change applies at the account's next write; what they allow
is decided in store/submissions.py.

    add_user(store, "hai", password, "analyst", scope=["Xã Kim Hải"], needs_approval=True)
    set_scope(store, "hai", ["Xã Kim Hải", "Xã Kim Trung"])
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, delete, insert, select, update

from indicators.store import throttle
from indicators.store.credentials import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    canonical_name,
    check_password,
    clean_name,
)
from indicators.store.tables import user_areas
from indicators.store.throttle import LoginBusy, LoginLocked, LoginRefused, LoginThrottled
from indicators.store.versions import Store, users

__all__ = ["MAX_PASSWORD_LENGTH", "MIN_PASSWORD_LENGTH", "ROLES", "Account", "LoginBusy", "LoginLocked",
           "LoginRefused", "LoginThrottled", "SessionRevoked", "User", "add_user", "authenticate", "canonical_name",
           "check_password", "clean_scope", "count_failures", "disable_user", "find_user", "list_users", "recheck",
           "set_approval", "set_password", "set_scope", "unlock"]

Role = Literal["analyst", "admin"]
ROLES: tuple[str, ...] = ("analyst", "admin")
MAX_FAILURES = throttle.NAME_FAILURES
WINDOW = throttle.NAME_WINDOW
LOCAL_CLIENT = "local"  # the client key of sign-ins whose address is unknown (localhost, tests)
_ACCOUNTS_LOCK_KEY = 0x1D1C_A11C  # PostgreSQL advisory lock: account creation compares every name

_hasher = PasswordHasher()  # argon2id with the library's current defaults (salted, memory-hard)
_DUMMY_HASH = _hasher.hash("not a password: equalises timing for unknown names")
_gate = throttle.ProcessGate()
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class User:
    name: str
    role: str
    disabled: bool
    created_at: datetime
    last_login_at: datetime | None = None
    password_version: str = ""
    scope: tuple[str, ...] = ()  # the areas it may write (and what lies under them); () = every area
    needs_approval: bool = False  # its commits are submitted for a reviewer's approval

    @property
    def can_commit(self) -> bool:
        """Analysts and admins may upload, commit and roll back."""
        return not self.disabled and self.role in ROLES

    @property
    def unrestricted(self) -> bool:
        """Writes any area straight into the store: the account may replace the dataset or roll it back."""
        return self.can_commit and not self.scope and not self.needs_approval


Account = User  # the name issue 10's contract uses for it
MAX_AREA = 200  # characters of an area's name in a scope


class SessionRevoked(Exception):
    """The signed-in account was disabled, removed from its role or had its password changed since."""


def _now() -> datetime:
    return datetime.now(UTC)


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def password_version(password_hash: str) -> str:
    """A fingerprint of the stored hash: it changes whenever the password does (not a secret by itself)."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def add_user(store: Store, name: str, password: str, role: Role | str, *, scope: Sequence[str] = (),
             needs_approval: bool = False) -> User:
    """Create an account; ValueError if the name is invalid or taken (in any case, width or form), the
    role unknown, the password weak or an area of `scope` not a name (see `clean_scope`; whether the data
    knows it is the caller's check, `submissions.known_areas`)."""
    name = clean_name(name)
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    check_password(password, name=name)
    areas = clean_scope(scope)
    hashed = _hasher.hash(password)
    created = _naive(_now())
    with _accounts(store) as conn:
        taken = [other for other in conn.execute(select(users.c.name)).scalars()
                 if canonical_name(other) == canonical_name(name)]
        if taken:
            raise ValueError(f"there is already a user called {taken[0]!r}")
        made = conn.execute(insert(users).values(name=name, role=role, password_hash=hashed, created_at=created,
                                                 disabled=False, needs_approval=bool(needs_approval)))
        user_id = int(made.inserted_primary_key[0])  # type: ignore[index]
        _write_scope(conn, user_id, areas)
    return User(name=name, role=role, disabled=False, created_at=created.replace(tzinfo=UTC),
                password_version=password_version(hashed), scope=areas, needs_approval=bool(needs_approval))


def clean_scope(scope: Sequence[str]) -> tuple[str, ...]:
    """The areas of a scope as stored: stripped, NFC, each once; ValueError for an empty
    name, one longer than MAX_AREA characters or one holding a control character."""
    out: list[str] = []
    for area in scope:
        cleaned = unicodedata.normalize("NFC", str(area).strip())
        if not cleaned or len(cleaned) > MAX_AREA or any(unicodedata.category(ch) == "Cc" for ch in cleaned):
            raise ValueError(f"{area!r} is not an area's name (1 to {MAX_AREA} characters, no control characters)")
        if cleaned not in out:
            out.append(cleaned)
    return tuple(out)


def set_scope(store: Store, name: str, scope: Sequence[str]) -> User:
    """Limit an account to `scope` (empty: every area), from its next write on; the account as it is now."""
    areas = clean_scope(scope)
    row = _find(store, name)
    if row is None:
        raise ValueError(f"there is no user called {name!r}")
    with _accounts(store) as conn:
        conn.execute(delete(user_areas).where(user_areas.c.user_id == row["id"]))
        _write_scope(conn, row["id"], areas)
    return _found(store, name)


def set_approval(store: Store, name: str, needed: bool) -> User:
    """Whether the account's commits must be approved (submitted) from its next write on."""
    _update(store, name, needs_approval=bool(needed))
    return _found(store, name)


def find_user(store: Store, name: str) -> User | None:
    """The account a typed name designates (see `_find`), or None."""
    row = _find(store, name)
    if row is None:
        return None
    with store.engine.connect() as conn:
        return _user(row, _scopes(conn).get(row["id"], ()))


def _found(store: Store, name: str) -> User:
    user = find_user(store, name)
    if user is None:
        raise ValueError(f"there is no user called {name!r}")
    return user


def _write_scope(conn: Connection, user_id: int, areas: tuple[str, ...]) -> None:
    if areas:
        conn.execute(insert(user_areas), [{"user_id": user_id, "area": area} for area in areas])


def _scopes(conn: Connection) -> dict[int, tuple[str, ...]]:
    """{user id: its areas, by name} (accounts without any are absent: every area)."""
    out: dict[int, list[str]] = {}
    for user_id, area in conn.execute(select(user_areas.c.user_id, user_areas.c.area).order_by(
            user_areas.c.user_id, user_areas.c.area)):
        out.setdefault(user_id, []).append(area)
    return {user_id: tuple(areas) for user_id, areas in out.items()}


def list_users(store: Store) -> list[User]:
    """Every account, by name (hashes are not returned)."""
    store.ensure_schema()
    with store.engine.connect() as conn:
        rows = conn.execute(select(users).order_by(users.c.name)).mappings().all()
        scopes = _scopes(conn)
    return [_user(row, scopes.get(row["id"], ())) for row in rows]


def set_password(store: Store, name: str, password: str) -> None:
    """A new password; every session signed in with the old one is refused at its next write."""
    check_password(password, name=name)
    _update(store, name, password_hash=_hasher.hash(password))


def disable_user(store: Store, name: str, disabled: bool = True) -> None:
    """Disable (or re-enable) an account; a disabled account cannot sign in or write. Nothing is deleted."""
    _update(store, name, disabled=disabled)


def unlock(store: Store, name: str, client: str = "") -> None:
    """End a name's sign-in lock (and, with `client`, that address's back-off) now."""
    throttle.unlock(store, canonical_name(name), client)


def count_failures(store: Store, name: str) -> int:
    """How many failed sign-ins were recorded for `name` (any case) in the retention period."""
    return throttle.failures(store, canonical_name(name))


def authenticate(store: Store, name: str, password: str, *, client: str | None = None,
                 now: datetime | None = None) -> User | None:
    """The user if `password` is right and the account enabled; None otherwise (the failure is recorded).

    Raises LoginLocked (this name), LoginThrottled (this client) before any password check when over a
    limit, and LoginBusy when the process already runs its maximum of password checks."""
    now = now or _now()
    key = canonical_name(name)[:64]
    client = client or LOCAL_CLIENT
    with _gate.slot():
        try:
            attempt = throttle.reserve(store, key, client, now)
        except LoginRefused as refused:
            _log.warning("sign-in refused for %r from %s: %s", key, client, refused)
            raise
        row = _find(store, name) if len(password) <= MAX_PASSWORD_LENGTH else None
        right = len(password) <= MAX_PASSWORD_LENGTH and _verify(row["password_hash"] if row else _DUMMY_HASH,
                                                                  password)
        ok = bool(right and row is not None and not row["disabled"])
        throttle.settle(store, attempt, ok)
    if not ok or row is None:
        _log.warning("failed sign-in for %r from %s", key, client)
        return None
    values: dict[str, Any] = {"last_login_at": _naive(now)}
    if _hasher.check_needs_rehash(row["password_hash"]):
        values["password_hash"] = _hasher.hash(password)
    with store.engine.begin() as conn:
        conn.execute(update(users).where(users.c.id == row["id"]).values(**values))
        scope = _scopes(conn).get(row["id"], ())
    return _user({**row, **values}, scope)


def recheck(store: Store, user: User) -> User:
    """The account as the store has it now; SessionRevoked if it is gone, disabled, no longer a writer,
    or its password changed since `user` signed in."""
    store.ensure_schema()
    with store.engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.name == user.name)).mappings().first()
        scope = _scopes(conn).get(row["id"], ()) if row is not None else ()
    if row is None or row["disabled"] or row["role"] not in ROLES or row["role"] != user.role:
        raise SessionRevoked(f"the account {user.name!r} is disabled or changed; sign in again")
    if password_version(row["password_hash"]) != user.password_version:
        raise SessionRevoked(f"the password of {user.name!r} changed; sign in again")
    return _user(row, scope)


def _find(store: Store, name: str) -> Mapping[Any, Any] | None:
    """The account a typed name designates: the exact (NFC) name, else the one with its canonical form."""
    store.ensure_schema()
    with store.engine.connect() as conn:
        rows = conn.execute(select(users)).mappings().all()
    typed = name.strip()
    exact = [row for row in rows if row["name"] == typed]
    same = [row for row in rows if canonical_name(row["name"]) == canonical_name(typed)]
    return exact[0] if exact else same[0] if len(same) == 1 else None


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _accounts(store: Store) -> AbstractContextManager[Connection]:
    """A write transaction that serialises account creation (SQLite BEGIN IMMEDIATE, PostgreSQL a lock)."""
    return store.serialised(_ACCOUNTS_LOCK_KEY)


def _update(store: Store, name: str, **values: object) -> None:
    row = _find(store, name)
    if row is None:
        raise ValueError(f"there is no user called {name!r}")
    with store.engine.begin() as conn:
        conn.execute(update(users).where(users.c.id == row["id"]).values(**values))


def _user(row: Mapping[Any, Any], scope: tuple[str, ...] = ()) -> User:
    last = row["last_login_at"]
    return User(
        name=row["name"], role=row["role"], disabled=bool(row["disabled"]),
        created_at=row["created_at"].replace(tzinfo=UTC),
        last_login_at=last.replace(tzinfo=UTC) if last else None,
        password_version=password_version(row["password_hash"]),
        scope=scope, needs_approval=bool(row.get("needs_approval", False)),
    )

