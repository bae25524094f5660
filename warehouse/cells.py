"""Aggregate the contributions into the cells of the KPI mart: per covenant, year and category.

The total and the size-class cells add up member totals (a member's contributions over all its
categories); the country and material cells add up the contributions of that category directly.
Every cell carries its numerator, denominator, contributors and, for volume-weighted KPIs, the
largest member contributions that the dominance rule needs.
"""

import duckdb

from imvo.definitions.models import Catalogue, Definitions, KpiDefinition
from warehouse.compile import TABLES, category_field, cells_predicate, column, stored_contributions

TOTAL = "total"
MEMBER_TOTALS = "kpi_member_totals"


def contributing_kpis(defs: Definitions) -> list[KpiDefinition]:
    """Return the KPIs computed from submissions (all but counts of the member register)."""
    return [k for k in defs.kpis.values() if k.numerator.count != "bound_members"]


def kpi_parts(kpi: KpiDefinition) -> list[str]:
    """Return the contribution columns of a KPI: numerator, denominator (ratios), basis."""
    return ["n", "d", "b"] if kpi.denominator else ["n", "b"]


def _member_aggregate(kpi: KpiDefinition, part: str) -> str:
    measure = {"n": kpi.numerator, "d": kpi.denominator}.get(part)
    # A member counted in any of its categories counts once in its total.
    how = "max" if part == "b" or (measure is not None and measure.counts_members) else "sum"
    return f"{how}({column(kpi.id, part)}) AS {column(kpi.id, part)}"


def member_totals_sql(kpis: list[KpiDefinition], where: str) -> str:
    """Return each member's contributions added up over its categories, with its size class."""
    items = ", ".join(_member_aggregate(k, p) for k in kpis for p in kpi_parts(k))
    return (f"SELECT t.*, coalesce(m.size_class, 'unknown') AS size_class FROM ("
            f"SELECT covenant, year, member_id, {items} FROM {stored_contributions(where)} "
            f"GROUP BY covenant, year, member_id) t "
            f"LEFT JOIN members m USING (covenant, member_id)")


def _cell_items(kpi: KpiDefinition, top: int) -> list[str]:
    n, d, b = (column(kpi.id, p) for p in "ndb")
    items = [f"count(*) FILTER (WHERE {b})::INTEGER AS {column(kpi.id, 'c')}", f"sum({n}) AS {n}"]
    items += [f"sum({d}) AS {d}"] if kpi.denominator else []
    if kpi.weighting == "volume":  # the largest contributions, for the dominance rule
        items.append(f"max({n}, {top}) AS {column(kpi.id, 'tn')}")
        if kpi.denominator:
            items.append(f"max({d}, {top}) AS {column(kpi.id, 'td')}")
    return items


def breakdown_source(catalogue: Catalogue, breakdown: str) -> str | None:
    """Return the sheet whose contributions hold a breakdown's categories (None: the register)."""
    return next((t for t in TABLES if category_field(catalogue, t) == breakdown), None)


def grain_sql(kpis: list[KpiDefinition], catalogue: Catalogue, breakdown: str, *, top: int,
              where: str) -> str:
    """Return one wide row per covenant, year and category of a breakdown ('total' included)."""
    items = ", ".join(item for k in kpis for item in _cell_items(k, top))
    if breakdown == TOTAL:
        return (f"SELECT covenant, year, '{TOTAL}' AS category, {items} FROM {MEMBER_TOTALS} "
                "GROUP BY covenant, year")
    if breakdown == "size_class":
        return (f"SELECT covenant, year, size_class AS category, {items} FROM {MEMBER_TOTALS} "
                "GROUP BY ALL")
    source = breakdown_source(catalogue, breakdown)
    return (f"SELECT covenant, year, category, {items} FROM "
            f"{stored_contributions(f'c.source = {source!r} AND {where}')} GROUP BY ALL")


def long_sql(kpi: KpiDefinition, breakdown: str, wide: str) -> str:
    """Return one KPI's cells from a wide grain table, one row per covenant, year, category."""
    present = {"n", "c", "tn", "td"} if kpi.weighting == "volume" else {"n", "c"}
    if not kpi.denominator:
        present -= {"td"}
    present |= {"d"} if kpi.denominator else set()

    def col(part: str, cast: str) -> str:
        return f"{column(kpi.id, part)}::{cast}" if part in present else f"NULL::{cast}"

    return (f"SELECT covenant, year, '{kpi.id}' AS kpi, '{breakdown}' AS breakdown, category, "
            f"{col('n', 'DOUBLE')} AS numerator, {col('d', 'DOUBLE')} AS denominator, "
            f"{col('c', 'INTEGER')} AS contributors, {col('tn', 'DOUBLE[]')} AS top_numerator, "
            f"{col('td', 'DOUBLE[]')} AS top_denominator FROM {wide}")


def build_cells(conn: duckdb.DuckDBPyConnection, defs: Definitions,
                only: set[tuple[str, int]] | None) -> None:
    """Create the temp table kpi_cells with every cell of the covenant-years in `only` (or all)."""
    kpis, where = contributing_kpis(defs), cells_predicate(only, "s")
    top = max(c.disclosure.dominance.top for c in defs.covenants.values())
    conn.execute(f"CREATE OR REPLACE TEMP TABLE {MEMBER_TOTALS} AS "
                 f"{member_totals_sql(kpis, where)}")
    parts: list[str] = []
    for breakdown in (TOTAL, "size_class", "country", "material"):
        chosen = [k for k in kpis if breakdown == TOTAL or breakdown in k.breakdowns]
        if not chosen:
            continue
        wide = f"kpi_grain_{breakdown}"
        conn.execute(f"CREATE OR REPLACE TEMP TABLE {wide} AS "
                     f"{grain_sql(chosen, defs.catalogue, breakdown, top=top, where=where)}")
        parts += [long_sql(k, breakdown, wide) for k in chosen]
    conn.execute("CREATE OR REPLACE TEMP TABLE kpi_cells AS " + "\nUNION ALL\n".join(parts))


def company_values_sql(kpis: list[KpiDefinition]) -> str:
    """Return each member's own numerator and denominator per KPI from the member totals."""
    return "\nUNION ALL\n".join(
        f"SELECT covenant, year, member_id, '{k.id}' AS kpi, "
        f"{column(k.id, 'n')}::DOUBLE AS numerator, "
        f"{column(k.id, 'd') if k.denominator else 'NULL'}::DOUBLE AS denominator, "
        f"coalesce({column(k.id, 'b')}, FALSE) AS counted FROM {MEMBER_TOTALS}" for k in kpis)
