"""Streamlit glue shared by the pages: language, cached data, status badges, and the two doors through which
data text reaches a page. No computation lives here.

Data text (names, units, areas, groups, sources, notes) is plain text on every page: Streamlit parses
Markdown in titles, captions, labels, metric values and help texts, so each piece of data text passes
`plain()` on its way in, and every table is drawn by `table()`, whose cells and headings a spreadsheet
cannot run as formulas (Streamlit's own "Download as CSV" and copy take them as shown). tests/test_app_text.py
reads every page and fails on a Markdown call fed with anything else.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from indicators.i18n import t
from indicators.present import theme
from indicators.present.export import defuse
from indicators.present.formatting import fmt_date, fmt_value
from indicators.present.plaintext import AREA_LIMIT, markdown_text, shorten
from indicators.progress.communes import primary_area
from indicators.progress.engine import compute_progress, progress_as_of
from indicators.progress.statuses import BY_CODE
from indicators.store import current as dataset

LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}
BADGE_COLOURS = theme.BADGES  # Streamlit's colour names; config.toml's [theme] gives them the palette's colours


def sync_from_url(key: str, options: list[str]) -> None:
    """Let a shared link choose a widget's value: a new ?key= value in the URL wins over the session.

    (Streamlit's own `bind="query-params"` writes the *displayed* label into the URL; links must carry
    stable codes such as `indicator=dang_vien_moi`, so the two are kept in step here.)
    """
    wanted = st.query_params.get(key)
    if wanted in options and wanted != st.session_state.get(f"_url_{key}"):
        st.session_state[key] = wanted
        st.session_state[f"_url_{key}"] = wanted


def sync_to_url(key: str, value: str) -> None:
    if st.query_params.get(key) != value:
        st.query_params[key] = value
    st.session_state[f"_url_{key}"] = value


def language_switch() -> str:
    """The language picker in the sidebar, kept in ?lang= so a shared link keeps the language."""
    sync_from_url("lang", list(LANG_NAMES))
    choice = st.sidebar.segmented_control(
        "Ngôn ngữ · Language", list(LANG_NAMES), default="vi", required=True, key="lang",
        format_func=LANG_NAMES.__getitem__,
    ) or "vi"
    sync_to_url("lang", choice)
    return choice


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
    return View(key, snap.version, snap.created_at, snap.frame, result, main, progress_as_of(result, main))


TABLE_ROW_LIMIT = 5000  # rows drawn in a browser table; downloads always hold every row


@st.cache_data(max_entries=4, show_spinner=False)
def export_bytes(key: str, fmt: str) -> bytes:
    """The whole version as CSV or XLSX (formula-safe), built once per version."""
    from indicators.present.export import to_csv_bytes, to_xlsx_bytes

    frame = _view(key).frame
    return to_csv_bytes(frame) if fmt == "csv" else to_xlsx_bytes(frame)


def view_of(key: str) -> View:
    """Any version's data (history page); cached like the current one."""
    return _view(key)


def view() -> View:
    """The current version's data and progress; cached per version id, so a commit shows at once."""
    return _view(dataset.current_key())


def plain(text: object, limit: int | None = None) -> str:
    """Data text for a Streamlit Markdown element: shown exactly as written, cut with "…" past `limit`."""
    return markdown_text(text if limit is None else shorten(text, limit))


def _cell(value: object) -> object:
    return defuse(value) if isinstance(value, str) else value


def table(data: pd.DataFrame | dict[str, object], **kwargs: object) -> None:
    """st.dataframe of `data` whose text cells and headings cannot start a spreadsheet formula.

    The table's toolbar ("Download as CSV") and copy take the cells as shown, so they are neutralised
    here, as the app's own downloads are (exporting.defuse): '=HYPERLINK(…)' is shown "'=HYPERLINK(…)"."""
    frame = pd.DataFrame(data)
    frame = frame.rename(columns={c: _cell(c) for c in frame.columns})
    texts = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])
             and not pd.api.types.is_bool_dtype(frame[c])]
    frame[texts] = frame[texts].map(_cell)
    st.dataframe(frame, **kwargs)  # type: ignore[arg-type]


def table_height(rows: int, *, limit: int = 60) -> int:
    """Pixels that show `rows` rows of st.dataframe without an inner scroll bar (up to `limit` rows)."""
    return 38 + 35 * min(rows, limit)


def status_badge(code: str, language: str) -> None:
    status = BY_CODE[code]
    st.badge(f"{status.symbol} {status.label(language)}", color=BADGE_COLOURS[code])


def caption_version(v: View, language: str) -> None:
    st.caption(
        f"{t('data_as_of', language)} {fmt_date(v.as_of, language)} · {t('version', language)} {plain(v.version)}"
        f" · {plain(v.main_area, AREA_LIMIT)}"
    )


def value_text(row: pd.Series, language: str) -> str:
    """The latest value with its unit, ready for a metric (plain text)."""
    return plain(fmt_value(row["latest_value"], row["latest_qualifier"], row["unit"], language))

