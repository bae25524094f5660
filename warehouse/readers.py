"""Read the published warehouse through one open database per process, not one per request.

Opening a DuckDB file costs tens of milliseconds, more than a page's queries. A published
version (warehouse.publish) never changes once it is switched to, so a process opens it once
and gives each request a cursor of its own (a cursor is cheap, and one per thread is how DuckDB
is read from several threads). When the warehouse's link points at a new version, the next
request opens that one; the old database closes when its last cursor does. A warehouse that
is a plain file, not a link to a published version, may still be written, so it is opened for
each request.
"""

import atexit
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from imvo.errors import WarehouseError
from warehouse.connection import connect_reader

SWITCHED = (WarehouseError, duckdb.IOException, duckdb.PermissionException)
"""What opening a version raises when it was replaced and deleted since the link was read."""


@dataclass
class _Version:
    file: Path
    conn: duckdb.DuckDBPyConnection
    readers: int = 0


class PublishedReaders:
    """The open published version of each warehouse this process reads."""

    def __init__(self) -> None:
        self._current: dict[Path, _Version] = {}
        self._lock = threading.Lock()

    def _enter(self, path: Path) -> tuple[_Version, duckdb.DuckDBPyConnection]:
        file = path.resolve()
        with self._lock:
            version = self._current.get(path)
            if version is None or version.file != file:
                if version is not None and not version.readers:
                    version.conn.close()
                version = self._current[path] = _Version(file, connect_reader(file))
            version.readers += 1
            return version, version.conn.cursor()

    def _leave(self, path: Path, version: _Version) -> None:
        with self._lock:
            version.readers -= 1
            # Closing a database closes its cursors: an old version waits for its last reader.
            if not version.readers and self._current.get(path) is not version:
                version.conn.close()

    def _connect(self, path: Path) -> tuple[_Version | None, duckdb.DuckDBPyConnection]:
        if not path.is_symlink():
            return None, connect_reader(path)
        try:
            return self._enter(path)
        except SWITCHED:
            return self._enter(path)

    @contextmanager
    def read(self, path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
        """Yield a read-only connection to the warehouse's published version, then close it."""
        try:
            version, conn = self._connect(path)
        except duckdb.Error as exc:
            raise WarehouseError(f"cannot read the warehouse {path}: {exc}",
                                 hint="wait until the running ingest has finished") from exc
        try:
            yield conn
        finally:
            conn.close()
            if version is not None:
                self._leave(path, version)

    def close(self) -> None:
        """Close every database held open for reading (at exit: no request runs any more)."""
        with self._lock:
            for version in self._current.values():
                version.conn.close()
            self._current.clear()

    def forget(self) -> None:
        """Drop what a parent process held open, without touching it (after a fork)."""
        self._current = {}
        self._lock = threading.Lock()


READERS = PublishedReaders()
# A forked child (a web worker) must not share its parent's open databases.
os.register_at_fork(after_in_child=READERS.forget)
atexit.register(READERS.close)
