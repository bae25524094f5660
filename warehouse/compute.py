"""Compute the KPI mart: every applicable KPI per covenant, year and category, with coverage,
disclosure control and progress; all of it, or only the covenant-years that new files changed.

The steps: each current submission's contribution to each KPI (kept in kpi_contributions, so a
new submission only adds its own), the cells (totals and breakdowns), the values with coverage
and primary suppression, secondary suppression, and the progress against the targets.
"""

import hashlib

import duckdb

from imvo.definitions.models import Definitions
from warehouse.cells import build_cells, contributing_kpis
from warehouse.compile import cells_predicate, contributions_sql
from warehouse.connection import first_row, scalar
from warehouse.disclosure import suppress_secondary
from warehouse.mart import build_mart, write_company_values
from warehouse.targets import write_progress

Cells = set[tuple[str, int]]
TEMP_TABLES = ("kpi_cells", "kpi_mart", "kpi_coverage", "kpi_member_totals", "kpi_grain_total",
               "kpi_grain_size_class", "kpi_grain_country", "kpi_grain_material")


def sync_covenants(conn: duckdb.DuckDBPyConnection, defs: Definitions) -> None:
    """Write the covenants of the definitions into the warehouse."""
    conn.execute("DELETE FROM covenants")
    conn.executemany("INSERT INTO covenants VALUES (?, ?, ?, ?, ?, ?, ?)", [
        (c.slug, c.name.nl, c.name.en, c.signed, c.first_year, c.last_year, c.secretariat)
        for c in defs.covenants.values()])


def definitions_fingerprint(defs: Definitions) -> str:
    """Return a hash of the definitions; stored contributions are valid for this hash only."""
    return hashlib.sha256(defs.model_dump_json().encode()).hexdigest()


def _contributions_current(conn: duckdb.DuckDBPyConnection, fingerprint: str) -> bool:
    exists = scalar(conn, "SELECT count(*) FROM duckdb_tables() WHERE table_name = "
                    "'kpi_contributions' AND schema_name = 'main' AND NOT temporary")
    stored = scalar(conn, "SELECT value FROM meta WHERE key = 'definitions_sha256'")
    return bool(exists) and stored == fingerprint


def _rebuild_contributions(conn: duckdb.DuckDBPyConnection, defs: Definitions) -> None:
    sql = contributions_sql(contributing_kpis(defs), defs.catalogue)
    conn.execute(f"CREATE OR REPLACE TABLE kpi_contributions AS {sql}")
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('definitions_sha256', ?)",
                 [definitions_fingerprint(defs)])


def _update_contributions(conn: duckdb.DuckDBPyConnection, defs: Definitions,
                          only: Cells) -> None:
    """Drop the contributions of superseded submissions and add those of new ones."""
    cells = f"SELECT submission_id FROM submissions WHERE {cells_predicate(only)}"
    conn.execute(f"DELETE FROM kpi_contributions WHERE submission_id IN "
                 f"({cells} AND NOT is_current)")
    # Probing the store with the few submissions of the cells, not the other way round.
    new = [int(r[0]) for r in conn.execute(
        f"{cells} AND is_current EXCEPT SELECT submission_id FROM kpi_contributions "
        f"WHERE submission_id IN ({cells} AND is_current)").fetchall()]
    if new:
        # The bounds let DuckDB skip every stored block outside the new rows.
        rows = (f"t.submission_id BETWEEN {min(new)} AND {max(new)} "
                f"AND t.submission_id IN ({', '.join(map(str, new))})")
        sql = contributions_sql(contributing_kpis(defs), defs.catalogue, rows)
        conn.execute(f"INSERT INTO kpi_contributions BY NAME {sql}")


def _compute(conn: duckdb.DuckDBPyConnection, defs: Definitions, only: Cells | None) -> None:
    sync_covenants(conn, defs)
    if only is None or not _contributions_current(conn, definitions_fingerprint(defs)):
        only = None  # changed definitions invalidate every stored contribution
        _rebuild_contributions(conn, defs)
    else:
        _update_contributions(conn, defs, only)
    build_cells(conn, defs, only)
    build_mart(conn, defs, only)
    suppress_secondary(conn, defs)
    conn.execute(f"DELETE FROM kpi_values WHERE {cells_predicate(only)}")
    conn.execute("INSERT INTO kpi_values BY NAME SELECT * FROM kpi_mart")
    write_company_values(conn, defs, only)
    write_progress(conn, defs, None if only is None else {c for c, _ in only})
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('last_compute', now()::VARCHAR)")
    for table in TEMP_TABLES:
        conn.execute(f"DROP TABLE IF EXISTS temp.{table}")


def compute_kpis(conn: duckdb.DuckDBPyConnection, defs: Definitions, *,
                 only: Cells | None = None) -> int:
    """Recompute the KPI mart and progress, for the (covenant, year) cells in `only` or all.

    Return the number of values in the mart. When the definitions changed since the last
    computation everything is recomputed, whatever `only` says.
    """
    conn.begin()
    try:
        _compute(conn, defs, only)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return int(scalar(conn, "SELECT count(*) FROM kpi_values"))


SUMMARY = """
SELECT count(*) FILTER (WHERE breakdown = 'total'), count(*) FILTER (WHERE breakdown <> 'total'),
    count(*) FILTER (WHERE suppression_reason LIKE 'min_contributors:%'),
    count(*) FILTER (WHERE suppression_reason LIKE 'dominance:%'),
    count(*) FILTER (WHERE suppression_reason = 'secondary'),
    count(*) FILTER (WHERE low_coverage AND numerator IS NOT NULL),
    count(*) FILTER (WHERE series_break)
FROM kpi_values
"""
SUMMARY_KEYS = ("totals", "breakdown values", "suppressed: too few members",
                "suppressed: dominance", "suppressed: secondary", "on low coverage",
                "series breaks")


def mart_summary(conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Return how many values the mart holds, how many are suppressed and why, and more."""
    row = first_row(conn, SUMMARY) or (0,) * len(SUMMARY_KEYS)
    return dict(zip(SUMMARY_KEYS, map(int, row), strict=True))
