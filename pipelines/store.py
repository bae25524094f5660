"""Write checked files into the warehouse: submissions, their rows, files and rejects.

Every function here runs inside the caller's transaction: a batch of files is committed whole or
not at all, so each file in it is present with all its rows or absent, also after a crash.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import duckdb
import polars as pl

from pipelines.checks import FILE
from pipelines.current import Choice
from pipelines.messages import Reject
from pipelines.validate import Member, Meta

TEXT, COUNT = pl.String(), pl.Int32()
FILE_COLUMNS: dict[str, pl.DataType] = {
    "sha256": TEXT, "file_name": TEXT, "archived_path": TEXT, "size_bytes": pl.Int64(),
    "ingested_at": pl.Datetime("us"), "status": TEXT, "rows_in": COUNT, "rows_loaded": COUNT,
    "rows_rejected": COUNT}
REJECT_COLUMNS: dict[str, pl.DataType] = {
    "file_sha256": TEXT, "file_name": TEXT, "sheet": TEXT, "row_number": COUNT,
    "column_name": TEXT, "value": TEXT, "rule": TEXT, "message_nl": TEXT, "message_en": TEXT,
    "scope": TEXT}


def insert_frame(conn: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    """Append a frame to a warehouse table, matching columns by name."""
    if frame.height:
        conn.register("staged", frame)
        try:
            conn.execute(f"INSERT INTO {table} BY NAME SELECT * FROM staged")
        finally:
            conn.unregister("staged")


def known_files(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Return the status of every file the warehouse has seen, by SHA-256."""
    return dict(conn.execute("SELECT sha256, status FROM files").fetchall())


def member_book(conn: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], Member]:
    """Return every member of the register by (covenant, member_id)."""
    rows = conn.execute("SELECT covenant, member_id, joined, left_on FROM members").fetchall()
    return {(c, m): Member(joined, left) for c, m, joined, left in rows}


def stored_rejects(conn: duckdb.DuckDBPyConnection, sha: str) -> list[tuple[Any, ...]]:
    """Return what the warehouse holds as rejected for one file, in a comparable form."""
    return conn.execute("SELECT sheet, row_number, column_name, value, rule, message_en "
                        "FROM rejects WHERE file_sha256 = ?", [sha]).fetchall()


def forget_files(conn: duckdb.DuckDBPyConnection, shas: Sequence[str]) -> None:
    """Remove the record of earlier rejected files that are ingested again."""
    if shas:
        conn.execute("DELETE FROM rejects WHERE file_sha256 IN (SELECT unnest(?))", [list(shas)])
        conn.execute("DELETE FROM files WHERE sha256 IN (SELECT unnest(?))", [list(shas)])


def _latest_versions(conn: duckdb.DuckDBPyConnection,
                     keys: pl.DataFrame) -> dict[tuple[str, str, int], int]:
    """Return the highest version per key, and mark the submissions of the keys not current."""
    conn.register("batch_keys", keys.unique())
    try:
        latest = {(c, m, y): v for c, m, y, v in conn.execute(
            "SELECT s.covenant, s.member_id, s.year, max(s.version) FROM submissions s "
            "JOIN batch_keys USING (covenant, member_id, year) GROUP BY ALL").fetchall()}
        conn.execute("UPDATE submissions s SET is_current = FALSE FROM batch_keys k WHERE "
                     "s.covenant = k.covenant AND s.member_id = k.member_id AND s.year = k.year "
                     "AND s.is_current")
    finally:
        conn.unregister("batch_keys")
    return latest


def add_submissions(conn: duckdb.DuckDBPyConnection, metas: list[Meta], shas: list[str],
                    now: datetime) -> tuple[list[int], list[int]]:
    """Insert new current submissions, superseding earlier ones; return their ids and versions."""
    keys = pl.DataFrame([(m.covenant, m.member_id, m.year) for m in metas], schema={
        "covenant": pl.String, "member_id": pl.String, "year": pl.Int32}, orient="row")
    latest = _latest_versions(conn, keys)
    ids = sorted(r[0] for r in conn.execute(
        "SELECT nextval('submission_ids') FROM range(?)", [len(metas)]).fetchall())
    last = {key: i for i, key in enumerate(keys.rows())}  # the last file of a key is current
    versions: list[int] = []
    for key in keys.rows():
        latest[key] = latest.get(key, 0) + 1
        versions.append(latest[key])
    rows = [(i, *key, sha, v, last[key] == n, now) for n, (i, key, sha, v) in
            enumerate(zip(ids, keys.rows(), shas, versions, strict=True))]
    insert_frame(conn, "submissions", pl.DataFrame(rows, orient="row", schema={
        "submission_id": pl.Int64, "covenant": pl.String, "member_id": pl.String,
        "year": pl.Int32, "file_sha256": pl.String, "version": pl.Int32,
        "is_current": pl.Boolean, "ingested_at": pl.Datetime("us")}))
    return ids, versions


def add_rows(conn: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame,
             ids: list[int]) -> None:
    """Insert checked rows of a batch, each under the submission id of its file."""
    mapping = pl.DataFrame({FILE: pl.Series(range(len(ids)), dtype=pl.Int32),
                            "submission_id": pl.Series(ids, dtype=pl.Int64)})
    insert_frame(conn, table, frame.join(mapping, on=FILE).drop(FILE))


def add_files(conn: duckdb.DuckDBPyConnection, rows: list[tuple[Any, ...]]) -> None:
    """Record files: sha256, name, archived path, size, time, status and row counts."""
    insert_frame(conn, "files", pl.DataFrame(rows, schema=FILE_COLUMNS, orient="row"))


def add_rejects(conn: duckdb.DuckDBPyConnection,
                files: list[tuple[str, str, list[Reject]]]) -> None:
    """Record the rejects of files given as (sha256, file name, rejects)."""
    rows = [(sha, name, r.sheet, r.row, r.column, r.value, r.rule, r.message_nl, r.message_en,
             r.scope) for sha, name, rejects in files for r in rejects]
    insert_frame(conn, "rejects", pl.DataFrame(rows, schema=REJECT_COLUMNS, orient="row"))


def set_current(conn: duckdb.DuckDBPyConnection, choice: Choice) -> None:
    """Make the chosen file of a member-year current (or none), and record why in each file."""
    ids = [c.submission_id for c, _ in choice.notices]
    winner = choice.current.submission_id if choice.current else None
    conn.execute("UPDATE submissions SET is_current = (submission_id IS NOT DISTINCT FROM ?) "
                 "WHERE submission_id IN (SELECT unnest(?))", [winner, ids])
    conn.execute("DELETE FROM rejects WHERE scope = 'version' AND file_sha256 IN "
                 "(SELECT unnest(?))", [[c.sha256 for c, _ in choice.notices]])
    add_rejects(conn, [(c.sha256, c.file_name, [r]) for c, r in choice.notices])
