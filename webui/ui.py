"""Streamlit glue shared by the pages: language, the cached view of a version, status badges, and the two doors
through which data text reaches a page. No computation lives here.

Caching: `view()` is the current version's `VersionView` (present/view.py), built once per (store, version id)
and shared by every session; `per_version(build)` caches what a page builds from it (figures, tables, texts)
per (store, version id, language, widget values), so a warm rerun only draws.

Data text (names, units, areas, groups, sources, notes) is plain text on every page: Streamlit parses
Markdown in titles, captions, labels, metric values and help texts, so each piece of data text passes
`plain()` on its way in, and every table is drawn by `table()`, whose cells and headings a spreadsheet
cannot run as formulas (Streamlit's own "Download as CSV" and copy take them as shown). tests/test_app_text.py
reads every page and fails on a Markdown call fed with anything else.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, cast

import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit.dataframe_util import convert_pandas_df_to_arrow_table  # what st.dataframe does with a frame

from indicators.i18n import t
from indicators.present import theme
from indicators.present.export import defuse
from indicators.present.formatting import fmt_date
from indicators.present.plaintext import AREA_LIMIT, markdown_text, shorten
from indicators.present.view import Scope, VersionView, load_view
from indicators.present.view import value_text as _value_text
from indicators.progress.statuses import BY_CODE
from indicators.progress.terms import Term, verdict_label
from indicators.store.current import current_version_id, shared_store, store_key

T = TypeVar("T")

LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}
BadgeColour = Literal["red", "orange", "blue", "green", "violet", "gray"]
#: Streamlit's colour names; config.toml's [theme] gives them the palette's colours (present/theme.py).
BADGE_COLOURS: dict[str, BadgeColour] = cast("dict[str, BadgeColour]", theme.BADGES)


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


def _pick(key: str, options: list[str], default: str, label: str, lang: str,
          format_func: Callable[[str], str]) -> str:
    """A sidebar selectbox kept in ?key=: a link's value wins, then the session's last choice (kept across
    pages), then `default`; a link's value that is not an option is named in a warning and replaced."""
    wanted = st.query_params.get(key)
    if wanted is not None and wanted not in options:
        shown, instead = plain(wanted, AREA_LIMIT), plain(format_func(default))
        st.warning(t("url_area_unknown", lang, area=shown, default=instead) if key == "area" else
                   t("url_term_unknown", lang, term=shown, default=instead), icon=":material/warning:")
    sync_from_url(key, options)
    # Set every run: a page switch makes a new widget of the same key, which would otherwise start at its
    # first option.
    pool = (st.session_state.get(key), st.session_state.get(f"_kept_{key}"))
    st.session_state[key] = next((x for x in pool if x in options), default)
    choice = st.sidebar.selectbox(label, options, key=key, format_func=format_func) or default
    st.session_state[f"_kept_{key}"] = choice
    sync_to_url(key, choice)
    return choice


def area_and_term(v: VersionView, lang: str) -> tuple[str, Term | None]:
    """The area and the term a page shows, chosen in the sidebar and kept in ?area= and ?term= (a shared link
    opens on them). Areas are ordered by level, then name; terms say whether they are closed. The defaults:
    the term of the chosen area (`default_term`), the area of the chosen term (`default_area`)."""
    areas = v.areas_by_level()
    if not areas:
        return "", None
    hint = next((a for a in (st.query_params.get("area"), st.session_state.get("area"),
                             st.session_state.get("_kept_area")) if a in areas), None)
    labels = [x.label for x in v.terms]
    term = None
    if labels:
        first = v.default_term(hint)
        names = {x.label: t("term_closed" if v.closed(x) else "term_open", lang, term=x.text(lang)) for x in v.terms}
        chosen = _pick("term", labels, first.label if first else labels[-1], t("term_pick", lang), lang,
                       names.__getitem__)
        term = v.term(chosen)
    area = _pick("area", areas, hint or v.default_area(term), t("area_pick", lang), lang,
                 lambda a: shorten(a, AREA_LIMIT))
    return area, term


def scope(v: VersionView, lang: str) -> Scope:
    """The scope of the sidebar's area and term (`area_and_term`)."""
    area, term = area_and_term(v, lang)
    return v.scope(area, term.label if term else None)


def verdict_badge(code: str, language: str) -> None:
    """A closed term's verdict: symbol and words, coloured like the matching status."""
    colour = {"achieved": "green", "not_achieved": "red"}.get(code, "gray")
    st.badge(verdict_label(code, language), color=cast(BadgeColour, colour))


def lang() -> str:
    return st.session_state.get("lang") or "vi"


@st.cache_resource(max_entries=8, show_spinner=False)
def _view(store: str, version: int) -> VersionView:
    return load_view(shared_store(), version)


def view_at(version: int) -> VersionView:
    """Any version's view (history page); cached like the current one."""
    return _view(store_key(), version)


def view() -> VersionView:
    """The current version's view; cached per version id, so a commit shows at once."""
    return view_at(current_version_id())


