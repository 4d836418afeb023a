"""Schema migrations on SQLite and PostgreSQL: a fresh store is made at head and matches tables.py; a
store made by the release before migrations (tests/fixtures/stores/, made by that release's own CLI,
see make_release_stores.sh) is refused until `indicators db upgrade`, which keeps every version, row,
account and password hash, after which the CLI and the app work on it; upgrading twice changes
nothing; a store at a revision this program does not know is refused by the store, the CLI and the app.
"""

from __future__ import annotations

import shutil
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd
import pytest
from sqlalchemy import MetaData, create_engine, inspect, select, text
from streamlit.testing.v1 import AppTest

from indicators.cli import main
from indicators.contract import V2_COLUMNS
from indicators.i18n import t
from indicators.store import accounts as auth
from indicators.store import migrations
from indicators.store.tables import metadata
from indicators.store.versions import (
    Store,
    StoreTooNew,
    StoreTooOld,
    StoreUnrecognised,
    engine_url,
)
from tests.frames import make_frame

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
FIXTURES = ROOT / "tests" / "fixtures" / "stores"
RELEASE = "8f16494"
FUTURE = "0099_from_the_future"
PASSWORDS = {"lan": "lan-old-release-2026", "minh": "minh-old-release-2026", "tuan": "tuan-old-release-2026"}
META: dict[str, Any] = dict(user="lan", comment="c", filename="f.csv", sha256="a" * 64)


# --- helpers ---------------------------------------------------------------------------------------
def _engine(url: str) -> Any:
    return create_engine(engine_url(url))


def tables_of(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the store, read with plain SQLAlchemy (no Store, no schema check)."""
    engine = _engine(url)
    try:
        reflected = MetaData()
        reflected.reflect(engine)
        with engine.connect() as conn:
            return {name: sorted(tuple(row) for row in conn.execute(select(table)))
                    for name, table in reflected.tables.items()}
    finally:
        engine.dispose()


def without_v2(tables: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    """The tables as a store before contract v2 held them: version_rows without the columns revision 0004
    appended — which must read '' in every row stored before it."""
    n = len(V2_COLUMNS)
    rows = tables["version_rows"]
    assert all(row[-n:] == ("",) * n for row in rows)
    return {**tables, "version_rows": [row[:-n] for row in rows]}


def schema_diff(url: str) -> list[Any]:
    """What Alembic's autogenerate finds between the store and store/tables.py ([] = the same schema)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = _engine(url)
    try:
        with engine.connect() as conn:
            return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    finally:
        engine.dispose()


def as_before(after: dict[str, list[tuple[Any, ...]]], before: dict[str, list[tuple[Any, ...]]],
              ) -> dict[str, list[tuple[Any, ...]]]:
    """`after`'s rows of the tables `before` has, cut to `before`'s columns: a revision adds its columns at
    the end of a table (users.needs_approval), so what was there is compared as it was."""
    width = {name: len(rows[0]) for name, rows in before.items() if rows}
    return {name: sorted(row[:width.get(name, len(row))] for row in rows)
            for name, rows in after.items() if name in before}


def revision_of(url: str) -> list[str]:
    engine = _engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return []
            return list(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    finally:
        engine.dispose()


def set_revision(url: str, revision: str) -> None:
    engine = _engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    finally:
        engine.dispose()


def _pg_schema_url(server: str, schema: str) -> str:
    separator = "&" if "?" in server else "?"
    return f"{server}{separator}options={quote(f'-csearch_path={schema}')}"


def old_sqlite(tmp_path: Path) -> str:
    """A copy of the SQLite store made by the release before migrations."""
    path = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / f"release-{RELEASE}.sqlite", path)
    return f"sqlite:///{path}"


def _fixture_store(request: pytest.FixtureRequest, tmp_path: Path, stem: str, schema_in_dump: str) -> Iterator[str]:
    """A copy of the SQLite fixture `stem`.sqlite, or the PostgreSQL dump `stem`.pg.sql loaded into a fresh
    schema (the dump names its schema; it is renamed in the same transaction)."""
    if request.param == "sqlite":
        path = tmp_path / f"{stem}.sqlite"
        shutil.copyfile(FIXTURES / f"{stem}.sqlite", path)
        yield f"sqlite:///{path}"
        return
    import psycopg

    server = request.getfixturevalue("postgres_url")
    dump = (FIXTURES / f"{stem}.pg.sql").read_text(encoding="utf-8")
    sql = "\n".join(line for line in dump.splitlines() if not line.startswith("\\"))  # psql's \restrict
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server) as conn:
        conn.execute(sql)
        conn.execute(f"ALTER SCHEMA {schema_in_dump} RENAME TO {schema}")
    try:
        yield _pg_schema_url(server, schema)
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def old_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store made by the release before migrations (make_release_stores.sh)."""
    yield from _fixture_store(request, tmp_path, f"release-{RELEASE}", f"release_{RELEASE}")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def rev_0002_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store at revision 0002_login_attempts, made by commit fe26320 (make_0002_stores.sh)."""
    yield from _fixture_store(request, tmp_path, "rev-0002", "rev_0002")


