"""Compile a KPI definition to DuckDB SQL over the current submissions.

Every compiled query returns one row per covenant and year that has data:
(covenant, year, numerator, denominator, contributors). A ratio of sums only uses rows where
both fields are answered, so a missing answer never counts as zero.
"""

from imvo.definitions.models import Catalogue, Condition, KpiDefinition, Measure, Table

CURRENT = "SELECT submission_id, covenant, member_id, year FROM submissions WHERE is_current"


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


def measure_table(measure: Measure, catalogue: Catalogue) -> Table:
    """Return the submission table a measure reads."""
    if measure.count in ("members", None):
        fields = measure.fields()
        return catalogue.field(next(iter(fields))).table if fields else "answers"
    return "sites" if measure.count == "sites" else "materials"


def _aggregate(measure: Measure, predicate: str) -> str:
    filt = f" FILTER (WHERE {predicate})"
    if measure.sum:
        return f"sum(t.{measure.sum}){filt}"
    if measure.count == "members":
        return f"count(DISTINCT s.member_id){filt}"
    return f"count(*){filt}"


def _basis(kpi: KpiDefinition, table: Table, catalogue: Catalogue) -> str:
    """Return the predicate of the rows a KPI stands on: all its fields of the table answered."""
    fields = sorted(f for f in kpi.fields() if catalogue.field(f).table == table)
    return " AND ".join(f"t.{f} IS NOT NULL" for f in fields) or "TRUE"


def _measure_query(kpi: KpiDefinition, measure: Measure, catalogue: Catalogue) -> str:
    table = measure_table(measure, catalogue)
    basis = _basis(kpi, table, catalogue)
    where = " AND ".join([basis, *(condition_sql(c) for c in measure.where)])
    return (f"SELECT s.covenant, s.year, {_aggregate(measure, where)} AS value, "
            f"count(DISTINCT s.member_id) FILTER (WHERE {basis}) AS contributors "
            f"FROM ({CURRENT}) s JOIN {table} t USING (submission_id) GROUP BY ALL")


def compile_kpi(kpi: KpiDefinition, catalogue: Catalogue) -> str:
    """Return the SQL of a KPI's numerator, denominator and contributors per covenant-year."""
    if kpi.numerator.count == "bound_members":
        return ("SELECT covenant, year, members_bound AS numerator, NULL::DOUBLE AS denominator, "
                "members_bound AS contributors FROM coverage")
    num = _measure_query(kpi, kpi.numerator, catalogue)
    if kpi.denominator is None:
        return (f"SELECT covenant, year, value AS numerator, NULL::DOUBLE AS denominator, "
                f"contributors FROM ({num})")
    den = _measure_query(kpi, kpi.denominator, catalogue)
    return (f"SELECT d.covenant, d.year, coalesce(n.value, 0) AS numerator, "
            f"d.value AS denominator, greatest(d.contributors, coalesce(n.contributors, 0)) "
            f"AS contributors FROM ({den}) d LEFT JOIN ({num}) n USING (covenant, year)")
