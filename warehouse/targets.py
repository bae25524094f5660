"""Progress of each covenant's KPIs against the next milestone and the final target.

A series break (a year from which the KPI is measured differently) ends the comparability of the
values before it. The assessment then never runs across the break: it uses only the values from
the break year on, re-based on the first of them; with too few of those it is "insufficient_data"
with the method "series_break".
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import duckdb
import polars as pl

from imvo.definitions.models import Covenant, Definitions, Target
from warehouse.progress import (
    METHOD_SERIES_BREAK,
    METHOD_TOO_FEW_POINTS,
    Assessment,
    assess_progress,
    next_milestone,
)

Points = Sequence[tuple[int, float]]


@dataclass(frozen=True)
class TargetProgress:
    """One target judged against its next milestone and its final target."""

    next: Assessment
    final: Assessment
    baseline: tuple[int, float]
    """The baseline used: the declared one, or the first value after a series break."""
    series_break: int | None
    """The break year from which the values were taken, if a break re-based the baseline."""


def series_start(points: Points, baseline_year: int, breaks: Iterable[int]) -> int | None:
    """Return the latest break after the baseline year from which values were observed."""
    years = [y for y, _ in points]
    return max((b for b in breaks if b > baseline_year and any(y >= b for y in years)),
               default=None)


def _judge(points: Points, baseline: tuple[int, float], goal: tuple[int, float],
           higher_is_better: bool, rebased: bool) -> Assessment:
    if goal[0] <= baseline[0]:  # the new series starts at or after the target year
        return Assessment("insufficient_data", None, METHOD_SERIES_BREAK, goal[0], goal[1], None)
    result = assess_progress(list(points), baseline=baseline, target=goal,
                             higher_is_better=higher_is_better)
    if rebased and result.method == METHOD_TOO_FEW_POINTS:
        return replace(result, method=METHOD_SERIES_BREAK)
    return result


def assess_target(points: Points, *, baseline: tuple[int, float],
                  milestones: Sequence[tuple[int, float]], higher_is_better: bool,
                  breaks: Iterable[int] = ()) -> TargetProgress:
    """Judge observed values against the next milestone and the final target, per series."""
    start = series_start(points, baseline[0], breaks)
    if start is not None:
        points = sorted((y, v) for y, v in points if y >= start)
        baseline = points[0]
    latest = max((y for y, _ in points if y > baseline[0]), default=baseline[0])
    goal, final = next_milestone(list(milestones), latest), max(milestones)
    rebased = start is not None
    return TargetProgress(_judge(points, baseline, goal, higher_is_better, rebased),
                          _judge(points, baseline, final, higher_is_better, rebased),
                          baseline, start)


def _row(cov: Covenant, target: Target, points: Points, defs: Definitions) -> dict[str, Any]:
    result = assess_target(
        points, baseline=(target.baseline.year, target.baseline.value),
        milestones=[(m.year, m.value) for m in target.milestones],
        higher_is_better=defs.kpis[target.kpi].direction == "higher",
        breaks=defs.series_breaks(cov.slug, target.kpi))
    latest = max(points, default=None)
    nxt, final = result.next, result.final
    return {"covenant": cov.slug, "kpi": target.kpi, "status": nxt.status, "ratio": nxt.ratio,
            "method": nxt.method, "latest_year": latest[0] if latest else None,
            "latest_value": latest[1] if latest else None, "target_year": nxt.target_year,
            "target_value": nxt.target_value, "year_reached": nxt.year_reached,
            "baseline_year": result.baseline[0], "baseline_value": result.baseline[1],
            "series_break": result.series_break, "final_status": final.status,
            "final_ratio": final.ratio, "final_year": final.target_year,
            "final_value": final.target_value, "final_year_reached": final.year_reached}


def write_progress(conn: duckdb.DuckDBPyConnection, defs: Definitions,
                   covenants: set[str] | None = None) -> int:
    """Recompute kpi_progress for some covenants (all for None) from published totals."""
    chosen = [c for c in defs.covenants.values() if covenants is None or c.slug in covenants]
    values = conn.sql("SELECT covenant, kpi, year, value FROM kpi_values WHERE breakdown = "
                      "'total' AND value IS NOT NULL AND NOT suppressed").pl()
    rows = []
    for cov in chosen:
        for target in cov.targets:
            mine = values.filter(covenant=cov.slug, kpi=target.kpi)
            rows.append(_row(cov, target, list(mine.select("year", "value").iter_rows()), defs))
    slugs = [c.slug for c in chosen]
    conn.execute("DELETE FROM kpi_progress WHERE list_contains(?, covenant)", [slugs])
    if rows:
        conn.register("progress_rows", pl.DataFrame(rows, infer_schema_length=None))
        try:
            conn.execute("INSERT INTO kpi_progress BY NAME SELECT * FROM progress_rows")
        finally:
            conn.unregister("progress_rows")
    return len(rows)
