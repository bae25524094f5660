"""A straightforward ingest with pandas and openpyxl, the way one would first write it.

It applies the same parsing rules (cell by cell, `pipelines.normalise`) and the same checks as
the product, and writes each file in its own transaction: the yardstick of the benchmark.
"""

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from imvo.definitions.models import Definitions
from pipelines.grids import header_names, key
from pipelines.normalise import Invalid, parse_cell

SHEETS = {"sites": "Productielocaties (Locations)", "materials": "Grondstoffen (Raw materials)"}


def _parse(field_type: str, text: Any) -> tuple[Any, bool]:
    try:
        return parse_cell(field_type, None if pd.isna(text) else str(text), "."), True
    except Invalid:
        return None, False


def _table(frame: pd.DataFrame, table: str, defs: Definitions) -> pd.DataFrame:
    names = header_names(defs.catalogue, table)
    frame = frame.iloc[1:].reset_index(drop=True)
    frame.columns = [names.get(key(c), f"x{i}") for i, c in enumerate(frame.iloc[0])]
    frame = frame.iloc[1:].dropna(how="all")
    good = pd.Series(True, index=frame.index)
    for spec in [f for f in defs.catalogue.fields if f.table == table and f.id in frame]:
        parsed = frame[spec.id].map(lambda t, s=spec: _parse(s.type, t))
        frame[spec.id] = parsed.map(lambda p: p[0])
        good &= parsed.map(lambda p: p[1])
        if spec.min is not None:
            good &= frame[spec.id].isna() | (frame[spec.id] >= spec.min)
        if spec.not_above and spec.not_above in frame:
            good &= ~(frame[spec.id] > frame[spec.not_above])
    key_field = defs.catalogue.tables[table].key
    good &= frame[key_field].notna() & ~frame[key_field].duplicated()
    return frame[good][[c for c in frame.columns if not c.startswith("x")]]


def ingest(conn: duckdb.DuckDBPyConnection, paths: list[Path], defs: Definitions) -> int:
    """Read, parse, check and load every file; return the number of rows loaded."""
    loaded = 0
    for n, path in enumerate(paths):
        book = pd.read_excel(path, sheet_name=None, header=None, dtype=str, engine="openpyxl")
        company = book["Bedrijf (Company)"]
        meta = dict(zip(company[0], company[3], strict=True))
        conn.begin()
        conn.execute("INSERT INTO submissions VALUES (?, ?, ?, ?, ?, 1, TRUE, now())",
                     [n, meta["covenant"], meta["member_id"], int(meta["year"]), path.name])
        for table, sheet in SHEETS.items():
            rows = _table(book[sheet], table, defs).assign(submission_id=n)
            rows["row_number"] = rows.index + 2
            conn.register("rows", rows)
            conn.execute(f"INSERT INTO {table} BY NAME SELECT * FROM rows")
            conn.unregister("rows")
            loaded += len(rows)
        conn.commit()
    return loaded
