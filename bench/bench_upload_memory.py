"""Server memory while sessions PUT files to Streamlit's upload endpoint (issue 7, item 12).

A real `streamlit run app.py`; sessions opened as a browser opens them (XSRF cookie, websocket, session
id). An anonymous session PUTs `FILES` files of `FILE_MB` MB to /_stcore/upload_file/<session>/<file id>;
then a signed-in analyst's session does the same. Prints the server's RSS before (the reference, measured
in the same run), after each, and after the sessions closed, with the HTTP statuses and the ratios.
Before the guard (first release): the anonymous session's 10 x 20 MB were all accepted (204) and the
server went from 167 MB to 415 MB, 424 MB after the session closed.
"""

from __future__ import annotations

import collections
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.live_server import Server, Session, open_session, put_upload, serve, sign_in

FILES = 10
FILE_MB = 20
PASSWORD = "bench-mat-khau-rat-dai-2025"


def _flood(server: Server, session: Session, payload: bytes, files: int) -> dict[int, int]:
    return dict(collections.Counter(put_upload(server.url, session, payload) for _ in range(files)))


def run(files: int = FILES, file_mb: int = FILE_MB) -> dict[str, object]:
    payload = b"a,b\n" + b"1" * (file_mb * 2**20 - 4)
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "INDICATORS_DATABASE_URL": f"sqlite:///{Path(tmp) / 'indicators.sqlite'}"}
        subprocess.run([sys.executable, "-m", "indicators.cli", "users", "add", "bench", "--role", "analyst",
                        "--password-stdin"], input=f"{PASSWORD}\n".encode(), env=env, check=True,
                       capture_output=True)
        with serve(Path(tmp)) as server:
            anonymous = open_session(server.url, page="upload")
            time.sleep(1.0)  # let the first script run settle
            before = server.rss_bytes()
            anonymous_statuses = _flood(server, anonymous, payload, files)
            after_anonymous = server.rss_bytes()
            analyst = open_session(server.url, page="upload")
            sign_in(analyst, "bench", PASSWORD)
            analyst_statuses = _flood(server, analyst, payload, files)
            after_analyst = server.rss_bytes()
            anonymous.close()
            analyst.close()
            time.sleep(3.0)
            gone = server.rss_bytes()
    return {"before": before, "after_anonymous": after_anonymous, "after_analyst": after_analyst, "gone": gone,
            "anonymous": anonymous_statuses, "analyst": analyst_statuses}


def main(n_rows: int | None = None) -> None:
    """n_rows does not apply: the figures are for FILES x FILE_MB MB of uploads."""
    r = run()
    mb = 2**20
    before, anon, analyst, gone = (int(r[k]) for k in ("before", "after_anonymous", "after_analyst", "gone"))  # type: ignore[call-overload]
    print(f"{'uploads':<10} {FILES} x {FILE_MB} MB PUT to the upload endpoint; server RSS {before / mb:.0f} MB before; "
          f"anonymous session: statuses {r['anonymous']}, {anon / mb:.0f} MB ({anon / before:.2f}x)   "
          f"[budget: <= 1.1x]", flush=True)
    print(f"{'':<10} signed-in analyst: statuses {r['analyst']}, {analyst / mb:.0f} MB ({analyst / before:.2f}x; "
          f"its share is 2 x the upload cap); {gone / mb:.0f} MB after both sessions closed "
          f"({gone / before:.2f}x: Streamlit keeps a closed session's files for server.disconnectedSessionTTL, "
          f"120 s)", flush=True)


if __name__ == "__main__":
    main()
