"""Pure builders of data tables (AG Grid): a frame and column labels in, a grid out."""

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import dash_ag_grid as dag
import polars as pl

from dashboard.markup import markdown_text
from dashboard.text import Lang

Labels = Mapping[str, Mapping[Lang, str]]


def _formatter(dtype: pl.DataType, lang: Lang, share: bool) -> dict[str, str] | None:
    """Return how a column's values are written in the user's language (the sort stays on them).

    The functions are in assets/grid_formats.js: fractions as percentages, whole numbers
    (years, counts, row numbers) without grouping, times as the language writes them.
    """
    if share:
        return {"function": f"imvoShare(params.value, '{lang}')"}
    if dtype.is_numeric():
        whole = "true" if dtype.is_integer() else "false"
        return {"function": f"imvoNumber(params.value, '{lang}', {whole})"}
    if dtype == pl.Datetime:
        return {"function": f"imvoTime(params.value, '{lang}')"}
    return None


def _column(name: str, dtype: pl.DataType, labels: Labels, lang: Lang,
            markdown: tuple[str, ...], shares: tuple[str, ...]) -> dict[str, Any]:
    column: dict[str, Any] = {"field": name, "headerName": labels.get(name, {}).get(lang, name)}
    if name in markdown:
        column["cellRenderer"] = "markdown"
    elif dtype == pl.String:  # never inferred from the first row: a date there hid the rest
        column["cellDataType"] = "text"
    if dtype.is_numeric():
        column["type"] = "numericColumn"
        column["filter"] = "agNumberColumnFilter"
    formatter = _formatter(dtype, lang, name in shares)
    if formatter is not None:
        column["valueFormatter"] = formatter
    return column


def path_part(column: str) -> pl.Expr:
    """Return a text column percent-encoded as one part of a URL path."""
    return pl.col(column).map_elements(lambda text: quote(text, safe=""), return_dtype=pl.String)


def member_links(frame: pl.DataFrame, *, lang: Lang) -> pl.DataFrame:
    """Return the frame with member ids turned into Markdown links to the member's page.

    Ids come from the member register and the files: escaped, they cannot add links or markup.
    """
    href = pl.format("[{}](/member/{}/{}?lang=" + lang + ")", markdown_text("member_id"),
                     path_part("covenant"), path_part("member_id"))
    return frame.with_columns(pl.when(pl.col("member_id").is_not_null()).then(href)
                              .otherwise(None).alias("member_id"))


def data_grid(frame: pl.DataFrame, *, grid_id: str | dict[str, str], labels: Labels, lang: Lang,
              height: int = 420, markdown: tuple[str, ...] = (),
              shares: tuple[str, ...] = ()) -> dag.AgGrid:
    """Return a sortable, filterable grid of a frame, headers and values in the user's language.

    Columns named in `markdown` hold links written as Markdown, e.g. '[TEX-0001](/member/...)';
    those in `shares` hold fractions (0.8), shown as percentages (80,0 % or 80.0%).
    """
    columns = [_column(c, d, labels, lang, markdown, shares) for c, d in frame.schema.items()]
    shown = frame.with_columns(pl.col(pl.Datetime).dt.strftime("%Y-%m-%dT%H:%M:%S"),
                               pl.col(pl.Float64).round(3))
    return dag.AgGrid(
        id=grid_id,
        rowData=shown.to_dicts(),
        columnDefs=columns,
        defaultColDef={"sortable": True, "filter": True, "resizable": True},
        dashGridOptions={"pagination": True, "paginationPageSize": 50,
                         "enableCellTextSelection": True},
        columnSize="autoSize",
        style={"height": f"{height}px"},
    )
