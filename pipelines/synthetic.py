"""Calibrated synthetic members and self-assessments of every covenant, for demos and benchmarks.

The figures and shapes the data is calibrated to are in `pipelines.calibration`; members come
from `pipelines.companies`, their yearly answers from `pipelines.assessments`. The same seed
always gives the same data; `scale` multiplies the numbers of members and of sites.
"""

import multiprocessing
import random
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from imvo.definitions.models import Definitions
from imvo.errors import ImvoError
from pipelines.assessments import Context, Filled, covenant_submissions
from pipelines.calibration import CALIBRATION
from pipelines.companies import Member, make_members
from pipelines.template import write_questionnaire

__all__ = ["MEMBER_SCHEMA", "Filled", "SyntheticSet", "generate", "submission_path",
           "write_files"]

MEMBER_SCHEMA = {"covenant": pl.String, "member_id": pl.String, "name": pl.String,
                 "size_class": pl.String, "joined": pl.Date, "left_on": pl.Date,
                 "weight": pl.Float64}
"""Columns of the member register (members.csv)."""


@dataclass(frozen=True)
class SyntheticSet:
    """The member register of all covenants and the submissions of their members."""

    members: pl.DataFrame
    submissions: list[Filled]


def _register(slug: str, members: list[Member]) -> list[tuple[object, ...]]:
    return [(slug, m.member_id, m.name, m.size_class, m.joined, m.left_on, m.listed_weight)
            for m in members]


def generate(defs: Definitions, *, seed: int = 2016, scale: float = 1.0) -> SyntheticSet:
    """Return calibrated synthetic members and submissions of every covenant."""
    register: list[tuple[object, ...]] = []
    submissions: list[Filled] = []
    for slug, cov in defs.covenants.items():
        if slug not in CALIBRATION:
            raise ImvoError(f"no synthetic calibration for covenant '{slug}'",
                            hint="add it to CALIBRATION in pipelines/calibration.py")
        # One random stream per covenant: changing one covenant leaves the others as they were.
        ctx = Context(random.Random(f"{seed}:{slug}"), cov, CALIBRATION[slug],
                      defs.template_fields(slug), scale)
        members = make_members(ctx.rng, cov, ctx.cal, scale, ctx.financial)
        submissions += covenant_submissions(ctx, members)
        register += _register(slug, members)
    members_frame = pl.DataFrame(register, schema=MEMBER_SCHEMA, orient="row")
    return SyntheticSet(members=members_frame, submissions=submissions)


_WORKER_DEFS: list[Definitions] = []
"""The definitions of a writer process, set once when the process starts."""


def _init_worker(defs: Definitions) -> None:
    _WORKER_DEFS[:] = [defs]


def _write_one(job: tuple[Path, Filled]) -> None:
    path, s = job
    write_questionnaire(path, _WORKER_DEFS[0], s.covenant, s.year,
                        member=(s.member_id, s.company_name), answers=s.answers, sites=s.sites,
                        materials=s.materials)


def submission_path(out_dir: Path, submission: Filled) -> Path:
    """Return where write_files puts a submission's questionnaire."""
    s = submission
    return out_dir / s.covenant / str(s.year) / f"{s.member_id}.xlsx"


def write_files(data: SyntheticSet, out_dir: Path, defs: Definitions, *,
                workers: int = 2) -> list[Path]:
    """Write members.csv and one filled-in questionnaire per submission; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    data.members.write_csv(out_dir / "members.csv")
    jobs = [(submission_path(out_dir, s), s) for s in data.submissions]
    workers = max(1, workers)
    # spawn, not fork: forking while Polars' thread pool runs can deadlock. Spawned workers
    # import the caller's main module, so scripts call this under `if __name__ == "__main__"`.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                             initargs=(defs,)) as pool:
        list(pool.map(_write_one, jobs, chunksize=max(1, len(jobs) // (workers * 8))))
    return [path for path, _ in jobs]
