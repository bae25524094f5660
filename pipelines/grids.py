"""Text grids as the readers hand them over: columns named by field code, data rows numbered.

Rows that are empty are not data; a totals row is not data either, and is reported as a notice
(`pipelines.totals`). Every other row is kept with its row number, and whatever a reader cannot
place is reported (`RawSubmission.extra`), never dropped in silence.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl
import pyarrow as pa

from imvo.definitions.models import Catalogue, Table
from pipelines.hints import field_label
from pipelines.merges import Merge, spread_merges
from pipelines.messages import Reject, SubmissionRejected, file_reject, reject
from pipelines.normalise import Decimal
from pipelines.sheetxml import column_letters
from pipelines.totals import find_totals, total_notices

ROW = "_row"
HEAD_ROWS = 15
"""How far down a sheet the header row is looked for (title rows may sit above it)."""
BLANK = r"^\s*$"


@dataclass(frozen=True)
class RawTable:
    """The rows of one sheet, as text, in columns named by field code, with their row number.

    Blank rows may still be among them; `data_rows` drops them.
    """

    sheet: str
    frame: pl.DataFrame


@dataclass(frozen=True)
class RawSubmission:
    """What a file holds, before validation: answers as (code, value, row) and the row tables.

    `extra` holds what the reader could not place: rows of an unknown kind (quarantined, they
    count as rows in) and notices about columns, sheets or totals rows that were not read.
    `records` says the file is one table with a record column (csv, json, parquet), not sheets.
    """

    file_name: str
    decimal: Decimal
    answers: RawTable
    tables: dict[Table, RawTable]
    extra: list[Reject] = field(default_factory=list)
    records: bool = False


@lru_cache(maxsize=8192)
def key(text: object) -> str:
    """Return a header or word as compared: spaces collapsed, case folded."""
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


_NAMES: dict[tuple[int, str], tuple[Catalogue, dict[str, str]]] = {}


def header_names(catalogue: Catalogue, table: Table) -> dict[str, str]:
    """Return the accepted header texts of a table (code, Dutch, English, both) to field codes."""
    cached = _NAMES.get((id(catalogue), table))
    if cached is not None and cached[0] is catalogue:
        return cached[1]
    names: dict[str, str] = {}
    for f in catalogue.fields:
        if f.table == table:
            for text in (f.id, f.label.nl, f.label.en, f"{f.label.nl} / {f.label.en}",
                         f"{f.label.en} / {f.label.nl}"):
                names[key(text)] = f.id
    _NAMES[(id(catalogue), table)] = (catalogue, names)
    return names


def blank(column: str) -> pl.Expr:
    """Return whether a text cell is empty or only spaces."""
    return pl.col(column).is_null() | pl.col(column).str.contains(BLANK)


def name_columns(header: Sequence[object], columns: list[str], names: dict[str, str],
                 sheet: str, catalogue: Catalogue) -> tuple[dict[str, str],
                                                         list[tuple[str, str]]]:
    """Return the frame columns named by field code, and the unknown (header, column) pairs.

    A column without a header is unknown with an empty header text.
    """
    known: dict[str, str] = {}
    unknown: list[tuple[str, str]] = []
    for text, column in zip(header, columns, strict=True):
        if text is None or not str(text).strip():
            unknown.append(("", column))  # reported if it holds values
            continue
        code = names.get(key(text))
        if code is None:
            unknown.append((str(text), column))
        elif code in known.values():
            raise SubmissionRejected([file_reject("duplicate_column", sheet=sheet, column=code,
                                                  value=str(text),
                                                  label=field_label(catalogue, code))])
        else:
            known[column] = code
    return known, unknown


def unknown_notices(body: pl.DataFrame, unknown: list[tuple[str, str]], sheet: str,
                    row: int | None) -> list[Reject]:
    """Return a notice for every unknown column that holds values (they were not read)."""
    if not unknown:
        return []
    counts = body.select([(~blank(c)).sum().alias(c) for _, c in unknown]).row(0, named=True)
    return [reject("unknown_column" if text else "unnamed_column", sheet=sheet, row=row,
                   column=None, value=text or column_letters(int(c[1:])), limit=counts[c],
                   scope="notice") for text, c in unknown if counts[c]]


@lru_cache(maxsize=256)
def is_data(columns: tuple[str, ...]) -> pl.Expr:
    """Return whether a row has a filled cell."""
    if not columns:
        return pl.lit(False)
    # Built once per set of column names: building expressions costs more than running them.
    return ~pl.all_horizontal([blank(c) for c in columns])


def data_rows(body: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Keep the rows with a filled cell."""
    return body.filter(is_data(tuple(columns)))


