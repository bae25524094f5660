"""Progress against the targets as of the pack's year, by the method of the KPI mart."""

from dataclasses import dataclass

import polars as pl

from imvo.definitions.models import Covenant, KpiDefinition
from warehouse.progress import assess_progress, next_milestone


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


def progress_as_of(values: pl.DataFrame, *, covenant: Covenant, kpis: dict[str, KpiDefinition],
                   year: int) -> dict[str, Progress]:
    """Return the status of each targeted KPI as the mart would judge it with data up to `year`.

    Like the mart, only published (unsuppressed) values count, so every role gets the same
    judgement; with `year` at or after the newest data this equals the stored assessment.
    """
    shown = values.filter((pl.col("year") <= year) & pl.col("value").is_not_null()
                          & ~pl.col("suppressed"))
    judged: dict[str, Progress] = {}
    for target in covenant.targets:
        rows = shown.filter(pl.col("kpi") == target.kpi).sort("year")
        points = list(zip(rows["year"].to_list(), rows["value"].to_list(), strict=True))
        latest = max((y for y, _ in points), default=target.baseline.year)
        goal = next_milestone([(m.year, m.value) for m in target.milestones], latest)
        result = assess_progress(points, baseline=(target.baseline.year, target.baseline.value),
                                 target=goal,
                                 higher_is_better=kpis[target.kpi].direction == "higher")
        judged[target.kpi] = Progress(
            target.kpi, result.status, result.method, latest if points else None,
            result.target_year, result.target_value, result.year_reached)
    return judged
