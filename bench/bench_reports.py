"""Time the PowerPoint deck and the PDF brief of the shipped data, charts included (budget: deck ≤ 15 s).

"cold" starts from no Chromium at all (the first report after the server starts); "warm" reuses the one
images.py keeps running. The first and the next chart image are timed too: the gap is Chromium's start.
"""

from __future__ import annotations

import time
from typing import Any

import kaleido

from indicators import paths
from indicators.present import charts, images
from indicators.present.pdf import build_brief
from indicators.present.pptx import build_deck
from indicators.present.view import view_of
from indicators.store.current import load_csv

BUDGET_SECONDS = 15.0


def _seconds(func: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    out = func()
    return time.perf_counter() - start, out


def run(rows: int | None = None) -> dict[str, float]:
    """Seconds for each step on the shipped data (`rows` is ignored: the budget is about the real data)."""
    frame = load_csv(paths.KIM_SON_DATA)
    view = view_of(frame, label="bench")
    result = view.result
    fig = charts.presentation(charts.pace_chart(result))
    kaleido.stop_sync_server(silence_warnings=True)  # measure from a cold start
    first_image, _ = _seconds(lambda: images.to_png(fig))
    next_image, _ = _seconds(lambda: images.to_png(fig))
    kaleido.stop_sync_server(silence_warnings=True)
    deck_cold, deck = _seconds(lambda: build_deck(view, lang="vi"))
    deck_warm, _ = _seconds(lambda: build_deck(view, lang="vi"))
    brief, pdf = _seconds(lambda: build_brief(view, lang="vi"))
    return {"first_image_seconds": first_image, "next_image_seconds": next_image,
            "deck_cold_seconds": deck_cold, "deck_warm_seconds": deck_warm, "brief_seconds": brief,
            "deck_bytes": float(len(deck)), "brief_bytes": float(len(pdf))}


def main(rows: int | None = None) -> None:
    r = run(rows)
    verdict = "ok" if max(r["deck_cold_seconds"], r["brief_seconds"]) <= BUDGET_SECONDS else "OVER BUDGET"
    print(f"{'reports':<10} deck {r['deck_cold_seconds']:.2f} s cold / {r['deck_warm_seconds']:.2f} s warm; "
          f"brief {r['brief_seconds']:.2f} s; chart image {r['first_image_seconds']:.2f} s first / "
          f"{r['next_image_seconds']:.2f} s next   [budget: deck <= {BUDGET_SECONDS:.0f} s] {verdict}", flush=True)


if __name__ == "__main__":
    main()
