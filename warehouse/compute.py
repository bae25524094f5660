"""Compute the KPI mart: every applicable KPI per covenant and year, with coverage and progress."""

from typing import Any

import duckdb
import polars as pl

from imvo.definitions.models import Definitions
from warehouse.compile import compile_kpi
from warehouse.connection import scalar
from warehouse.progress import assess_progress, next_milestone

COVERAGE = """
CREATE OR REPLACE TEMP VIEW coverage AS
WITH years AS (
    SELECT slug AS covenant, unnest(range(first_year, last_year + 1)) AS year FROM covenants
), bound AS (
    SELECT y.covenant, y.year, count(m.member_id) AS members_bound
    FROM years y LEFT JOIN members m ON m.covenant = y.covenant
        AND m.joined <= make_date(y.year, 12, 31)
        AND (m.left_on IS NULL OR m.left_on >= make_date(y.year, 1, 1))
    GROUP BY ALL
), submitted AS (
    SELECT covenant, year, count(DISTINCT member_id) AS members_submitted
    FROM submissions WHERE is_current GROUP BY ALL
)
SELECT b.covenant, b.year, b.members_bound, coalesce(s.members_submitted, 0) AS members_submitted
FROM bound b LEFT JOIN submitted s USING (covenant, year)
"""

MART = """
INSERT INTO kpi_values
SELECT a.covenant, a.kpi, c.year,
    CASE WHEN r.numerator IS NULL THEN NULL
         WHEN NOT a.is_ratio THEN r.numerator
         WHEN r.denominator > 0 THEN 100.0 * r.numerator / r.denominator END AS value,
    r.numerator, r.denominator, coalesce(r.contributors, 0) AS contributors,
    c.members_bound, c.members_submitted,
    CASE WHEN c.members_bound > 0 THEN c.members_submitted / c.members_bound END AS coverage,
    NOT a.is_register AND coalesce(c.members_submitted / nullif(c.members_bound, 0), 0)
        < a.coverage_threshold AS low_coverage,
    NOT a.is_register AND r.numerator IS NOT NULL
        AND coalesce(r.contributors, 0) < a.min_contributors AS suppressed,
    CASE WHEN NOT a.is_register AND r.numerator IS NOT NULL
        AND coalesce(r.contributors, 0) < a.min_contributors
        THEN 'min_contributors:' || a.min_contributors END AS suppression_reason
FROM applicable a
JOIN coverage c ON c.covenant = a.covenant
LEFT JOIN kpi_raw r ON r.covenant = a.covenant AND r.kpi = a.kpi AND r.year = c.year
"""


def sync_covenants(conn: duckdb.DuckDBPyConnection, defs: Definitions) -> None:
    """Write the covenants of the definitions into the warehouse."""
    conn.execute("DELETE FROM covenants")
    conn.executemany("INSERT INTO covenants VALUES (?, ?, ?, ?, ?, ?, ?)", [
        (c.slug, c.name.nl, c.name.en, c.signed, c.first_year, c.last_year, c.secretariat)
        for c in defs.covenants.values()])


def _applicable(defs: Definitions) -> pl.DataFrame:
    rows = [{"covenant": c.slug, "kpi": k.id, "is_ratio": k.denominator is not None,
             "is_register": k.numerator.count == "bound_members",
             "min_contributors": c.min_contributors, "coverage_threshold": c.coverage_threshold}
            for c in defs.covenants.values() for k in defs.covenant_kpis(c.slug)]
    return pl.DataFrame(rows)


def raw_values_sql(defs: Definitions) -> str:
    """Return one query with numerator, denominator and contributors of every KPI."""
    parts = [f"SELECT '{kpi.id}' AS kpi, covenant, year::INTEGER AS year, "
             f"numerator::DOUBLE AS numerator, denominator::DOUBLE AS denominator, "
             f"contributors::INTEGER AS contributors FROM ({compile_kpi(kpi, defs.catalogue)})"
             for kpi in defs.kpis.values()]
    return "\nUNION ALL\n".join(parts)


def _progress_rows(conn: duckdb.DuckDBPyConnection, defs: Definitions) -> list[tuple[Any, ...]]:
    values = conn.sql("SELECT covenant, kpi, year, value FROM kpi_values "
                          "WHERE value IS NOT NULL AND NOT suppressed").pl()
    rows: list[tuple[Any, ...]] = []
    for cov in defs.covenants.values():
        for target in cov.targets:
            points = values.filter((pl.col("covenant") == cov.slug) & (pl.col("kpi") == target.kpi))
            pairs = list(zip(points["year"].to_list(), points["value"].to_list(), strict=True))
            latest = max((y for y, _ in pairs), default=target.baseline.year)
            goal = next_milestone([(m.year, m.value) for m in target.milestones], latest)
            result = assess_progress(
                pairs, baseline=(target.baseline.year, target.baseline.value), target=goal,
                higher_is_better=defs.kpis[target.kpi].direction == "higher")
            last = dict(pairs).get(latest)
            rows.append((cov.slug, target.kpi, result.status, result.ratio, result.method,
                         latest if last is not None else None, last, result.target_year,
                         result.target_value, result.year_reached))
    return rows


def compute_kpis(conn: duckdb.DuckDBPyConnection, defs: Definitions) -> int:
    """Recompute the whole KPI mart and the progress assessments; return the number of values."""
    conn.begin()
    try:
        sync_covenants(conn, defs)
        conn.execute(COVERAGE)
        conn.register("applicable", _applicable(defs))
        conn.execute(f"CREATE OR REPLACE TEMP TABLE kpi_raw AS {raw_values_sql(defs)}")
        conn.execute("DELETE FROM kpi_values")
        conn.execute(MART)
        conn.execute("DELETE FROM kpi_progress")
        conn.executemany("INSERT INTO kpi_progress VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         _progress_rows(conn, defs))
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('last_compute', now()::VARCHAR)")
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.unregister("applicable")
    return int(scalar(conn, "SELECT count(*) FROM kpi_values"))
