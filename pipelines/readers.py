"""Read a submission file into text frames: every cell as text, parsed later by our own rules.

An xlsx submission is the questionnaire of `pipelines.template`. A csv submission is one table
with a `record` column saying what each row is (company, site or material; Dutch words work
too) and one column per field, headed by its code or its Dutch or English label.
"""

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import fastexcel
import polars as pl

from imvo.definitions.models import Catalogue, Table
from imvo.errors import IngestError
from pipelines.normalise import Decimal
from pipelines.template import META_ROWS, sheet_name

ROW = "_row"
TOTAL_WORDS = {"totaal", "total", "totalen", "totals", "som", "sum"}
RECORD_WORDS: dict[str, Table] = {
    "company": "answers", "bedrijf": "answers", "answers": "answers",
    "site": "sites", "locatie": "sites", "productielocatie": "sites", "sites": "sites",
    "material": "materials", "grondstof": "materials", "materials": "materials",
}


@dataclass(frozen=True)
class RawTable:
    """The rows of one sheet, as text, in columns named by field code, with their row number."""

    sheet: str
    frame: pl.DataFrame
    unknown_columns: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RawSubmission:
    """What a file holds, before validation: answers as (code, value, row) and the row tables."""

    file_name: str
    decimal: Decimal
    answers: RawTable
    tables: dict[Table, RawTable]


def _key(text: object) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def header_names(catalogue: Catalogue, table: Table) -> dict[str, str]:
    """Return the accepted header texts of a table (code, Dutch, English, both) to field codes."""
    names: dict[str, str] = {}
    for f in catalogue.fields:
        if f.table == table:
            for text in (f.id, f.label.nl, f.label.en, f"{f.label.nl} / {f.label.en}"):
                names[_key(text)] = f.id
    return names


def _match_sheet(names: list[str], catalogue: Catalogue, table: Table) -> str | None:
    spec = catalogue.tables[table]
    wanted = {_key(spec.sheet.nl), _key(spec.sheet.en), _key(sheet_name(spec))}
    for name in names:
        if _key(name) in wanted or _key(name).split(" (")[0] in wanted:
            return name
    return None


def _header_row(rows: list[tuple[object, ...]], names: dict[str, str], sheet: str) -> int:
    """Return the index of the first row naming at least two questionnaire columns."""
    for h, row in enumerate(rows[:15]):
        if sum(c is not None and _key(c) in names for c in row) >= 2:
            return h
    raise IngestError(f"sheet '{sheet}' has no header row with the questionnaire's columns",
                      hint="keep the header row of the template above the data")


def _grid_to_table(grid: pl.DataFrame, sheet: str, names: dict[str, str],
                   row_numbers: list[int] | None = None) -> RawTable:
    """Find the header row, name the columns by field code, keep data rows with their number."""
    rows = grid.rows()
    numbers = row_numbers or list(range(1, len(rows) + 1))
    h = _header_row(rows, names, sheet)
    matched = [names.get(_key(c)) if c is not None else None for c in rows[h]]
    unknown = [str(c) for c, m in zip(rows[h], matched, strict=True) if c is not None and m is None]
    keep = [(i, m) for i, m in enumerate(matched) if m is not None]
    data: list[list[str | None]] = []
    for n, values in zip(numbers[h + 1:], rows[h + 1:], strict=True):
        cells = [values[i] for i, _ in keep]
        filled = [c for c in cells if c is not None and str(c).strip()]
        if filled and _key(filled[0]) not in TOTAL_WORDS:
            data.append([*cells, str(n)])
    schema = {m: pl.String for _, m in keep} | {ROW: pl.String}
    frame = pl.DataFrame(data, schema=schema, orient="row").with_columns(pl.col(ROW).cast(pl.Int32))
    return RawTable(sheet, frame, unknown)


