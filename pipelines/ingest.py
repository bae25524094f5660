"""Ingest submission files: guarded, archived, validated, and loaded whole or not at all.

Files are hashed, archived and read by a few threads a little ahead of the loader (the xlsx
reader and the hash leave Python's lock while they work), then checked and written in file
order, in batches: one transaction holds a batch of files with all their rows, so every file is
fully present or fully absent, also when the process is killed. A file already loaded (same
SHA-256) changes nothing; a file rejected as a whole before is tried again, since the member
register may have changed since.
"""

import glob
import hashlib
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import duckdb

from imvo.definitions.models import Definitions
from imvo.errors import IngestError
from pipelines.guards import Limits, check_file
from pipelines.loader import Loader
from pipelines.messages import SubmissionRejected
from pipelines.readers import RawSubmission, check_type, read_submission
from pipelines.register import RegisterResult, is_member_register, load_members
from pipelines.results import (
    IngestResult,
    IngestRun,
    Outcome,
    Received,
    affected_years,
    raw_rows,
)
from pipelines.saved import saved_at
from pipelines.store import known_files, member_book
from pipelines.validate import Member, prepare

__all__ = ["IngestResult", "IngestRun", "affected_years", "expand_paths", "ingest_file",
           "ingest_paths", "is_member_register", "load_members", "own_files", "run_ingest"]

BATCH_FILES = 256
READ_AHEAD = 64
"""Files read ahead of the one being loaded: bounds what the reading threads hold in memory."""
READING_THREADS = min(4, os.cpu_count() or 1)
T = TypeVar("T")


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def archive(path: Path, sha: str, archive_dir: Path) -> Path:
    """Keep the original file unchanged under its content hash."""
    target = archive_dir / sha[:2] / f"{sha}{path.suffix.lower()}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        # A name of its own: two threads may archive the same content at once.
        handle, tmp = tempfile.mkstemp(suffix=".part", dir=target.parent)
        os.close(handle)
        shutil.copyfile(path, tmp)
        os.replace(tmp, target)
    return target


def examine(received: Received, defs: Definitions, members: dict[tuple[str, str], Member],
            limits: Limits) -> Outcome:
    """Guard, read and prepare one received file; a file that cannot be loaded says why."""
    raw: RawSubmission | None = None
    try:
        check_type(received.path)
        check_file(received.path, limits)
        raw = read_submission(received.path, defs.catalogue)
        return Outcome(received, prepare(raw, defs, members))
    except SubmissionRejected as exc:
        return Outcome(received, None, exc.rejects, raw_rows(raw) if raw else 0)


def own_files(conn: duckdb.DuckDBPyConnection, archive_dir: Path) -> list[Path]:
    """Return the warehouse's own files and archive, which a folder to ingest may hold."""
    own = [archive_dir.resolve()]
    for (name,) in conn.execute("SELECT path FROM duckdb_databases() "
                                "WHERE path IS NOT NULL AND path <> ''").fetchall():
        database = Path(name).resolve()
        stem = database.name.split(".duckdb")[0]  # versions, staging copy, log and lock
        own += [p for p in database.parent.glob(glob.escape(stem) + ".duckdb*")]
    return own


def _is_own(path: Path, own: list[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved == o or o in resolved.parents for o in own)


def expand_paths(paths: Iterable[Path], own: Iterable[Path] = ()) -> list[Path]:
    """Return the files named and every file inside named folders: registers first, sorted.

    Files of every type are returned, so that one that cannot be read is rejected with a
    reason; only the warehouse's own files (`own`, see `own_files`) are left out.
    """
    skip = list(own)
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += [p for p in path.rglob("*") if p.is_file() and not _is_own(p, skip)]
        elif path.is_file():
            files.append(path)
        else:
            raise IngestError(f"{path} does not exist", hint="check the path")
    return sorted(files, key=lambda p: (not is_member_register(p), str(p)))


def _in_order(pool: ThreadPoolExecutor, work: Callable[[Path], T],
              paths: list[Path]) -> Iterator[tuple[Path, T]]:
    """Yield each path with its result, in order, keeping at most READ_AHEAD in flight."""
    flight: deque[tuple[Path, Future[T]]] = deque()
    for path in paths:
        flight.append((path, pool.submit(work, path)))
        if len(flight) > READ_AHEAD:
            done, future = flight.popleft()
            yield done, future.result()
    while flight:
        done, future = flight.popleft()
        yield done, future.result()


def run_ingest(conn: duckdb.DuckDBPyConnection, paths: Iterable[Path], defs: Definitions, *,
               archive_dir: Path, advance: Callable[[Path], None] = lambda _: None,
               limits: Limits | None = None, batch_files: int = BATCH_FILES) -> IngestRun:
    """Ingest registers and submissions from files and folders, reporting each file as done."""
    files = expand_paths(paths, own_files(conn, archive_dir))
    registers: list[RegisterResult] = []
    for path in [p for p in files if is_member_register(p)]:
        try:
            registers.append(load_members(conn, path, defs))
        except IngestError as exc:  # the rest of the run goes on; the summary says why
            registers.append(RegisterResult(path.name, 0, frozenset(), exc.args[0], exc.hint))
        advance(path)
    loader = Loader(conn, defs, batch_files)
    members, seen = member_book(conn), known_files(conn)

    def receive(path: Path) -> tuple[str, Outcome | None]:
        sha = file_sha256(path)
        if seen.get(sha) in ("loaded", "pending"):
            return sha, None
        received = Received(path, sha, path.stat().st_size, archive(path, sha, archive_dir),
                            sha in seen, saved_at(path))
        return sha, examine(received, defs, members, limits or Limits())

    pool = ThreadPoolExecutor(READING_THREADS, thread_name_prefix="imvo-read")
    try:
        submissions = [p for p in files if not is_member_register(p)]
        for path, (sha, outcome) in _in_order(pool, receive, submissions):
            # Of two files with the same content in one run, the second changes nothing.
            if outcome is None or seen.get(sha) in ("loaded", "pending"):
                loader.unchanged(path.name, sha)
            else:
                seen[sha] = "pending"
                loader.add(outcome)
            advance(path)
    finally:
        pool.shutdown(cancel_futures=True)
    return IngestRun(loader.finish(), registers, list(loader.choices.values()))


def ingest_paths(conn: duckdb.DuckDBPyConnection, paths: Iterable[Path], defs: Definitions, *,
                 archive_dir: Path, advance: Callable[[Path], None] = lambda _: None,
                 limits: Limits | None = None) -> list[IngestResult]:
    """Ingest registers and submissions; return what happened to each submission file."""
    return run_ingest(conn, paths, defs, archive_dir=archive_dir, advance=advance,
                      limits=limits).results


def ingest_file(conn: duckdb.DuckDBPyConnection, path: Path, defs: Definitions, *,
                archive_dir: Path, limits: Limits | None = None) -> IngestResult:
    """Archive, read, validate and load one file; a file already loaded changes nothing."""
    if is_member_register(path):
        raise IngestError(f"{path.name} is a member register, not a submission",
                          hint="load it with load_members or ingest_paths")
    [result] = run_ingest(conn, [path], defs, archive_dir=archive_dir, limits=limits).results
    return result
