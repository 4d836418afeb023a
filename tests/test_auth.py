"""Accounts: salted slow hashes, no default account, rate-limited logins, nothing deleted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from indicators import auth
from indicators.store import Store, users

PASSWORD = "đúng-mật-khẩu 2025"
T0 = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at its production cost takes ~0.1 s a hash; tests of the logic use a cheap one."""
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def production_hasher(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "_hasher", PasswordHasher())


def test_no_default_account(store: Store) -> None:
    assert auth.list_users(store) == []
    for name, password in [("admin", "admin"), ("admin", "password"), ("analyst", "analyst123")]:
        assert auth.authenticate(store, name, password, now=T0) is None


def test_password_is_stored_as_an_argon2_hash(store: Store, production_hasher: None) -> None:
    user = auth.add_user(store, "lan", PASSWORD, "analyst")
    assert (user.name, user.role, user.disabled, user.can_commit) == ("lan", "analyst", False, True)
    with store.engine.connect() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    auth.add_user(store, "minh", PASSWORD, "admin")
    with store.engine.connect() as conn:
        hashes = conn.execute(select(users.c.password_hash)).scalars().all()
    assert len(set(hashes)) == 2  # salted: the same password hashes differently
    assert auth.authenticate(store, "minh", PASSWORD, now=T0) is not None


def test_right_and_wrong_passwords(store: Store) -> None:
    auth.add_user(store, "lan", PASSWORD, "analyst")
    user = auth.authenticate(store, "lan", PASSWORD, now=T0)
    assert user is not None and user.name == "lan" and user.last_login_at == T0
    assert auth.authenticate(store, "lan", PASSWORD.upper(), now=T0) is None
    assert auth.authenticate(store, "lan", "", now=T0) is None
    assert auth.authenticate(store, "nobody", PASSWORD, now=T0) is None
    assert auth.count_failures(store, "lan") == 2


@pytest.mark.parametrize(("name", "password", "role", "message"), [
    ("lan", "short", "analyst", "at least 8"),
    ("lan", "        ", "analyst", "at least 8"),
    ("lan", PASSWORD, "viewer", "role"),
    ("has space", PASSWORD, "analyst", "user name"),
    ("", PASSWORD, "analyst", "user name"),
])
def test_add_user_refuses(store: Store, name: str, password: str, role: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        auth.add_user(store, name, password, role)
    assert password.strip() == "" or password not in str(caught.value)
    assert auth.list_users(store) == []


def test_duplicate_names_are_refused(store: Store) -> None:
    auth.add_user(store, "lan", PASSWORD, "analyst")
    with pytest.raises(ValueError, match="already"):
        auth.add_user(store, "lan", "another password", "admin")


def test_lockout_after_repeated_failures(store: Store) -> None:
    auth.add_user(store, "lan", PASSWORD, "analyst")
    for minute in range(auth.MAX_FAILURES):
        assert auth.authenticate(store, "lan", "wrong guess", now=T0 + timedelta(minutes=minute)) is None
    with pytest.raises(auth.LoginLocked) as locked:
        auth.authenticate(store, "lan", PASSWORD, now=T0 + timedelta(minutes=5))  # even the right one
    assert locked.value.retry_at == T0 + auth.WINDOW
    assert "try again" in str(locked.value) and PASSWORD not in str(locked.value)
    assert auth.count_failures(store, "lan") == auth.MAX_FAILURES  # attempts while locked don't count
    user = auth.authenticate(store, "lan", PASSWORD, now=T0 + auth.WINDOW + timedelta(seconds=1))
    assert user is not None


def test_unknown_names_are_rate_limited_too(store: Store) -> None:
    for _ in range(auth.MAX_FAILURES):
        auth.authenticate(store, "ghost", "guess", now=T0)
    with pytest.raises(auth.LoginLocked):
        auth.authenticate(store, "ghost", "guess", now=T0 + timedelta(minutes=1))


def test_a_success_starts_the_count_afresh(store: Store) -> None:
    auth.add_user(store, "lan", PASSWORD, "analyst")
    for minute in range(auth.MAX_FAILURES - 1):
        auth.authenticate(store, "lan", "typo", now=T0 + timedelta(minutes=minute))
    assert auth.authenticate(store, "lan", PASSWORD, now=T0 + timedelta(minutes=5)) is not None
    for minute in range(auth.MAX_FAILURES - 1):
        auth.authenticate(store, "lan", "typo", now=T0 + timedelta(minutes=6 + minute))
    assert auth.authenticate(store, "lan", PASSWORD, now=T0 + timedelta(minutes=11)) is not None


def test_disable_and_set_password(store: Store) -> None:
    auth.add_user(store, "lan", PASSWORD, "analyst")
    auth.disable_user(store, "lan")
    assert auth.authenticate(store, "lan", PASSWORD, now=T0) is None
    assert [u.disabled for u in auth.list_users(store)] == [True]
    auth.disable_user(store, "lan", disabled=False)
    auth.set_password(store, "lan", "a brand new passphrase")
    assert auth.authenticate(store, "lan", PASSWORD, now=T0) is None
    assert auth.authenticate(store, "lan", "a brand new passphrase", now=T0) is not None
    with pytest.raises(ValueError, match="no user"):
        auth.set_password(store, "nobody", "a brand new passphrase")
    with pytest.raises(ValueError, match="at least 8"):
        auth.set_password(store, "lan", "short")
