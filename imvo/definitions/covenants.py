"""Strict models of a covenant declaration: period, KPIs, targets, outcome goals, disclosure."""

from datetime import date
from typing import Self

from pydantic import Field, model_validator

from imvo.definitions.base import SLUG, SeriesBreak, Strict, Text

MIN_CONTRIBUTORS = 3
"""An aggregate needs at least this many contributing members (a covenant may ask more)."""
DOMINANCE_TOP = 2
DOMINANCE_PERCENT = 85.0
"""Dominance rule (2, 85): suppressed when the 2 largest contributors exceed 85 % of the total."""


class Point(Strict):
    """A value in a year."""

    year: int = Field(ge=1990, le=2100)
    value: float


class OutcomeGoal(Strict):
    """A societal effect the covenant aims at; targets are linked to it."""

    id: str = Field(pattern=SLUG)
    name: Text


class Target(Strict):
    """A covenant's target for one KPI: a baseline and milestones, linked to an outcome goal."""

    kpi: str
    """The id of the KPI the target is about."""
    outcome_goal: str
    """The id of the outcome goal (under outcome_goals) this target serves."""
    baseline: Point
    milestones: list[Point] = Field(min_length=1)
    """Values to reach by a year, in increasing years; the last one is the final target."""
    source: str
    """Where the target comes from (or that it is illustrative)."""

    @model_validator(mode="after")
    def _milestones_after_baseline(self) -> Self:
        years = [m.year for m in self.milestones]
        if years != sorted(set(years)) or years[0] <= self.baseline.year:
            raise ValueError("milestones must be in increasing years after the baseline year")
        return self


class PublishedFigure(Strict):
    """A figure the covenant published itself, shipped with its source."""

    kpi: str | None = None
    label: Text | None = None
    year: int
    value: float
    source: str

    @model_validator(mode="after")
    def _kpi_or_label(self) -> Self:
        if (self.kpi is None) == (self.label is None):
            raise ValueError("give exactly one of kpi or label")
        return self


class Dominance(Strict):
    """The dominance rule (top, percent): the `top` largest contributors may not exceed it."""

    top: int = Field(default=DOMINANCE_TOP, ge=DOMINANCE_TOP, le=10)
    """How many of the largest contributors are added up (at least 2)."""
    percent: float = Field(default=DOMINANCE_PERCENT, gt=0, le=DOMINANCE_PERCENT)
    """The share of the total (at most 85) they may reach before the value is suppressed."""


class Disclosure(Strict):
    """Disclosure control of a covenant; it may only tighten the defaults (3 members, (2, 85))."""

    min_contributors: int = Field(default=MIN_CONTRIBUTORS, ge=MIN_CONTRIBUTORS)
    """An aggregate needs at least this many contributing members (3 or more)."""
    dominance: Dominance = Dominance()
    """Applies to volume-weighted KPIs."""


class CovenantBreak(SeriesBreak):
    """A series break in this covenant only, for some of its KPIs."""

    kpis: list[str] = Field(min_length=1)
    """The ids of the covenant's KPIs whose measurement changed."""


class Covenant(Strict):
    """One covenant (kpi_definitions/covenants/*.yaml)."""

    slug: str = Field(pattern=SLUG)
    """The covenant code; the file is named after it."""
    name: Text
    signed: date
    duration_years: int = Field(ge=1, le=15)
    first_year: int
    """The first reporting year."""
    last_year: int
    """The last reporting year."""
    secretariat: str
    kpis: list[str] = Field(min_length=1)
    """The ids of the KPIs that apply to this covenant, in the order they are shown."""
    outcome_goals: list[OutcomeGoal] = Field(min_length=1)
    targets: list[Target] = Field(min_length=1)
    published: list[PublishedFigure] = Field(default_factory=list)
    """Figures the covenant published itself, with their source."""
    disclosure: Disclosure = Disclosure()
    coverage_threshold: float = Field(0.6, ge=0, le=1)
    """Values resting on a lower share of bound members that submitted are flagged."""
    series_breaks: list[CovenantBreak] = Field(default_factory=list)
    """Years in which this covenant changed how some of its KPIs are measured."""

    @model_validator(mode="after")
    def _period(self) -> Self:
        if not self.signed.year <= self.first_year <= self.last_year:
            raise ValueError("need signed year <= first_year <= last_year")
        return self

    @property
    def years(self) -> range:
        """Return the reporting years of the covenant."""
        return range(self.first_year, self.last_year + 1)
