"""Validate a read submission: typed frames to load, and every rejected value with its reason.

A row of a table is loaded whole or quarantined whole, so no ratio is computed from half a row;
a rejected company answer is quarantined and left empty. Rows in = rows loaded + rows rejected.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from imvo.definitions.models import Definitions, FieldSpec, Table
from imvo.errors import IngestError
from pipelines.messages import Reject, reject
from pipelines.normalise import (
    Decimal,
    Invalid,
    parse_boolean,
    parse_country,
    parse_integer,
    parse_number,
    parse_percent,
    parse_text,
)
from pipelines.readers import ROW, RawSubmission, RawTable
from warehouse.schema import SQL_TYPES

POLARS_TYPES: dict[str, type[pl.DataType]] = {
    "BOOLEAN": pl.Boolean, "BIGINT": pl.Int64, "DOUBLE": pl.Float64, "VARCHAR": pl.String,
}


@dataclass(frozen=True)
class Meta:
    """Whose submission it is and for which covenant and year."""

    covenant: str
    year: int
    member_id: str
    company_name: str | None


@dataclass(frozen=True)
class Member:
    """The register entry of a member: when it was bound to its covenant."""

    joined: date
    left_on: date | None

    def bound_in(self, year: int) -> bool:
        """Return whether the member was bound to the covenant at some time in the year."""
        return self.joined <= date(year, 12, 31) and (
            self.left_on is None or self.left_on >= date(year, 1, 1))


@dataclass(frozen=True)
class Validated:
    """A submission ready to load: typed frames, the rejects, and the row counts."""

    meta: Meta
    answers: pl.DataFrame
    tables: dict[Table, pl.DataFrame]
    rejects: list[Reject]
    rows_in: int
    rows_loaded: int


class SubmissionRejected(IngestError):
    """The file as a whole cannot be loaded; its rejects say why."""

    def __init__(self, rejects: list[Reject]) -> None:
        self.rejects = rejects
        super().__init__("; ".join(r.message_en for r in rejects),
                         hint="see the rejected rows with 'imvo ingest --report'")


def parse_value(spec: FieldSpec, text: str | None, decimal: Decimal) -> Any:
    """Parse one cell by its field type; raise Invalid with the rule that failed."""
    parsers: dict[str, Callable[[str | None], Any]] = {
        "boolean": parse_boolean, "country": parse_country, "text": parse_text,
        "integer": lambda t: parse_integer(t, decimal=decimal),
        "number": lambda t: parse_number(t, decimal=decimal),
        "percent": lambda t: parse_percent(t, decimal=decimal),
    }
    value = parsers[spec.type](text)
    if value is not None and spec.min is not None and value < spec.min:
        raise Invalid("below_min")
    if value is not None and spec.max is not None and value > spec.max:
        raise Invalid("above_max")
    return value


def _cell_reject(exc: Invalid, spec: FieldSpec, sheet: str, row: int, text: str | None) -> Reject:
    limit = spec.min if exc.rule == "below_min" else spec.max
    return reject(exc.rule, sheet=sheet, row=row, column=spec.id, value=text, limit=limit,
                  label=spec.label)


def parse_meta(raw: RawSubmission, defs: Definitions) -> Meta:
    """Read covenant, year and member from the top of the company sheet."""
    cells = {code: (value, row) for code, value, row in raw.answers.frame.iter_rows()}
    sheet = raw.answers.sheet
    missing = [code for code in ("covenant", "year", "member_id") if not cells.get(code, ("",))[0]]
    if missing:
        raise SubmissionRejected([reject("missing_meta", sheet=sheet, column=c,
                                         row=cells.get(c, (None, None))[1]) for c in missing])
    covenant, row = cells["covenant"]
    if covenant.strip() not in defs.covenants:
        raise SubmissionRejected([reject("unknown_covenant", sheet=sheet, row=row,
                                         column="covenant", value=covenant)])
    cov = defs.covenants[covenant.strip()]
    year_text, year_row = cells["year"]
    try:
        year = parse_integer(year_text)
    except Invalid as exc:
        raise SubmissionRejected([reject(exc.rule, sheet=sheet, row=year_row, column="year",
                                         value=year_text)]) from exc
    if year is None or year not in cov.years:
        raise SubmissionRejected([reject("year_outside_period", sheet=sheet, row=year_row,
                                         column="year", value=year_text,
                                         limit=f"{cov.first_year}–{cov.last_year}")])
    name = cells.get("company_name", (None, None))[0]
    return Meta(cov.slug, year, cells["member_id"][0].strip(), name)


def check_member(meta: Meta, member: Member | None, raw: RawSubmission) -> None:
    """Reject the file when its member is unknown or not bound in the reporting year."""
    row = next((r for c, _, r in raw.answers.frame.iter_rows() if c == "member_id"), None)
    sheet = raw.answers.sheet
    if member is None:
        raise SubmissionRejected([reject("unknown_member", sheet=sheet, row=row,
                                         column="member_id", value=meta.member_id)])
    if not member.bound_in(meta.year):
        raise SubmissionRejected([reject("member_not_bound", sheet=sheet, row=row,
                                         column="member_id", value=meta.member_id,
                                         limit=meta.year)])


def _answers(raw: RawSubmission, fields: list[FieldSpec]) -> tuple[dict[str, Any], list[Reject]]:
    cells = {code: (value, row) for code, value, row in raw.answers.frame.iter_rows()}
    values: dict[str, Any] = {}
    rejects: list[Reject] = []
    for spec in fields:
        text, row = cells.get(spec.id, (None, None))
        try:
            values[spec.id] = parse_value(spec, text, raw.decimal)
        except Invalid as exc:
            values[spec.id] = None
            rejects.append(_cell_reject(exc, spec, raw.answers.sheet, row or 0, text))
    return values, rejects


def _row_problems(row: dict[str, Any], specs: list[FieldSpec], raw: RawTable, key: str | None,
                  decimal: Decimal, seen: set[Any]) -> tuple[dict[str, Any], list[Reject]]:
    parsed: dict[str, Any] = {}
    problems: list[Reject] = []
    n = row[ROW]
    for spec in specs:
        try:
            parsed[spec.id] = parse_value(spec, row.get(spec.id), decimal)
        except Invalid as exc:
            problems.append(_cell_reject(exc, spec, raw.sheet, n, row.get(spec.id)))
    for spec in specs:
        other = spec.not_above
        if other and parsed.get(spec.id) is not None and parsed.get(other) is not None \
                and parsed[spec.id] > parsed[other]:
            problems.append(reject("above_other", sheet=raw.sheet, row=n, column=spec.id,
                                   value=row.get(spec.id), limit=other, label=spec.label))
    if key and not problems:
        if parsed.get(key) is None:
            problems.append(reject("missing_key", sheet=raw.sheet, row=n, column=key))
        elif parsed[key] in seen:
            problems.append(reject("duplicate_key", sheet=raw.sheet, row=n, column=key,
                                   value=parsed[key]))
        seen.add(parsed.get(key))
    return parsed, problems


def _table(raw: RawTable, specs: list[FieldSpec], key: str | None,
           decimal: Decimal) -> tuple[pl.DataFrame, list[Reject]]:
    good: list[dict[str, Any]] = []
    rejects: list[Reject] = []
    seen: set[Any] = set()
    for row in raw.frame.iter_rows(named=True):
        parsed, problems = _row_problems(row, specs, raw, key, decimal, seen)
        if problems:
            rejects += problems
        else:
            good.append({"row_number": row[ROW], **parsed})
    return frame_of(good, specs, with_row=True), rejects


def frame_of(rows: list[dict[str, Any]], specs: list[FieldSpec], *, with_row: bool) -> pl.DataFrame:
    """Return rows as a frame typed like the warehouse table."""
    schema: dict[str, type[pl.DataType]] = {"row_number": pl.Int32} if with_row else {}
    schema |= {s.id: POLARS_TYPES[SQL_TYPES[s.type]] for s in specs}
    return pl.DataFrame(rows, schema=schema, orient="row")


def validate(raw: RawSubmission, meta: Meta, defs: Definitions) -> Validated:
    """Parse and check every value of a submission against the catalogue's fields."""
    catalogue = defs.catalogue
    specs = {t: [f for f in catalogue.fields if f.table == t] for t in catalogue.tables}
    answers, rejects = _answers(raw, specs["answers"])
    tables: dict[Table, pl.DataFrame] = {}
    rows_in = rows_loaded = 0
    for table, raw_table in raw.tables.items():
        present = [s for s in specs[table] if s.id in raw_table.frame.columns]
        frame, problems = _table(raw_table, present, catalogue.tables[table].key, raw.decimal)
        tables[table] = frame
        rejects += problems
        rows_in += raw_table.frame.height
        rows_loaded += frame.height
    return Validated(meta, frame_of([answers], specs["answers"], with_row=False), tables,
                     rejects, rows_in, rows_loaded)
