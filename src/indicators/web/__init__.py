"""Server-level pieces of the web app that are not Streamlit pages (ASGI middleware)."""
