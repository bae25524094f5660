"""Read a filled-in questionnaire (xlsx) through calamine (fastexcel), every cell as text.

Sheets are found by name in either language ('Bedrijf (Company)', 'Company', 'Bedrijf'); extra
sheets are reported, hidden ones are skipped. Excel error cells (#DIV/0!, #N/A) come back as
their error text, so validation rejects them with a reason instead of reading them as empty.

What calamine does not say is read from the sheet XML (`pipelines.sheetxml`): merged ranges
(spread or quarantined by `pipelines.merges`), formulas without a saved value (handed over as
their formula text, which parsing rejects) and numbers shown as a percentage ('13 %').

Text typed into a cell follows no convention: '1.234' typed as text may mean 1234 (Dutch) or
1.234 (English), and is rejected as ambiguous. A number cell is not ambiguous; when its text
reads both ways, a '0' is added ('1.2340'), which reads one way only, with the same value.
"""

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import fastexcel
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from imvo.definitions.models import Catalogue, Table, TableSpec
from pipelines.columns import DOTTED_THOUSANDS
from pipelines.grids import (
    HEAD_ROWS,
    ROW,
    RawSubmission,
    RawTable,
    grid_to_table,
    key,
)
from pipelines.hints import field_label
from pipelines.merges import Merge, spread_answers
from pipelines.messages import Reject, SubmissionRejected, file_reject, reject
from pipelines.sheetxml import Cell, SheetCells, read_sheet_cells
from pipelines.template import INSTRUCTIONS, META_ROWS, sheet_name

ERROR_TEXTS = {"Div0": "#DIV/0!", "NA": "#N/A", "Name": "#NAME?", "Null": "#NULL!",
               "Num": "#NUM!", "Ref": "#REF!", "Value": "#VALUE!", "GettingData": "#GETTING_DATA"}
ERROR_DETAIL = re.compile(r"Error\((\w+)\)")
ANSWER_HEADER = re.compile(r"antwoord|answer")
UNIT = "\x1f"
OOXML = (".xlsx", ".xlsm")  # workbooks whose sheet XML tells merges, formulas and % formats
ROW_DOTTED = r"(^|\x1f)-?[1-9][0-9]{0,2}\.[0-9]{3}(\x1f|$)"


def _unreadable(exc: Exception) -> SubmissionRejected:
    return SubmissionRejected([file_reject("not_xlsx", value=exc)])


def _error_texts(errors: fastexcel.CellErrors | None) -> dict[int, dict[int, str]]:
    """Return the text of every error cell (#DIV/0!, #N/A, ...) by column and row."""
    texts: dict[int, dict[int, str]] = {}
    for error in errors.errors if errors else []:
        row, col = error.offset_position
        found = ERROR_DETAIL.search(error.detail)
        texts.setdefault(col, {})[row] = (
            ERROR_TEXTS.get(found.group(1), "#" + found.group(1)) if found else error.detail)
    return texts


def _text_column(column: pa.Array | pa.ChunkedArray, errors: dict[int, str]) -> pa.Array:
    if errors:
        values = column.to_pylist()
        for row, text in errors.items():
            values[row] = text
        return pa.array(values, pa.string())
    # A column without any value comes back typed as null; the grid is text throughout.
    return column if column.type == pa.string() else column.cast(pa.string())


def _numbers_unambiguous(book: fastexcel.ExcelReader, name: str,
                         columns: list[pa.Array]) -> list[pa.Array]:
    """Write number cells whose text reads both ways ('1.234') so they read one way."""
    if not columns:
        return columns
    # One pass over whole rows first: such cells are rare, and a call per column costs more.
    rows = pc.binary_join_element_wise(*columns, UNIT, null_handling="replace")
    if not pc.any(pc.match_substring_regex(rows, ROW_DOTTED)).as_py():
        return columns
    # Loaded as booleans, a number cell has a value and a text cell has none.
    typed = book.load_sheet(name, header_row=None, dtypes="boolean", skip_rows=0).to_arrow()
    for i, column in enumerate(columns):
        dotted = pc.fill_null(pc.match_substring_regex(column, DOTTED_THOUSANDS), False)
        number = pc.and_(dotted, pc.is_valid(typed.column(i)))
        columns[i] = pc.if_else(number, pc.binary_join_element_wise(column, "0", ""), column)
    return columns


