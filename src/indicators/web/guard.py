"""Two plain ASGI middlewares for the dashboard's server (wired in webui/guards.py, served by app.py).

- `SecurityHeaders`: every HTTP response says it may not be framed by another site
  (`X-Frame-Options: DENY`, `Content-Security-Policy: frame-ancestors 'none'`), plus `nosniff` and a
  same-origin referrer policy. The rule is per path: `FramePolicy.embeddable` lists the path prefixes
  that may be framed (none today; the public chart embeds of a later issue add theirs there).
- `UploadGuard`: Streamlit's upload endpoint (`PUT /_stcore/upload_file/<session>/<file id>`) keeps every
  file in memory until its session ends. The guard refuses, before keeping any of the body, an upload
  for a session that may not upload (403: no signed-in analyst), one without a Content-Length (411), and
  one that would take the session's files (held and in flight) past `max_session_bytes` (413).

Neither imports Streamlit: what a session may do and what it holds are passed in as functions.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

UPLOAD_PATH = re.compile(r"/_stcore/upload_file/(?P<session>[^/]+)/(?P<file>[^/]+)/?$")
COMMON_HEADERS = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"))


@dataclass(frozen=True)
class FramePolicy:
    """Who may frame a path: nobody, except under the `embeddable` prefixes (any site may frame those)."""

    embeddable: Sequence[str] = ()

    def headers(self, path: str) -> list[tuple[bytes, bytes]]:
        if any(path.startswith(prefix) for prefix in self.embeddable):
            return [(b"content-security-policy", b"frame-ancestors *")]
        return [(b"x-frame-options", b"DENY"), (b"content-security-policy", b"frame-ancestors 'none'")]


class SecurityHeaders:
    def __init__(self, app: ASGIApp, policy: FramePolicy | None = None) -> None:
        self.app, self.policy = app, policy or FramePolicy()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = [*self.policy.headers(scope.get("path", "/")), *COMMON_HEADERS]
        names = {name for name, _ in extra}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message["headers"] = kept + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


class UploadGuard:
    """Refuse uploads before their body is read; see the module's docstring."""

    def __init__(self, app: ASGIApp, *, may_upload: Callable[[str], bool], held_bytes: Callable[[str], int],
                 max_session_bytes: Callable[[], int]) -> None:
        self.app, self.may_upload, self.held_bytes = app, may_upload, held_bytes
        self.max_session_bytes = max_session_bytes
        self._in_flight: dict[str, int] = {}
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = UPLOAD_PATH.search(scope.get("path", "")) if scope["type"] == "http" else None
        if match is None or scope.get("method") != "PUT":
            await self.app(scope, receive, send)
            return
        session = match["session"]
        if not self.may_upload(session):
            await _refuse(receive, send, 403, b"uploads need a signed-in analyst", self.max_session_bytes())
            return
        length = _content_length(scope)
        if length is None:
            await _refuse(receive, send, 411, b"an upload needs a Content-Length", self.max_session_bytes())
            return
        with self._lock:
            pending = self._in_flight.get(session, 0)
            if self.held_bytes(session) + pending + length > self.max_session_bytes():
                refused = True
            else:
                refused = False
                self._in_flight[session] = pending + length
        if refused:
            await _refuse(receive, send, 413, b"this session already holds as much uploaded data as it may",
                          self.max_session_bytes())
            return
        try:
            await self.app(scope, receive, send)
        finally:
            with self._lock:
                left = self._in_flight.get(session, 0) - length
                if left > 0:
                    self._in_flight[session] = left
                else:
                    self._in_flight.pop(session, None)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(receive: Receive, send: Send, status: int, body: bytes, drain_limit: int) -> None:
    """Answer `status`, after reading and dropping what the client sends (up to `drain_limit` bytes,
    never kept), so that it reads the answer instead of a reset connection."""
    seen = 0
    while seen <= drain_limit:
        message = await receive()
        if message["type"] != "http.request":
            break
        seen += len(message.get("body", b""))
        if not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
