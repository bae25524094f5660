"""Merged cells read as Excel shows them, or quarantined with a reason; never read as empty.

Excel shows the value of a merged range over all of its cells; calamine hands it over in the
first cell only. Below a sheet's header row, a value merged over several rows of one column
that names a kind (country, raw material, site, yes/no) applies to every row of the range; an
amount merged over several rows belongs to no row in particular, so those rows are
quarantined, and so are rows with a value merged over several questions. Merges above the data
(a title over the header) change nothing.
"""

from collections.abc import Sequence

import pyarrow as pa

from imvo.definitions.models import FieldSpec
from pipelines.messages import Reject, reject
from pipelines.sheetxml import column_letters

Merge = tuple[int, int, int, int]
"""(first row, first column, last row, last column) in the grid, counted from 0."""
AMOUNTS = frozenset({"integer", "number", "percent"})


def _filled(value: object) -> bool:
    return value is not None and bool(str(value).strip())


def _problem(merge: Merge, top: object, codes: list[str], fields: dict[str, FieldSpec],
             sheet: str, row: int, rows: int) -> Reject | None:
    """Return why the rows of a merge cannot be loaded, or None when the value can spread.

    `rows` counts the rows of the merge that hold data.
    """
    r1, c1, r2, c2 = merge
    if len(codes) > 1:
        return reject("merged_columns", sheet=sheet, row=row, column=None, value=top,
                      limit=f"{column_letters(c1)}–{column_letters(c2)}", scope="row")
    spec = fields[codes[0]]
    if spec.type in AMOUNTS and rows > 1:
        return reject("merged_rows", sheet=sheet, row=row, column=spec.id, value=top,
                      limit=f"{r1 + 1}–{r2 + 1}", label=spec.label)
    return None


def spread_merges(body: pa.Table, header: int, merges: Sequence[Merge], cells: list[str],
                  known: dict[str, str], fields: dict[str, FieldSpec], sheet: str,
                  row_column: str) -> tuple[pa.Table, list[Reject]]:
    """Return the rows of a table with merged values spread, and the rows quarantined.

    `header` is the Excel row of the header; the rows below it are data rows of `body`,
    whose Excel row numbers are in `row_column`.
    """
    inside = [m for m in merges if m[0] + 1 > header]
    if not inside or not body.num_rows:
        return body, []
    values = {c: body.column(c).to_pylist() for c in cells}
    numbers = body.column(row_column).to_pylist()
    index = {n: i for i, n in enumerate(numbers)}
    content = [any(_filled(values[c][i]) for c in cells) for i in range(body.num_rows)]
    dropped: dict[int, Reject] = {}
    for merge in inside:
        r1, c1, r2, c2 = merge
        at = index.get(r1 + 1)
        top = values[f"c{c1}"][at] if at is not None and f"c{c1}" in values else None
        names = [f"c{c}" for c in range(c1, c2 + 1) if f"c{c}" in known]
        if not _filled(top) or not names:
            continue
        # A range may reach far below the data: only the sheet's own rows are looked at.
        span = range(max(r1 + 1, numbers[0]), min(r2 + 1, numbers[-1]) + 1)
        rows = [i for n in span if (i := index.get(n)) is not None and content[i]]
        codes = [known[c] for c in names]
        for i in rows:
            problem = _problem(merge, top, codes, fields, sheet, numbers[i], len(rows))
            if problem is not None:
                dropped.setdefault(i, problem)
            else:
                values[names[0]][i] = top
    columns = [pa.array(values[c], pa.string()) if c in values else body.column(c)
               for c in body.column_names]
    spread = pa.table(columns, names=body.column_names)
    keep = pa.array([i not in dropped for i in range(body.num_rows)])
    return spread.filter(keep), list(dropped.values())


def spread_answers(answers: list[tuple[str, object, int]], merges: Sequence[Merge],
                   column: int, fields: dict[str, FieldSpec],
                   sheet: str) -> tuple[list[tuple[str, object, int]], list[Reject]]:
    """Return the company answers with merged answers spread; an amount merged is rejected.

    `answers` holds (code, value, Excel row); `column` is the answer column's Excel index.
    """
    problems: list[Reject] = []
    out = list(answers)
    for merge in merges:
        r1, c1, r2, _ = merge
        if c1 != column or r2 == r1:
            continue
        top = next((v for _, v, n in answers if n == r1 + 1), None)
        covered = [i for i, (_, _, n) in enumerate(out) if r1 + 1 <= n <= r2 + 1]
        if not _filled(top):
            continue
        for i in covered:
            code, _, n = out[i]
            spec = fields.get(code)
            if spec is not None and spec.type in AMOUNTS and len(covered) > 1:
                out[i] = (code, None, n)
                problems.append(reject("merged_rows", sheet=sheet, row=n, column=code,
                                       value=top, limit=f"{r1 + 1}–{r2 + 1}",
                                       label=spec.label, scope="answer"))
            else:
                out[i] = (code, top, n)
    return out, problems
