"""Parse and check the values of a batch of prepared files at once.

The rows of every file in the batch are stacked (with their file's index and preferred decimal
separator), parsed with polars expressions and checked with one pandera schema per table; then
each problem is turned back into a reject that names the file's sheet, row, column and value.
"""

from dataclasses import dataclass
from typing import Any

import polars as pl

from imvo.definitions.models import Definitions, FieldSpec, Table
from pipelines.checks import FILE, INDEX, all_problems
from pipelines.columns import DECIMAL, POLARS_TYPES, as_decimal, parse_columns
from pipelines.grids import ROW, is_data
from pipelines.hints import rule_detail
from pipelines.messages import Reject, reject
from pipelines.validate import TABLES, Prepared


@dataclass(frozen=True)
class Checked:
    """A batch ready to load: typed rows (with FILE, the file's index) and what was rejected."""

    items: list[Prepared]
    answers: pl.DataFrame
    tables: dict[Table, pl.DataFrame]
    rejects: list[list[Reject]]
    rows_in: list[int]
    rows_loaded: list[int]


def _rejects(problems: pl.DataFrame, frame: pl.DataFrame, specs: list[FieldSpec],
             sheets: list[str], scope: Any, rows: list[dict[str, int]] | None = None,
             ) -> list[tuple[int, Reject]]:
    """Return (file index, reject) for every problem; `rows` gives answer rows per file."""
    by_id = {s.id: s for s in specs}
    found: list[tuple[int, Reject]] = []
    for index, column, rule in problems.rows():
        file = int(frame[FILE][index])
        row = rows[file].get(column) if rows is not None else int(frame[ROW][index])
        text = None if rule == "missing_key" else frame[column][index]
        spec = by_id[column]
        whole = by_id.get(spec.not_above or "")
        limit = rule_detail(spec, rule, text, as_decimal(frame[DECIMAL][index]),
                            (whole.label, frame[whole.id][index]) if whole else None)
        found.append((file, reject(rule, sheet=sheets[file], row=row, column=column, value=text,
                                   limit=limit, label=spec.label, scope=scope)))
    return found


def _stack(items: list[Prepared], table: Table) -> pl.DataFrame | None:
    """Return the data rows of a table of every file, with the file's index and separator."""
    present = [(i, item.raw.tables[table].frame) for i, item in enumerate(items)
               if table in item.raw.tables]
    if not present:
        return None
    stacked = pl.concat([frame for _, frame in present], how="diagonal")
    files = [i for i, frame in present for _ in range(frame.height)]
    decimals = [items[i].raw.decimal for i in files]
    fields = tuple(c for c in stacked.columns if c != ROW)
    return stacked.with_columns(pl.Series(FILE, files, dtype=pl.Int32),
                                pl.Series(DECIMAL, decimals, dtype=pl.String)).filter(
        is_data(fields))


def _counts(frame: pl.DataFrame, files: int) -> list[int]:
    counts = [0] * files
    for i, n in frame[FILE].value_counts().rows():
        counts[i] = n
    return counts


def _check_table(items: list[Prepared], table: Table, defs: Definitions,
                 ) -> tuple[pl.DataFrame, pl.DataFrame, list[tuple[int, Reject]]]:
    """Return a table's rows to load, all its data rows, and its rejects (by file index)."""
    frame = _stack(items, table)
    specs = [f for f in defs.catalogue.fields if f.table == table]
    if frame is None:
        schema = {FILE: pl.Int32, "row_number": pl.Int32} | {
            s.id: POLARS_TYPES[s.type] for s in specs}
        return pl.DataFrame(schema=schema), pl.DataFrame(schema={FILE: pl.Int32}), []
    specs = [s for s in specs if s.id in frame.columns]
    values, rules = parse_columns(frame, specs)
    values = values.with_columns(frame[FILE], frame[ROW].alias("row_number"))
    problems = all_problems(values, rules, specs, defs.catalogue.tables[table].key)
    sheets = [item.raw.tables[table].sheet if table in item.raw.tables else ""
              for item in items]
    bad = problems[INDEX].unique()
    good = values.with_row_index(INDEX).filter(~pl.col(INDEX).is_in(bad.implode())).drop(INDEX)
    return good, frame, _rejects(problems, frame, specs, sheets, "row")


def _check_answers(items: list[Prepared], defs: Definitions,
                   ) -> tuple[pl.DataFrame, list[tuple[int, Reject]]]:
    specs = [f for f in defs.catalogue.fields if f.table == "answers"]
    cells = [{code: (value, row) for code, value, row in item.raw.answers.frame.iter_rows()}
             for item in items]
    frame = pl.DataFrame(
        [[i, item.raw.decimal, *(cells[i].get(s.id, (None, 0))[0] for s in specs)]
         for i, item in enumerate(items)],
        schema={FILE: pl.Int32, DECIMAL: pl.String} | {s.id: pl.String for s in specs},
        orient="row")
    values, rules = parse_columns(frame, specs)
    values = values.with_columns(frame[FILE])
    problems = all_problems(values, rules, specs, None)
    for column in problems["column"].unique():
        at = problems.filter(pl.col("column") == column)[INDEX]
        values = values.with_columns(values[column].scatter(at, None))
    rows = [{code: row for code, (_, row) in c.items()} for c in cells]
    sheets = [item.raw.answers.sheet for item in items]
    return values, _rejects(problems, frame, specs, sheets, "answer", rows)


def check_batch(items: list[Prepared], defs: Definitions) -> Checked:
    """Parse and check the answers and rows of prepared files; return what to load."""
    rejects: list[list[Reject]] = [list(item.raw.extra) for item in items]
    stray = [len({(r.sheet, r.row) for r in item.raw.extra if r.scope == "row"})
             for item in items]
    rows_in, rows_loaded = list(stray), [0] * len(items)
    answers, found = _check_answers(items, defs)
    tables: dict[Table, pl.DataFrame] = {}
    for table in TABLES:
        tables[table], rows, table_found = _check_table(items, table, defs)
        found += table_found
        for i, (n_in, n_loaded) in enumerate(zip(_counts(rows, len(items)),
                                                 _counts(tables[table], len(items)),
                                                 strict=True)):
            rows_in[i] += n_in
            rows_loaded[i] += n_loaded
    for i, r in found:
        rejects[i].append(r)
    return Checked(items, answers, tables, rejects, rows_in, rows_loaded)
