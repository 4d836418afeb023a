"""Accounts: salted slow hashes, no default account, rate limits that hold under parallel sign-ins and do not
let an attacker keep the owner out, re-checks of a signed-in account, name and password rules."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from indicators.cli import main
from indicators.store import accounts as auth
from indicators.store import throttle
from indicators.store.versions import Store, users

PASSWORD = "đúng-mật-khẩu 2025"
T0 = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
ATTACKER, OWNER = "198.51.100.9", "203.0.113.5"


def hostile(name: str) -> str:
    return (HOSTILE / name).read_text(encoding="utf-8").rstrip("\n")


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
        assert auth.authenticate(store, name, password, client=name + password, now=T0) is None


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
    ("lan", hostile("password_digits.txt"), "analyst", "too easy to guess"),
    ("lan", hostile("password_password.txt"), "analyst", "too easy to guess"),
    ("lan", hostile("password_repeated.txt"), "analyst", "too easy to guess"),
    ("lan", hostile("password_vietnamese_common.txt"), "analyst", "too easy to guess"),
    ("lan", "lan lan lan", "analyst", "too easy to guess"),  # the user's own name
    ("lan", "x" * 1025, "analyst", "at most 1024"),
    (hostile("username_cyrillic_a.txt"), PASSWORD, "analyst", "one script"),
    (hostile("username_fullwidth.txt"), PASSWORD, "analyst", "compatibility"),
])
def test_add_user_refuses(store: Store, name: str, password: str, role: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        auth.add_user(store, name, password, role)
    assert password.strip() in ("", "password") or password not in str(caught.value)  # "password": the word
    assert auth.list_users(store) == []


def test_an_absurd_password_is_refused_before_hashing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    auth.add_user(store, "lan", PASSWORD, "analyst")

    class NoHashing:
        def __getattr__(self, name: str) -> object:
            raise AssertionError(f"{name} called on a 1 MB password")

    monkeypatch.setattr(auth, "_hasher", NoHashing())
    with pytest.raises(ValueError, match="at most 1024"):
        auth.set_password(store, "lan", "x" * 2**20)
    assert auth.authenticate(store, "lan", "x" * 2**20, now=T0) is None
    assert auth.count_failures(store, "lan") == 1


@pytest.mark.parametrize("impostor", ["LAN", "Lan", hostile("username_fullwidth.txt"), hostile("username_cyrillic_a.txt")])
def test_names_cannot_impersonate(store: Store, impostor: str) -> None:
    auth.add_user(store, "lan", PASSWORD, "analyst")
    auth.add_user(store, "admin", PASSWORD, "admin")
    with pytest.raises(ValueError, match="already|one script|compatibility"):
        auth.add_user(store, impostor, "another long passphrase", "analyst")
    with pytest.raises(ValueError, match="already"):
        auth.add_user(store, hostile("username_uppercase_admin.txt"), "another long passphrase", "admin")
    assert [u.name for u in auth.list_users(store)] == ["admin", "lan"]


def test_sign_in_by_any_case_or_width_finds_the_account(store: Store) -> None:
    auth.add_user(store, "Nguyễn.Lan", PASSWORD, "analyst")
    for typed in ["nguyễn.lan", "NGUYỄN.LAN", " Nguyễn.Lan "]:
        user = auth.authenticate(store, typed, PASSWORD, now=T0)
        assert user is not None and user.name == "Nguyễn.Lan"
    assert auth.authenticate(store, "nguyen.lan", PASSWORD, now=T0) is None  # not the same letters


def test_duplicate_names_are_refused(store: Store) -> None:
    auth.add_user(store, "lan", PASSWORD, "analyst")
    with pytest.raises(ValueError, match="already"):
        auth.add_user(store, "lan", "another long passphrase", "admin")


# --- rate limits -----------------------------------------------------------------------------------
def test_a_name_is_locked_briefly_after_repeated_failures(store: Store) -> None:
    auth.add_user(store, "lan", PASSWORD, "analyst")
    for minute in range(auth.MAX_FAILURES):  # from five addresses: the per-client back-off stays out of it
        at = T0 + timedelta(minutes=minute)
        assert auth.authenticate(store, "lan", "wrong guess", client=f"10.0.0.{minute}", now=at) is None
    last = T0 + timedelta(minutes=auth.MAX_FAILURES - 1)
    with pytest.raises(auth.LoginLocked) as locked:
        auth.authenticate(store, "LAN", PASSWORD, client=OWNER, now=last + timedelta(seconds=10))  # even right
    assert locked.value.retry_at == last + throttle.NAME_LOCK
    assert "try again" in str(locked.value) and PASSWORD not in str(locked.value)
    assert auth.count_failures(store, "lan") == auth.MAX_FAILURES  # attempts while locked don't count
    user = auth.authenticate(store, "lan", PASSWORD, client=OWNER, now=locked.value.retry_at)
    assert user is not None


def test_unknown_names_are_rate_limited_too(store: Store) -> None:
    for i in range(auth.MAX_FAILURES):
        auth.authenticate(store, "ghost", "guess", client=f"10.0.0.{i}", now=T0)
    with pytest.raises(auth.LoginLocked):
        auth.authenticate(store, "ghost", "guess", client=OWNER, now=T0 + timedelta(seconds=30))


def test_a_failing_client_backs_off_exponentially(store: Store) -> None:
    now = T0
    for i in range(throttle.CLIENT_FREE):  # five names: no name lock involved
        assert auth.authenticate(store, f"name{i}", "guess", client=ATTACKER, now=now) is None
    waits = []
    for i in range(4):
        with pytest.raises(auth.LoginThrottled) as throttled:
            auth.authenticate(store, f"other{i}", "guess", client=ATTACKER, now=now)
        waits.append(throttled.value.retry_at - now)
        now = throttled.value.retry_at
        assert auth.authenticate(store, f"other{i}", "guess", client=ATTACKER, now=now) is None
    assert waits == [throttle.CLIENT_BASE_DELAY * 2**i for i in range(4)]
    assert auth.authenticate(store, "someone", "guess", client=OWNER, now=now) is None  # others unaffected


def test_an_attacker_cannot_keep_the_owner_out(store: Store) -> None:
    """An attacker hammering the owner's name for 20 minutes from one address: each lock is short, the
    attacker's own back-off grows, the owner on another address signs in at most NAME_LOCK later."""
    auth.add_user(store, "lan", PASSWORD, "analyst")
    checked = Counter[str]()
    for second in range(0, 20 * 60, 5):
        try:
            auth.authenticate(store, "lan", "guess", client=ATTACKER, now=T0 + timedelta(seconds=second))
            checked["attacker"] += 1
        except auth.LoginRefused:
            checked["refused"] += 1
    assert checked["attacker"] <= throttle.CLIENT_FREE + 10  # 5 free, then doubling waits
    owner_at = T0 + timedelta(minutes=20)
    try:
        user = auth.authenticate(store, "lan", PASSWORD, client=OWNER, now=owner_at)
    except auth.LoginLocked as locked:
        assert locked.value.retry_at - owner_at <= throttle.NAME_LOCK
        user = auth.authenticate(store, "lan", PASSWORD, client=OWNER, now=locked.value.retry_at)
    assert user is not None and user.name == "lan"


