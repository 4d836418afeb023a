"""Streamlit glue shared by the pages (app_pages/ holds only pages): the cached view, widgets that
keep their value in the URL, plain-text rendering, sign-in, and the server guards."""
