"""Read a submission in the record layout: csv, json or parquet.

One table with a `record` column saying what each row is (company, site or material; Dutch words
work too) and one column per field, headed by its code or its Dutch or English label. A csv is
';' or ',' separated, UTF-8 (with or without BOM) or Windows-1252; a ';' file writes numbers the
Dutch way. Json is a list of records (or {"records": [...]}); parquet columns are read as text.
"""

import csv
import io
import json
from pathlib import Path

import polars as pl

from imvo.definitions.models import Catalogue, Table
from pipelines.grids import (
    HEAD_ROWS,
    ROW,
    RawSubmission,
    RawTable,
    blank,
    data_rows,
    header_names,
    key,
    name_columns,
    polars_frame,
    split_totals,
    unknown_notices,
)
from pipelines.hints import field_label
from pipelines.messages import Reject, SubmissionRejected, file_reject, reject
from pipelines.normalise import Decimal
from pipelines.template import META_ROWS

KIND = "_kind"
RECORD_WORDS: dict[str, str] = {
    "company": "answers", "bedrijf": "answers", "answers": "answers",
    "site": "sites", "locatie": "sites", "productielocatie": "sites", "sites": "sites",
    "material": "materials", "grondstof": "materials", "materials": "materials",
}
TABLES: tuple[Table, ...] = ("sites", "materials")


def _unreadable(text: str) -> SubmissionRejected:
    return SubmissionRejected([file_reject("unreadable", value=text)])


def _names(catalogue: Catalogue) -> dict[str, str]:
    names = {"record": "record"} | {code: code for code, _ in META_ROWS}
    for table in ("answers", *TABLES):
        names |= header_names(catalogue, table)
    return names


def _grid(rows: list[list[str | None]], numbers: list[int]) -> tuple[list[str | None], int,
                                                                    pl.DataFrame]:
    head = next((i for i, r in enumerate(rows[:HEAD_ROWS]) if "record" in map(key, r)), None)
    if head is None:
        raise SubmissionRejected([file_reject("missing_column", column="record")])
    width = max(len(r) for r in rows)
    padded = [[c if c else None for c in r] + [None] * (width - len(r)) for r in rows]
    grid = pl.DataFrame(padded[head + 1:], schema={f"c{i}": pl.String for i in range(width)},
                        orient="row").with_columns(
        pl.Series(ROW, numbers[head + 1:], dtype=pl.Int32))
    return padded[head], numbers[head], grid


def _answers(grid: pl.DataFrame, known: dict[str, str], catalogue: Catalogue,
             name: str, record: str) -> RawTable:
    codes = {code for code, _ in META_ROWS} | {
        f.id for f in catalogue.fields if f.table == "answers"}
    company = grid.filter(pl.col(KIND) == "answers")
    if company.height > 1:
        raise SubmissionRejected([file_reject("duplicate_company_row", column="record",
                                              row=int(company[ROW][1]),
                                              value=company[record][1])])
    data = [(code, company[c][0], int(company[ROW][0])) for c, code in known.items()
            if code in codes and company.height]
    frame = pl.DataFrame(data, schema={"code": pl.String, "value": pl.String, ROW: pl.Int32},
                         orient="row")
    return RawTable(name, frame)


def records_submission(name: str, rows: list[list[str | None]], numbers: list[int],
                       decimal: Decimal, catalogue: Catalogue) -> RawSubmission:
    """Split a record-layout grid into the company answers and the row tables."""
    header, header_row, grid = _grid(rows, numbers)
    cells = [c for c in grid.columns if c != ROW]
    known, unknown = name_columns(header, cells, _names(catalogue), name, catalogue)
    record = next(c for c, code in known.items() if code == "record")
    body, totals = split_totals(grid.to_arrow(), cells, known, catalogue, name, decimal)
    grid = data_rows(polars_frame(body), cells).with_columns(
        pl.col(record).str.strip_chars().str.to_lowercase()
        .replace_strict(RECORD_WORDS, default=None, return_dtype=pl.String).alias(KIND))
    tables: dict[Table, RawTable] = {}
    for table in TABLES:
        fields = {f.id for f in catalogue.fields if f.table == table}
        columns = [pl.col(c).alias(code) for c, code in known.items() if code in fields]
        tables[table] = RawTable(name, grid.filter(pl.col(KIND) == table).select(ROW, *columns))
    stray: list[Reject] = [
        reject("unknown_record", sheet=name, row=row, column="record", value=kind)
        for kind, row in grid.filter(pl.col(KIND).is_null()).select(record, ROW).rows()]
    extra = stray + totals + unknown_notices(grid, unknown, name, header_row)
    answers = _answers(grid, known, catalogue, name, record)
    return RawSubmission(name, decimal, answers, tables,
                         extra + _misplaced(grid, known, answers, catalogue), records=True)


