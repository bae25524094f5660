"""Tables as CSV and XLSX downloads, safe to open in a spreadsheet, and chart image buttons.

Every exportable table is registered under a name with a loader that reads it again through the
access layer for the viewer of the request; the download never trusts what the browser holds.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import polars as pl
import xlsxwriter
from dash import html
from dash.dcc.express import send_bytes

from dashboard.text import Lang, t
from warehouse.access import Viewer

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportRequest:
    """What to export: the page's path parts and query parameters, and the language."""

    path: list[str]
    query: dict[str, str] = field(default_factory=dict)
    lang: Lang = "nl"

    def part(self, index: int) -> str:
        """Return one part of the path ('' when the path is shorter)."""
        return self.path[index] if index < len(self.path) else ""


Loader = Callable[[duckdb.DuckDBPyConnection, Viewer, ExportRequest], pl.DataFrame]
TABLES: dict[str, Loader] = {}


def register_table(name: str, loader: Loader) -> None:
    """Make a table exportable under a name."""
    TABLES[name] = loader


def neutralise(value: Any) -> Any:
    """Return a text cell that a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Return the frame with every text cell neutralised against formula injection."""
    texts = [c for c, d in frame.schema.items() if d == pl.String]
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(r"^[=+\-@\t\r]")).then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c)).alias(c) for c in texts)


def to_csv(frame: pl.DataFrame) -> bytes:
    """Return the frame as UTF-8 CSV with a byte-order mark, so spreadsheets read accents."""
    return b"\xef\xbb\xbf" + safe_frame(frame).write_csv().encode("utf-8")


def to_xlsx(frame: pl.DataFrame, *, sheet: str = "data") -> bytes:
    """Return the frame as an xlsx workbook whose text cells are stored as text."""
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as book:
        out = book.add_worksheet(sheet[:31])
        out.write_row(0, 0, frame.columns, book.add_format({"bold": True}))
        for r, row in enumerate(frame.iter_rows(), start=1):
            for c, value in enumerate(row):
                if isinstance(value, str):
                    out.write_string(r, c, neutralise(value))
                elif value is not None:
                    out.write(r, c, value)
    return buffer.getvalue()


def export_buttons(table: str, *, lang: Lang) -> html.Div:
    """Return the CSV and XLSX download buttons of a registered table."""
    return html.Div([
        html.Button(f"{t('download', lang)} {fmt.upper()}", className="export",
                    id={"type": "export", "table": table, "format": fmt})
        for fmt in ("csv", "xlsx")
    ], className="exports")


def chart_buttons(graph_id: str, *, lang: Lang) -> html.Div:
    """Return PNG and SVG download buttons for a chart (handled in assets/chart_export.js)."""
    def data(fmt: str) -> dict[str, Any]:
        return {"data-chart-export": fmt, "data-chart-target": graph_id}

    return html.Div([
        html.Button(f"{t('download', lang)} {fmt.upper()}", className="export", type="button",
                    **data(fmt))
        for fmt in ("png", "svg")
    ], className="exports")


def export_file(conn: duckdb.DuckDBPyConnection, viewer: Viewer, table: str, fmt: str,
                request: ExportRequest) -> dict[str, Any]:
    """Return the download of a registered table in a format, read for the viewer."""
    if table not in TABLES or fmt not in ("csv", "xlsx"):
        raise KeyError(f"no export {table}.{fmt}")
    frame = TABLES[table](conn, viewer, request)
    content = to_csv(frame) if fmt == "csv" else to_xlsx(frame, sheet=table)
    sent: dict[str, Any] = send_bytes(content, f"{table}.{fmt}")  # type: ignore[no-untyped-call]
    return sent
