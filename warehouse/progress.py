"""Progress of a KPI towards its target with the observed-versus-required growth method.

The method is Statistics Canada's adaptation of Eurostat's SDG progress assessment, as
documented by Open SDG (open-sdg/open-sdg docs/progress-methodology.md) and implemented in
open-sdg/sdg-build (sdg/ProgressMeasure.py). This is an independent reimplementation:

    CAGR_o = (x_t / x_0) ** (1 / (t - t_0)) - 1      observed growth, baseline to latest value
    CAGR_r = (x_T / x_0) ** (1 / (T - t_0)) - 1      growth required to reach the target on time
    R = s * d * CAGR_o / |CAGR_r|

with d = +1 when higher is better and -1 when lower is better, and s = -1 when the baseline
is negative (else +1). Whenever the target lies in the desired direction from the baseline,
R equals CAGR_o / CAGR_r; the |.| keeps a wrong-way move judged as such when the baseline
already beats the target. A met target overrides R. Because the model is exponential, a
baseline or target of exactly zero is replaced by 0.001 (method id "cagr_zero_adjusted"),
and values of different sign cannot be assessed.

year_reached continues CAGR_o from the latest value and gives the first whole year the
(zero-adjusted) target is reached; it is the latest year when the target is already met and
None when the pace is zero or leads away. Without an observation after the baseline year the
status is "insufficient_data" (the method's "unable to assess"), even if the baseline meets
the target.
"""

import math
from dataclasses import dataclass
from typing import Literal

Status = Literal[
    "target_met", "on_track", "moderate", "insufficient", "moving_away", "insufficient_data"
]

ON_TRACK_RATIO = 0.95
"""R at or above this: substantial progress, on track."""
MODERATE_RATIO = 0.60
"""R at or above this (and below ON_TRACK_RATIO): progress made but acceleration needed."""
INSUFFICIENT_RATIO = 0.0
"""R at or above this (and below MODERATE_RATIO): limited progress; below it: moving away."""
ZERO_SUBSTITUTE = 0.001
"""Stand-in for a baseline or target of exactly zero, as the method prescribes."""

METHOD_CAGR = "cagr"
METHOD_CAGR_ZERO_ADJUSTED = "cagr_zero_adjusted"
METHOD_TOO_FEW_POINTS = "too_few_points"
METHOD_MIXED_SIGNS = "mixed_signs"
METHOD_SERIES_BREAK = "series_break"

STATUS_LABELS: dict[Status, dict[str, str]] = {
    "target_met": {"nl": "Doel gehaald", "en": "Target met"},
    "on_track": {"nl": "Op koers", "en": "On track"},
    "moderate": {"nl": "Matige vooruitgang", "en": "Moderate progress"},
    "insufficient": {"nl": "Onvoldoende vooruitgang", "en": "Insufficient progress"},
    "moving_away": {"nl": "Beweegt van het doel af", "en": "Moving away from the target"},
    "insufficient_data": {"nl": "Onvoldoende gegevens", "en": "Insufficient data"},
}

METHOD_LABELS: dict[str, dict[str, str]] = {
    METHOD_CAGR: {
        "nl": "Eurostat/Open SDG: waargenomen t.o.v. benodigde jaarlijkse groei",
        "en": "Eurostat/Open SDG: observed versus required annual growth",
    },
    METHOD_CAGR_ZERO_ADJUSTED: {
        "nl": "Eurostat/Open SDG: waargenomen t.o.v. benodigde jaarlijkse groei, "
        "met een basis- of doelwaarde van 0 vervangen door 0,001",
        "en": "Eurostat/Open SDG: observed versus required annual growth, "
        "with a baseline or target of 0 replaced by 0.001",
    },
    METHOD_TOO_FEW_POINTS: {
        "nl": "Niet beoordeeld: geen waarneming na het basisjaar",
        "en": "Not assessed: no observation after the baseline year",
    },
    METHOD_MIXED_SIGNS: {
        "nl": "Niet beoordeeld: basis-, laatste of doelwaarde verschillen in teken",
        "en": "Not assessed: baseline, latest and target values differ in sign",
    },
    METHOD_SERIES_BREAK: {
        "nl": "Niet beoordeeld: te weinig waarnemingen sinds de trendbreuk",
        "en": "Not assessed: too few observations since the series break",
    },
}


@dataclass(frozen=True)
class Assessment:
    """The judgement of one KPI's observed values against its target."""

    status: Status
    ratio: float | None
    method: str
    target_year: int
    target_value: float
    year_reached: int | None


