"""Compile KPI definitions to DuckDB SQL: what every submission contributes to every KPI.

A submission's contribution to a KPI is its numerator, its denominator and whether it counts as
a contributor, per category of the sheet it is read from (per country for sites, per material for
materials, one row for the company's answers). Every KPI value, of the total and of each
breakdown, is an aggregate of these contributions. A ratio of sums only uses rows where all the
KPI's fields of that sheet are answered, so a missing answer never counts as zero.
"""

from typing import get_args

from imvo.definitions.models import (
    Breakdown,
    Catalogue,
    Condition,
    KpiDefinition,
    Measure,
    Table,
)

CURRENT = "SELECT submission_id, covenant, member_id, year FROM submissions WHERE is_current"
TABLES: tuple[Table, ...] = ("answers", "sites", "materials")
UNKNOWN = "unknown"
"""The category of a row that leaves its breakdown field (e.g. the country) blank."""


def column(kpi_id: str, part: str) -> str:
    """Return the quoted column of one part of a KPI ('n', 'd', 'b', 'c', 'tn', 'td')."""
    return f'"{kpi_id}:{part}"'  # ':' never occurs in an id, so names cannot collide


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def condition_sql(cond: Condition) -> str:
    """Return the SQL predicate of one condition."""
    col = f"t.{cond.field}"
    if cond.answered is not None:
        return f"{col} IS {'NOT ' if cond.answered else ''}NULL"
    if cond.one_of is not None:
        return f"{col} IN ({', '.join(_literal(v) for v in cond.one_of)})"
    if cond.at_least is not None:
        return f"{col} >= {_literal(cond.at_least)}"
    if cond.at_most is not None:
        return f"{col} <= {_literal(cond.at_most)}"
    return f"{col} = {_literal(cond.equals)}"


def category_field(catalogue: Catalogue, table: Table) -> str | None:
    """Return the breakdown field read from a sheet (country, material), if it has one."""
    return next((f.id for f in catalogue.fields
                 if f.table == table and f.id in get_args(Breakdown)), None)


def measured_parts(kpi: KpiDefinition, catalogue: Catalogue, table: Table) -> dict[str, Measure]:
    """Return the parts of a KPI ('n', 'd') whose measure reads a sheet."""
    measures = {"n": kpi.numerator, "d": kpi.denominator}
    return {part: m for part, m in measures.items() if m is not None
            and m.count != "bound_members" and catalogue.measure_table(m) == table}


def basis_sql(kpi: KpiDefinition, catalogue: Catalogue, table: Table) -> str:
    """Return the predicate of the rows a KPI stands on: all its fields of the sheet answered."""
    fields = sorted(f for f in kpi.fields() if catalogue.field(f).table == table)
    return " AND ".join(f"t.{f} IS NOT NULL" for f in fields) or "TRUE"


def _aggregate(measure: Measure, predicate: str) -> str:
    filt = f" FILTER (WHERE {predicate})"
    if measure.sum:
        return f"sum(t.{measure.sum}){filt}"
    if measure.count == "members":
        return f"(count(*){filt} > 0)::INTEGER"  # the member counts once, however many rows
    return f"count(*){filt}"


def kpi_columns(kpi: KpiDefinition, catalogue: Catalogue, table: Table) -> list[str]:
    """Return the select items of a KPI's contribution from one sheet (none if it reads none)."""
    parts = measured_parts(kpi, catalogue, table)
    if not parts:
        return []
    basis = basis_sql(kpi, catalogue, table)
    items = [f"{_aggregate(m, ' AND '.join([basis, *map(condition_sql, m.where)]))}::DOUBLE "
             f"AS {column(kpi.id, part)}" for part, m in parts.items()]
    return [*items, f"bool_or({basis}) AS {column(kpi.id, 'b')}"]


def table_contributions_sql(kpis: list[KpiDefinition], catalogue: Catalogue, table: Table,
                            rows: str = "TRUE") -> str | None:
    """Return one sheet's contributions per current submission and category (None: unread).

    `rows` filters the sheet's rows (on t.submission_id) before they are added up.
    """
    items = [item for kpi in kpis for item in kpi_columns(kpi, catalogue, table)]
    if not items:
        return None
    field = category_field(catalogue, table)
    category = f"coalesce(t.{field}::VARCHAR, '{UNKNOWN}')" if field else "NULL::VARCHAR"
    # Keyed by submission only: the member's strings stay out of the big scan and the store.
    return (f"SELECT g.submission_id, '{table}' AS source, g.* EXCLUDE (submission_id) FROM ("
            f"SELECT t.submission_id, {category} AS category, {', '.join(items)} FROM {table} t "
            f"WHERE {rows} GROUP BY ALL) g SEMI JOIN ({CURRENT}) s USING (submission_id)")


def contributions_sql(kpis: list[KpiDefinition], catalogue: Catalogue, rows: str = "TRUE") -> str:
    """Return every current submission's contribution to every KPI, per sheet and category."""
    parts = [sql for table in TABLES
             if (sql := table_contributions_sql(kpis, catalogue, table, rows))]
    return "\nUNION ALL BY NAME\n".join(parts)


def stored_contributions(where: str = "TRUE") -> str:
    """Return the stored contributions of current submissions, each with its member and year.

    `where` selects them and may name c.source, s.covenant and s.year.
    """
    return (f"(SELECT s.covenant, s.year::INTEGER AS year, s.member_id, c.* "
            f"FROM kpi_contributions c JOIN submissions s USING (submission_id) "
            f"WHERE s.is_current AND {where})")


def cells_predicate(only: set[tuple[str, int]] | None, alias: str = "") -> str:
    """Return the predicate selecting the covenant-years in `only` (all of them for None)."""
    if only is None:
        return "TRUE"
    if not only:
        return "FALSE"
    prefix = f"{alias}." if alias else ""
    pairs = ", ".join(f"({_literal(c)}, {int(y)})" for c, y in sorted(only))
    return f"({prefix}covenant, {prefix}year) IN ({pairs})"
