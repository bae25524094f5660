"""Where meeting-pack jobs live: a SQLite table of plain values in a folder only we can read.

Every web worker and every pack process reaches the same file, so a job started by one worker
is polled by another. Nothing in it is code: a job is text and numbers, a finished pack is its
bytes. The folder is made for the service user alone (0700) and refused when another user owns
it; deleted packs are overwritten (secure_delete), so a fetched pack leaves no copy behind.
"""

import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from imvo.errors import ImvoError

Status = Literal["queued", "running", "done", "failed"]
ACTIVE = ("queued", "running")
SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, status TEXT NOT NULL, done INTEGER NOT NULL,
    total INTEGER NOT NULL, message TEXT NOT NULL, file_name TEXT NOT NULL, content BLOB,
    updated REAL NOT NULL);
CREATE INDEX IF NOT EXISTS jobs_updated ON jobs (updated);
"""


@dataclass(frozen=True)
class JobSettings:
    """Where jobs are kept and how many may run: per requester and in all."""

    folder: Path
    per_owner: int = 2
    in_all: int = 4
    keep_seconds: float = 600  # a job not touched for this long is forgotten, file and all


@dataclass(frozen=True)
class JobState:
    """How far a job is: steps done of steps in all, and what it is doing or why it failed."""

    owner: str
    status: Status
    done: int = 0
    total: int = 1
    message: str = ""
    file_name: str = ""


class JobsBusy(ImvoError):
    """Too many packs are being made: for this requester (`mine`) or in all."""

    def __init__(self, *, mine: bool) -> None:
        self.mine = mine
        super().__init__("too many meeting packs are being made" + (" for you" if mine else ""),
                         hint="try again when one is finished")


def private_folder(folder: Path) -> Path:
    """Make (or check) a folder that only the service user can enter; refuse someone else's."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    found = os.lstat(folder)
    if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.geteuid():
        raise ImvoError(f"the job folder {folder} is not a folder of this user",
                        hint="remove it, or set IMVO_JOBS_DIR to a folder of the service user")
    if stat.S_IMODE(found.st_mode) & 0o077:
        os.chmod(folder, 0o700)
    return folder


@contextmanager
def _opened(folder: Path, keep_seconds: float) -> Iterator[sqlite3.Connection]:
    path = private_folder(folder) / "jobs.sqlite"
    os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600))
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        conn.execute("PRAGMA secure_delete = ON")
        conn.executescript(SCHEMA)
        conn.execute("DELETE FROM jobs WHERE updated < ?", [time.time() - keep_seconds])
        yield conn
    finally:
        conn.close()


def add_job(settings: JobSettings, job: str, owner: str, message: str) -> None:
    """Record a queued job, or raise JobsBusy when its requester or the service is at its limit."""
    with _opened(settings.folder, settings.keep_seconds) as conn:
        conn.execute("BEGIN IMMEDIATE")  # count and add as one step, across processes
        active, mine = conn.execute(
            "SELECT count(*), coalesce(sum(owner = ?), 0) FROM jobs WHERE status IN (?, ?)",
            [owner, *ACTIVE]).fetchone()
        if mine >= settings.per_owner or active >= settings.in_all:
            conn.execute("ROLLBACK")
            raise JobsBusy(mine=mine >= settings.per_owner)
        conn.execute("INSERT INTO jobs VALUES (?, ?, 'queued', 0, 1, ?, '', NULL, ?)",
                     [job, owner, message, time.time()])
        conn.execute("COMMIT")


def update_job(settings: JobSettings, job: str, state: JobState,
               content: bytes | None = None) -> bool:
    """Record how far a job is (and its file when done); False when the job was forgotten."""
    with _opened(settings.folder, settings.keep_seconds) as conn:
        changed = conn.execute(
            "UPDATE jobs SET status = ?, done = ?, total = ?, message = ?, file_name = ?, "
            "content = ?, updated = ? WHERE id = ? AND owner = ?",
            [state.status, state.done, state.total, state.message, state.file_name, content,
             time.time(), job, state.owner]).rowcount
    return bool(changed)


def job_state(settings: JobSettings, job: str, owner: str) -> JobState | None:
    """Return a job's state, or None when it is unknown, forgotten or someone else's."""
    with _opened(settings.folder, settings.keep_seconds) as conn:
        row = conn.execute("SELECT status, done, total, message, file_name FROM jobs "
                           "WHERE id = ? AND owner = ?", [job, owner]).fetchone()
    return JobState(owner, *row) if row else None


def take_file(settings: JobSettings, job: str, owner: str) -> tuple[str, bytes] | None:
    """Return a finished job's file name and content once, and forget the job."""
    with _opened(settings.folder, settings.keep_seconds) as conn:
        conn.execute("BEGIN IMMEDIATE")
        row = conn.execute("SELECT file_name, content FROM jobs WHERE id = ? AND owner = ? "
                           "AND status = 'done'", [job, owner]).fetchone()
        conn.execute("DELETE FROM jobs WHERE id = ? AND owner = ? AND status = 'done'",
                     [job, owner])
        conn.execute("COMMIT")
    return (row[0], bytes(row[1])) if row and row[1] is not None else None

