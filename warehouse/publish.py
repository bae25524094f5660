"""Writing the warehouse while it is being read: write a copy, then switch to it atomically.

DuckDB lets one process write a file or many processes read it, not both. Web workers keep
reading the published version; a writer (the ingest command or an upload) takes the writers'
lock, copies the published version, writes the copy, saves it as a new version file
(`imvo.duckdb.<n>`) and switches the warehouse's name, a symbolic link, to it with
`os.replace`. A reader that opened the old version finishes on it; the next connection opens
the new one (a reader resolves the link, so DuckDB's per-process cache of open databases,
keyed by file name, cannot hand it the old version). No reader meets a lock or a half-written
file, and writers wait for each other on the lock. The version before the current one is kept
for readers that resolved the link a moment before the switch; older ones are deleted (a
reader that still has one open keeps reading it: the file goes when it closes).
"""

import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from imvo.definitions.models import Catalogue
from imvo.errors import WarehouseError
from warehouse.connection import connect_writer


def staging_path(path: Path) -> Path:
    """Return where the next version of a warehouse is written before it is published."""
    return path.with_name(path.name + ".next")


def wal_path(path: Path) -> Path:
    """Return the write-ahead log DuckDB keeps beside a file while it has unsaved changes."""
    return path.with_name(path.name + ".wal")


def lock_path(path: Path) -> Path:
    """Return the lock file that writers of a warehouse take in turn."""
    return path.with_name(path.name + ".lock")


@contextmanager
def writers_lock(path: Path) -> Iterator[None]:
    """Hold the writers' lock of a warehouse, waiting while another writer holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path(path).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released by the system if this process dies
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def versions(path: Path) -> list[Path]:
    """Return the version files of a warehouse, oldest first."""
    numbered = [p for p in path.parent.glob(f"{path.name}.*") if p.suffix[1:].isdigit()]
    return sorted(numbered, key=lambda p: int(p.suffix[1:]))


def publish(staged: Path, path: Path) -> Path:
    """Make a fully written, closed warehouse file the published version; return its file."""
    if wal_path(staged).exists():
        raise WarehouseError(f"{staged} still has a write-ahead log",
                             hint="close the writer (which checkpoints) before publishing")
    previous = path.resolve() if path.is_symlink() else None
    _fsync(staged)
    version = path.with_name(f"{path.name}.{time.time_ns()}")
    os.replace(staged, version)
    link = path.with_name(path.name + ".link")
    link.unlink(missing_ok=True)
    os.symlink(version.name, link)
    os.replace(link, path)  # the switch: one rename, seen whole or not at all
    _fsync(path.parent)
    for old in versions(path):
        if old not in (version, previous):
            old.unlink(missing_ok=True)
    return version


@contextmanager
def staged_writer(path: Path, catalogue: Catalogue) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open a copy of the warehouse for writing; publish it when the block ends without error.

    When the block raises, the published warehouse stays as it was.
    """
    staged = staging_path(path)
    with writers_lock(path):
        for leftover in (staged, wal_path(staged)):  # from a writer that was killed
            leftover.unlink(missing_ok=True)
        for source, target in ((path, staged), (wal_path(path), wal_path(staged))):
            if source.exists():  # a log left by a writer outside this module carries data too
                shutil.copyfile(source, target)
        conn = connect_writer(staged, catalogue)
        try:
            yield conn
            conn.execute("CHECKPOINT")
        except BaseException:
            conn.close()
            staged.unlink(missing_ok=True)
            wal_path(staged).unlink(missing_ok=True)
            raise
        conn.close()
        # A log beside the old file holds changes that are in the copy now; beside the new file
        # it would be replayed onto it.
        wal_path(path).unlink(missing_ok=True)
        publish(staged, path)
