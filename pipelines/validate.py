"""Validate read submissions: who sent them, whether they are complete, and every value.

A file is checked on its own first (`prepare`): covenant, year and member known and bound, the
sheets and columns its covenant's KPIs need present. Then the values of a batch of files are
parsed and checked together (`check_batch`). A row of a table is loaded whole or quarantined
whole, so no ratio is computed from half a row; a rejected company answer is quarantined and
left empty. Rows in = rows loaded + rows quarantined, for every file.
"""

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from imvo.definitions.models import Definitions, FieldSpec, Table, Text
from pipelines.grids import key
from pipelines.hints import field_label, type_detail
from pipelines.messages import Reject, SubmissionRejected, file_reject, reject
from pipelines.normalise import Invalid, clean, parse_integer
from pipelines.readers import RawSubmission
from pipelines.template import META_ROWS, sheet_name

TABLES: tuple[Table, ...] = ("sites", "materials")
META_LABELS = dict(META_ROWS)


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
class Prepared:
    """A read submission of a known, bound member with everything its KPIs need: to check."""

    raw: RawSubmission
    meta: Meta


def _cells(raw: RawSubmission) -> dict[str, tuple[str | None, int]]:
    return {code: (value, row) for code, value, row in raw.answers.frame.iter_rows()}


def _refuse(rule: str, sheet: str, row: int | None, column: str, value: object = None,
            limit: object = None) -> SubmissionRejected:
    return SubmissionRejected([file_reject(rule, sheet=sheet, row=row, column=column,
                                           value=value, limit=limit,
                                           label=META_LABELS.get(column))])


def _covenant(text: str, defs: Definitions, sheet: str, row: int | None) -> str:
    """Return the slug of a covenant written by its code or its Dutch or English name."""
    names = {key(slug): slug for slug in defs.covenants} | {
        key(name): slug for slug, cov in defs.covenants.items()
        for name in (cov.name.nl, cov.name.en)}
    found = names.get(key(text))
    if found is not None:
        return found
    close = difflib.get_close_matches(key(text), list(names), n=1, cutoff=0.6)
    codes = ", ".join(sorted(defs.covenants))
    limit = names[close[0]] if close else Text(nl=f"een van {codes}", en=f"one of {codes}")
    raise _refuse("unknown_covenant", sheet, row, "covenant", text, limit)


def _meta_text(cells: dict[str, tuple[str | None, int]], code: str, sheet: str) -> str | None:
    """Return a meta cell's text; an Excel error or a formula without a value rejects the file."""
    value, row = cells.get(code, (None, 0))
    try:
        return clean(value)
    except Invalid as exc:
        raise _refuse(exc.rule, sheet, row, code, value,
                      type_detail("integer" if code == "year" else "text", exc.rule)) from exc


def parse_meta(raw: RawSubmission, defs: Definitions) -> Meta:
    """Read covenant, year and member from the top of the company sheet (or company row)."""
    cells, sheet = _cells(raw), raw.answers.sheet
    texts = {c: _meta_text(cells, c, sheet) for c in ("covenant", "year", "member_id")}
    missing = [c for c, text in texts.items() if text is None]
    if missing:
        rule = "missing_meta_record" if raw.records else "missing_meta"
        raise SubmissionRejected([file_reject(rule, sheet=sheet, column=c,
                                              row=cells.get(c, (None, None))[1],
                                              label=META_LABELS[c])
                                  for c in missing])
    covenant = _covenant(str(texts["covenant"]), defs, sheet, cells["covenant"][1])
    cov = defs.covenants[covenant]
    year_text, year_row = cells["year"]
    try:
        year = parse_integer(year_text)
    except Invalid as exc:
        raise _refuse(exc.rule, sheet, year_row, "year", year_text,
                      type_detail("integer", exc.rule)) from exc
    if year is None or year not in cov.years:
        raise _refuse("year_outside_period", sheet, year_row, "year", year_text,
                      f"{cov.first_year}–{cov.last_year}")
    name = cells.get("company_name", (None, 0))[0]
    return Meta(cov.slug, year, str(texts["member_id"]), (name or "").strip() or None)


def check_member(meta: Meta, member: Member | None, raw: RawSubmission) -> None:
    """Reject the file when its member is unknown or not bound in the reporting year."""
    row = _cells(raw).get("member_id", (None, None))[1]
    sheet = raw.answers.sheet
    if member is None:
        raise _refuse("unknown_member", sheet, row, "member_id", meta.member_id)
    if not member.bound_in(meta.year):
        raise _refuse("member_not_bound", sheet, row, "member_id", meta.member_id, meta.year)


_NEEDED: dict[tuple[int, str], tuple[Definitions, list[FieldSpec]]] = {}


def needed_fields(defs: Definitions, covenant: str) -> list[FieldSpec]:
    """Return the questionnaire fields a covenant's KPIs need (worked out once per run)."""
    cached = _NEEDED.get((id(defs), covenant))
    if cached is None or cached[0] is not defs:
        cached = _NEEDED[(id(defs), covenant)] = (defs, defs.template_fields(covenant))
    return cached[1]


def check_complete(raw: RawSubmission, meta: Meta, defs: Definitions) -> list[Reject]:
    """Reject the file when a sheet or column its covenant's KPIs need is missing.

    A missing question only counts as not answered (nothing was sent that could be lost), and
    is returned as a notice; rows without a column their KPIs need would shrink a KPI's basis
    without anyone seeing it, so they keep the whole file out.
    """
    needed = needed_fields(defs, meta.covenant)
    codes = set(_cells(raw))
    problems: list[Reject] = []
    for table in TABLES:
        fields = [f.id for f in needed if f.table == table]
        if fields and table not in raw.tables:
            problems.append(file_reject("missing_sheet",
                                        column=sheet_name(defs.catalogue.tables[table])))
        elif fields and raw.tables[table].frame.height:
            present = raw.tables[table].frame.columns
            problems += [file_reject("missing_column", sheet=raw.tables[table].sheet, column=f,
                                     label=field_label(defs.catalogue, f))
                         for f in fields if f not in present]
    if problems:
        raise SubmissionRejected(problems)
    return [reject("missing_question", sheet=raw.answers.sheet, row=None, column=f.id,
                   label=f.label, scope="notice")
            for f in needed if f.table == "answers" and f.id not in codes]


def prepare(raw: RawSubmission, defs: Definitions,
            members: Mapping[tuple[str, str], Member]) -> Prepared:
    """Check who sent a read file and that it is complete; raise SubmissionRejected if not."""
    meta = parse_meta(raw, defs)
    check_member(meta, members.get((meta.covenant, meta.member_id)), raw)
    notices = check_complete(raw, meta, defs)
    return Prepared(replace(raw, extra=raw.extra + notices), meta)