def _overlay(columns: list[pa.Array], first: int, height: int,
             texts: dict[Cell, str]) -> tuple[list[pa.Array], int]:
    """Return the columns with texts put in their cells, widened to hold them, and the first."""
    if not texts:
        return columns, first
    low = min([first, *(c for _, c in texts)])
    high = max([first + len(columns) - 1, *(c for _, c in texts)])
    height = max([height, *(r + 1 for r, _ in texts)])
    by_column: dict[int, list[tuple[int, str]]] = {}
    for (r, c), text in texts.items():
        by_column.setdefault(c, []).append((r, text))
    out = []
    for col in range(low, high + 1):
        i = col - first
        values = columns[i].to_pylist() if 0 <= i < len(columns) else []
        values += [None] * (height - len(values))
        for r, text in by_column.get(col, []):
            values[r] = text
        out.append(pa.array(values, pa.string()))
    return out, low


def load_grid(book: fastexcel.ExcelReader, name: str,
              cells: SheetCells | None = None) -> tuple[pa.Table, list[Merge]]:
    """Return a sheet as text columns named c<Excel column index>, its Excel row in ROW.

    `cells` says what calamine does not (merged ranges, formulas without a value, numbers
    shown as a percentage); the merged ranges are returned in grid rows and Excel columns.
    """
    try:
        sheet = book.load_sheet(name, header_row=None, dtypes="string", skip_rows=0)
        batch, errors = sheet.to_arrow_with_errors()
    except fastexcel.FastExcelError as exc:
        raise _unreadable(exc) from exc
    texts = _error_texts(errors)
    columns = [_text_column(batch.column(i), texts.get(i, {})) for i in range(batch.num_columns)]
    columns = _numbers_unambiguous(book, name, columns)
    first = sheet.selected_columns[0].absolute_index if columns else 0
    columns, first = _overlay(columns, first, batch.num_rows, cells.texts if cells else {})
    height = len(columns[0]) if columns else 0
    rows = pa.array(range(1, height + 1), pa.int32())
    names = [f"c{first + i}" for i in range(len(columns))]
    return pa.table([*columns, rows], names=[*names, ROW]), cells.merges if cells else []


@lru_cache(maxsize=1024)
def _names(name: str) -> frozenset[str]:
    return frozenset({key(name)} | {key(p) for p in re.split(r"[()/|]", name) if p.strip()})


def _wanted(spec: TableSpec) -> frozenset[str]:
    return _names(sheet_name(spec))


def _visible(book: fastexcel.ExcelReader, name: str) -> bool:
    try:
        return book.load_sheet(name, header_row=None, n_rows=1, dtypes="string").visible == (
            "visible")
    except fastexcel.FastExcelError:
        return True  # a sheet that cannot be loaded is reported rather than skipped


def _pick(book: fastexcel.ExcelReader, found: list[str], spec: TableSpec) -> str | None:
    if len(found) <= 1:
        return found[0] if found else None
    visible = [n for n in found if _visible(book, n)]
    if len(visible) == 1:
        return visible[0]
    raise SubmissionRejected([file_reject("ambiguous_sheet", column=sheet_name(spec),
                                          value=", ".join(found))])


def match_sheets(book: fastexcel.ExcelReader, catalogue: Catalogue) -> tuple[
        dict[Table, str], list[Reject]]:
    """Return the sheet of each questionnaire table, and a notice per extra visible sheet."""
    names = book.sheet_names
    matched: dict[Table, str] = {}
    for table, spec in catalogue.tables.items():
        picked = _pick(book, [n for n in names if _names(n) & _wanted(spec)], spec)
        if picked is not None:
            matched[table] = picked
    skip = set(matched.values()) | {n for n in names if _names(n) & {
        key(INSTRUCTIONS.nl), key(INSTRUCTIONS.en)}}
    extra = [n for n in names if n not in skip and _visible(book, n)]
    return matched, [reject("unknown_sheet", sheet=n, row=None, column=None, value=n,
                            scope="notice") for n in extra]


