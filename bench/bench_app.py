"""Warm server-side reruns of every page against a bare one-chart page, measured in the same run.

AppTest runs a script as the server does (without the browser): each page is opened through app.py
(navigation, language switch) on a fresh SQLite store seeded from the shipped data, run once cold, then
`RERUNS` times; the bare page (bench/bare_page.py: one small st.plotly_chart) is measured the same way,
interleaved with the pages so that a busy machine slows both. The budget (DESIGN.md): the overview's warm
median <= 5x the bare page's.

The server compiles each script once per process (one `ScriptCache`); AppTest makes a new cache on every
run, so every rerun would recompile app.py and the page — a cost that grows with the script's length and
that no server pays. `_server_script_cache()` gives AppTest one cache, as the server has.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import streamlit.testing.v1.app_test as app_test
import streamlit.testing.v1.local_script_runner as local_script_runner
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
BARE = str(ROOT / "bench" / "bare_page.py")
PAGES = {"overview": None, "indicator": "app_pages/indicator.py", "communes": "app_pages/communes.py",
         "data": "app_pages/data.py", "present": "app_pages/present.py", "upload": "app_pages/upload.py",
         "history": "app_pages/history.py"}
RERUNS = 50
BUDGET_RATIO = 5.0
USER, PASSWORD = "bench", "a long bench passphrase 7391"


def _server_script_cache() -> None:
    """Compile each script once, as `streamlit run` does (AppTest would recompile it on every run)."""
    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared  # type: ignore[assignment, misc]


def _open(page: str | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    if page:
        at.switch_page(page).run()
    if page == "app_pages/upload.py":  # signed in, no file chosen yet
        at.text_input(key="login_name").input(USER)
        at.text_input(key="login_password").input(PASSWORD)
        at.button[0].click().run()
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return at


def _median_ms(at: AppTest, reruns: int) -> float:
    times = []
    for _ in range(reruns):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return statistics.median(times) * 1000


def run(reruns: int = RERUNS) -> dict[str, dict[str, float]]:
    """{page: {"cold_seconds", "warm_ms", "bare_ms", "ratio"}}; the bare page is re-measured beside each page."""
    out: dict[str, dict[str, float]] = {}
    _server_script_cache()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["INDICATORS_DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        os.environ["INDICATORS_VAR_DIR"] = tmp
        try:
            from indicators.store import accounts
            from indicators.store.current import shared_store

            accounts.add_user(shared_store(), USER, PASSWORD, "analyst")
            bare = AppTest.from_file(BARE, default_timeout=60)
            bare.run()
            for name, page in PAGES.items():
                start = time.perf_counter()
                at = _open(page)
                cold = time.perf_counter() - start
                warm, bare_ms = _interleaved(lambda n, at=at: _median_ms(at, n), lambda n: _median_ms(bare, n),
                                             reruns)
                out[name] = {"cold_seconds": cold, "warm_ms": warm, "bare_ms": bare_ms, "ratio": warm / bare_ms}
        finally:
            del os.environ["INDICATORS_DATABASE_URL"], os.environ["INDICATORS_VAR_DIR"]
    return out


def _interleaved(page: Callable[[int], float], bare: Callable[[int], float], reruns: int) -> tuple[float, float]:
    """Medians of the page and of the bare page, measured in alternating rounds of 5 reruns."""
    page_ms, bare_ms = [], []
    for _ in range(max(1, reruns // 5)):
        page_ms.append(page(5))
        bare_ms.append(bare(5))
    return statistics.median(page_ms), statistics.median(bare_ms)


def main(n_rows: int | None = None) -> None:
    """The shipped data (n_rows does not apply: the budget is for the pages of the shipped data)."""
    results = run()
    for name, r in results.items():
        budget = ""
        if name == "overview":
            verdict = "ok" if r["ratio"] <= BUDGET_RATIO else "OVER BUDGET"
            budget = f"   [budget: <= {BUDGET_RATIO:.0f}x the bare page] {verdict}"
        print(f"{'page ' + name:<16} cold {r['cold_seconds']:.2f} s; warm rerun median {r['warm_ms']:.1f} ms, "
              f"bare one-chart page {r['bare_ms']:.1f} ms, ratio {r['ratio']:.1f}x{budget}", flush=True)


if __name__ == "__main__":
    main()
