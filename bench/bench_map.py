"""Time the areas page's map of one indicator over a synthetic province's 129 communes.

The province is bench_rollup's (the merged Tỉnh Ninh Bình's communes × 60 indicators × 12 quarters); the
boundaries are made-up squares, one per commune (a real commune boundary file is 1–10 MB: the squares time
the matching and the figure, not the browser's drawing). Printed: checking the GeoJSON, the choropleth,
the tile grid, and each figure's JSON (what Streamlit sends), median of 5 runs.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.bench_rollup import PROVINCE, province_frame
from indicators.areas import default_register
from indicators.present import areas_table, maps
from indicators.progress.engine import compute_progress


def _median(work: Callable[[], Any], runs: int = 5) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        out = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def squares(names: list[str], path: Path) -> None:
    features = []
    for i, name in enumerate(names):
        x, y = 105.5 + (i % 12) * 0.05, 20.5 - (i // 12) * 0.05
        ring = [[x, y], [x + 0.045, y], [x + 0.045, y + 0.045], [x, y + 0.045], [x, y]]
        features.append({"type": "Feature", "properties": {"name": name},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
                    encoding="utf-8")


def main(n_rows: int = 0) -> None:
    frame = province_frame()
    reg = default_register().with_frame(frame)
    result = compute_progress(frame)
    one = result[result["indicator_id"] == "ct_00"]
    rows = areas_table.ranked(areas_table.area_rows(one, "ct_00", PROVINCE, "commune", reg,
                                                    one["latest_date"].max()))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "communes.geojson"
        squares(list(rows["area"]), path)
        load, bounds = _median(lambda: maps.load_boundaries(path))
        choro, fig = _median(lambda: maps.area_map(rows, reg, bounds, "vi"))
        choro_json, _ = _median(fig.to_json)
        tiles, grid = _median(lambda: maps.area_map(rows, reg, None, "vi"))
        tiles_json, _ = _median(grid.to_json)
    series = frame[(frame["indicator_id"] == "ct_00") & frame["area"].isin(set(rows["area"]))]
    ranking, _ = _median(lambda: areas_table.ranking(rows, "vi", "2025-2030"))
    multiples, _ = _median(lambda: areas_table.small_multiples(series, rows, "vi", page=1))
    print(f"map: {len(rows)} communes ({len(frame):,} rows): boundaries checked {load * 1000:.0f} ms; "
          f"choropleth {choro * 1000:.0f} ms (+ JSON {choro_json * 1000:.0f} ms); "
          f"tile grid {tiles * 1000:.0f} ms (+ JSON {tiles_json * 1000:.0f} ms); ranking {ranking * 1000:.0f} ms; "
          f"small multiples (24) {multiples * 1000:.0f} ms — each built once per version, a warm rerun draws it")


if __name__ == "__main__":
    main()
