"""Sign-in rate limits, counted in the store (`login_attempts`), and the bound on password checks.

Every sign-in attempt is first *reserved* in one transaction that takes the store's sign-in lock (SQLite
BEGIN IMMEDIATE, PostgreSQL an advisory transaction lock), checks the limits and records the attempt as
`pending`; only then is the password checked, and the attempt settled as `failed` or `ok`. A pending
attempt counts as a failure, so parallel attempts cannot each pass the check: at most the allowed number
of password checks ever run, whatever the number of threads, sessions or processes.

Two limits, so that an attacker cannot keep an owner out for long:
- **per client** (the address the connection comes from): after `CLIENT_FREE` failures within
  `CLIENT_WINDOW`, each further attempt must wait `CLIENT_BASE_DELAY` × 2^(failures − CLIENT_FREE) after the
  client's last failure, at most `CLIENT_MAX_DELAY`. A success does not reset it.
- **per name** (canonical form, whether the account exists or not): after `NAME_FAILURES` failures within
  `NAME_WINDOW` (since the last success or unlock), the name is locked for `NAME_LOCK` after its latest
  failure: a short lock, so the owner signs in from another client a minute later.

Attempts refused by a limit are not counted. `unlock` (the CLI's `indicators users unlock NAME`) ends a
name's lock and, with a client, that client's back-off. `ProcessGate` bounds the password checks running at
once in this process (argon2 takes 64 MiB each): an attempt beyond it waits at most `BUSY_WAIT` and is
then refused with LoginBusy, never queued without bound.
"""

from __future__ import annotations

import ipaddress
import os
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import Column, Connection, delete, func, insert, select, update

from indicators.store.tables import login_attempts
from indicators.store.versions import Store

NAME_FAILURES = 5
NAME_WINDOW = timedelta(minutes=15)
NAME_LOCK = timedelta(minutes=1)
CLIENT_FREE = 5
CLIENT_WINDOW = timedelta(hours=1)
CLIENT_BASE_DELAY = timedelta(seconds=1)
CLIENT_MAX_DELAY = timedelta(minutes=15)
RETENTION = timedelta(days=30)  # attempts older than this are pruned
BUSY_WAIT = 2.0  # seconds an attempt may wait for a free password check
FAILED = ("pending", "failed")
_LOCK_KEY = 0x1D1C_7A70  # PostgreSQL advisory lock for the sign-in check (the schema uses another)


class LoginRefused(Exception):
    """A sign-in refused before any password check; `retry_at` (UTC) says when to try again."""

    def __init__(self, message: str, retry_at: datetime) -> None:
        super().__init__(message)
        self.retry_at = retry_at


class LoginLocked(LoginRefused):
    """Too many failed sign-ins for this name lately (from any client)."""

    def __init__(self, name: str, retry_at: datetime) -> None:
        super().__init__(f"too many failed logins for {name!r}; try again after {retry_at:%H:%M:%S} UTC",
                         retry_at)
        self.name = name


class LoginThrottled(LoginRefused):
    """Too many failed sign-ins from this client: it must wait (the wait doubles with each failure)."""

    def __init__(self, client: str, retry_at: datetime) -> None:
        super().__init__(f"too many failed logins from this address; try again after {retry_at:%H:%M:%S} UTC",
                         retry_at)
        self.client = client


class LoginBusy(Exception):
    """Every password check slot of this process is taken: try again in a moment."""

    def __init__(self) -> None:
        super().__init__("the server is busy checking other sign-ins; try again in a moment")


def client_key(address: str | None, local: str = "local") -> str:
    """The key a client is counted under: its IPv4 address, its IPv6 /64 network (one site's addresses are
    all one client: an attacker cannot rotate through them), or `local` when unknown."""
    if not address:
        return local
    try:
        parsed = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return address[:64]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


