"""The synthetic province (bench/province.py, ≈ 275,000 rows) against the shipped data, in the same run.

    python -m bench --only province

One line per figure, each with a reference measured in the same run and the ratio:

- store: commit into an empty SQLite store and load back, the province vs a contract-v1 synthetic frame of
  the same number of rows (bench/synthetic.py) — what the new columns cost;
- progress: `compute_progress` on the province vs on that v1 frame;
- roll-up: `indicators.areas.rollup` on the province vs `compute_progress` on it;
- map: `present.maps.area_map` of one indicator over the 130 communes vs the shipped overview's pace chart;
- pages: overview (and areas) page warm rerun of the province vs the shipped data's overview (AppTest,
  interleaved as bench/bench_app.py does) — the budget: ≤ 2× (DESIGN.md);
- server memory: a real `streamlit run` with the province's store vs one with the shipped data, resident
  set after the overview's first run.

A part whose code has not landed yet (the areas package, the map, the areas page) prints "not available".
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
PAGE_BUDGET = 2.0
STORE_BUDGET_PER_M = 3.0  # DESIGN.md: commit 1,000,000 rows into SQLite <= 3 s
PROGRESS_BUDGET_PER_M = 1.0  # DESIGN.md: the engine on 1,000,000 rows <= 1 s
ROLLUP_BUDGET = 0.3  # the areas brief's figure for the province's roll-up
RERUNS = 30
REPEAT = 3


def _median_seconds(step: Callable[[], object], repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _available(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def _store_url(folder: Path, name: str) -> str:
    return f"sqlite:///{folder / name}"


def _commit_and_load(frame: pd.DataFrame, folder: Path, name: str) -> tuple[float, float, str]:
    """Seconds to commit `frame` into a fresh SQLite store and to load it back; the store's URL."""
    from indicators.store.versions import Store

    url = _store_url(folder, name)
    with Store(url) as store:
        store.ensure_schema()
        start = time.perf_counter()
        info = store.seed_if_empty(frame, source_name=name, sha256="0" * 64)
        commit = time.perf_counter() - start
        assert info is not None
        load = _median_seconds(lambda: store.load(info.version))
    return commit, load, url


def _store_line(province: pd.DataFrame, folder: Path) -> str:
    from bench.synthetic import synthetic_frame

    reference = synthetic_frame(len(province))
    p_commit, p_load, _ = _commit_and_load(province, folder, "province_store.sqlite")
    r_commit, r_load, _ = _commit_and_load(reference, folder, "v1_store.sqlite")
    budget = STORE_BUDGET_PER_M * len(province) / 1e6
    verdict = "ok" if p_commit <= budget else "OVER BUDGET"
    return (f"{'province store':<18} commit {p_commit:.2f} s, load {p_load:.2f} s ({len(province):,} rows); "
            f"v1 frame of as many rows: commit {r_commit:.2f} s, load {r_load:.2f} s; ratio commit "
            f"{p_commit / r_commit:.1f}x, load {p_load / r_load:.1f}x   "
            f"[budget: commit <= {STORE_BUDGET_PER_M:.0f} s per 1,000,000 rows = {budget:.2f} s] {verdict}")


def _progress_line(province: pd.DataFrame) -> tuple[str, float, pd.DataFrame]:
    from bench.synthetic import synthetic_frame
    from indicators.progress.engine import compute_progress

    reference = synthetic_frame(len(province))
    result = compute_progress(province)
    seconds = _median_seconds(lambda: compute_progress(province))
    ref_seconds = _median_seconds(lambda: compute_progress(reference))
    budget = PROGRESS_BUDGET_PER_M * len(province) / 1e6
    verdict = "ok" if seconds <= budget else "OVER BUDGET"
    line = (f"{'province progress':<18} {seconds:.3f} s for {len(result):,} series; v1 frame of as many rows "
            f"{ref_seconds:.3f} s; ratio {seconds / ref_seconds:.1f}x   "
            f"[budget: 1,000,000 rows <= {PROGRESS_BUDGET_PER_M:.0f} s = {budget:.2f} s] {verdict}")
    return line, seconds, result


def _rollup_line(province: pd.DataFrame, progress_seconds: float) -> tuple[str, Any]:
    if not _available("indicators.areas"):
        return f"{'province roll-up':<18} not available (indicators.areas has not landed)", None
    from indicators.areas import default_register, rollup

    register = default_register().with_frame(province)
    computed = rollup(province, register)
    seconds = _median_seconds(lambda: rollup(province, register))
    verdict = "ok" if seconds <= ROLLUP_BUDGET else "OVER BUDGET"
    line = (f"{'province roll-up':<18} {seconds:.3f} s for {len(computed):,} computed rows; compute_progress "
            f"{progress_seconds:.3f} s; ratio {seconds / progress_seconds:.1f}x   "
            f"[budget: <= {ROLLUP_BUDGET:.1f} s] {verdict}")
    return line, register


def _map_line(result: pd.DataFrame, register: Any, shipped: pd.DataFrame) -> str:
    missing = [m for m, there in (("indicators.areas", register is not None),
                                  ("present/maps.py", _available("indicators.present.maps"))) if not there]
    if missing:
        return f"{'province map':<18} not available ({' and '.join(missing)} not landed yet)"
    from indicators.present.charts import pace_chart
    from indicators.present.view import main_area
    from indicators.progress.engine import compute_progress

    maps = importlib.import_module("indicators.present.maps")
    one = result[(result["indicator_id"] == "bench_02") & result["area"].str.startswith("Xã ")]
    if "breakdown" in one.columns:
        one = one[one["breakdown"] == ""]
    seconds = _median_seconds(lambda: maps.area_map(one, register, None, "vi"))
    shipped_result = compute_progress(shipped)
    main = shipped_result[shipped_result["area"] == main_area(shipped)]
    reference = _median_seconds(lambda: pace_chart(main, "vi"))
    return (f"{'province map':<18} tile grid of {len(one)} communes built in {seconds * 1000:.1f} ms; the shipped "
            f"overview's pace chart {reference * 1000:.1f} ms; ratio {seconds / reference:.1f}x   "
            f"[budget: none set; printed]")


