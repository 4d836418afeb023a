"""Server memory while an anonymous session PUTs files to Streamlit's upload endpoint (issue 7, item 12).

A real `streamlit run app.py`; one session opened as a browser opens it (XSRF cookie, websocket, session
id); then `FILES` PUTs of `FILE_MB` MB each to /_stcore/upload_file/<session>/<file id>. Prints the
server's RSS before, after, and after the session has gone, with the HTTP statuses and the ratio to the
RSS before (the reference measured in the same run).
"""

from __future__ import annotations

import collections
import tempfile
import time
from pathlib import Path

from tests.live_server import open_session, put_upload, serve

FILES = 10
FILE_MB = 20


def run(files: int = FILES, file_mb: int = FILE_MB) -> dict[str, object]:
    payload = b"a,b\n" + b"1" * (file_mb * 2**20 - 4)
    with tempfile.TemporaryDirectory() as tmp, serve(Path(tmp)) as server:
        session = open_session(server.url)
        time.sleep(1.0)  # let the first script run settle
        before = server.rss_bytes()
        statuses = collections.Counter(put_upload(server.url, session, payload) for _ in range(files))
        after = server.rss_bytes()
        session.close()
        time.sleep(3.0)
        gone = server.rss_bytes()
    return {"before": before, "after": after, "gone": gone, "statuses": dict(statuses)}


def main(n_rows: int | None = None) -> None:
    """n_rows does not apply: the figure is for FILES x FILE_MB MB of uploads."""
    r = run()
    mb = 2**20
    before, after, gone = (int(r[k]) for k in ("before", "after", "gone"))  # type: ignore[call-overload]
    print(f"{'uploads':<10} anonymous session, {FILES} x {FILE_MB} MB PUT: statuses {r['statuses']}; server RSS "
          f"{before / mb:.0f} MB before, {after / mb:.0f} MB after ({after / before:.2f}x), "
          f"{gone / mb:.0f} MB after the session closed ({gone / before:.2f}x)   [budget: after <= 1.2x before]",
          flush=True)


if __name__ == "__main__":
    main()
