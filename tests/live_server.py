"""A real `streamlit run app.py` on a free port, and a session opened as a browser opens one.

Used by the server tests (headers, upload refusal) and `make bench` (server memory under upload abuse):

    with serve(tmp_path) as server:
        session = open_session(server.url)          # XSRF cookie + websocket + the session id
        status = put_upload(server.url, session, b"x" * 1024)
        rss = server.rss_bytes()
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from websockets.sync.client import ClientConnection, connect

ROOT = Path(__file__).resolve().parents[1]
XSRF_COOKIE = "_streamlit_xsrf"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def rss_bytes(self) -> int:
        """The server process's resident memory, from /proc."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise RuntimeError("no VmRSS")


@contextmanager
def serve(workdir: Path, *, extra_env: dict[str, str] | None = None, timeout: float = 90) -> Iterator[Server]:
    """Start the dashboard with its own SQLite store under `workdir`; stop it afterwards."""
    port = free_port()
    env = {**os.environ, "INDICATORS_DATABASE_URL": f"sqlite:///{workdir / 'indicators.sqlite'}",
           "INDICATORS_VAR_DIR": str(workdir), **(extra_env or {})}
    log = workdir / "streamlit.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", proc, log)
    try:
        _wait_healthy(server, timeout)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_healthy(server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.process.returncode}: {server.log.read_text()[-2000:]}")
        try:
            if requests.get(f"{server.url}/_stcore/health", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"dashboard not healthy at {server.url}")


@dataclass
class Session:
    http: requests.Session
    socket: ClientConnection
    session_id: str
    xsrf: str
    page: str = ""
    widgets: dict[str, str] = field(default_factory=dict)  # "text_input:KEY" / "button:FORM" -> widget id

    def close(self) -> None:
        self.socket.close()
        self.http.close()


def open_session(url: str, *, page: str = "") -> Session:
    """What a browser does: GET the page and the health check (XSRF cookie), open the websocket with the
    token, ask for a run, and read the session id from the server's first NewSession message."""
    http = requests.Session()
    http.get(f"{url}/{page}", timeout=10).raise_for_status()
    http.get(f"{url}/_stcore/health", timeout=10).raise_for_status()  # the frontend's first call: sets the cookie
    xsrf = http.cookies.get(XSRF_COOKIE) or ""
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    sock = connect(ws_url, subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"],  # type: ignore[list-item]
                   additional_headers={"Cookie": f"{XSRF_COOKIE}={xsrf}", "Origin": url},
                   max_size=None, open_timeout=10, legacy=True)
    session = Session(http, sock, "", xsrf)
    session.page = page
    for msg in rerun(session, {}):
        if msg.WhichOneof("type") == "new_session":
            session.session_id = msg.new_session.initialize.session_id
    if not session.session_id:
        raise RuntimeError("no NewSession message")
    return session


def sign_in(session: Session, name: str, password: str) -> None:
    """Fill the sidebar sign-in form and submit it, as the browser sends it (one rerun with the form's
    widget values and its submit button's trigger). The ids are the ones the last run reported."""
    ids = session.widgets
    rerun(session, {ids["text_input:login_name"]: name, ids["text_input:login_password"]: password,
                    ids["button:login"]: True})
    rerun(session, {})  # the page reruns itself after a successful sign-in


def _widget_states(values: dict[str, Any]) -> Any:
    from streamlit.proto.WidgetStates_pb2 import WidgetStates

    states = WidgetStates()
    for widget_id, value in values.items():
        state = states.widgets.add()
        state.id = widget_id
        if isinstance(value, bool):
            state.trigger_value = value
        else:
            state.string_value = value
    return states


def rerun(self: Session, values: dict[str, Any]) -> list[Any]:
    """Send one rerun request with these widget values; the messages until the script finished."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    back = BackMsg()
    back.rerun_script.query_string = ""
    back.rerun_script.page_name = self.page
    back.rerun_script.widget_states.CopyFrom(_widget_states(values))
    self.socket.send(back.SerializeToString())
    messages, deadline = [], time.monotonic() + 120
    while time.monotonic() < deadline:
        raw = self.socket.recv(timeout=120)
        msg = ForwardMsg()
        msg.ParseFromString(raw if isinstance(raw, bytes) else raw.encode())
        messages.append(msg)
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            kind_of = element.WhichOneof("type")
            widget = getattr(element, kind_of) if kind_of else None
            if widget is not None and getattr(widget, "id", ""):
                key = widget.id.rsplit("-", 1)[-1] if kind_of != "button" else (widget.form_id or widget.id)
                self.widgets[f"{kind_of}:{key}"] = widget.id
        if kind == "script_finished":
            return messages
    raise TimeoutError("the script did not finish")



def put_upload(url: str, session: Session, data: bytes, *, file_id: str | None = None,
               name: str = "big.csv") -> int:
    """PUT one file to Streamlit's upload endpoint as the browser's uploader does; the HTTP status."""
    target = f"{url}/_stcore/upload_file/{session.session_id}/{file_id or uuid.uuid4().hex}"
    response = session.http.put(target, files={"file": (name, data, "text/csv")},
                                headers={"X-Xsrftoken": session.xsrf}, timeout=120)
    return response.status_code


def headers_of(url: str) -> Any:
    return requests.get(url, timeout=10).headers
