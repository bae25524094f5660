"""A cache of read-only callback responses, per viewer and per version of the warehouse.

A page is a pure function of its inputs, the viewer and the warehouse's data, so the answer to
the same request by a viewer of the same role and covenant is the same until new data is
published (the warehouse file is replaced, which changes its inode and modification time).
Only callbacks that read are cached; downloads, uploads and report jobs never are.
"""

import hashlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import flask

from warehouse.access import Viewer

DASH_UPDATE = "/_dash-update-component"
ROUTER_OUTPUT = "_pages_content.children"
READ_ONLY_OUTPUTS: set[str] = {ROUTER_OUTPUT}


def mark_read_only(*outputs: str) -> None:
    """Declare callback outputs ('component-id.property') whose callbacks only read."""
    READ_ONLY_OUTPUTS.update(outputs)


class ResponseCache:
    """A least-recently-used store of response bodies, bounded in bytes, safe across threads."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        """Return a stored body and mark it as recently used."""
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
            return body

    def put(self, key: str, body: bytes) -> None:
        """Store a body, dropping the least recently used ones beyond the size bound."""
        if len(body) > self.max_bytes // 4:
            return
        with self._lock:
            self._size += len(body) - len(self._items.pop(key, b""))
            self._items[key] = body
            while self._size > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)


def data_version(path: Path) -> str:
    """Return what changes whenever the warehouse file is replaced or written."""
    try:
        stat = os.stat(path)
    except OSError:
        return "missing"
    return f"{stat.st_ino}:{stat.st_mtime_ns}:{stat.st_size}"


def callback_outputs(output: str) -> list[str]:
    """Return the outputs named in a Dash request ('..a.children...b.search..' for several)."""
    if output.startswith("..") and output.endswith(".."):
        return output[2:-2].split("...")
    return [output]


def request_key(body: bytes, viewer: Viewer, version: str) -> str | None:
    """Return the cache key of a callback request, or None when its callback may write."""
    try:
        output = json.loads(body).get("output", "")
    except (ValueError, AttributeError):
        return None
    if not isinstance(output, str) or not set(callback_outputs(output)) & READ_ONLY_OUTPUTS:
        return None
    identity = f"{viewer.role}|{viewer.covenant}|{version}|".encode()
    return hashlib.sha256(identity + body).hexdigest()


def install_response_cache(server: flask.Flask, *, viewer: Callable[[], Viewer],
                           warehouse: Path, max_bytes: int) -> None:
    """Serve repeated read-only callback requests from memory, per viewer and data version."""
    cache = ResponseCache(max_bytes)

    def lookup() -> flask.Response | None:
        if flask.request.path != DASH_UPDATE or flask.request.method != "POST":
            return None
        key = request_key(flask.request.get_data(), viewer(), data_version(warehouse))
        body = cache.get(key) if key else None
        if body is None:
            flask.g.imvo_cache_key = key  # answered by the callback: store() keeps the answer
            return None
        return flask.Response(body, mimetype="application/json")

    def store(response: flask.Response) -> flask.Response:
        key = flask.g.pop("imvo_cache_key", None)
        if key and response.status_code == 200 and not response.direct_passthrough:
            cache.put(key, response.get_data())
        return response

    server.before_request(lookup)
    server.after_request(store)
