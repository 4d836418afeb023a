"""Analyst accounts, kept in the store: salted slow hashes (argon2id) and rate-limited logins.

Viewing needs no account; uploading, committing and rolling back do. Accounts are created from the
command line (`indicators users add NAME --role analyst`); there is no default account or password.
Passwords are never logged, echoed or stored: only their argon2 hash.

    add_user(store, "lan", password, "analyst")
    user = authenticate(store, "lan", attempt)     # a User, None, or raises LoginLocked

After `MAX_FAILURES` failed attempts for one name within `WINDOW`, that name is locked until the oldest
of those failures is `WINDOW` old; attempts while locked are refused without checking the password and
are not counted. A successful login starts the count afresh. Nothing is deleted: accounts are disabled.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from indicators.store import Store, login_failures, users

Role = Literal["analyst", "admin"]
ROLES: tuple[str, ...] = ("analyst", "admin")
MIN_PASSWORD_LENGTH = 8
MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
NAME_PATTERN = re.compile(r"^[\w.@-]{1,64}$")

_hasher = PasswordHasher()  # argon2id with the library's current defaults (salted, memory-hard)
_DUMMY_HASH = _hasher.hash("not a password: equalises timing for unknown names")


@dataclass(frozen=True)
class User:
    name: str
    role: str
    disabled: bool
    created_at: datetime
    last_login_at: datetime | None = None

    @property
    def can_commit(self) -> bool:
        """Analysts and admins may upload, commit and roll back."""
        return not self.disabled and self.role in ROLES


class LoginLocked(Exception):
    """Too many failed logins for this name; `retry_at` (UTC) says when it may try again."""

    def __init__(self, name: str, retry_at: datetime) -> None:
        super().__init__(f"too many failed logins for {name!r}; try again after {retry_at:%H:%M} UTC")
        self.name, self.retry_at = name, retry_at


def _now() -> datetime:
    return datetime.now(UTC)


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _clean_name(name: str) -> str:
    name = unicodedata.normalize("NFC", name.strip())
    if not NAME_PATTERN.match(name):
        raise ValueError("a user name is 1-64 letters, digits or . _ @ - (no spaces)")
    return name


def check_password(password: str) -> None:
    """Refuse passwords that are too short or blank (the message never contains the password)."""
    if len(password) < MIN_PASSWORD_LENGTH or not password.strip():
        raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")


def add_user(store: Store, name: str, password: str, role: Role | str) -> User:
    """Create an account; ValueError if the name is taken or invalid, the role unknown or the password weak."""
    name = _clean_name(name)
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    check_password(password)
    store.ensure_schema()
    created = _naive(_now())
    try:
        with store.engine.begin() as conn:
            conn.execute(insert(users).values(name=name, role=role, password_hash=_hasher.hash(password),
                                              created_at=created, disabled=False))
    except IntegrityError as exc:
        raise ValueError(f"there is already a user called {name!r}") from exc
    return User(name=name, role=role, disabled=False, created_at=created.replace(tzinfo=UTC))


def list_users(store: Store) -> list[User]:
    """Every account, by name (hashes are not returned)."""
    store.ensure_schema()
    with store.engine.connect() as conn:
        rows = conn.execute(select(users).order_by(users.c.name)).mappings().all()
    return [_user(row) for row in rows]


def set_password(store: Store, name: str, password: str) -> None:
    check_password(password)
    _update(store, name, password_hash=_hasher.hash(password))


def disable_user(store: Store, name: str, disabled: bool = True) -> None:
    """Disable (or re-enable) an account; a disabled account cannot log in. Nothing is deleted."""
    _update(store, name, disabled=disabled)


def authenticate(store: Store, name: str, password: str, *, now: datetime | None = None) -> User | None:
    """The user if `password` is right and the account enabled; None otherwise (the failure is
    recorded); LoginLocked if the name has had too many failures lately."""
    now = now or _now()
    store.ensure_schema()
    name = unicodedata.normalize("NFC", name.strip())
    with store.engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.name == name)).mappings().first()
    _raise_if_locked(store, name, row["last_login_at"] if row else None, now)
    if _verify(row["password_hash"] if row else _DUMMY_HASH, password) and row and not row["disabled"]:
        values: dict[str, Any] = {"last_login_at": _naive(now)}
        if _hasher.check_needs_rehash(row["password_hash"]):
            values["password_hash"] = _hasher.hash(password)
        with store.engine.begin() as conn:
            conn.execute(update(users).where(users.c.name == name).values(**values))
        return _user({**row, **values})
    with store.engine.begin() as conn:
        conn.execute(insert(login_failures).values(name=name[:64], at=_naive(now)))
    return None


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _raise_if_locked(store: Store, name: str, last_login: datetime | None, now: datetime) -> None:
    since = _naive(now - WINDOW)
    if last_login is not None:
        since = max(since, last_login)
    with store.engine.connect() as conn:
        recent = conn.execute(
            select(login_failures.c.at)
            .where(login_failures.c.name == name[:64], login_failures.c.at > since)
            .order_by(login_failures.c.at.desc())
            .limit(MAX_FAILURES)
        ).scalars().all()
    if len(recent) >= MAX_FAILURES:
        raise LoginLocked(name, recent[-1].replace(tzinfo=UTC) + WINDOW)


def _update(store: Store, name: str, **values: object) -> None:
    store.ensure_schema()
    with store.engine.begin() as conn:
        done = conn.execute(update(users).where(users.c.name == _clean_name(name)).values(**values))
        if done.rowcount != 1:
            raise ValueError(f"there is no user called {name!r}")


def _user(row: Mapping[Any, Any]) -> User:
    last = row["last_login_at"]
    return User(
        name=row["name"], role=row["role"], disabled=bool(row["disabled"]),
        created_at=row["created_at"].replace(tzinfo=UTC),
        last_login_at=last.replace(tzinfo=UTC) if last else None,
    )


def count_failures(store: Store, name: str) -> int:
    """How many failed logins were ever recorded for `name` (for audits and tests)."""
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).where(login_failures.c.name == name)).scalar_one()