# --- the revisions ---------------------------------------------------------------------------------
def test_the_revisions_form_one_line_from_the_baseline_to_head() -> None:
    assert migrations.alembic_head() == migrations.HEAD  # HEAD is bumped with each new revision
    line = [r.revision for r in migrations.script().walk_revisions()]  # newest first
    assert line[0] == migrations.HEAD and line[-1] == migrations.BASELINE
    assert line == ["0005_scopes_submissions", "0004_contract_v2", "0003_profiles_aliases", "0002_login_attempts",
                    "0001_baseline"]


def test_an_installed_wheel_upgrades_a_store(tmp_path: Path) -> None:
    """The revisions are package data: a wheel built from the project, unpacked alone on the path,
    stamps and upgrades a store of the release before migrations."""
    import subprocess
    import sys
    import zipfile

    uv = Path(sys.executable).with_name("uv")
    if not uv.exists():
        pytest.skip("no uv in the virtual environment (make setup installs it)")
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    built = subprocess.run([str(uv), "build", "--wheel", "--quiet", "-o", str(tmp_path / "dist"), str(source)],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for name in ("env.py", "script.py.mako", "alembic.ini", "revisions/0001_baseline.py",
                 "revisions/0002_login_attempts.py", "revisions/0003_profiles_aliases.py",
                 "revisions/0004_contract_v2.py", "revisions/0005_scopes_submissions.py"):
        assert f"indicators/store/migrations/{name}" in names, name
    zipfile.ZipFile(wheel).extractall(tmp_path / "installed")
    store = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / f"release-{RELEASE}.sqlite", store)
    ran = subprocess.run(
        [sys.executable, "-c", "import sys, indicators.cli; print(indicators.cli.__file__); "
         "raise SystemExit(indicators.cli.main(sys.argv[1:]))",
         "db", "upgrade", "--lang", "en", "--database-url", f"sqlite:///{store}"],
        capture_output=True, text=True, cwd=tmp_path, env={"PYTHONPATH": str(tmp_path / "installed"), "PATH": ""},
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith(str(tmp_path / "installed"))  # the unpacked wheel, not the source tree
    assert f"{migrations.BASELINE} → {migrations.HEAD}" in ran.stdout


# --- a fresh store ----------------------------------------------------------------------------------
def test_a_fresh_store_is_made_at_head_with_the_tables_of_tables_py(store_url: str) -> None:
    with Store(store_url) as store:
        assert store.schema_state().kind == "empty"
        store.ensure_schema()
        assert store.schema_state().kind == "current"
        assert store.current_version() is None
    assert revision_of(store_url) == [migrations.HEAD]
    assert schema_diff(store_url) == []


def test_schema_diff_sees_a_missing_index(store_url: str) -> None:
    """The comparison the tests above rely on does find a difference."""
    with Store(store_url) as store:
        store.ensure_schema()
    engine = _engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_login_attempts_at"))
    engine.dispose()
    assert [d[0] for d in schema_diff(store_url)] == ["add_index"]


def test_db_upgrade_on_an_empty_store_creates_it(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "current", "--database-url", store_url, "--lang", "en"]) == 0
    assert "empty store" in capsys.readouterr().out
    assert main(["db", "upgrade", "--database-url", store_url, "--lang", "en"]) == 0
    assert capsys.readouterr().out.strip() == f"schema upgraded: — → {migrations.HEAD}"
    assert schema_diff(store_url) == [] and revision_of(store_url) == [migrations.HEAD]


def test_two_processes_making_the_same_fresh_store_at_once(store_url: str) -> None:
    errors: list[BaseException] = []

    def make() -> None:
        try:
            with Store(store_url) as store:
                store.ensure_schema()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=make) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert revision_of(store_url) == [migrations.HEAD]