def split_totals(body: pa.Table, cells: list[str], known: dict[str, str], catalogue: Catalogue,
                 sheet: str, decimal: Decimal) -> tuple[pa.Table, list[Reject]]:
    """Return the rows that are not totals rows, and a notice for each totals row."""
    totals = find_totals([body.column(c) for c in cells])
    if not totals:
        return body, []
    rows = list(zip(*[body.column(c).to_pylist() for c in cells], strict=True))
    specs = {f.id: f for f in catalogue.fields}
    fields = {i: specs[known[c]] for i, c in enumerate(cells) if known.get(c) in specs}
    row_keys = {spec.key for spec in catalogue.tables.values() if spec.key}
    keys = [i for i, c in enumerate(cells) if known.get(c) in row_keys]
    notices = total_notices(rows, totals, body.column(ROW).to_pylist(), fields, keys, sheet,
                            decimal)
    keep = [True] * body.num_rows
    for at in totals:
        keep[at] = False
    return body.filter(pa.array(keep)), notices


class ArrowStream:
    """Arrow data offered through the Arrow PyCapsule interface.

    Polars converts a pyarrow table it recognises through pyarrow itself, at several times the
    cost of taking the same columns through the capsule interface.
    """

    def __init__(self, data: pa.Table) -> None:
        self.data = data

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """Export the data as an Arrow C stream."""
        return self.data.__arrow_c_stream__(requested_schema)


def polars_frame(data: pa.Table) -> pl.DataFrame:
    """Return arrow data as a polars frame without copying through pyarrow."""
    return pl.DataFrame(ArrowStream(data))


def _header_row(rows: list[tuple[object, ...]], names: dict[str, str], sheet: str) -> int:
    """Return the index of the first row naming at least two questionnaire columns."""
    for h, row in enumerate(rows):
        if sum(c is not None and key(c) in names for c in row) >= 2:
            return h
    raise SubmissionRejected([file_reject("missing_header", sheet=sheet, column=sheet)])


def grid_to_table(grid: pa.Table, sheet: str, catalogue: Catalogue, table: Table,
                  merges: Sequence[Merge] = ()) -> tuple[RawTable, list[Reject]]:
    """Find the header row and name the columns below it by field code, with row numbers.

    Merged values are spread or their rows quarantined (`pipelines.merges`); totals rows are
    taken out and reported. The rows keep blank rows: `data_rows` drops them
    for a whole batch of files at once, which costs far less than a frame operation per file.
    """
    names = header_names(catalogue, table)
    cells = [c for c in grid.column_names if c != ROW]
    head = list(zip(*[grid.column(c).slice(0, HEAD_ROWS).to_pylist() for c in cells],
                    strict=True))
    h = _header_row(head, names, sheet)
    known, unknown = name_columns(head[h], cells, names, sheet, catalogue)
    body, notices = split_totals(grid.slice(h + 1), cells, known, catalogue, sheet, None)
    fields = {f.id: f for f in catalogue.fields}
    body, merged = spread_merges(body, h + 1, merges, cells, known, fields, sheet, ROW)
    notices += merged
    frame = polars_frame(body.select([ROW, *known]).rename_columns([ROW, *known.values()]))
    if unknown:
        notices += unknown_notices(data_rows(polars_frame(body), cells), unknown, sheet, h + 1)
    return RawTable(sheet, frame), notices
