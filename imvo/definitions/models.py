"""Strict models of the declarations in kpi_definitions/: a typo is an error, never ignored."""

from datetime import date
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

Table = Literal["answers", "sites", "materials"]
FieldType = Literal["boolean", "integer", "number", "percent", "text", "country"]
Breakdown = Literal["country", "material", "size_class"]
Lang = Literal["nl", "en"]

SLUG = r"^[a-z][a-z0-9_-]*$"


class Strict(BaseModel):
    """Base of every declaration: unknown keys fail and values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in Dutch and English."""

    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: Lang) -> str:
        """Return the text in the given language."""
        return self.nl if lang == "nl" else self.en


class TableSpec(Strict):
    """One sheet of the questionnaire."""

    sheet: Text
    help: Text
    key: str | None = None


class FieldSpec(Strict):
    """One questionnaire field a KPI can use."""

    id: str = Field(pattern=SLUG)
    table: Table
    type: FieldType
    label: Text
    min: float | None = None
    max: float | None = None
    not_above: str | None = None


class Catalogue(Strict):
    """All questionnaire tables and fields (kpi_definitions/fields.yaml)."""

    tables: dict[Table, TableSpec]
    fields: list[FieldSpec]

    def field(self, field_id: str) -> FieldSpec:
        """Return the field with this id."""
        return next(f for f in self.fields if f.id == field_id)

    def ids(self) -> set[str]:
        """Return the ids of all fields."""
        return {f.id for f in self.fields}


class Condition(Strict):
    """A filter on one field: equal to a value, one of values, a bound, or answered at all."""

    field: str
    equals: bool | float | str | None = None
    one_of: list[str] | None = None
    at_least: float | None = None
    at_most: float | None = None
    answered: bool | None = None

    @model_validator(mode="after")
    def _one_operator(self) -> Self:
        ops = [self.equals, self.one_of, self.at_least, self.at_most, self.answered]
        if sum(op is not None for op in ops) != 1:
            raise ValueError(
                "give exactly one of equals, one_of, at_least, at_most, answered"
            )
        return self


class Measure(Strict):
    """A count of members or rows, or a sum of a field, with optional filters."""

    count: Literal["members", "bound_members", "sites", "materials"] | None = None
    sum: str | None = None
    where: list[Condition] = []

    @model_validator(mode="after")
    def _count_or_sum(self) -> Self:
        if (self.count is None) == (self.sum is None):
            raise ValueError("give exactly one of count or sum")
        if self.count == "bound_members" and self.where:
            raise ValueError("count: bound_members takes no where filter")
        return self

    def fields(self) -> set[str]:
        """Return the questionnaire fields this measure reads."""
        used = {c.field for c in self.where}
        return used | {self.sum} if self.sum else used


class KpiDefinition(Strict):
    """One KPI (kpi_definitions/kpis/*.yaml)."""

    id: str = Field(pattern=SLUG)
    name: Text
    description: Text
    unit: Literal["percent", "count", "number"]
    direction: Literal["higher", "lower"]
    numerator: Measure
    denominator: Measure | None = None
    breakdowns: list[Breakdown] = []

    def fields(self) -> set[str]:
        """Return the questionnaire fields this KPI reads."""
        den = self.denominator.fields() if self.denominator else set()
        return self.numerator.fields() | den


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
    outcome_goal: str
    baseline: Point
    milestones: list[Point] = Field(min_length=1)
    source: str

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


class Covenant(Strict):
    """One covenant (kpi_definitions/covenants/*.yaml)."""

    slug: str = Field(pattern=SLUG)
    name: Text
    signed: date
    duration_years: int = Field(ge=1, le=15)
    first_year: int
    last_year: int
    secretariat: str
    kpis: list[str] = Field(min_length=1)
    outcome_goals: list[OutcomeGoal] = Field(min_length=1)
    targets: list[Target] = Field(min_length=1)
    published: list[PublishedFigure] = []
    min_contributors: int = Field(3, ge=1)
    coverage_threshold: float = Field(0.6, ge=0, le=1)

    @model_validator(mode="after")
    def _period(self) -> Self:
        if not self.signed.year <= self.first_year <= self.last_year:
            raise ValueError("need signed year <= first_year <= last_year")
        return self

    @property
    def years(self) -> range:
        """Return the reporting years of the covenant."""
        return range(self.first_year, self.last_year + 1)


class Definitions(Strict):
    """Everything declared in kpi_definitions/, validated together."""

    catalogue: Catalogue
    kpis: dict[str, KpiDefinition]
    covenants: dict[str, Covenant]

    def covenant_kpis(self, slug: str) -> list[KpiDefinition]:
        """Return the KPIs that apply to a covenant, in its declared order."""
        return [self.kpis[k] for k in self.covenants[slug].kpis]

    def template_fields(self, slug: str) -> list[FieldSpec]:
        """Return the questionnaire fields a covenant's KPIs need, in catalogue order."""
        kpis = self.covenant_kpis(slug)
        needed = {f for kpi in kpis for f in kpi.fields()}
        needed |= {b for kpi in kpis for b in kpi.breakdowns if b in self.catalogue.ids()}
        tables = {self.catalogue.field(f).table for f in needed}
        keys = {spec.key for t, spec in self.catalogue.tables.items() if t in tables and spec.key}
        for f in list(needed):
            bound = self.catalogue.field(f).not_above
            if bound:
                needed.add(bound)
        return [f for f in self.catalogue.fields if f.id in needed | keys]