# --- the release before migrations --------------------------------------------------------------------
def test_a_store_of_the_release_before_is_refused_until_upgraded(old_store_url: str,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    before = tables_of(old_store_url)
    assert set(before) == set(migrations.BASELINE_TABLES) and revision_of(old_store_url) == []
    with Store(old_store_url) as store, pytest.raises(StoreTooOld) as refused:
        store.current_version()
    for lang in ("vi", "en"):
        message = refused.value.message(lang)
        assert migrations.BASELINE in message and migrations.HEAD in message
        assert "indicators db upgrade" in message
    assert main(["history", "--database-url", old_store_url]) == 2
    assert "indicators db upgrade" in capsys.readouterr().err
    assert main(["db", "current", "--database-url", old_store_url, "--lang", "en"]) == 1
    assert "release before migrations" in capsys.readouterr().out
    assert tables_of(old_store_url) == before  # refusing changed nothing


def test_db_upgrade_keeps_every_version_row_and_account(old_store_url: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    before = tables_of(old_store_url)
    assert len(before["versions"]) == 4 and len(before["users"]) == 3 and len(before["login_failures"]) == 1
    assert len(before["version_rows"]) == 4 * 91 and before["current_version"] == [(1, 4)]

    assert main(["db", "upgrade", "--database-url", old_store_url, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert f"recorded as revision {migrations.BASELINE}" in out
    assert f"schema upgraded: {migrations.BASELINE} → {migrations.HEAD}" in out

    after = tables_of(old_store_url)
    assert as_before(without_v2(after), before) == before  # hashes included
    assert after["login_attempts"] == after["mapping_profiles"] == after["indicator_aliases"] == []
    assert after["alembic_version"] == [(migrations.HEAD,)]
    assert schema_diff(old_store_url) == []

    assert main(["db", "upgrade", "--database-url", old_store_url, "--lang", "en"]) == 0  # twice: a no-op
    assert capsys.readouterr().out.strip() == f"the schema is already at revision {migrations.HEAD}: nothing to do"
    assert tables_of(old_store_url) == after
    assert main(["db", "current", "--database-url", old_store_url, "--lang", "en"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_the_upgraded_store_works(old_store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade", "--database-url", old_store_url]) == 0
    with Store(old_store_url) as store:
        history = store.history()
        assert [(v.version, v.mode, v.user) for v in history] == [
            (4, "rollback", "lan"), (3, "update", "minh"), (2, "replace", "lan"), (1, "seed", "system")]
        assert store.current_version().restored_from == 1
        first, updated = store.load(1), store.load(3)
        pd.testing.assert_frame_equal(store.load(4), first)
        pd.testing.assert_frame_equal(store.load(2), first)
        assert len(first) == 91 and (first["value"] != updated["value"]).sum() == 2
        assert (first[list(V2_COLUMNS)] == "").all().all()  # a v1 row is a v2 row without breakdown, term …
        # the old release's password hashes still sign in; the disabled account stays disabled
        assert auth.authenticate(store, "lan", PASSWORDS["lan"], client="192.0.2.1") is not None
        assert auth.authenticate(store, "minh", PASSWORDS["minh"], client="192.0.2.1").role == "admin"
        assert auth.authenticate(store, "tuan", PASSWORDS["tuan"], client="192.0.2.1") is None
        assert auth.authenticate(store, "lan", "not the password", client="192.0.2.1") is None
        info = store.commit(make_frame(30), **META)
        assert info.version == 5 and info.parent == 4
        pd.testing.assert_frame_equal(store.load(5), make_frame(30), check_dtype=False)
    capsys.readouterr()
    out = tmp_path / "v1.csv"
    assert main(["export", "--version", "1", "--out", str(out), "--database-url", old_store_url]) == 0
    assert main(["history", "--database-url", old_store_url]) == 0
    assert "seeded from kim_son_2020_2025.csv" in capsys.readouterr().out


def test_an_upgraded_store_has_accounts_without_limits_and_takes_submissions(old_store_url: str) -> None:
    """Revision 0005 on a store of the release before: every account keeps writing every area without
    approval; an account can then be limited, and its submission approved into a version."""
    from indicators.store import submissions as subs

    assert main(["db", "upgrade", "--database-url", old_store_url, "--lang", "en"]) == 0
    with Store(old_store_url) as store:
        before = auth.list_users(store)
        assert [(u.name, u.scope, u.needs_approval) for u in before] == [
            ("lan", (), False), ("minh", (), False), ("tuan", (), False)]
        assert subs.submissions_list(store) == []
        auth.set_scope(store, "lan", ["Xã Kim Hải"])
        auth.set_approval(store, "lan", True)
        rows = store.load()
        rows = rows[rows["area"] == "Xã Kim Hải"].assign(value=2.0)
        sid = subs.submit(store, rows, "lan", "c", "f.csv", "a" * 64, 4)
        assert subs.approve(store, sid, "minh") == 5
        assert subs.approvals(store)[5].user == "lan"


def test_a_store_of_the_release_before_in_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before the upgrade the app says so (no crash page, nothing written); after it, the pages work.
    (SQLite only: the app reaches both databases through the same Store.)"""
    import streamlit as st

    old_store_url = old_sqlite(tmp_path)
    monkeypatch.setenv("INDICATORS_DATABASE_URL", old_store_url)
    before = tables_of(old_store_url)
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert any("indicators db upgrade" in e.value for e in at.error), [e.value for e in at.error]
    assert tables_of(old_store_url) == before
    assert main(["db", "upgrade", "--database-url", old_store_url]) == 0
    st.cache_data.clear()  # the pages cache a version by its number: "v4" of another test's store is not ours
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception and not at.error and at.metric


# --- other stores an upgrade meets -----------------------------------------------------------------
def test_a_store_at_an_older_revision_is_upgraded(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    with Store(store_url) as store:
        store.commit(make_frame(20), **META)
    engine = _engine(store_url)
    with engine.begin() as conn:  # as the baseline left it
        for table in ("login_attempts", "mapping_profiles", "indicator_aliases", "submission_rows", "submissions",
                      "user_areas"):
            conn.execute(text(f"DROP TABLE {table}"))
        conn.execute(text("ALTER TABLE users DROP COLUMN needs_approval"))
        for column in V2_COLUMNS:
            conn.execute(text(f"ALTER TABLE version_rows DROP COLUMN {column}"))
        conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": migrations.BASELINE})
    engine.dispose()
    with Store(store_url) as store, pytest.raises(StoreTooOld):
        store.ensure_schema()
    assert main(["db", "current", "--database-url", store_url, "--lang", "en"]) == 1
    assert main(["db", "upgrade", "--database-url", store_url, "--lang", "en"]) == 0
    assert f"schema upgraded: {migrations.BASELINE} → {migrations.HEAD}" in capsys.readouterr().out
    assert schema_diff(store_url) == []
    with Store(store_url) as store:
        assert store.current_version().rows == 20


def test_a_0002_store_upgrades_to_head_with_its_data_intact(rev_0002_url: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """A store made before issue 9 (revision 0002): refused until upgraded, then every row is as it was,
    the profile and alias tables are there and empty, and saving and reading them works."""
    before = tables_of(rev_0002_url)
    assert revision_of(rev_0002_url) == ["0002_login_attempts"]
    assert len(before["versions"]) == 3 and len(before["users"]) == 2 and len(before["login_attempts"]) == 2
    assert len(before["version_rows"]) == 3 * 91 and before["current_version"] == [(1, 3)]
    with Store(rev_0002_url) as store, pytest.raises(StoreTooOld):
        store.save_profile("Biểu 01", {"signature": "s"}, user="lan")
    assert tables_of(rev_0002_url) == before
    assert main(["db", "upgrade", "--database-url", rev_0002_url, "--lang", "en"]) == 0
    assert f"schema upgraded: 0002_login_attempts → {migrations.HEAD}" in capsys.readouterr().out
    after = tables_of(rev_0002_url)
    kept = as_before(without_v2(after), before)
    assert {name: rows for name, rows in kept.items() if name != "alembic_version"} == {
        name: rows for name, rows in before.items() if name != "alembic_version"}
    assert after["mapping_profiles"] == after["indicator_aliases"] == []
    assert after["alembic_version"] == [(migrations.HEAD,)] and schema_diff(rev_0002_url) == []
    with Store(rev_0002_url) as store:
        assert [v.version for v in store.history()] == [3, 2, 1]
        assert auth.authenticate(store, "lan", "lan-rev-0002-store-2026", client="192.0.2.1") is not None
        assert store.save_profile("Biểu 01", {"signature": "s"}, user="lan") == 1
        assert store.save_aliases({"Số xã": "communes"}, user="lan") == 1
        assert store.profile("Biểu 01")["revision"] == 1 and store.aliases() == {"so xa": "communes"}  # type: ignore[index]


def test_a_store_made_between_issue_7_and_migrations(store_url: str) -> None:
    """create_all of that time's tables and no alembic_version: stamped as the baseline, login_attempts kept."""
    engine = _engine(store_url)
    with engine.begin() as conn:
        metadata.create_all(conn, tables=[metadata.tables[name] for name in (*migrations.BASELINE_TABLES,
                                                                                "login_attempts")])
        conn.execute(text("ALTER TABLE users DROP COLUMN needs_approval"))  # a column of a later revision
        for column in V2_COLUMNS:  # that time's version_rows
            conn.execute(text(f"ALTER TABLE version_rows DROP COLUMN {column}"))
        conn.execute(text("INSERT INTO current_version (id, version_id) VALUES (1, NULL)"))
        conn.execute(text("INSERT INTO login_attempts (at, name_key, client, outcome) "
                          "VALUES ('2026-11-30 10:00:00', 'lan', '192.0.2.1', 'failed')"))
    engine.dispose()
    with Store(store_url) as store:
        before, after = store.upgrade_schema()
        assert (before.kind, after.kind, after.revision) == ("unstamped", "current", migrations.HEAD)
        assert store.current_version() is None
    assert len(tables_of(store_url)["login_attempts"]) == 1
    assert schema_diff(store_url) == []


def test_a_failed_upgrade_leaves_the_store_as_it_was(old_store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from alembic import command

    real = command.upgrade

    def upgrade_then_fail(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)  # the stamp and every revision ran ...
        raise RuntimeError("the power went out")  # ... then the transaction is lost

    before = tables_of(old_store_url)
    monkeypatch.setattr(command, "upgrade", upgrade_then_fail)
    with Store(old_store_url) as store, pytest.raises(RuntimeError):
        store.upgrade_schema()
    assert tables_of(old_store_url) == before and revision_of(old_store_url) == []


def test_two_upgrades_at_once(old_store_url: str) -> None:
    results: list[str] = []

    def upgrade() -> None:
        with Store(old_store_url) as store:
            results.append(store.upgrade_schema()[0].kind)

    threads = [threading.Thread(target=upgrade) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["current", "unstamped"]  # one upgraded, the other found it done
    assert revision_of(old_store_url) == [migrations.HEAD]


def test_a_database_with_only_some_of_the_tables_is_not_taken_for_a_store(store_url: str) -> None:
    engine = _engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)"))
    engine.dispose()
    with Store(store_url) as store:
        with pytest.raises(StoreUnrecognised):
            store.ensure_schema()
        with pytest.raises(StoreUnrecognised):
            store.upgrade_schema()
    assert main(["db", "upgrade", "--database-url", store_url]) == 2
    assert set(tables_of(store_url)) == {"users"}  # nothing created


# --- a newer store --------------------------------------------------------------------------------
def make_future(store_url: str) -> str:
    """A store upgraded by a release newer than this program: its revision is unknown here."""
    with Store(store_url) as store:
        store.commit(make_frame(10), **META)
    set_revision(store_url, FUTURE)
    return store_url


@pytest.fixture
def future_store_url(store_url: str) -> str:
    return make_future(store_url)


def test_a_newer_store_is_refused_by_the_store_and_the_cli(future_store_url: str,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    before = tables_of(future_store_url)
    with Store(future_store_url) as store:
        with pytest.raises(StoreTooNew) as refused:
            store.current_version()
        for lang in ("vi", "en"):
            assert refused.value.message(lang) == t("store_too_new", lang, store=FUTURE, head=migrations.HEAD)
        with pytest.raises(StoreTooNew):
            store.upgrade_schema()  # never "upgraded" back
        with pytest.raises(StoreTooNew):
            auth.add_user(store, "lan", "mật-khẩu-dài-đủ", "analyst")
    for argv in (["history"], ["export", "--out", "x.csv"], ["db", "upgrade"], ["users", "list"]):
        assert main([*argv, "--database-url", future_store_url]) == 2, argv
        err = capsys.readouterr().err
        assert FUTURE in err and migrations.HEAD in err, (argv, err)
    assert main(["db", "current", "--database-url", future_store_url, "--lang", "en"]) == 2
    assert "newer than this program" in capsys.readouterr().out
    assert tables_of(future_store_url) == before and revision_of(future_store_url) == [FUTURE]


def test_a_newer_store_is_refused_by_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """(SQLite only: the app reaches both databases through the same Store.)"""
    future_store_url = make_future(f"sqlite:///{tmp_path / 'store.sqlite'}")
    monkeypatch.setenv("INDICATORS_DATABASE_URL", future_store_url)
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    errors = [e.value.replace("\\", "") for e in at.error]  # shown as plain text: Markdown escaped
    assert any(FUTURE in e and migrations.HEAD in e for e in errors), errors
    assert not at.metric
