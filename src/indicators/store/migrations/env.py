"""Alembic's environment: how a migration reaches the store.

`indicators db upgrade` and `Store.ensure_schema` run the revisions on a connection they hold (in
their transaction, under their lock), passed as `config.attributes["connection"]`. Run by the
`alembic` command line (a developer drafting a revision, see __init__.py), it opens the store of
$INDICATORS_DATABASE_URL.
"""

from __future__ import annotations

from alembic import context

from indicators.store import migrations

connection = context.config.attributes.get("connection")
if connection is not None:
    migrations.run_in_context(context, connection)
elif context.is_offline_mode():
    raise SystemExit("indicators: migrations run on a store, not as SQL scripts (--sql is not supported)")
else:
    from indicators.store.versions import Store

    with Store.from_env() as store, store.engine.begin() as conn:
        migrations.run_in_context(context, conn)
