"""Disclosure control: no published value may reveal one company's data (DESIGN §7).

Primary rules, per value (applied in the mart's SQL): at least `min_contributors` contributing
members (3 unless the covenant asks more), and for volume-weighted KPIs the dominance rule
(top, percent): the `top` largest contributions may not exceed `percent` % of the numerator or
of the denominator (2 and 85 unless the covenant is stricter).

Secondary suppression, per breakdown: the categories of a breakdown add up to the total, so with
the total and all but one category published the last one could be derived by subtraction. When a
category is suppressed, more are suppressed (the smallest first) until the suppressed categories
together again pass the primary rules; when the total is suppressed, at least one category is, so
the total cannot be added up from its categories.
"""

from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import polars as pl

from imvo.definitions.models import Catalogue, Definitions, KpiDefinition
from warehouse.cells import MEMBER_TOTALS, breakdown_source
from warehouse.compile import column, stored_contributions

SECONDARY = "secondary"
GROUP = ["covenant", "kpi", "year", "breakdown"]
CELL = [*GROUP, "category"]

GROUPS_TO_CHECK = """
SELECT m.covenant, m.kpi, m.year, m.breakdown, m.category, m.numerator, m.denominator,
    m.contributors, m.suppressed, t.suppressed AS total_suppressed
FROM kpi_mart m JOIN kpi_mart t ON t.covenant = m.covenant AND t.kpi = m.kpi
    AND t.year = m.year AND t.breakdown = 'total'
WHERE m.breakdown <> 'total'
QUALIFY bool_or(m.suppressed) OVER (PARTITION BY m.covenant, m.kpi, m.year, m.breakdown)
    OR t.suppressed
"""


@dataclass(frozen=True)
class Rule:
    """The primary rules one covenant applies to one KPI."""

    min_contributors: int
    top: int
    percent: float
    volume: bool


def rules(defs: Definitions) -> dict[tuple[str, str], Rule]:
    """Return the rule of every covenant and applicable KPI."""
    return {(c.slug, k.id): Rule(c.disclosure.min_contributors, c.disclosure.dominance.top,
                                 c.disclosure.dominance.percent, k.weighting == "volume")
            for c in defs.covenants.values() for k in defs.covenant_kpis(c.slug)}


def _dominated(values: pl.Series, rule: Rule) -> bool:
    total = float(values.sum() or 0)  # a column of only nulls adds up to None
    if total <= 0:
        return False
    largest = float(values.drop_nulls().sort(descending=True).head(rule.top).sum() or 0)
    return largest > rule.percent / 100 * total


def passes(members: pl.DataFrame, rule: Rule) -> bool:
    """Tell whether an aggregate of these member contributions may be published."""
    per_member = members.group_by("member_id").agg(
        pl.col("numerator").sum(), pl.col("denominator").sum(), pl.col("counted").max())
    if per_member["counted"].sum() < rule.min_contributors:
        return False
    return not (rule.volume and any(_dominated(per_member[c], rule)
                                    for c in ("numerator", "denominator")))


def complements(cells: pl.DataFrame, members: pl.DataFrame, rule: Rule, *,
                total_published: bool) -> list[str]:
    """Return the categories of one breakdown to suppress so no suppressed one can be derived."""
    hidden = cells.filter(pl.col("suppressed"))["category"].to_list()
    size = pl.coalesce("denominator", "numerator")
    candidates = cells.filter(~pl.col("suppressed")).sort(
        ["contributors", size, "category"], nulls_last=False)["category"].to_list()
    if not total_published:
        return [] if hidden or not candidates else candidates[:1]
    chosen: list[str] = []

    def protected() -> bool:
        union = members.filter(pl.col("category").is_in(hidden + chosen))
        return len(hidden + chosen) >= 2 and passes(union, rule)

    while hidden and candidates and not protected():
        chosen.append(candidates.pop(0))
    return chosen


def _members_sql(kpi: KpiDefinition, breakdown: str, catalogue: Catalogue) -> str:
    n, d, b = (column(kpi.id, p) for p in "ndb")
    source = breakdown_source(catalogue, breakdown)
    table, category = ((MEMBER_TOTALS, "size_class") if source is None else
                       (stored_contributions(f"c.source = '{source}'"), "category"))
    return (f"SELECT x.covenant, '{kpi.id}' AS kpi, x.year, '{breakdown}' AS breakdown, "
            f"x.{category} AS category, x.member_id, x.{n}::DOUBLE AS numerator, "
            f"{'x.' + d if kpi.denominator else 'NULL'}::DOUBLE AS denominator, "
            f"x.{b}::INTEGER AS counted FROM {table} x SEMI JOIN wanted w "
            f"ON w.covenant = x.covenant AND w.year = x.year AND w.kpi = '{kpi.id}' "
            f"AND w.breakdown = '{breakdown}'")


def _members(conn: duckdb.DuckDBPyConnection, defs: Definitions,
             wanted: pl.DataFrame) -> pl.DataFrame:
    """Return the member contributions to the categories of the given breakdown groups."""
    pairs = wanted.select("kpi", "breakdown").unique().sort("kpi", "breakdown").rows()
    parts = [_members_sql(defs.kpis[k], b, defs.catalogue) for k, b in pairs]
    conn.register("wanted", wanted)
    try:
        frame: pl.DataFrame = conn.sql("\nUNION ALL\n".join(parts)).pl()
        return frame
    finally:
        conn.unregister("wanted")


def _choose(cells: pl.DataFrame, members: pl.DataFrame,
            rule_of: Callable[[str, str], Rule]) -> list[tuple[object, ...]]:
    chosen: list[tuple[object, ...]] = []
    by_group = members.partition_by(GROUP, as_dict=True) if members.height else {}
    for key, group in cells.partition_by(GROUP, as_dict=True).items():
        empty = members.clear()
        picked = complements(group, by_group.get(key, empty), rule_of(str(key[0]), str(key[1])),
                             total_published=not group["total_suppressed"][0])
        chosen += [(*key, category) for category in picked]
    return chosen


def suppress_secondary(conn: duckdb.DuckDBPyConnection, defs: Definitions) -> int:
    """Suppress categories in kpi_mart that would reveal a suppressed one; return how many."""
    cells = conn.sql(GROUPS_TO_CHECK).pl()
    if cells.is_empty():
        return 0
    wanted = cells.filter(~pl.col("total_suppressed")).select(GROUP).unique()
    members = _members(conn, defs, wanted) if wanted.height else pl.DataFrame()
    table = rules(defs)
    chosen = _choose(cells, members, lambda covenant, kpi: table[(covenant, kpi)])
    if not chosen:
        return 0
    conn.register("secondary", pl.DataFrame(chosen, schema=CELL, orient="row"))
    try:
        conn.execute(f"UPDATE kpi_mart m SET suppressed = TRUE, suppression_reason = '{SECONDARY}' "
                     "FROM secondary s WHERE m.covenant = s.covenant AND m.kpi = s.kpi "
                     "AND m.year = s.year AND m.breakdown = s.breakdown "
                     "AND m.category = s.category")
    finally:
        conn.unregister("secondary")
    return len(chosen)