def _answer_column(rows: list[tuple[object, ...]], sheet: str) -> tuple[int, int]:
    head = next((i for i, r in enumerate(rows[:HEAD_ROWS]) if r and key(r[0]) == "code"), None)
    answer = None if head is None else next(
        (i for i, c in enumerate(rows[head]) if c is not None and ANSWER_HEADER.search(key(c))),
        None)
    if head is None or answer is None:
        raise SubmissionRejected([file_reject("missing_header", sheet=sheet, column=sheet)])
    return head, answer


def company_table(grid: pa.Table, sheet: str, catalogue: Catalogue,
                  merges: Sequence[Merge] = ()) -> tuple[RawTable, list[Reject]]:
    """Return the answers (code, value, row) of the company sheet, and unread answers."""
    # A few dozen rows: plain Python is quicker than frame operations here.
    rows = list(zip(*[grid.column(c).to_pylist() for c in grid.column_names if c != ROW],
                    strict=True))
    head, answer = _answer_column(rows, sheet)
    codes = {code for code, _ in META_ROWS} | {
        f.id for f in catalogue.fields if f.table == "answers"}
    known: list[tuple[str, object, int]] = []
    notices: list[Reject] = []
    for n, row in enumerate(rows[head + 1:], start=head + 2):
        code, value = key(row[0]) if row[0] is not None else None, row[answer]
        if code in codes:
            known.append((code, value, n))
        elif value is not None and str(value).strip():
            notices.append(reject("unknown_question", sheet=sheet, row=n, column=code,
                                  value=value, scope="notice"))
    fields = {f.id: f for f in catalogue.fields}
    column = int([c for c in grid.column_names if c != ROW][answer][1:])
    known, merged = spread_answers(known, merges, column, fields, sheet)
    notices += merged
    seen = [c for c, _, _ in known]
    doubles = [(c, n) for i, (c, _, n) in enumerate(known) if c in seen[:i]]
    if doubles:
        raise SubmissionRejected([file_reject("duplicate_answer", sheet=sheet, row=n, column=c,
                                              label=field_label(catalogue, c))
                                  for c, n in doubles])
    frame = pl.DataFrame(known, schema={"code": pl.String, "value": pl.String, ROW: pl.Int32},
                         orient="row")
    return RawTable(sheet, frame), notices


def _sheet_cells(path: Path, names: list[str]) -> dict[str, SheetCells]:
    if path.suffix.lower() not in OOXML:  # .xls, .xlsb and .ods keep their cells otherwise
        return {}
    try:
        return read_sheet_cells(path, names)
    except Exception as exc:  # zipfile, zlib and the XML parser raise several exception types
        raise _unreadable(exc) from exc


def read_xlsx(path: Path, catalogue: Catalogue) -> RawSubmission:
    """Read a filled-in questionnaire (xlsx) with every cell as text."""
    try:
        book = fastexcel.read_excel(str(path))
    except Exception as exc:  # the reader raises several exception types for damaged files
        raise _unreadable(exc) from exc
    sheets, extra = match_sheets(book, catalogue)
    if "answers" not in sheets:
        raise SubmissionRejected([file_reject(
            "missing_sheet", column=sheet_name(catalogue.tables["answers"]))])
    cells = _sheet_cells(path, list(sheets.values()))
    grid, merges = load_grid(book, sheets["answers"], cells.get(sheets["answers"]))
    answers, notices = company_table(grid, sheets["answers"], catalogue, merges)
    tables: dict[Table, RawTable] = {}
    for table, name in sheets.items():
        if table != "answers":
            grid, merges = load_grid(book, name, cells.get(name))
            tables[table], found = grid_to_table(grid, name, catalogue, table, merges)
            notices += found
    return RawSubmission(path.name, None, answers, tables, extra + notices)
