"""Entry point: page setup, the language switch and navigation (pages live in app_pages/), and the server.

`streamlit run app.py` finds `app` (an st.App: the ASGI server with our guards — frame-blocking headers,
uploads only for signed-in analysts; see webui/guards.py) and serves it; the server then runs this
same file as the page script of each session, where `__name__ == "__main__"`.
"""

import streamlit as st

from webui import guards


def main() -> None:
    from indicators.i18n import t
    from indicators.store.versions import as_store_error
    from webui import ui  # here, not at import: its caches want the runtime the server starts first

    st.set_page_config(page_title="Chỉ tiêu KT-XH · Indicators", page_icon="📊", layout="wide")
    lang = ui.language_switch()
    pages = {
        t("nav_section", lang): [
            st.Page("app_pages/overview.py", title=t("overview", lang), icon=":material/dashboard:",
                    url_path="overview", default=True),
            st.Page("app_pages/indicator.py", title=t("indicator_page", lang), icon=":material/show_chart:",
                    url_path="indicator"),
            st.Page("app_pages/communes.py", title=t("subareas", lang), icon=":material/holiday_village:",
                    url_path="communes"),
            st.Page("app_pages/areas.py", title=t("areas_page", lang), icon=":material/map:", url_path="areas"),
            st.Page("app_pages/data.py", title=t("data_sources", lang), icon=":material/table:", url_path="data"),
            st.Page("app_pages/present.py", title=t("present", lang), icon=":material/slideshow:",
                    url_path="present"),
        ],
        t("nav_manage", lang): [
            st.Page("app_pages/upload.py", title=t("upload", lang), icon=":material/upload_file:",
                    url_path="upload"),
            st.Page("app_pages/history.py", title=t("history", lang), icon=":material/history:",
                    url_path="history"),
            st.Page("app_pages/review.py", title=t("review", lang), icon=":material/fact_check:", url_path="review"),
        ],
    }
    try:
        st.navigation(pages).run()
    except Exception as exc:  # a full or unreachable database: one message in the user's language, no crash page
        if (fault := as_store_error(exc)) is None:
            raise
        st.error(ui.plain(fault.message(lang)), icon=":material/database:")


if __name__ == "__main__":
    main()
else:  # imported by the server
    app = st.App(__file__, middleware=guards.middleware())
