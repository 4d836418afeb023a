"""The upload page's template download ("Tải biểu mẫu"): the XLSX form for the chosen areas and period,
prefilled with the stored indicators and their latest values (`indicators.present.forms.build_template`),
built only when the button is pressed. Filled in and sent back, it is read with no mapping.
"""

from __future__ import annotations

import streamlit as st

from indicators.i18n import t
from indicators.ingest import entry
from indicators.present import forms
from indicators.present.view import VersionView
from indicators.store.versions import Store
from webui import ui

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _facts(v: VersionView, lang: str) -> tuple[list[str], str]:
    return entry.areas(v.frame), forms.chosen_period(v.frame)


facts_of = ui.per_version(_facts)


def show(store: Store, lang: str) -> None:
    if store.current_version() is None:
        st.info(t("entry_needs_data", lang))
        return
    v = ui.view()
    areas, default_period = facts_of(v, lang)
    chosen = st.multiselect(t("template_areas", lang), areas, default=areas, key="template_areas",
                            format_func=lambda a: ui.cut(a, 80))
    period = st.text_input(t("period", lang), value=default_period, key="template_period", max_chars=20).strip()
    st.caption(t("template_help", lang))
    frame, picked = v.frame, list(chosen or areas)
    try:
        wanted = forms.chosen_period(frame, period or None)
    except forms.TemplateError as exc:
        st.error(ui.plain(exc.message(lang)))
        return

    def build() -> bytes:  # run when the button is pressed, not on every rerun
        return forms.build_template(frame, areas=picked, period=wanted, lang=lang)

    st.download_button(t("template_download", lang), build, file_name=f"bieu_mau_{wanted}.xlsx", mime=XLSX,
                       key="template_download", icon=":material/download:", on_click="ignore", type="primary")
