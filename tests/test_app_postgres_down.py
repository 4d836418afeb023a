"""PostgreSQL stopped under a serving app: every page says so in the user's language (no crash page), the
CLI in one line (exit 2), and both recover by themselves once the server is back — no restart.

The test starts its own throwaway cluster (scripts/postgres-throwaway.sh), since it stops and restarts it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from indicators.cli import main
from indicators.store.versions import Store, StoreUnavailable

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PG_SCRIPT = ROOT / "scripts" / "postgres-throwaway.sh"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


class Cluster:
    def __init__(self, workdir: str) -> None:
        self.dir = f"{workdir}/pg"

    def start_fresh(self) -> str:
        started = subprocess.run([str(PG_SCRIPT), "start", self.dir], capture_output=True, text=True)
        if started.returncode != 0:
            pytest.fail(f"could not start a throwaway PostgreSQL: {started.stderr.strip()}")
        return started.stdout.strip()

    def _pg_ctl(self, *args: str) -> None:
        owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*owner, str(PG_BIN / "pg_ctl"), "-D", f"{self.dir}/data", "-w", *args],
                       check=True, capture_output=True)

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "stop")

    def restart(self) -> None:
        port = Path(self.dir, "port").read_text().strip()
        self._pg_ctl("-l", f"{self.dir}/server.log", "-o", f"-p {port} -k {self.dir} -c listen_addresses=127.0.0.1",
                     "start")

    def remove(self) -> None:
        subprocess.run([str(PG_SCRIPT), "stop", self.dir], capture_output=True, check=False)


@pytest.fixture
def cluster() -> Iterator[tuple[Cluster, str]]:
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"no PostgreSQL server binaries in {PG_BIN}")
    workdir = tempfile.mkdtemp(prefix="indicators-pg-down-")
    pg = Cluster(workdir)
    try:
        yield pg, pg.start_fresh()
    finally:
        pg.remove()
        shutil.rmtree(workdir, ignore_errors=True)


def test_pages_and_cli_say_unreachable_then_recover(cluster: tuple[Cluster, str], monkeypatch) -> None:
    pg, url = cluster
    monkeypatch.setenv("INDICATORS_DATABASE_URL", url)
    monkeypatch.delenv("INDICATORS_DATA", raising=False)
    overview = AppTest.from_file(APP, default_timeout=120).run()  # seeds the store, fills the pool
    assert not overview.exception and overview.metric
    history = AppTest.from_file(APP, default_timeout=120)
    history.run()
    history.switch_page("app_pages/history.py").run()
    assert not history.exception and history.dataframe

    pg.stop()
    for at in (overview, history):
        at.run()
        assert not at.exception, [e.value for e in at.exception]  # no crash page
        assert any("Không kết nối được cơ sở dữ liệu" in e.value and "chưa ghi gì" in e.value for e in at.error)
    overview.sidebar.segmented_control(key="lang").set_value("en").run()
    assert any("The database is unreachable" in e.value for e in overview.error)
    with pytest.raises(StoreUnavailable), Store(url) as store:
        store.history()

    pg.restart()
    overview.run()
    history.run()
    for at in (overview, history):  # the same server process: no broken pool, no poisoned cache
        assert not at.exception and not at.error, [e.value for e in at.error]
    assert overview.metric and history.dataframe


def test_cli_with_the_server_stopped_is_one_line(cluster: tuple[Cluster, str], capsys) -> None:
    pg, url = cluster
    assert main(["history", "--database-url", url]) == 0
    pg.stop()
    for argv in (["history"], ["export", "--out", "x.csv"], ["rollback", "1"]):
        assert main([*argv, "--database-url", url]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err and "Không kết nối được cơ sở dữ liệu" in err
    pg.restart()
    assert main(["history", "--database-url", url]) == 0
