"""Meeting packs made in the background: a worker process makes the file, any web worker polls.

A job's state and its finished file live in the job store (dashboard.report.jobstore), which
every web worker of the app reaches; the job id is random and a job answers only its owner: the
account that started it (or, not signed in, the visitor's address), as the viewer it was then.
"""

import uuid
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from multiprocessing import get_context
from pathlib import Path

from dashboard.report.jobstore import (
    JobSettings,
    JobState,
    add_job,
    update_job,
)
from dashboard.report.pack import PackFormat, file_name, make_pack
from dashboard.report.text import rt
from dashboard.text import Lang
from imvo.definitions import definitions
from imvo.errors import ImvoError
from warehouse.access import Viewer


@dataclass(frozen=True)
class PackRequest:
    """Which pack to make, from which warehouse, for which viewer, asked by whom."""

    warehouse_path: Path
    definitions_dir: Path | None
    viewer: Viewer
    covenant: str
    year: int
    lang: Lang
    fmt: PackFormat
    owner: str = "local"


def owner_of(viewer: Viewer, account: str | None, address: str | None) -> str:
    """Return who a job belongs to: an account, else a visitor's address, with the viewer."""
    who = f"account {account}" if account else f"visitor {address or 'local'}"
    return f"{viewer.role}:{viewer.covenant or ''}:{who}"


class _Stopped(Exception):
    """The job was forgotten while it ran (too old, or its file fetched): stop making it."""


_pool: list[ProcessPoolExecutor] = []


def _executor() -> ProcessPoolExecutor:
    # One worker process per web process: a pack at a time, and the web process stays free.
    # Spawned, not forked: the web process has threads and open database handles.
    if not _pool:
        _pool.append(ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")))
    return _pool[0]


def _failure(exc: BaseException, lang: Lang) -> str:
    reason = str(exc) if isinstance(exc, ImvoError) else f"{type(exc).__name__}: {exc}"
    return rt("failed", lang, error=reason)


def run_job(settings: JobSettings, job: str, request: PackRequest) -> None:
    """Make the pack of a request in this process, recording progress and the file."""
    state = JobState(request.owner, "running", message=rt("stage_read", request.lang))
    if not update_job(settings, job, state):
        return  # forgotten while it waited its turn

    def tell(done: int, total: int, what: str) -> None:
        """Record how far the pack is, for whoever polls the job."""
        if not update_job(settings, job, replace(state, done=done, total=total, message=what)):
            raise _Stopped

    try:
        content = make_pack(request.warehouse_path, request.viewer,
                            definitions(request.definitions_dir), covenant=request.covenant,
                            year=request.year, lang=request.lang, fmt=request.fmt, progress=tell)
    except _Stopped:
        return
    except Exception as exc:  # a job's only edge: every failure becomes its message
        update_job(settings, job, replace(state, status="failed",
                                          message=_failure(exc, request.lang)))
        return
    name = file_name(request.covenant, request.year, request.lang, request.fmt)
    update_job(settings, job, replace(state, status="done", done=1, total=1, file_name=name,
                                      message=rt("ready", request.lang, file=name)), content)


def _check_ended(settings: JobSettings, job: str, request: PackRequest,
                 future: Future[None]) -> None:
    error = future.exception()
    if error is not None:  # the worker process died (out of memory, killed): say so
        update_job(settings, job, JobState(request.owner, "failed",
                                           message=_failure(error, request.lang)))
        if _pool:  # a broken pool takes no more work: the next job starts a fresh one
            _pool.pop().shutdown(wait=False)


def start_job(request: PackRequest, settings: JobSettings) -> str:
    """Queue the making of a pack in the background and return the job's id at once.

    Raises JobsBusy when the requester, or the service as a whole, has as many packs in the
    making as the settings allow.
    """
    job = uuid.uuid4().hex
    add_job(settings, job, request.owner, rt("queued", request.lang))
    future = _executor().submit(run_job, settings, job, request)
    future.add_done_callback(partial(_check_ended, settings, job, request))
    return job

