"""Progress against the targets as of the pack's year.

A pack for the newest year shows the mart's stored assessment, exactly as on screen. A pack for
an earlier year judges the values up to that year with the mart's own function and inputs: only
published (unsuppressed) totals count, so every role gets the same judgement.
"""

from dataclasses import dataclass
from typing import Any

import polars as pl

from imvo.definitions.models import Covenant, Definitions, Target
from warehouse.targets import assess_target


@dataclass(frozen=True)
class Progress:
    """One KPI's status against its next milestone, judged on values up to a year."""

    kpi: str
    status: str
    method: str
    latest_year: int | None
    target_year: int
    target_value: float
    year_reached: int | None
    baseline: tuple[int, float]
    series_break: int | None


def _stored(row: dict[str, Any], target: Target) -> Progress:
    year, value = row.get("baseline_year"), row.get("baseline_value")
    used = ((int(year), float(value)) if year is not None and value is not None
            else (target.baseline.year, target.baseline.value))
    return Progress(row["kpi"], row["status"], row["method"], row["latest_year"],
                    row["target_year"], row["target_value"], row["year_reached"], used,
                    row.get("series_break"))


def _judge(shown: pl.DataFrame, target: Target, defs: Definitions, covenant: str,
           year: int) -> Progress:
    rows = shown.filter((pl.col("kpi") == target.kpi) & (pl.col("year") <= year)).sort("year")
    points = list(zip(rows["year"].to_list(), rows["value"].to_list(), strict=True))
    result = assess_target(
        points, baseline=(target.baseline.year, target.baseline.value),
        milestones=[(m.year, m.value) for m in target.milestones],
        higher_is_better=defs.kpis[target.kpi].direction == "higher",
        breaks=defs.series_breaks(covenant, target.kpi))
    judged = result.next
    return Progress(target.kpi, judged.status, judged.method,
                    max(points)[0] if points else None, judged.target_year,
                    judged.target_value, judged.year_reached, result.baseline,
                    result.series_break)


def progress_as_of(values: pl.DataFrame, stored: pl.DataFrame, defs: Definitions, *,
                   covenant: Covenant, year: int) -> dict[str, Progress]:
    """Return the status of each targeted KPI of a covenant with data up to `year`."""
    saved = {row["kpi"]: row for row in stored.iter_rows(named=True)}
    shown = values.filter(pl.col("value").is_not_null() & ~pl.col("suppressed"))
    judged = {}
    for target in covenant.targets:
        row = saved.get(target.kpi)
        later = shown.filter((pl.col("kpi") == target.kpi) & (pl.col("year") > year)).height
        # The stored judgement rests on every published value; it holds when none is later.
        judged[target.kpi] = (_stored(row, target) if row is not None and not later
                              else _judge(shown, target, defs, covenant.slug, year))
    return judged
