"""Writing the warehouse while it is being read: write a copy, then swap it in atomically.

DuckDB lets one process write a file or many processes read it, not both. Web workers keep
reading the published file; a writer (the ingest command or an upload) takes the writers' lock,
copies the published file, writes the copy, and publishes it with `os.replace`. A reader that
opened the old file finishes on it, the next request opens the new one, and no reader ever
meets a lock or a half-written file. Writers wait for each other on the lock.
"""

import fcntl
import os
import shutil
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


def publish(staged: Path, path: Path) -> None:
    """Swap a fully written, closed warehouse file in for the published one, atomically."""
    if wal_path(staged).exists():
        raise WarehouseError(f"{staged} still has a write-ahead log",
                             hint="close the writer (which checkpoints) before publishing")
    _fsync(staged)
    os.replace(staged, path)
    _fsync(path.parent)


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
