"""The server's guards: no page can be framed by another site (per path, so that later embeds can opt
out), and Streamlit's upload endpoint refuses uploads from sessions without a signed-in analyst and
beyond a session's share, before reading the body. A real `streamlit run app.py` for the headers and the
anonymous upload; the guard's other refusals on a stand-in ASGI app."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from indicators.store import accounts as auth
from indicators.store.versions import Store
from indicators.web.guard import FramePolicy, SecurityHeaders, UploadGuard
from tests.live_server import Server, headers_of, open_session, put_upload, serve, sign_in

PASSWORD = "mat-khau-rat-dai-2025"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The dashboard with an upload cap of 1 MB (so a session's share is 3 MB) and one analyst."""
    workdir = tmp_path_factory.mktemp("server")
    with Store(f"sqlite:///{workdir / 'indicators.sqlite'}") as store:
        auth.add_user(store, "hoa", PASSWORD, "analyst")
    with serve(workdir, extra_env={"STREAMLIT_SERVER_MAX_UPLOAD_SIZE": "1"}) as running:
        yield running


@pytest.mark.parametrize("path", ["/", "/upload", "/history", "/_stcore/health", "/favicon.png"])
def test_pages_and_static_files_cannot_be_framed(server: Server, path: str) -> None:
    headers = headers_of(server.url + path)
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Content-Security-Policy"] == "frame-ancestors 'none'"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_an_anonymous_session_cannot_upload(server: Server) -> None:
    session = open_session(server.url)
    try:
        assert put_upload(server.url, session, b"indicator_id,value\nx,1\n" * 1000) == 403
        assert put_upload(server.url, session, b"x" * 2**20) == 403
    finally:
        session.close()


def test_a_signed_in_session_uploads_up_to_its_share(server: Server) -> None:
    session = open_session(server.url, page="upload")
    try:
        assert put_upload(server.url, session, b"x" * 1000) == 403  # not yet signed in
        sign_in(session, "hoa", PASSWORD)
        statuses = [put_upload(server.url, session, b"x" * 900 * 1024) for _ in range(4)]
        assert statuses == [204, 204, 204, 413]  # 2.7 MB held; a fourth file would pass 3 MB
        assert put_upload(server.url, session, b"x" * 2 * 2**20) == 413  # over the 1 MB cap itself
    finally:
        session.close()


def test_the_frame_rule_is_per_path() -> None:
    policy = FramePolicy(embeddable=("/embed/",))
    assert dict(policy.headers("/embed/chart-1")) == {b"content-security-policy": b"frame-ancestors *"}
    assert dict(policy.headers("/upload"))[b"x-frame-options"] == b"DENY"


def _call(app: Any, method: str, path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "headers": headers}
    asyncio.run(app(scope, receive, send))
    return {"status": sent[0]["status"], "headers": dict(sent[0]["headers"])}


async def _ok(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 204, "headers": [(b"x-frame-options", b"ALLOW")]})
    await send({"type": "http.response.body", "body": b""})


def test_the_upload_guard_refuses_before_reading() -> None:
    held = {"signed-in": 40 * 2**20}
    guard = SecurityHeaders(UploadGuard(_ok, may_upload=lambda s: s in held, held_bytes=lambda s: held.get(s, 0),
                                        max_session_bytes=lambda: 50 * 2**20))

    def put(session: str, length: int | None) -> int:
        headers = [] if length is None else [(b"content-length", str(length).encode())]
        return int(_call(guard, "PUT", f"/_stcore/upload_file/{session}/f1", headers)["status"])

    assert put("anonymous", 100) == 403
    assert put("signed-in", None) == 411
    assert put("signed-in", 11 * 2**20) == 413  # 40 MB held + 11 MB > 50 MB
    assert put("signed-in", 9 * 2**20) == 204
    answer = _call(guard, "GET", "/", [])
    assert answer["headers"][b"x-frame-options"] == b"DENY"  # the app's own value is replaced
