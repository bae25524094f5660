"""Meeting packs made in the background: a worker process makes the file, any web worker polls.

The state of a job and the finished file live in a disk cache in a folder per warehouse, so
every web worker of the app sees them; the job id is random and a job answers only the viewer
that started it.
"""

import hashlib
import tempfile
import uuid
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from multiprocessing import get_context
from pathlib import Path
from typing import Literal

from diskcache import Cache

from dashboard.report.pack import PackFormat, file_name, make_pack
from dashboard.report.text import rt
from dashboard.text import Lang
from imvo.definitions import definitions
from imvo.errors import ImvoError
from warehouse.access import Viewer

KEEP_SECONDS = 3600  # how long a job and its file wait to be fetched
Status = Literal["queued", "running", "done", "failed"]


@dataclass(frozen=True)
class PackRequest:
    """Which pack to make, from which warehouse, for which viewer."""

    warehouse_path: Path
    definitions_dir: Path | None
    viewer: Viewer
    covenant: str
    year: int
    lang: Lang
    fmt: PackFormat


@dataclass(frozen=True)
class JobState:
    """How far a job is: steps done of steps in all, and what it is doing or why it failed."""

    viewer: Viewer
    status: Status
    done: int = 0
    total: int = 1
    message: str = ""
    file_name: str = ""


_pool: list[ProcessPoolExecutor] = []


def _executor() -> ProcessPoolExecutor:
    # One worker process per web process: a pack at a time, and the web process stays free.
    # Spawned, not forked: the web process has threads and open database handles.
    if not _pool:
        _pool.append(ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")))
    return _pool[0]


def job_folder(warehouse_path: Path) -> Path:
    """Return the folder holding the jobs of one warehouse, shared by all its web workers."""
    key = hashlib.sha256(str(warehouse_path.absolute()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / "imvo-packs" / key


def _save(folder: Path, job: str, state: JobState) -> None:
    with Cache(str(folder)) as cache:
        cache.set(job, state, expire=KEEP_SECONDS)


def _failure(exc: BaseException, lang: Lang) -> str:
    reason = str(exc) if isinstance(exc, ImvoError) else f"{type(exc).__name__}: {exc}"
    return rt("failed", lang, error=reason)


def run_job(folder: Path, job: str, request: PackRequest) -> None:
    """Make the pack of a request in this process, recording progress and the file."""
    state = JobState(request.viewer, "running", message=rt("stage_read", request.lang))
    _save(folder, job, state)

    def tell(done: int, total: int, what: str) -> None:
        """Record how far the pack is, for whoever polls the job."""
        _save(folder, job, replace(state, done=done, total=total, message=what))

    try:
        content = make_pack(request.warehouse_path, request.viewer,
                            definitions(request.definitions_dir), covenant=request.covenant,
                            year=request.year, lang=request.lang, fmt=request.fmt, progress=tell)
    except Exception as exc:  # a job's only edge: every failure becomes its message
        _save(folder, job, replace(state, status="failed", message=_failure(exc, request.lang)))
        return
    name = file_name(request.covenant, request.year, request.lang, request.fmt)
    with Cache(str(folder)) as cache:
        cache.set(f"{job}:file", content, expire=KEEP_SECONDS)
    _save(folder, job, replace(state, status="done", done=1, total=1, file_name=name,
                               message=rt("ready", request.lang, file=name)))


def _check_ended(folder: Path, job: str, request: PackRequest, future: Future[None]) -> None:
    error = future.exception()
    if error is not None:  # the worker process died (out of memory, killed): say so
        _save(folder, job, JobState(request.viewer, "failed",
                                    message=_failure(error, request.lang)))
        if _pool:  # a broken pool takes no more work: the next job starts a fresh one
            _pool.pop().shutdown(wait=False)


def start_job(request: PackRequest) -> str:
    """Queue the making of a pack in the background and return the job's id at once."""
    job = uuid.uuid4().hex
    folder = job_folder(request.warehouse_path)
    _save(folder, job, JobState(request.viewer, "queued", message=rt("queued", request.lang)))
    future = _executor().submit(run_job, folder, job, request)
    future.add_done_callback(partial(_check_ended, folder, job, request))
    return job


def job_state(warehouse_path: Path, job: str, viewer: Viewer) -> JobState | None:
    """Return a job's state, or None when it is unknown, expired or another viewer's."""
    with Cache(str(job_folder(warehouse_path))) as cache:
        state = cache.get(job)
    return state if isinstance(state, JobState) and state.viewer == viewer else None


def take_file(warehouse_path: Path, job: str, viewer: Viewer) -> tuple[str, bytes] | None:
    """Return a finished job's file name and content once, then forget the job."""
    state = job_state(warehouse_path, job, viewer)
    if state is None or state.status != "done":
        return None
    with Cache(str(job_folder(warehouse_path))) as cache:
        content = cache.pop(f"{job}:file")
        cache.delete(job)
    return (state.file_name, content) if isinstance(content, bytes) else None
