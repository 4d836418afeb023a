"""Schema migrations (Alembic): every store records its schema revision in its `alembic_version` table.

The revisions are the files of `revisions/`, one per change of the schema, each naming the one before
it (`down_revision`); the newest, `HEAD`, is the schema of `store.tables`:

- `0001_baseline`: the schema of the release before migrations (commit 8f16494). A store made by that
  release has its tables and no `alembic_version`: `state` calls it "unstamped", `upgrade` stamps it
  with the baseline, then runs the later revisions.
- `0002_login_attempts`: the sign-in attempts table of issue 7.
- `0003_profiles_aliases`: saved wide-table mapping profiles and indicator aliases (issue 9).
- `0004_contract_v2`: the rows' contract v2 columns (area code, parent area, breakdown, term, roll-up,
  series break; issue 10).
- `0005_scopes_submissions`: accounts limited to areas, and submissions awaiting approval (issue 10).

`state(conn)` says where a store stands against this program's head, `upgrade(conn)` brings it there
in the caller's transaction (PostgreSQL runs DDL transactionally, and so does SQLite under the store's
own BEGIN: an upgrade that fails leaves the store as it was). `Store.ensure_schema` and
`indicators db upgrade` (store/versions.py, cli.py) decide what to do with each state.

Adding a revision (a new table or column, contract v2):
1. change `store/tables.py`;
2. add `revisions/NNNN_what.py` (copy the newest one) with `down_revision` = the previous head and an
   `upgrade()` of `op.*` calls that names tables and columns literally, as they are at that revision (a
   revision is frozen: it never imports tables.py). Alembic can draft it, see alembic.ini;
3. set `HEAD` below to its id;
4. tests/test_migrations.py checks that the revisions, run on an empty store and on the fixture stores
   of the release before migrations, give exactly the tables of tables.py, on SQLite and PostgreSQL.
SQLite alters a table in place only to add a column; anything else needs `op.batch_alter_table`, which
copies the table (`render_as_batch` makes Alembic draft it that way).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Column, Connection, MetaData, String, Table, inspect, select

if TYPE_CHECKING:  # Alembic itself is imported only to change a schema or to place an unknown revision
    from alembic.config import Config
    from alembic.script import ScriptDirectory

HERE = Path(__file__).resolve().parent
BASELINE = "0001_baseline"
#: The newest revision, the schema of store/tables.py; tests/test_migrations.py checks that it is
#: Alembic's head. Known without importing Alembic (~0.4 s), so a store at head opens without it.
HEAD = "0005_scopes_submissions"
#: The tables of the baseline: all of them, and no alembic_version, is a store of the release before.
BASELINE_TABLES = ("versions", "version_rows", "current_version", "users", "login_failures")

_version_table = Table("alembic_version", MetaData(), Column("version_num", String(32), primary_key=True))
Kind = Literal["empty", "unstamped", "older", "current", "newer", "foreign"]


@dataclass(frozen=True)
class SchemaState:
    """Where a store's schema stands: `revision` is the store's (None: not stamped), `head` this program's.

    kind: "empty" (no table of ours), "unstamped" (the release before migrations), "older" (a known
    revision before head), "current", "newer" (a revision this program does not know: a newer release
    upgraded it), "foreign" (some of our tables but not a store this program can recognise).
    """

    kind: Kind
    revision: str | None
    head: str

    @property
    def label(self) -> str:
        """The store's revision for messages: the baseline for an unstamped store, "—" for none."""
        if self.kind == "unstamped":
            return BASELINE
        return ", ".join(self.revision.split()) if self.revision else "—"


def config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, in code (no alembic.ini needed at run time): the scripts of this folder,
    and the connection the revisions run on."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", str(HERE / "revisions"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@lru_cache(maxsize=1)
def script() -> ScriptDirectory:
    """The revisions, read once per process."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(config())


def alembic_head() -> str:
    """The newest revision as Alembic reads it from revisions/ (a single head: revisions form one line)."""
    heads = script().get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {heads}; merge them into one")
    return heads[0]


def known(revision: str) -> bool:
    """Whether `revision` is one of this program's revisions."""
    return any(r.revision == revision for r in script().walk_revisions())


def state(conn: Connection) -> SchemaState:
    """Where the store on `conn` stands (reads only)."""
    found = inspect(conn)
    if found.has_table(_version_table.name):
        heads = tuple(conn.execute(select(_version_table.c.version_num)).scalars())
        if heads == (HEAD,):
            return SchemaState("current", HEAD, HEAD)
        if heads:
            revision = " ".join(sorted(heads))
            older = len(heads) == 1 and known(heads[0])
            return SchemaState("older" if older else "newer", revision, HEAD)
    ours = set(found.get_table_names()) & set(BASELINE_TABLES)
    if not ours:
        return SchemaState("empty", None, HEAD)
    if ours == set(BASELINE_TABLES):
        return SchemaState("unstamped", None, HEAD)
    return SchemaState("foreign", None, HEAD)


def upgrade(conn: Connection) -> tuple[SchemaState, SchemaState]:
    """Bring the store on `conn` to head inside the caller's transaction: (state before, state after).

    An empty store gets every revision from the baseline on; an unstamped one is stamped with the
    baseline first. The caller refuses "newer" and "foreign" stores before calling this.
    """
    from alembic import command

    before = state(conn)
    if before.kind in ("newer", "foreign"):
        raise ValueError(f"cannot upgrade a {before.kind} store (revision {before.label})")
    cfg = config(conn)
    if before.kind == "unstamped":
        command.stamp(cfg, BASELINE)
    if before.kind != "current":
        command.upgrade(cfg, "head")
    return before, state(conn)


def run_in_context(context: Any, connection: Connection) -> None:
    """env.py's body: run the revisions Alembic's command chose on `connection` (in its transaction)."""
    from indicators.store.tables import metadata

    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()
