"""Data grids keep the values themselves (so sorting and filtering work on them) and let the
browser write them in the user's language."""

from datetime import datetime
from pathlib import Path

import polars as pl

from dashboard import tables
from dashboard.tables import data_grid

FRAME = pl.DataFrame({"year": [2018], "coverage": [0.8], "numerator": [12345.678],
                      "ingested_at": [datetime(2026, 11, 23, 5, 7, 9)], "file_name": ["a.xlsx"]})


def _formats(lang):
    grid = data_grid(FRAME, grid_id="g", labels={}, lang=lang, shares=("coverage",))
    return grid.rowData, {c["field"]: c.get("valueFormatter", {}).get("function")
                          for c in grid.columnDefs}


def test_rows_keep_numbers_and_sortable_times():
    rows, _ = _formats("nl")
    assert rows == [{"year": 2018, "coverage": 0.8, "numerator": 12345.678,
                     "ingested_at": "2026-11-23T05:07:09", "file_name": "a.xlsx"}]


def test_values_are_written_per_language_by_the_grid_functions():
    _, nl = _formats("nl")
    _, en = _formats("en")
    assert nl == {"year": "imvoNumber(params.value, 'nl', true)",
                  "coverage": "imvoShare(params.value, 'nl')",
                  "numerator": "imvoNumber(params.value, 'nl', false)",
                  "ingested_at": "imvoTime(params.value, 'nl')", "file_name": None}
    assert en["coverage"] == "imvoShare(params.value, 'en')"
    functions = (Path(tables.__file__).parent / "assets" / "grid_formats.js").read_text()
    for name in ("imvoNumber", "imvoShare", "imvoTime"):
        assert f"dagfuncs.{name} = function" in functions