def _company_sheet(grid: pl.DataFrame, sheet: str, catalogue: Catalogue) -> RawTable:
    codes = {code for code, _ in META_ROWS}
    codes |= {f.id for f in catalogue.fields if f.table == "answers"}
    rows = grid.rows()
    head = next((i for i, r in enumerate(rows[:15]) if r and _key(r[0]) == "code"), None)
    if head is None:
        raise IngestError(f"sheet '{sheet}' has no 'Code' column",
                          hint="use the questionnaire from 'imvo template' and keep its columns")
    answer_col = next((i for i, c in enumerate(rows[head]) if c is not None and
                       re.search(r"antwoord|answer", _key(c))), None)
    if answer_col is None:
        raise IngestError(f"sheet '{sheet}' has no 'Antwoord / Answer' column",
                          hint="use the questionnaire from 'imvo template' and keep its columns")
    data = [(_key(r[0]), r[answer_col], n) for n, r in enumerate(rows[head + 1:], start=head + 2)
            if r[0] is not None and _key(r[0]) in codes]
    frame = pl.DataFrame(data, schema={"code": pl.String, "value": pl.String, ROW: pl.Int32},
                         orient="row")
    return RawTable(sheet, frame)


def read_xlsx(path: Path, catalogue: Catalogue) -> RawSubmission:
    """Read a filled-in questionnaire (xlsx) with every cell as text."""
    try:
        book = fastexcel.read_excel(str(path))
    except Exception as exc:  # the reader raises several exception types for damaged files
        raise IngestError(f"{path.name} is not a readable xlsx file ({exc})",
                          hint="save it again from Excel as .xlsx") from exc

    def grid(name: str) -> pl.DataFrame:
        sheet = book.load_sheet_by_name(name, header_row=None, dtypes="string")
        return sheet.to_polars()

    company = _match_sheet(book.sheet_names, catalogue, "answers")
    if company is None:
        raise IngestError(f"{path.name} has no company sheet "
                          f"'{sheet_name(catalogue.tables['answers'])}'",
                          hint="use the questionnaire from 'imvo template'")
    tables: dict[Table, RawTable] = {}
    for table in ("sites", "materials"):
        name = _match_sheet(book.sheet_names, catalogue, table)
        if name is not None:
            tables[table] = _grid_to_table(grid(name), name, header_names(catalogue, table))
    return RawSubmission(path.name, ".", _company_sheet(grid(company), company, catalogue), tables)


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def read_csv(path: Path, catalogue: Catalogue) -> RawSubmission:
    """Read a csv submission (';' or ',' separated; UTF-8 with or without BOM, or Windows-1252)."""
    text = _decode(path)
    first = text.split("\n", 1)[0]
    sep = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(text.splitlines(), delimiter=sep))
    if not rows or "record" not in [_key(c) for c in rows[0]]:
        raise IngestError(f"{path.name} has no 'record' column",
                          hint="add a column 'record' saying company, site or material per row")
    header = [_key(c) for c in rows[0]]
    grid = pl.DataFrame([[c or None for c in r] for r in rows], orient="row",
                        schema=[f"c{i}" for i in range(len(header))])
    kind = grid.get_column("c" + str(header.index("record"))).map_elements(
        lambda v: RECORD_WORDS.get(_key(v), ""), return_dtype=pl.String)
    return RawSubmission(path.name, "," if sep == ";" else ".",
                         _csv_answers(rows, header, kind, catalogue),
                         _csv_tables(grid, kind, catalogue, path.name))


def _csv_answers(rows: list[list[str]], header: list[str], kind: pl.Series,
                 catalogue: Catalogue) -> RawTable:
    names = header_names(catalogue, "answers") | {code: code for code, _ in META_ROWS}
    data = [(names[h], row[i] or None, n + 1)
            for n, (row, k) in enumerate(zip(rows, kind, strict=True)) if k == "answers"
            for i, h in enumerate(header) if h in names and i < len(row)]
    frame = pl.DataFrame(data, schema={"code": pl.String, "value": pl.String, ROW: pl.Int32},
                         orient="row")
    return RawTable("csv", frame)


def _csv_tables(grid: pl.DataFrame, kind: pl.Series, catalogue: Catalogue,
                name: str) -> dict[Table, RawTable]:
    tables: dict[Table, RawTable] = {}
    for table in ("sites", "materials"):
        numbers = [1] + [i + 1 for i, k in enumerate(kind) if k == table]
        if len(numbers) > 1:
            part = grid[[n - 1 for n in numbers]]
            tables[table] = _grid_to_table(part, name, header_names(catalogue, table), numbers)
    return tables


def read_submission(path: Path, catalogue: Catalogue) -> RawSubmission:
    """Read an xlsx or csv submission by its extension."""
    readers = {".xlsx": read_xlsx, ".csv": read_csv}
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise IngestError(f"{path.name}: cannot read '{path.suffix}' files",
                          hint="send the questionnaire as .xlsx or .csv")
    return reader(path, catalogue)