# --- pages -------------------------------------------------------------------------------------------------
def _page_runs(url: str, page: str | None) -> Callable[[int], float]:
    """An AppTest of `page` against the store at `url`, opened once (cold), then a median of n warm reruns."""
    from streamlit.testing.v1 import AppTest

    from bench.bench_app import _median_ms

    os.environ["INDICATORS_DATABASE_URL"] = url
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    if page:
        at.switch_page(page).run()
    if at.exception:
        raise RuntimeError(at.exception[0].value)

    def warm(n: int) -> float:
        os.environ["INDICATORS_DATABASE_URL"] = url  # the script reads its store on every run
        return _median_ms(at, n)

    return warm


def _pages_lines(shipped_url: str, province_url: str) -> list[str]:
    from bench.bench_app import _server_script_cache

    _server_script_cache()
    pages: dict[str, str | None] = {"overview": None}
    areas = ROOT / "app_pages" / "areas.py"
    if areas.exists():
        pages["areas"] = "app_pages/areas.py"
    shipped = _page_runs(shipped_url, None)
    runs = {name: _page_runs(province_url, page) for name, page in pages.items()}
    measured: dict[str, list[float]] = {name: [] for name in runs}
    reference: list[float] = []
    for _ in range(max(1, RERUNS // 5)):  # alternating rounds: a busy machine slows both sides
        reference.append(shipped(5))
        for name, warm in runs.items():
            measured[name].append(warm(5))
    ref = statistics.median(reference)
    lines = []
    for name, values in measured.items():
        ms = statistics.median(values)
        verdict = "ok" if ms <= PAGE_BUDGET * ref else "OVER BUDGET"
        lines.append(f"{'province ' + name:<18} warm rerun median {ms:.1f} ms; the shipped data's overview "
                     f"{ref:.1f} ms; ratio {ms / ref:.1f}x   [budget: <= {PAGE_BUDGET:.0f}x] {verdict}")
    if not areas.exists():
        lines.append(f"{'province areas':<18} not available (app_pages/areas.py has not landed)")
    return lines


# --- server memory -----------------------------------------------------------------------------------------
def _server_rss(workdir: Path) -> int:
    """The resident set of a real server on the store in `workdir` once the overview has run for a visitor."""
    from tests.live_server import open_session, serve

    with serve(workdir, timeout=180) as server:
        session = open_session(server.url)  # returns when the first run has been sent
        time.sleep(1.0)
        rss = server.rss_bytes()
        session.close()
    return rss


def _memory_line(province: pd.DataFrame, folder: Path) -> str:
    from indicators.store.versions import Store

    shipped_dir, province_dir = folder / "shipped_server", folder / "province_server"
    shipped_dir.mkdir()
    province_dir.mkdir()
    with Store(_store_url(province_dir, "indicators.sqlite")) as store:
        store.ensure_schema()
        store.seed_if_empty(province, source_name="bench province", sha256="0" * 64)
    shipped_rss = _server_rss(shipped_dir)  # an empty store: the server seeds it from the shipped files
    province_rss = _server_rss(province_dir)
    frame_mb = province.memory_usage(deep=True).sum() / 2**20
    mb = 2**20
    return (f"{'province memory':<18} server RSS after the overview {province_rss / mb:.0f} MB; with the shipped "
            f"data {shipped_rss / mb:.0f} MB; ratio {province_rss / shipped_rss:.1f}x; the province frame itself "
            f"{frame_mb:.0f} MB, the difference {(province_rss - shipped_rss) / mb:.0f} MB = "
            f"{(province_rss - shipped_rss) / mb / frame_mb:.1f}x the frame   "
            f"[budget: none set; a page must not copy the whole dataset]")


def _lines() -> Iterator[str]:
    """Every line of the bench, in order, each as soon as it is measured."""
    from bench.province import describe, province_frame
    from indicators.store.current import seed_data

    province = province_frame()
    yield f"{'province':<18} {describe(province)}"
    shipped = seed_data().frame  # what an empty store is seeded with: the shipped files (or $INDICATORS_DATA)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        old_env = {k: os.environ.get(k) for k in ("INDICATORS_DATABASE_URL", "INDICATORS_VAR_DIR")}
        os.environ["INDICATORS_VAR_DIR"] = tmp
        try:
            yield _store_line(province, folder)
            line, seconds, result = _progress_line(province)
            yield line
            line, register = _rollup_line(province, seconds)
            yield line
            yield _map_line(result, register, shipped)
            _, _, province_url = _commit_and_load(province, folder, "province_pages.sqlite")
            _, _, shipped_url = _commit_and_load(shipped, folder, "shipped_pages.sqlite")
            yield from _pages_lines(shipped_url, province_url)
            yield _memory_line(province, folder)
        finally:
            for key, value in old_env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def main(n_rows: int | None = None) -> None:
    """n_rows does not apply: the province's shape is DESIGN.md's."""
    for line in _lines():
        print(line, flush=True)


if __name__ == "__main__":
    main()
