"""The server's guards (src/indicators/webguard.py) wired to Streamlit's runtime; used by app.py's st.App."""

from __future__ import annotations

from starlette.middleware import Middleware
from streamlit import config
from streamlit.runtime import Runtime

from indicators.web.guard import FramePolicy, SecurityHeaders, UploadGuard
from webui import account

# Path prefixes that other sites may frame: none yet (public chart embeds will add theirs here).
EMBEDDABLE: tuple[str, ...] = ()
MB = 2**20


def held_bytes(session_id: str) -> int:
    """The bytes of the files Streamlit holds in memory for this session."""
    if not Runtime.exists():
        return 0
    storage = getattr(Runtime.instance().uploaded_file_mgr, "file_storage", {})
    return sum(len(rec.data) for rec in list(storage.get(session_id, {}).values()))


def max_session_bytes() -> int:
    """Twice the upload cap: room for the file being replaced while its successor arrives."""
    return 2 * int(config.get_option("server.maxUploadSize")) * MB + MB


def middleware() -> list[Middleware]:
    return [
        Middleware(SecurityHeaders, policy=FramePolicy(embeddable=EMBEDDABLE)),  # outermost: refusals too
        Middleware(UploadGuard, may_upload=account.upload_allowed, held_bytes=held_bytes,
                   max_session_bytes=max_session_bytes),
    ]
