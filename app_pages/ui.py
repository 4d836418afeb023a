"""Streamlit glue shared by the pages: language, cached data, status badges. No computation lives here."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from indicators import dataset
from indicators.communes import primary_area
from indicators.formatting import fmt_date, fmt_value
from indicators.i18n import t
from indicators.progress import compute_progress
from indicators.statuses import BY_CODE, status_label

LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}
BADGE_COLOURS = {
    "achieved": "green", "on_track": "blue", "needs_acceleration": "orange", "limited": "orange",
    "deterioration": "red", "insufficient_data": "gray", "no_target": "violet", "no_data": "gray",
}


def language_switch() -> str:
    """The language picker in the sidebar, bound to ?lang= so a shared link keeps the language."""
    choice = st.sidebar.segmented_control(
        "🌐 Ngôn ngữ / Language", ["vi", "en"], default="vi", required=True, key="lang",
        bind="query-params", format_func=LANG_NAMES.__getitem__,
    )
    return choice or "vi"


def lang() -> str:
    return st.session_state.get("lang") or "vi"


@dataclass(frozen=True)
class View:
    """Everything a page shows for one version of the data."""

    key: str
    version: int | None
    created_at: str
    frame: pd.DataFrame
    result: pd.DataFrame
    main_area: str
    as_of: pd.Timestamp | None


@st.cache_data(max_entries=8, show_spinner=False)
def _view(key: str) -> View:
    snap = dataset.load_snapshot(key)
    result = compute_progress(snap.frame)
    main = primary_area(snap.frame)
    observed = snap.frame.loc[snap.frame["kind"].isin(["actual", "estimate"]), "period_end"]
    as_of = observed.max() if len(observed) else None
    return View(key, snap.version, snap.created_at, snap.frame, result, main, as_of)


def view() -> View:
    """The current version's data and progress; cached per version id, so a commit shows at once."""
    return _view(dataset.current_key())


def status_badge(code: str, language: str) -> None:
    status = BY_CODE[code]
    st.badge(status.label(language), icon=status.symbol, color=BADGE_COLOURS[code])


def caption_version(v: View, language: str) -> None:
    st.caption(
        f"{t('data_as_of', language)} {fmt_date(v.as_of, language)} · {t('version', language)} {v.version}"
        f" · {v.main_area}"
    )


def value_text(row: pd.Series, language: str) -> str:
    return fmt_value(row["latest_value"], row["latest_qualifier"], row["unit"], language)


def status_text(code: str, language: str) -> str:
    return status_label(code, language)