class ProcessGate:
    """At most `limit` password checks at once in this process ($INDICATORS_LOGIN_CONCURRENCY, default 2)."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit or int(os.environ.get("INDICATORS_LOGIN_CONCURRENCY", "2") or 2)
        self._slots = threading.BoundedSemaphore(self.limit)

    @contextmanager
    def slot(self, wait: float | None = None) -> Iterator[None]:
        if not self._slots.acquire(timeout=BUSY_WAIT if wait is None else wait):
            raise LoginBusy()
        try:
            yield
        finally:
            self._slots.release()


def _locked(store: Store) -> AbstractContextManager[Connection]:
    """A transaction holding the store's sign-in lock, so checks and records of attempts serialise."""
    return store.serialised(_LOCK_KEY)


def reserve(store: Store, name_key: str, client: str, now: datetime) -> int:
    """Check both limits and record a pending attempt, atomically; its id. LoginRefused when over a limit."""
    name_key, client = name_key[:64], client[:64]
    with _locked(store) as conn:
        conn.execute(delete(login_attempts).where(login_attempts.c.at < _naive(now - RETENTION)))
        _check_client(conn, client, now)
        _check_name(conn, name_key, now)
        done = conn.execute(insert(login_attempts).values(at=_naive(now), name_key=name_key, client=client,
                                                          outcome="pending"))
        assert done.inserted_primary_key is not None
        return int(done.inserted_primary_key[0])


def settle(store: Store, attempt: int, ok: bool) -> None:
    """Record the outcome of a reserved attempt."""
    with _locked(store) as conn:
        conn.execute(update(login_attempts).where(login_attempts.c.id == attempt)
                     .values(outcome="ok" if ok else "failed"))


def unlock(store: Store, name_key: str, client: str = "", now: datetime | None = None) -> None:
    """End the lock of a name (and the back-off of `client`, if given): failures before it stop counting."""
    with _locked(store) as conn:
        conn.execute(insert(login_attempts).values(at=_naive(now or datetime.now(UTC)), name_key=name_key[:64],
                                                   client=client[:64], outcome="unlock"))


def failures(store: Store, name_key: str) -> int:
    """Failed (or never settled) attempts recorded for a name (for audits and tests)."""
    store.ensure_schema()
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).where(
            login_attempts.c.name_key == name_key[:64], login_attempts.c.outcome.in_(FAILED))).scalar_one())


def _since(conn: Connection, column: Column[str], key: str, outcomes: tuple[str, ...], floor: datetime) -> datetime:
    """The later of `floor` and the last attempt with one of `outcomes` for `key` (a success, an unlock)."""
    last = conn.execute(select(func.max(login_attempts.c.at)).where(
        column == key, login_attempts.c.outcome.in_(outcomes))).scalar_one()
    return max(floor, last) if last is not None else floor


def _check_name(conn: Connection, name_key: str, now: datetime) -> None:
    since = _since(conn, login_attempts.c.name_key, name_key, ("ok", "unlock"), _naive(now - NAME_WINDOW))
    recent = conn.execute(
        select(login_attempts.c.at)
        .where(login_attempts.c.name_key == name_key, login_attempts.c.at > since,
               login_attempts.c.outcome.in_(FAILED))
        .order_by(login_attempts.c.at.desc()).limit(NAME_FAILURES)
    ).scalars().all()
    if len(recent) >= NAME_FAILURES:
        retry_at = _aware(recent[0]) + NAME_LOCK
        if retry_at > now:
            raise LoginLocked(name_key, retry_at)


def _check_client(conn: Connection, client: str, now: datetime) -> None:
    since = _since(conn, login_attempts.c.client, client, ("unlock",), _naive(now - CLIENT_WINDOW))
    count, last = conn.execute(
        select(func.count(), func.max(login_attempts.c.at))
        .where(login_attempts.c.client == client, login_attempts.c.at > since,
               login_attempts.c.outcome.in_(FAILED))
    ).one()
    if count >= CLIENT_FREE:
        wait = min(CLIENT_BASE_DELAY * 2 ** min(count - CLIENT_FREE, 30), CLIENT_MAX_DELAY)
        retry_at = _aware(last) + wait
        if retry_at > now:
            raise LoginThrottled(client, retry_at)