@st.cache_resource(max_entries=256, show_spinner=False)
def _built(name: str, store: str, version: int | None, lang: str, args: tuple[Hashable, ...],
           _build: Callable[..., Any], _v: VersionView) -> Any:
    return _build(_v, lang, *args)


def per_version(build: Callable[..., T]) -> Callable[..., T]:
    """Cache what `build(view, lang, *args)` makes (figures, tables, texts) per store, version id, language and
    widget values (`args`), shared by every session: treat the result as read-only."""
    name = f"{build.__code__.co_filename}:{build.__qualname__}"  # every page script runs as __main__

    def cached(v: VersionView, lang: str, *args: Hashable) -> T:
        return _built(name, store_key(), v.version, lang, args, _build=build, _v=v)

    return cached


TABLE_ROW_LIMIT = 5000  # rows drawn in a browser table; downloads always hold every row


@st.cache_data(max_entries=4, show_spinner=False)
def _export(store: str, version: int, fmt: str) -> bytes:
    from indicators.present.export import to_csv_bytes, to_xlsx_bytes

    frame = view_at(version).frame
    return to_csv_bytes(frame) if fmt == "csv" else to_xlsx_bytes(frame)


def export_bytes(version: int | None, fmt: str) -> bytes:
    """The whole version as CSV or XLSX (formula-safe), built once per version."""
    if version is None:
        raise ValueError("only a stored version is exported here")
    return _export(store_key(), version, fmt)


def plain(text: object, limit: int | None = None) -> str:
    """Data text for a Streamlit Markdown element: shown exactly as written, cut with "…" past `limit`."""
    return markdown_text(text if limit is None else shorten(text, limit))


def md(template: str, **parts: object) -> str:
    """Markdown built from the page's own literal `template` (its only markup, e.g. "**{name}**") and
    `parts` that are always shown as written: every part is escaped, data or catalogue text alike.

    >>> md("**{name}**", name="a_b")
    '**a\\\\_b**'
    """
    return template.format(**{key: markdown_text(value) for key, value in parts.items()})


def cut(text: object, limit: int) -> str:
    """`text` shortened to `limit` characters with "…" (still data: give it to `md` or `plain`)."""
    return shorten(text, limit)


def _cell(value: object) -> object:
    return defuse(value) if isinstance(value, str) else value


@dataclass(frozen=True, eq=False)
class SafeTable:
    """A table whose text cells and headings cannot start a spreadsheet formula (made by `safe_table`), with
    its Arrow form made once: what st.dataframe would otherwise convert on every rerun."""

    frame: pd.DataFrame
    arrow: pa.Table

    def __len__(self) -> int:
        return len(self.frame)


def safe_table(data: pd.DataFrame | dict[str, object]) -> SafeTable:
    """`data` with its text cells and headings neutralised for spreadsheets (exporting.defuse): build it once
    per version with `per_version`, draw it with `table` on every rerun."""
    frame = pd.DataFrame(data)
    frame = frame.rename(columns={c: _cell(c) for c in frame.columns})
    texts = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])
             and not pd.api.types.is_bool_dtype(frame[c])]
    frame[texts] = frame[texts].map(_cell)
    return SafeTable(frame, convert_pandas_df_to_arrow_table(frame))


def table(data: pd.DataFrame | dict[str, object] | SafeTable, **kwargs: Any) -> None:
    """st.dataframe of `data` whose text cells and headings cannot start a spreadsheet formula.

    The table's toolbar ("Download as CSV") and copy take the cells as shown, so they are neutralised
    here, as the app's own downloads are (exporting.defuse): '=HYPERLINK(…)' is shown "'=HYPERLINK(…)"."""
    st.dataframe((data if isinstance(data, SafeTable) else safe_table(data)).arrow, **kwargs)


def table_height(rows: int, *, limit: int = 60) -> int:
    """Pixels that show `rows` rows of st.dataframe without an inner scroll bar (up to `limit` rows)."""
    return 38 + 35 * min(rows, limit)


def status_badge(code: str, language: str) -> None:
    status = BY_CODE[code]
    st.badge(f"{status.symbol} {status.label(language)}", color=BADGE_COLOURS[code])


def caption_version(v: VersionView, language: str, scope: Scope | None = None) -> None:
    """'Số liệu đến 31/10/2023 · Phiên bản 3 · Huyện Kim Sơn · Nhiệm kỳ 2020–2025 (đã kết thúc)'."""
    area, as_of = (scope.area, scope.as_of) if scope is not None else (v.main_area, v.as_of)
    term = ""
    if scope is not None and scope.term is not None:
        term = " · " + t("term_closed" if scope.closed else "term_open", language, term=scope.term.text(language))
    st.caption(
        f"{t('data_as_of', language)} {fmt_date(as_of, language)} · {t('version', language)} {plain(v.version)}"
        f" · {plain(area, AREA_LIMIT)}{term}"
    )


def value_text(row: pd.Series, language: str) -> str:
    """The latest value as every output writes it (`present.view.value_text`), ready for a metric."""
    return plain(_value_text(row, language))