def _misplaced(grid: pl.DataFrame, known: dict[str, str], answers: RawTable,
               catalogue: Catalogue) -> list[Reject]:
    """Return a notice for every value in a column that does not belong to its row's kind."""
    belongs = {f.id: f.table for f in catalogue.fields} | {code: "answers" for code, _ in META_ROWS}
    company = dict(zip(answers.frame["code"], answers.frame["value"], strict=True))
    notices: list[Reject] = []
    for column, code in known.items():
        if code == "record":
            continue
        wrong = grid.filter(pl.col(KIND).is_not_null() & (pl.col(KIND) != belongs[code])
                            & ~blank(column))
        # Exports often repeat the covenant, year and member on every row: that loses nothing.
        wrong = wrong.filter(pl.col(column).str.strip_chars() != (company.get(code) or ""))
        notices += [reject("misplaced_value", sheet=answers.sheet, row=row, column=code,
                           value=value, label=field_label(catalogue, code), scope="notice")
                    for value, row in wrong.select(column, ROW).rows()]
    return notices


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise SubmissionRejected([file_reject("not_text")]) from exc


def read_csv(path: Path, catalogue: Catalogue) -> RawSubmission:
    """Read a csv submission (';' or ',' separated; UTF-8 with or without BOM, or Windows-1252)."""
    text = _decode(path.read_bytes())
    lines = text.splitlines()[:HEAD_ROWS]
    first = next((line for line in lines if "record" in line.casefold()), lines[0] if lines else "")
    sep = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows: list[list[str | None]] = []
    numbers: list[int] = []
    try:
        for row in reader:
            numbers.append(reader.line_num)
            rows.append(list(row))
    except csv.Error as exc:
        raise _unreadable(f"line {reader.line_num}: {exc}") from exc
    if not rows:
        raise SubmissionRejected([file_reject("missing_column", column="record")])
    return records_submission(path.name, rows, numbers, "," if sep == ";" else ".", catalogue)


def _text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


def read_json(path: Path, catalogue: Catalogue) -> RawSubmission:
    """Read a json submission: a list of records, or an object with a 'records' list."""
    try:
        data = json.loads(_decode(path.read_bytes()))
    except (json.JSONDecodeError, RecursionError) as exc:
        raise _unreadable(f"not valid json: {exc}") from exc
    records = data.get("records") if isinstance(data, dict) else data
    if not isinstance(records, list) or not records or not all(
            isinstance(r, dict) for r in records):
        raise _unreadable("json must hold a list of records, each an object with a "
                          "'record' field")
    header = list(dict.fromkeys(k for r in records for k in r))
    rows = [list(header)] + [[_text(r.get(k)) for k in header] for r in records]
    return records_submission(path.name, rows, list(range(len(rows))), ".", catalogue)


def read_parquet(path: Path, catalogue: Catalogue) -> RawSubmission:
    """Read a parquet submission with every column as text."""
    try:
        frame = pl.read_parquet(path)
        nested = [c for c, t in frame.schema.items() if t.is_nested()]
        if nested:
            raise _unreadable(f"column {nested[0]} holds lists; give one value per cell")
        text = frame.select(pl.all().cast(pl.String))
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise _unreadable(f"not a parquet file that can be read: {exc}") from exc
    rows: list[list[str | None]] = [list(frame.columns), *map(list, text.rows())]
    return records_submission(path.name, rows, list(range(len(rows))), ".", catalogue)
