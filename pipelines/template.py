"""The questionnaire a company fills in, derived from the fields its covenant's KPIs need."""

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from imvo.definitions.models import Definitions, FieldSpec, Table, TableSpec, Text
from imvo.errors import ImvoError

# The identifying rows at the top of the company sheet: code, Dutch and English question.
META_ROWS = [
    ("covenant", Text(nl="Convenant (code)", en="Covenant (code)")),
    ("year", Text(nl="Rapportagejaar", en="Reporting year")),
    ("member_id", Text(nl="Lidnummer", en="Member ID")),
    ("company_name", Text(nl="Naam van de organisatie", en="Name of the organisation")),
]
INSTRUCTIONS = Text(nl="Instructies", en="Instructions")
ANSWER = "Antwoord / Answer"
Row = Mapping[str, Any]


def sheet_name(spec: TableSpec | Text) -> str:
    """Return the bilingual sheet name, e.g. 'Bedrijf (Company)'."""
    text = spec.sheet if isinstance(spec, TableSpec) else spec
    return f"{text.nl} ({text.en})"


def column_header(field: FieldSpec) -> str:
    """Return the bilingual column header of a field."""
    return f"{field.label.nl} / {field.label.en}"


def excel_value(field_type: str, value: Any) -> Any:
    """Return a value as a company would type it: ja/nee, '2.5 %', numbers as numbers."""
    if value is None:
        return None
    if field_type == "boolean":
        return "ja" if value else "nee"
    if field_type == "percent":
        return f"{value:g} %"  # a bare 0.5 would read as the fraction 50 %
    return value


def _instructions(book: xlsxwriter.Workbook, defs: Definitions, slug: str, year: int) -> None:
    sheet = book.add_worksheet(sheet_name(INSTRUCTIONS))
    bold = book.add_format({"bold": True, "font_size": 14})
    cov = defs.covenants[slug]
    sheet.set_column(0, 1, 90)
    sheet.write(0, 0, f"Zelfevaluatie {cov.name.nl} — {year}", bold)
    sheet.write(0, 1, f"Self-assessment {cov.name.en} — {year}", bold)
    lines = [(
        "Vul elk tabblad in. Getallen mogen met komma of punt; ja/nee-vragen met ja of nee.",
        "Fill in every sheet. Numbers with a comma or a point; yes/no questions with yes or no.",
    )]
    lines += [(spec.help.nl, spec.help.en) for spec in defs.catalogue.tables.values()]
    for row, (nl, en) in enumerate(lines, start=2):
        sheet.write(row, 0, nl)
        sheet.write(row, 1, en)


def _company(book: xlsxwriter.Workbook, defs: Definitions, fields: list[FieldSpec],
             meta: dict[str, Any], answers: Row) -> None:
    sheet = book.add_worksheet(sheet_name(defs.catalogue.tables["answers"]))
    head = book.add_format({"bold": True, "bg_color": "#DDE7F0"})
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 2, 70)
    sheet.set_column(3, 3, 24)
    sheet.write_row(0, 0, ["Code", "Vraag", "Question", ANSWER], head)
    rows = [(code, text, meta.get(code)) for code, text in META_ROWS]
    rows += [(f.id, f.label, excel_value(f.type, answers.get(f.id))) for f in fields]
    for i, (code, text, value) in enumerate(rows, start=1):
        sheet.write_row(i, 0, [code, text.nl, text.en])
        if value is not None:
            sheet.write(i, 3, value)
    kinds = {f.id: f.type for f in fields}
    for i, (code, _, _) in enumerate(rows, start=1):
        if kinds.get(code) == "boolean":
            sheet.data_validation(i, 3, i, 3, {"validate": "list", "source": ["ja", "nee"]})


def _table(book: xlsxwriter.Workbook, spec: TableSpec, fields: list[FieldSpec],
           rows: Sequence[Row]) -> None:
    sheet = book.add_worksheet(sheet_name(spec))
    head = book.add_format({"bold": True, "bg_color": "#DDE7F0", "text_wrap": True})
    sheet.write(0, 0, f"{spec.help.nl} / {spec.help.en}")
    sheet.write_row(1, 0, [column_header(f) for f in fields], head)
    sheet.set_column(0, len(fields) - 1, 22)
    sheet.freeze_panes(2, 0)
    for r, row in enumerate(rows, start=2):
        sheet.write_row(r, 0, [excel_value(f.type, row.get(f.id)) for f in fields])
    for c, f in enumerate(fields):
        if f.type == "boolean":
            sheet.data_validation(2, c, 10_000, c, {"validate": "list", "source": ["ja", "nee"]})


def write_questionnaire(path: Path, defs: Definitions, covenant: str, year: int, *,
                        member: tuple[str, str] | None = None, answers: Row | None = None,
                        sites: Sequence[Row] = (), materials: Sequence[Row] = ()) -> Path:
    """Write the questionnaire of a covenant and year, blank or filled in for one member."""
    if covenant not in defs.covenants:
        raise ImvoError(f"unknown covenant '{covenant}'",
                        hint="choose one of: " + ", ".join(sorted(defs.covenants)))
    fields = defs.template_fields(covenant)
    meta: dict[str, Any] = {"covenant": covenant, "year": year}
    if member:
        meta["member_id"], meta["company_name"] = member
    path.parent.mkdir(parents=True, exist_ok=True)
    with xlsxwriter.Workbook(path, {"in_memory": True}) as book:
        _instructions(book, defs, covenant, year)
        _company(book, defs, [f for f in fields if f.table == "answers"], meta, answers or {})
        tables: list[tuple[Table, Sequence[Row]]] = [("sites", sites), ("materials", materials)]
        for table, rows in tables:
            table_fields = [f for f in fields if f.table == table]
            if table_fields:
                _table(book, defs.catalogue.tables[table], table_fields, rows)
    return path
