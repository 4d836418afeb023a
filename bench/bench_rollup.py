"""Time the roll-ups on a synthetic province (budget: 0.3 s for about 250,000 rows).

The province is the shipped register's merged Tỉnh Ninh Bình: its 129 communes × 60 indicators × 12 quarters
× (actual, target of the 2025–2030 term), a quarter of the indicators broken down by sex (total, Nam, Nữ);
a third of the indicators declare `sum`, a third `weighted:dan_so`, a third `none`. The parents are
computed from the communes: 1,464 rows.
"""

from __future__ import annotations

import statistics
import time
from datetime import date

import numpy as np
import pandas as pd

from indicators.areas import default_register, rollup
from indicators.frame import FRAME_COLUMNS, conform

PROVINCE = "Tỉnh Ninh Bình"
QUARTERS = [f"{y}-{m:02d}" for y in (2026, 2027, 2028) for m in (3, 6, 9, 12)]


def province_frame(indicators: int = 60, seed: int = 0) -> pd.DataFrame:
    """The synthetic province's rows, in the frame's columns and dtypes."""
    communes = default_register().children_of(PROVINCE, date(2026, 1, 1))
    ids = [f"ct_{i:02d}" for i in range(indicators - 1)] + ["dan_so"]
    rules = {i: ("sum", "weighted:dan_so", "none")[k % 3] for k, i in enumerate(ids)} | {"dan_so": "sum"}
    parts = []
    for k, ind in enumerate(ids):
        breakdowns = ["", "sex=Nam", "sex=Nữ"] if k % 4 == 0 else [""]
        for kind, term in (("actual", ""), ("target", "2025-2030")):
            part = pd.MultiIndex.from_product([communes, QUARTERS, breakdowns],
                                              names=["area", "period", "breakdown"]).to_frame(index=False)
            parts.append(part.assign(indicator_id=ind, indicator=ind, kind=kind, term=term, rollup=rules[ind]))
    frame = pd.concat(parts, ignore_index=True)
    frame["value"] = np.random.default_rng(seed).uniform(1, 1000, len(frame))
    frame["period_end"] = pd.to_datetime(frame["period"] + "-01") + pd.offsets.MonthEnd(0)
    frame["row"] = np.arange(len(frame)) + 2
    frame["of_total"] = np.nan
    for column in FRAME_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    return conform(frame)


def run(repeat: int = 5) -> dict[str, float]:
    frame, reg = province_frame(), default_register()
    rollup(frame.head(1000), reg)  # the register's lookups once
    times, out = [], pd.DataFrame()
    for _ in range(repeat):
        start = time.perf_counter()
        out = rollup(frame, reg)
        times.append(time.perf_counter() - start)
    return {"rows": float(len(frame)), "computed": float(len(out)), "seconds": statistics.median(times)}


def main(n_rows: int = 0) -> None:
    """`n_rows` is the other benches' size: the province has its own."""
    r = run()
    print(f"{'rollup':<10} {r['rows']:,.0f} rows -> {r['computed']:,.0f} computed parent rows in {r['seconds']:.3f} s"
          f"   [budget: ~250,000 rows <= 0.3 s]", flush=True)


if __name__ == "__main__":
    main()