def _latest(points: list[tuple[int, float]], after: int,
            until: int | None) -> tuple[int, float] | None:
    """Return the latest point after the baseline year (and not after `until`), if any."""
    by_year: dict[int, float] = {}
    for year, value in points:
        if year in by_year and by_year[year] != value:
            raise ValueError(f"two different values for year {year}")
        by_year[year] = value
    years = [y for y in by_year if y > after and (until is None or y <= until)]
    return (max(years), by_year[max(years)]) if years else None


def _cagr(end: float, start: float, years: int) -> float:
    """Return the compound annual growth rate from start to end over a number of years."""
    return math.pow(end / start, 1 / years) - 1


def _is_met(value: float, target: float, higher_is_better: bool) -> bool:
    """Tell whether a value meets the target in the desired direction."""
    return value >= target if higher_is_better else value <= target


def _classify(ratio: float) -> Status:
    """Return the status for a ratio of observed over required growth."""
    if ratio >= ON_TRACK_RATIO:
        return "on_track"
    if ratio >= MODERATE_RATIO:
        return "moderate"
    if ratio >= INSUFFICIENT_RATIO:
        return "insufficient"
    return "moving_away"


def _year_reached(year: int, value: float, goal: float, growth: float) -> int | None:
    """Return the first whole year the goal is reached from (year, value) at this growth."""
    if growth == 0 or growth <= -1:
        return None
    steps = math.log(goal / value) / math.log(1 + growth)
    if steps < 0:
        return None  # the observed pace leads away from the goal
    return year + math.ceil(steps - 1e-9)  # tolerance: 2.0000000001 steps is 2 years


def _adjusted(value: float) -> float:
    """Return the value, or ZERO_SUBSTITUTE when it is exactly zero."""
    return value if value != 0 else ZERO_SUBSTITUTE


def _growth(baseline: tuple[int, float], latest: tuple[int, float], target: tuple[int, float],
            higher_is_better: bool) -> tuple[float, float | None]:
    """Return CAGR_o and R = s*d*CAGR_o/|CAGR_r| (R is None when CAGR_r is zero)."""
    (t0, base), (t, xt), (target_year, goal) = baseline, latest, target
    observed = _cagr(xt, base, t - t0)
    required = _cagr(goal, base, target_year - t0)
    if required == 0:
        return observed, None
    sign = (-1 if base < 0 else 1) * (1 if higher_is_better else -1)
    return observed, sign * observed / abs(required)


def assess_progress(points: list[tuple[int, float]], *, baseline: tuple[int, float],
                    target: tuple[int, float], higher_is_better: bool,
                    current_year: int | None = None) -> Assessment:
    """Judge observed values against a target with the observed-vs-required growth method."""
    (t0, x0), (target_year, target_value) = baseline, target
    if target_year <= t0:
        raise ValueError("the target year must come after the baseline year")
    latest = _latest(points, t0, current_year)  # current_year: judge as of that year

    def result(status: Status, ratio: float | None, method: str, reached: int | None) -> Assessment:
        return Assessment(status, ratio, method, target_year, target_value, reached)

    if latest is None:
        return result("insufficient_data", None, METHOD_TOO_FEW_POINTS, None)
    t, xt = latest
    met = _is_met(xt, target_value, higher_is_better)
    base, goal = _adjusted(x0), _adjusted(target_value)
    if base * xt < 0 or base * goal < 0:  # the exponential model needs one sign throughout
        status: Status = "target_met" if met else "insufficient_data"
        return result(status, None, METHOD_MIXED_SIGNS, t if met else None)
    method = METHOD_CAGR if (base, goal) == (x0, target_value) else METHOD_CAGR_ZERO_ADJUSTED
    observed, ratio = _growth((t0, base), latest, (target_year, goal), higher_is_better)
    if met:
        return result("target_met", ratio, method, t)
    # ratio is None: the target equals the baseline and is not met, so the value moved away
    status = _classify(ratio) if ratio is not None else "moving_away"
    return result(status, ratio, method, _year_reached(t, xt, goal, observed))


def next_milestone(milestones: list[tuple[int, float]], latest_year: int) -> tuple[int, float]:
    """Return the first milestone after the latest year, else the last one (the final target)."""
    if not milestones:
        raise ValueError("no milestones")
    ordered = sorted(milestones)
    return next((m for m in ordered if m[0] > latest_year), ordered[-1])