def test_a_success_starts_the_name_count_afresh(store: Store) -> None:
    auth.add_user(store, "lan", PASSWORD, "analyst")
    for minute in range(auth.MAX_FAILURES - 1):
        auth.authenticate(store, "lan", "typo", client=f"10.0.0.{minute}", now=T0 + timedelta(minutes=minute))
    assert auth.authenticate(store, "lan", PASSWORD, client=OWNER, now=T0 + timedelta(minutes=5)) is not None
    for minute in range(auth.MAX_FAILURES - 1):
        auth.authenticate(store, "lan", "typo", client=f"10.0.1.{minute}", now=T0 + timedelta(minutes=6 + minute))
    assert auth.authenticate(store, "lan", PASSWORD, client=OWNER, now=T0 + timedelta(minutes=11)) is not None


def test_unlock_ends_the_lock_now(store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    auth.add_user(store, "lan", PASSWORD, "analyst")
    now = datetime.now(UTC)
    for i in range(auth.MAX_FAILURES):
        auth.authenticate(store, "lan", "guess", client=f"10.0.0.{i}", now=now)
    with pytest.raises(auth.LoginLocked):
        auth.authenticate(store, "lan", PASSWORD, client=OWNER)
    store_url = store.engine.url.render_as_string(hide_password=False)
    assert main(["users", "unlock", "LAN", "--database-url", store_url, "--lang", "en"]) == 0
    assert "unlocked" in capsys.readouterr().out
    assert auth.authenticate(store, "lan", PASSWORD, client=OWNER) is not None
    later = datetime.now(UTC)  # one instant for the whole back-off: a slow password check must not end it
    for i in range(throttle.CLIENT_FREE):
        auth.authenticate(store, f"n{i}", "guess", client=ATTACKER, now=later)
    with pytest.raises(auth.LoginThrottled):
        auth.authenticate(store, "n9", "guess", client=ATTACKER, now=later)
    auth.unlock(store, "lan", client=ATTACKER)
    assert auth.authenticate(store, "n9", "guess", client=ATTACKER, now=later) is None  # checked again


def _count_checks(monkeypatch: pytest.MonkeyPatch, *, hold: threading.Event | None = None,
                  inside: threading.Semaphore | None = None) -> Counter[str]:
    """Count password checks (and keep each one open a moment, so parallel attempts overlap)."""
    real, seen, lock = auth._verify, Counter[str](), threading.Lock()

    def counting(hashed: str, password: str) -> bool:
        with lock:
            seen["checks"] += 1
            seen["now"] += 1
            seen["max"] = max(seen["max"], seen["now"])
        if inside is not None:
            inside.release()
        (hold or threading.Event()).wait(None if hold else 0.05)
        with lock:
            seen["now"] -= 1
        return real(hashed, password)

    monkeypatch.setattr(auth, "_verify", counting)
    return seen


def _in_parallel(n: int, attempt) -> Counter[str]:  # type: ignore[no-untyped-def]
    outcomes, lock, start = Counter[str](), threading.Lock(), threading.Barrier(n)

    def run(i: int) -> None:
        start.wait()
        try:
            result = "ok" if attempt(i) is not None else "failed"
        except Exception as exc:  # the refusals are the point
            result = type(exc).__name__
        with lock:
            outcomes[result] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_parallel_sign_ins_for_one_name_get_at_most_the_allowed_checks(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    auth.add_user(store, "lan", PASSWORD, "analyst")
    monkeypatch.setattr(auth, "_gate", throttle.ProcessGate(64))  # the store's count is what is tested here
    seen = _count_checks(monkeypatch)
    outcomes = _in_parallel(20, lambda i: auth.authenticate(store, "lan", f"guess {i}", client=f"10.0.0.{i}"))
    assert seen["checks"] == auth.MAX_FAILURES
    assert outcomes == {"failed": auth.MAX_FAILURES, "LoginLocked": 20 - auth.MAX_FAILURES}


def test_parallel_sign_ins_from_one_client_get_at_most_the_allowed_checks(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "_gate", throttle.ProcessGate(64))
    store.ensure_schema()  # (Store's first ensure_schema is not itself thread-safe)
    seen = _count_checks(monkeypatch)
    outcomes = _in_parallel(20, lambda i: auth.authenticate(store, f"name{i}", "guess", client=ATTACKER))
    assert seen["checks"] == throttle.CLIENT_FREE
    assert outcomes == {"failed": throttle.CLIENT_FREE, "LoginThrottled": 20 - throttle.CLIENT_FREE}


def test_concurrent_password_checks_are_bounded_and_the_excess_refused(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "_gate", throttle.ProcessGate(2))
    monkeypatch.setattr(throttle, "BUSY_WAIT", 0.01)
    hold, inside = threading.Event(), threading.Semaphore(0)
    seen = _count_checks(monkeypatch, hold=hold, inside=inside)
    results: list[str] = []

    def attempt(i: int) -> None:
        try:
            auth.authenticate(store, f"name{i}", "guess", client=f"10.0.0.{i}")
            results.append("checked")
        except auth.LoginBusy as busy:
            results.append("busy" if "try again" in str(busy) else "?")

    first = [threading.Thread(target=attempt, args=(i,)) for i in range(2)]
    for t in first:
        t.start()
    for _ in first:
        inside.acquire()  # both checks are running and held
    later = [threading.Thread(target=attempt, args=(i,)) for i in range(2, 8)]
    for t in later:
        t.start()
    for t in later:
        t.join()
    hold.set()
    for t in first:
        t.join()
    assert seen["max"] == 2 and seen["checks"] == 2
    assert sorted(results) == ["busy"] * 6 + ["checked"] * 2
    assert auth.count_failures(store, "name5") == 0  # a busy refusal records nothing


# --- a signed-in account is re-read before every write ---------------------------------------------
def test_recheck_refuses_a_disabled_account_and_a_changed_password(store: Store) -> None:
    auth.add_user(store, "lan", PASSWORD, "analyst")
    user = auth.authenticate(store, "lan", PASSWORD, now=T0)
    assert user is not None and auth.recheck(store, user) == user
    auth.disable_user(store, "lan")
    with pytest.raises(auth.SessionRevoked, match="disabled"):
        auth.recheck(store, user)
    auth.disable_user(store, "lan", disabled=False)
    assert auth.recheck(store, user).name == "lan"
    auth.set_password(store, "lan", "a brand new passphrase")
    with pytest.raises(auth.SessionRevoked, match="password"):
        auth.recheck(store, user)
    fresh = auth.authenticate(store, "lan", "a brand new passphrase", now=T0)
    assert fresh is not None and auth.recheck(store, fresh) == fresh


def test_disable_and_set_password(store: Store) -> None:
    auth.add_user(store, "lan", PASSWORD, "analyst")
    auth.disable_user(store, "lan")
    assert auth.authenticate(store, "lan", PASSWORD, now=T0) is None
    assert [u.disabled for u in auth.list_users(store)] == [True]
    auth.disable_user(store, "LAN", disabled=False)
    auth.set_password(store, "lan", "a brand new passphrase")
    assert auth.authenticate(store, "lan", PASSWORD, now=T0) is None
    assert auth.authenticate(store, "lan", "a brand new passphrase", now=T0) is not None
    with pytest.raises(ValueError, match="no user"):
        auth.set_password(store, "nobody", "a brand new passphrase")
    with pytest.raises(ValueError, match="at least 8"):
        auth.set_password(store, "lan", "short")


@pytest.mark.parametrize(("address", "key"), [
    (None, "local"),
    ("203.0.113.7", "203.0.113.7"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),  # the same site: the same client
    ("::ffff:203.0.113.7", "203.0.113.7"),
    ("not an address", "not an address"),
])
def test_client_keys(address: str | None, key: str) -> None:
    assert throttle.client_key(address) == key
