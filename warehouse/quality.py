"""Company-level reads for the monitoring commission and secretariat: submissions and quarantine.

Every read takes a viewer and refuses anyone without company rights for the covenant.
"""

import duckdb
import polars as pl

from imvo.errors import AccessDenied
from warehouse.access import Viewer
from warehouse.schema import BOUND_IN_YEAR

SUMMARY = """
WITH years AS (
    SELECT slug AS covenant, unnest(range(first_year, last_year + 1)) AS year FROM covenants
), bound AS (
    SELECT y.covenant, y.year, count(m.member_id) AS members_bound
    FROM years y LEFT JOIN members m ON m.covenant = y.covenant
        AND {bound}
    GROUP BY ALL
), sent AS (
    SELECT s.covenant, s.year,
        count(DISTINCT s.member_id) FILTER (WHERE s.is_current) AS members_submitted,
        count(*) AS files_loaded, count(*) FILTER (WHERE s.version > 1) AS resubmissions,
        sum(f.rows_rejected) AS rows_quarantined
    FROM submissions s JOIN files f ON f.sha256 = s.file_sha256 GROUP BY ALL
)
SELECT b.covenant, b.year, b.members_bound, coalesce(s.members_submitted, 0) AS members_submitted,
    coalesce(s.members_submitted, 0) / nullif(b.members_bound, 0) AS coverage,
    coalesce(s.files_loaded, 0) AS files_loaded, coalesce(s.resubmissions, 0) AS resubmissions,
    coalesce(s.rows_quarantined, 0)::BIGINT AS rows_quarantined
FROM bound b LEFT JOIN sent s USING (covenant, year)
WHERE {where}
ORDER BY b.covenant, b.year
"""

QUARANTINE = """
SELECT s.covenant, s.member_id, s.year, s.version, r.file_name, r.sheet, r.row_number,
    r.column_name, r.value, r.rule, r.message_nl, r.message_en
FROM rejects r
LEFT JOIN submissions s ON s.file_sha256 = r.file_sha256
WHERE {where}
ORDER BY s.covenant, s.year, s.member_id, r.file_name, r.row_number
"""

HISTORY = """
SELECT s.year, s.version, s.is_current, s.ingested_at, f.file_name, f.sha256, f.rows_in,
    f.rows_loaded, f.rows_rejected
FROM submissions s JOIN files f ON f.sha256 = s.file_sha256
WHERE s.covenant = ? AND s.member_id = ?
ORDER BY s.year DESC, s.version DESC
"""


def _covenant_filter(viewer: Viewer, covenant: str | None, column: str) -> tuple[str, list[str]]:
    """Return the SQL filter of what a viewer with company rights may see, or refuse."""
    if viewer.role == "admin":
        return (f"{column} = ?", [covenant]) if covenant else ("TRUE", [])
    if viewer.role == "commission" and covenant in (None, viewer.covenant):
        return f"{column} = ?", [str(viewer.covenant)]
    raise AccessDenied("company data is for the monitoring commission and secretariat of the "
                       "covenant only", hint="sign in with a commission account")


def submission_summary(conn: duckdb.DuckDBPyConnection, viewer: Viewer, *,
                       covenant: str | None = None) -> pl.DataFrame:
    """Return per covenant and year: members bound and submitted, files, quarantined rows."""
    where, params = _covenant_filter(viewer, covenant, "b.covenant")
    query = SUMMARY.format(where=where, bound=BOUND_IN_YEAR)
    frame: pl.DataFrame = conn.sql(query, params=params).pl()
    return frame


def quarantine(conn: duckdb.DuckDBPyConnection, viewer: Viewer, *,
               covenant: str | None = None) -> pl.DataFrame:
    """Return every quarantined value with where it was and why; whole-file rejects for admins."""
    where, params = _covenant_filter(viewer, covenant, "s.covenant")
    if viewer.role == "admin" and covenant is None:
        where = "TRUE"
    frame: pl.DataFrame = conn.sql(QUARANTINE.format(where=where), params=params).pl()
    return frame


def member_history(conn: duckdb.DuckDBPyConnection, viewer: Viewer, *, covenant: str,
                   member_id: str) -> pl.DataFrame:
    """Return a member's submissions, newest first, with the file each came from."""
    _covenant_filter(viewer, covenant, "covenant")
    frame: pl.DataFrame = conn.sql(HISTORY, params=[covenant, member_id]).pl()
    return frame


def member_rejects(conn: duckdb.DuckDBPyConnection, viewer: Viewer, *, covenant: str,
                   member_id: str) -> pl.DataFrame:
    """Return the quarantined values of a member's files."""
    return quarantine(conn, viewer, covenant=covenant).filter(pl.col("member_id") == member_id)
