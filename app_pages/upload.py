"""Upload (analysts only): bring figures in and hand the forms out.

Three ways, one at a time: files (one file — a contract table, a report table "biểu" with its mapping step, an
Open SDG / DHIS2 / PX-Web file, a filled-in form — or a batch of the communes' forms), figures typed into a
grid, and the form to send out. Each is validated, previewed and committed through `indicators.store.staging`
(the glue is in webui/upload_*.py): what was previewed is exactly what gets written, or nothing is.
"""

import streamlit as st

from indicators.i18n import t
from indicators.store.current import shared_store
from webui import account, ui, upload_entry, upload_files, upload_forms, upload_view

lang = ui.lang()
st.title(t("upload", lang))
user = account.login_box(lang)
if user is None:
    st.info(t("login_required", lang))
    st.stop()

WAYS = {"files": t("upload_way_files", lang), "entry": t("upload_way_entry", lang),
        "template": t("upload_way_template", lang)}
way = st.segmented_control(t("upload_way", lang), list(WAYS), default="files", required=True, key="upload_way",
                           format_func=WAYS.__getitem__, label_visibility="collapsed") or "files"
store = shared_store()
upload_view.my_submissions(store, user, lang)
if way == "entry":
    upload_entry.show(store, lang)
elif way == "template":
    upload_forms.show(store, lang)
else:
    upload_files.show(store, lang)
