"""Strict models of the declarations in kpi_definitions/: a typo is an error, never ignored."""

from typing import Literal, Self

from pydantic import Field, ValidationInfo, field_validator, model_validator

from imvo.definitions.base import SLUG, Lang, SeriesBreak, Strict, Text
from imvo.definitions.covenants import (
    Covenant,
    CovenantBreak,
    Disclosure,
    Dominance,
    OutcomeGoal,
    Point,
    PublishedFigure,
    Target,
)

__all__ = ["SLUG", "Breakdown", "Catalogue", "Condition", "Covenant", "CovenantBreak",
           "Definitions", "Disclosure", "Dominance", "FieldSpec", "FieldType", "KpiDefinition",
           "Lang", "Measure", "OutcomeGoal", "Point", "PublishedFigure", "SeriesBreak", "Strict",
           "Table", "TableSpec", "Target", "Text", "Weighting"]

Table = Literal["answers", "sites", "materials"]
FieldType = Literal["boolean", "integer", "number", "percent", "text", "country"]
Breakdown = Literal["country", "material", "size_class"]
Weighting = Literal["members", "volume"]


class TableSpec(Strict):
    """One sheet of the questionnaire."""

    sheet: Text
    """The sheet's name in the questionnaire."""
    help: Text
    """The instruction shown above the sheet."""
    key: str | None = None
    """The field that identifies a row (unique within a submission)."""


class FieldSpec(Strict):
    """One questionnaire field a KPI can use."""

    id: str = Field(pattern=SLUG)
    table: Table
    """The sheet the field is asked on: answers (one per company), sites or materials."""
    type: FieldType
    label: Text
    """The question as the company reads it."""
    min: float | None = None
    max: float | None = None
    not_above: str | None = None
    """Another field of the same row this value may not exceed (e.g. certified <= purchased)."""


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

    def measure_table(self, measure: "Measure") -> Table:
        """Return the sheet a measure reads: its counted rows, or its summed or filtered fields."""
        if measure.count == "sites":
            return "sites"
        if measure.count == "materials":
            return "materials"
        fields = sorted(measure.fields())
        return self.field(fields[0]).table if fields else "answers"

    def measure_tables(self, measure: "Measure") -> set[Table]:
        """Return every sheet a measure touches (one, when the measure is valid)."""
        return {self.measure_table(measure)} | {self.field(f).table for f in measure.fields()}


class Condition(Strict):
    """A filter on one field: equal to a value, one of values, a bound, or answered at all."""

    field: str
    """The questionnaire field the filter reads."""
    equals: bool | float | str | None = None
    one_of: list[str] | None = None
    at_least: float | None = None
    at_most: float | None = None
    answered: bool | None = None
    """true: the field is answered; false: it is left blank."""

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
    """What to count: reporting members (each once), bound members (register), sites or rows."""
    sum: str | None = None
    """A numeric questionnaire field to add up."""
    where: list[Condition] = Field(default_factory=list)
    """Filters that all must hold for a row to count."""

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

    @property
    def counts_members(self) -> bool:
        """Return whether the measure counts members (each once) rather than adding up rows."""
        return self.count in ("members", "bound_members")


class KpiDefinition(Strict):
    """One KPI (kpi_definitions/kpis/*.yaml)."""

    id: str = Field(pattern=SLUG)
    """The KPI's id; the file is named after it."""
    name: Text
    description: Text
    unit: Literal["percent", "count", "number"]
    """percent: 100 x numerator / denominator; count and number: the numerator itself."""
    direction: Literal["higher", "lower"]
    """Which way is better."""
    numerator: Measure
    denominator: Measure | None = None
    """Makes the KPI a ratio: numerator / denominator over the same reporting members."""
    weighting: Weighting
    """members: a count or share of members; volume: a sum of a quantity (volume, workers,
    assets) or a count of sites or materials. Volume-weighted values also fall under the
    dominance rule."""
    breakdowns: list[Breakdown] = Field(default_factory=list)
    """Categories the value is also given for: country, material, size_class."""
    series_breaks: list[SeriesBreak] = Field(default_factory=list)
    """Years from which the KPI is measured differently, in every covenant."""

    @field_validator("weighting")
    @classmethod
    def _weighting_matches_measures(cls, weighting: Weighting, info: ValidationInfo) -> Weighting:
        measures = [m for m in (info.data.get("numerator"), info.data.get("denominator")) if m]
        if not measures:
            return weighting  # the numerator itself is invalid and reported on its own
        if all(m.counts_members for m in measures) and weighting != "members":
            raise ValueError("a KPI that counts members is weighted by members; "
                             "write weighting: members")
        if not any(m.counts_members for m in measures) and weighting != "volume":
            raise ValueError("a KPI that adds up a field or counts sites or materials is "
                             "weighted by volume; write weighting: volume")
        if len({m.counts_members for m in measures}) > 1:
            raise ValueError("numerator and denominator must both count members "
                             "or both measure volume")
        return weighting

    @field_validator("denominator", "breakdowns")
    @classmethod
    def _register_stands_alone(cls, value: object, info: ValidationInfo) -> object:
        numerator = info.data.get("numerator")
        if value and numerator is not None and numerator.count == "bound_members":
            raise ValueError(f"count: bound_members stands alone, without {info.field_name}")
        return value

    def fields(self) -> set[str]:
        """Return the questionnaire fields this KPI reads."""
        den = self.denominator.fields() if self.denominator else set()
        return self.numerator.fields() | den

    def measures(self) -> list[Measure]:
        """Return the numerator and, for a ratio, the denominator."""
        return [self.numerator, *([self.denominator] if self.denominator else [])]


class Definitions(Strict):
    """Everything declared in kpi_definitions/, validated together."""

    catalogue: Catalogue
    kpis: dict[str, KpiDefinition]
    covenants: dict[str, Covenant]

    def covenant_kpis(self, slug: str) -> list[KpiDefinition]:
        """Return the KPIs that apply to a covenant, in its declared order."""
        return [self.kpis[k] for k in self.covenants[slug].kpis]

    def series_breaks(self, slug: str, kpi_id: str) -> list[int]:
        """Return the years, ascending, in which a covenant's KPI started a new series."""
        years = {b.year for b in self.kpis[kpi_id].series_breaks}
        years |= {b.year for b in self.covenants[slug].series_breaks if kpi_id in b.kpis}
        return sorted(years)

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
