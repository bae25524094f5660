"""Ingest submission files: archived, validated, and loaded in one transaction each."""

import hashlib
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

import duckdb
import polars as pl

from imvo.definitions.models import Definitions
from imvo.errors import IngestError
from pipelines.messages import Reject, reject
from pipelines.readers import read_submission
from pipelines.validate import (
    Member,
    SubmissionRejected,
    Validated,
    check_member,
    parse_meta,
    validate,
)
from warehouse.connection import first_row, scalar

Status = Literal["loaded", "unchanged", "rejected"]
REGISTER_COLUMNS = {"covenant", "member_id", "name", "size_class", "joined"}


@dataclass(frozen=True)
class IngestResult:
    """What happened to one file."""

    file_name: str
    sha256: str
    status: Status
    rows_in: int = 0
    rows_loaded: int = 0
    rejects: list[Reject] = field(default_factory=list)
    submission: tuple[str, str, int, int] | None = None  # covenant, member, year, version

    @property
    def rows_rejected(self) -> int:
        """Return the number of table rows that were quarantined."""
        return self.rows_in - self.rows_loaded


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
        tmp = target.with_suffix(".part")
        shutil.copyfile(path, tmp)
        tmp.replace(target)
    return target


def _member(conn: duckdb.DuckDBPyConnection, covenant: str, member_id: str) -> Member | None:
    row = first_row(conn, "SELECT joined, left_on FROM members WHERE covenant = ? AND "
                    "member_id = ?", [covenant, member_id])
    return Member(row[0], row[1]) if row else None


def _insert_rejects(conn: duckdb.DuckDBPyConnection, sha: str, name: str,
                    rejects: list[Reject]) -> None:
    rows = [(sha, name, r.sheet, r.row, r.column, r.value, r.rule, r.message_nl, r.message_en)
            for r in rejects]
    if rows:
        conn.executemany("INSERT INTO rejects VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _insert_file(conn: duckdb.DuckDBPyConnection, result: IngestResult, stored: Path,
                 size: int) -> None:
    conn.execute("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        result.sha256, result.file_name, str(stored), size, datetime.now(), result.status,
        result.rows_in, result.rows_loaded, result.rows_rejected])


def _load_submission(conn: duckdb.DuckDBPyConnection, sha: str, checked: Validated) -> int:
    meta = checked.meta
    key = [meta.covenant, meta.member_id, meta.year]
    version = scalar(conn, "SELECT coalesce(max(version), 0) + 1 FROM submissions WHERE "
                     "covenant = ? AND member_id = ? AND year = ?", key)
    conn.execute("UPDATE submissions SET is_current = FALSE WHERE covenant = ? AND "
                 "member_id = ? AND year = ?", key)
    sid = scalar(conn, "SELECT nextval('submission_ids')")
    conn.execute("INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, TRUE, ?)",
                 [sid, meta.covenant, meta.member_id, meta.year, sha, version, datetime.now()])
    frames = {"answers": checked.answers, **checked.tables}
    for table, frame in frames.items():
        staged = frame.with_columns(pl.lit(sid, dtype=pl.Int64).alias("submission_id"))
        conn.register("staged", staged)
        conn.execute(f"INSERT INTO {table} BY NAME SELECT * FROM staged")
        conn.unregister("staged")
    return int(version)


def _check(conn: duckdb.DuckDBPyConnection, path: Path, defs: Definitions) -> Validated:
    raw = read_submission(path, defs.catalogue)
    meta = parse_meta(raw, defs)
    check_member(meta, _member(conn, meta.covenant, meta.member_id), raw)
    return validate(raw, meta, defs)


def ingest_file(conn: duckdb.DuckDBPyConnection, path: Path, defs: Definitions, *,
                archive_dir: Path) -> IngestResult:
    """Archive, read, validate and load one file; a file already loaded changes nothing."""
    sha = file_sha256(path)
    if scalar(conn, "SELECT count(*) FROM files WHERE sha256 = ?", [sha]):
        return IngestResult(path.name, sha, "unchanged")
    stored = archive(path, sha, archive_dir)
    try:
        checked = _check(conn, path, defs)
    except SubmissionRejected as exc:
        checked, rejects = None, exc.rejects
    except IngestError as exc:
        checked, rejects = None, [reject("unreadable", sheet=None, row=None, column=None,
                                         value=str(exc).splitlines()[0])]
    conn.begin()
    try:
        if checked is None:
            result = IngestResult(path.name, sha, "rejected", rejects=rejects)
        else:
            version = _load_submission(conn, sha, checked)
            m = checked.meta
            result = IngestResult(path.name, sha, "loaded", checked.rows_in, checked.rows_loaded,
                                  checked.rejects, (m.covenant, m.member_id, m.year, version))
        _insert_file(conn, result, stored, path.stat().st_size)
        _insert_rejects(conn, sha, path.name, result.rejects)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return result


def is_member_register(path: Path) -> bool:
    """Return whether a csv file is a member register rather than a submission."""
    if path.suffix.lower() != ".csv":
        return False
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        header = {c.strip().lower() for c in handle.readline().replace(";", ",").split(",")}
    return header >= REGISTER_COLUMNS


def load_members(conn: duckdb.DuckDBPyConnection, path: Path, defs: Definitions) -> int:
    """Load or update a member register (covenant, member_id, name, size_class, joined, ...)."""
    frame = pl.read_csv(path, try_parse_dates=True)
    unknown = sorted(set(frame["covenant"].unique()) - set(defs.covenants))
    if unknown:
        raise IngestError(f"{path.name}: unknown covenant(s) {', '.join(unknown)}",
                          hint="use the covenant codes of kpi_definitions/covenants")
    if "left_on" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Date).alias("left_on"))
    if "weight" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Float64).alias("weight"))
    conn.register("register", frame)
    conn.execute("INSERT OR REPLACE INTO members BY NAME SELECT covenant, member_id, name, "
                 "size_class, joined, left_on, weight FROM register")
    conn.unregister("register")
    return frame.height


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Return the files named and those inside named folders: registers first, then sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += [p for p in path.rglob("*") if p.suffix.lower() in (".xlsx", ".csv")]
        elif path.is_file():
            files.append(path)
        else:
            raise IngestError(f"{path} does not exist", hint="check the path")
    return sorted(files, key=lambda p: (not is_member_register(p), str(p)))


def ingest_paths(conn: duckdb.DuckDBPyConnection, paths: Iterable[Path], defs: Definitions, *,
                 archive_dir: Path, advance: Callable[[Path], None] = lambda _: None,
                 ) -> list[IngestResult]:
    """Ingest registers and submissions from files and folders, reporting each file as done."""
    results: list[IngestResult] = []
    for path in expand_paths(paths):
        if is_member_register(path):
            load_members(conn, path, defs)
        else:
            results.append(ingest_file(conn, path, defs, archive_dir=archive_dir))
        advance(path)
    return results
