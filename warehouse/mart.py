"""Turn the cells into KPI values: value, coverage, series breaks and primary suppression."""

import duckdb
import polars as pl

from imvo.definitions.models import Definitions
from warehouse.cells import company_values_sql, contributing_kpis
from warehouse.compile import cells_predicate
from warehouse.schema import BOUND_IN_YEAR

COVERAGE = """
CREATE OR REPLACE TEMP TABLE kpi_coverage AS
WITH years AS (
    SELECT * FROM (
        SELECT slug AS covenant, unnest(range(first_year, last_year + 1))::INTEGER AS year
        FROM covenants)
    WHERE {where}
), bound AS (
    SELECT y.covenant, y.year, m.member_id, m.size_class
    FROM years y JOIN members m ON m.covenant = y.covenant
        AND {bound}
), submitted AS (
    SELECT DISTINCT covenant, year, member_id FROM submissions WHERE is_current
), counted AS (
    SELECT b.covenant, b.year, coalesce(b.size_class, 'unknown') AS size_class,
        count(*) AS members_bound, count(s.member_id) AS members_submitted
    FROM bound b LEFT JOIN submitted s USING (covenant, year, member_id) GROUP BY ALL
)
SELECT y.covenant, y.year, 'total' AS category,
    coalesce(sum(c.members_bound), 0)::INTEGER AS members_bound,
    coalesce(sum(c.members_submitted), 0)::INTEGER AS members_submitted
FROM years y LEFT JOIN counted c USING (covenant, year) GROUP BY ALL
UNION ALL
SELECT covenant, year, size_class, members_bound::INTEGER, members_submitted::INTEGER FROM counted
"""
"""Members bound and members that submitted, per covenant-year matching {where}, in total and
per size class."""

MART = """
CREATE OR REPLACE TEMP TABLE kpi_mart AS
WITH totals AS (
    SELECT a.covenant, a.kpi, v.year, 'total' AS breakdown, 'total' AS category,
        CASE WHEN a.is_register THEN v.members_bound ELSE r.numerator END AS numerator,
        r.denominator, CASE WHEN a.is_register THEN v.members_bound ELSE r.contributors END
            AS contributors, r.top_numerator, r.top_denominator
    FROM applicable a JOIN kpi_coverage v ON v.covenant = a.covenant AND v.category = 'total'
    LEFT JOIN kpi_cells r ON r.covenant = a.covenant AND r.kpi = a.kpi AND r.year = v.year
        AND r.breakdown = 'total'
    WHERE {where}
), cells AS (
    SELECT * FROM totals
    UNION ALL
    SELECT r.covenant, r.kpi, r.year, r.breakdown, r.category, r.numerator, r.denominator,
        r.contributors, r.top_numerator, r.top_denominator
    FROM kpi_cells r SEMI JOIN applicable a USING (covenant, kpi)
    WHERE r.breakdown <> 'total' AND r.contributors > 0  -- a category nobody answered for
), measured AS (  -- without a contributing member there is no value, not a zero
    SELECT c.* REPLACE (
            CASE WHEN NOT a.is_register AND coalesce(c.contributors, 0) = 0 THEN NULL
                 WHEN a.is_ratio AND c.denominator IS NOT NULL THEN coalesce(c.numerator, 0)
                 ELSE c.numerator END AS numerator,
            CASE WHEN coalesce(c.contributors, 0) > 0 THEN c.denominator END AS denominator),
        a.is_ratio, a.is_register, a.is_volume, a.scale, a.min_contributors, a.top, a.percent,
        a.coverage_threshold, a.breaks, v.members_bound, v.members_submitted
    FROM cells c JOIN applicable a USING (covenant, kpi)
    JOIN kpi_coverage v ON v.covenant = c.covenant AND v.year = c.year
        AND v.category = CASE WHEN c.breakdown = 'size_class' THEN c.category ELSE 'total' END
), judged AS (
    SELECT *, CASE
        WHEN is_register OR numerator IS NULL THEN NULL
        WHEN coalesce(contributors, 0) < min_contributors
            THEN 'min_contributors:' || min_contributors
        WHEN is_volume AND (
            (numerator > 0 AND list_sum(top_numerator[1:top]) > percent / 100 * numerator)
            OR (denominator > 0 AND list_sum(top_denominator[1:top]) > percent / 100 * denominator))
            THEN 'dominance:' || top || ',' || printf('%g', percent)
        END AS suppression_reason
    FROM measured
)
SELECT covenant, kpi, year, breakdown, category,
    CASE WHEN numerator IS NULL THEN NULL WHEN NOT is_ratio THEN numerator
         WHEN denominator > 0 THEN scale * numerator / denominator END AS value,
    numerator, denominator, coalesce(contributors, 0)::INTEGER AS contributors,
    members_bound, members_submitted,
    CASE WHEN members_bound > 0 THEN members_submitted / members_bound END AS coverage,
    NOT is_register AND coalesce(members_submitted / nullif(members_bound, 0), 0)
        < coverage_threshold AS low_coverage,
    suppression_reason IS NOT NULL AS suppressed, suppression_reason,
    list_contains(breaks, year) AS series_break
FROM judged
"""
"""Every KPI value of the covenant-years matching {where}, judged by the primary rules."""


COMPANY = """
INSERT INTO kpi_company_values BY NAME
SELECT u.covenant, u.kpi, u.year, u.member_id, u.numerator, u.denominator, u.counted,
    CASE WHEN NOT a.is_ratio THEN u.numerator
         WHEN u.denominator > 0 THEN a.scale * coalesce(u.numerator, 0) / u.denominator END
        AS value
FROM ({members}) u JOIN applicable a USING (covenant, kpi)
"""
"""Each member's own value per applicable KPI, for viewers with company rights."""


def applicable(defs: Definitions) -> pl.DataFrame:
    """Return per covenant and applicable KPI how it is computed and disclosed."""
    rows = [{"covenant": c.slug, "kpi": k.id, "is_ratio": k.denominator is not None,
             "is_register": k.numerator.count == "bound_members",
             "is_volume": k.weighting == "volume", "scale": 100.0 if k.unit == "percent" else 1.0,
             "min_contributors": c.disclosure.min_contributors,
             "top": c.disclosure.dominance.top, "percent": c.disclosure.dominance.percent,
             "coverage_threshold": c.coverage_threshold,
             "breaks": defs.series_breaks(c.slug, k.id)}
            for c in defs.covenants.values() for k in defs.covenant_kpis(c.slug)]
    return pl.DataFrame(rows, schema_overrides={"breaks": pl.List(pl.Int32)})


def build_mart(conn: duckdb.DuckDBPyConnection, defs: Definitions,
               only: set[tuple[str, int]] | None) -> None:
    """Create the temp table kpi_mart from kpi_cells for the covenant-years in `only` (or all)."""
    conn.execute(COVERAGE.format(where=cells_predicate(only), bound=BOUND_IN_YEAR))
    conn.register("applicable", applicable(defs))
    try:
        conn.execute(MART.format(where=cells_predicate(only, "v")))
    finally:
        conn.unregister("applicable")


def write_company_values(conn: duckdb.DuckDBPyConnection, defs: Definitions,
                         only: set[tuple[str, int]] | None) -> None:
    """Replace the members' own values of the covenant-years in `only` (or all)."""
    conn.execute(f"DELETE FROM kpi_company_values WHERE {cells_predicate(only)}")
    conn.register("applicable", applicable(defs))
    try:
        conn.execute(COMPANY.format(members=company_values_sql(contributing_kpis(defs))))
    finally:
        conn.unregister("applicable")
