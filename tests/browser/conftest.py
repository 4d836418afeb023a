"""A real dashboard server and a real browser (Debian's chromium driven by playwright)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live_server import serve

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """`streamlit run app.py` on a free port with its own store, seeded from the Kim Sơn file alone: the
    analyst's test uploads that file and counts one change against it."""
    store_dir = tmp_path_factory.mktemp("store")
    database_url = os.environ.get("INDICATORS_DATABASE_URL") or f"sqlite:///{store_dir / 'indicators.sqlite'}"
    seed = str(ROOT / "data" / "kim_son_2020_2025.csv")
    with serve(store_dir, extra_env={"INDICATORS_DATABASE_URL": database_url, "INDICATORS_DATA": seed}) as running:
        yield {"url": running.url, "database_url": database_url, "log": str(running.log)}


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium fonts-open-sans (.ci/run does this)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1440, "height": 2400}, accept_downloads=True)  # type: ignore[attr-defined]
    pg = context.new_page()
    yield pg
    context.close()


def idle(page: object) -> None:
    """Wait until the app has finished its run (it dims its elements while one is in progress)."""
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=60_000)  # type: ignore[attr-defined]


def shot(page: object, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path
