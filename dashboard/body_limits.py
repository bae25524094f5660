"""How large a request body may be: small for Dash callbacks, the upload limit for an upload.

Every Dash callback is a POST to one route, so the route says nothing of what a request
carries. A request of the upload page's callback names it in its first key; only such a
request, from an account that may upload, may carry files up to the upload limit. Every other
request, a forged one too, is held to a body limit far below it, and is refused before its
body is read.
"""

import io
import re

from flask import Flask, request

CALLBACK_BODY_BYTES = 2**20
"""Largest body of any request but an upload: a callback's inputs and state, a sign-in form."""
UPLOAD_LIMIT_KEY = "IMVO_UPLOAD_BODY_BYTES"
UPLOAD_HEAD = re.compile(rb'\s*\{\s*"(?:output|changedPropIds)"\s*:\s*\[?\s*"'
                         rb'(?:\.\.upload-results\.children\.\.\.)?upload-files\.contents\b')
"""How the upload callback's request begins: its output first (as Dash's renderer writes it),
or the input that changed first (as a client that sorts its keys writes it)."""
PEEK = 256


class _Rejoined(io.RawIOBase):
    """A request body whose first bytes were read already, read again from its start."""

    def __init__(self, head: bytes, rest: io.RawIOBase) -> None:
        self.head, self.rest = head, rest

    def readable(self) -> bool:
        """Return True: the body is read once, from its start."""
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        """Fill the buffer from the bytes read already, then from the rest of the body."""
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n], self.head = self.head[:n], self.head[n:]
            return n
        data = self.rest.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def may_send_files() -> bool:
    """Return whether the signed-in account may upload files (and so send large bodies)."""
    from dashboard.auth import signed_in_account
    from dashboard.upload import may_upload

    return may_upload(signed_in_account())


def _is_upload() -> bool:
    if not request.path.endswith("/_dash-update-component") or not may_send_files():
        return False
    stream = request.environ["wsgi.input"]
    head = stream.read(PEEK)
    request.environ["wsgi.input"] = _Rejoined(head, stream)
    return UPLOAD_HEAD.match(head) is not None


def choose_body_limit() -> None:
    """Give an upload the upload limit; every other request keeps the small one."""
    length = request.content_length or 0
    if request.method == "POST" and length > CALLBACK_BODY_BYTES and _is_upload():
        from flask import current_app

        request.max_content_length = current_app.config[UPLOAD_LIMIT_KEY]


def install_body_limits(server: Flask, *, upload_body_bytes: int) -> None:
    """Hold every request to the small body limit, and uploads to the upload limit."""
    server.config.update(MAX_CONTENT_LENGTH=CALLBACK_BODY_BYTES,
                         **{UPLOAD_LIMIT_KEY: upload_body_bytes})
    server.before_request(choose_body_limit)
