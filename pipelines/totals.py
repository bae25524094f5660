"""Rows labelled as a total or subtotal: never loaded as data, always reported.

A row is a totals row when any of its cells starts with a totals word ('Totaal', 'Totaal:',
'Subtotaal China', 'Sub-total', 'Grand total', 'Som', 'Sum', in any case). It becomes a notice
that says it was read as a total; when its numbers are the sum of the data rows above it (since
the previous totals row, or since the top), the notice says so.
"""

import math
import re
from collections.abc import Mapping, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from imvo.definitions.models import FieldSpec
from pipelines.messages import Reject, reject
from pipelines.normalise import Decimal, Invalid, parse_number

WORDS = r"(sub|grand|eind)?[- ]?(totaal|totalen|totals?|totaux|somme|som|sum)\b"
"""A totals word at the start of a cell: 'Totaal', 'Subtotaal China', 'Sub-total', 'Som'."""
SPACE = "[\\s\u00a0]*"
LABEL = re.compile("^" + SPACE + WORDS, re.IGNORECASE | re.ASCII)
SEPARATOR = pa.scalar("\x1f")
IN_ROW = "(?i)(^|\x1f)" + SPACE + WORDS
"""The same words for the regex engine of pyarrow (RE2), over a row's cells joined."""
AMOUNTS = ("integer", "number")


def find_totals(columns: Sequence[pa.Array | pa.ChunkedArray]) -> list[int]:
    """Return the index of every row that has a cell starting with a totals word."""
    if not columns:
        return []
    # One pass over whole rows: totals rows are rare, and a call per column costs more.
    text = [c if c.type == pa.string() else c.cast(pa.string()) for c in columns]
    rows = pc.binary_join_element_wise(*text, SEPARATOR, null_handling="replace")
    found = pc.fill_null(pc.match_substring_regex(rows, IN_ROW), False)
    at: list[int] = pc.indices_nonzero(found).to_pylist()
    return at


def _amount(text: object, decimal: Decimal) -> float | None:
    try:
        return parse_number(None if text is None else str(text), decimal=decimal)
    except Invalid:
        return None


def _is_sum(rows: Sequence[Sequence[object]], above: list[int], total: dict[int, float],
            decimal: Decimal) -> bool:
    for column, value in total.items():
        got = sum(_amount(rows[i][column], decimal) or 0.0 for i in above)
        if not math.isclose(got, value, rel_tol=1e-9, abs_tol=1e-9):
            return False
    return True


def _sums_up(rows: Sequence[Sequence[object]], at: int, totals: list[int],
             amounts: Mapping[int, FieldSpec], keys: Sequence[int], decimal: Decimal) -> bool:
    """Return whether a totals row's numbers are the sum of the data rows above it.

    A data row has its row key (site or material) filled in, when the sheet has a key column.
    """
    filled = [c for c in amounts if rows[at][c] is not None and str(rows[at][c]).strip()]
    parsed = {c: _amount(rows[at][c], decimal) for c in filled}
    numbers = {c: v for c, v in parsed.items() if v is not None}
    if not numbers or len(numbers) < len(parsed):
        return False
    previous = max((t for t in totals if t < at), default=-1)
    skip = set(totals) | {i for i, row in enumerate(rows)
                          if keys and not any(str(row[k] or "").strip() for k in keys)}
    for start in (previous + 1, 0):
        above = [i for i in range(start, at) if i not in skip]
        if above and _is_sum(rows, above, numbers, decimal):
            return True
    return False


def total_notices(rows: Sequence[Sequence[object]], totals: list[int], numbers: Sequence[int],
                  fields: Mapping[int, FieldSpec], keys: Sequence[int], sheet: str,
                  decimal: Decimal) -> list[Reject]:
    """Return a notice per totals row; `fields` gives the field of each read column and `keys`
    the row key columns."""
    amounts = {c: f for c, f in fields.items() if f.type in AMOUNTS}
    notices = []
    for at in totals:
        cells = [(c, str(v)) for c, v in enumerate(rows[at]) if v is not None]
        column, label = next(((c, v) for c, v in cells if LABEL.match(v)), cells[0])
        rule = "total_row_sum" if _sums_up(rows, at, totals, amounts, keys, decimal) else (
            "total_row")
        field = fields.get(column)
        notices.append(reject(rule, sheet=sheet, row=numbers[at], value=label.strip(),
                              column=field.id if field else None, scope="notice"))
    return notices
