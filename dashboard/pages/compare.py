"""Compare: one KPI across the covenants it applies to, by calendar year or covenant year."""

import dash
import duckdb
import polars as pl
from dash import Input, Output, State, callback, html
from dash.development.base_component import Component

from dashboard.compare import (
    applying_covenants,
    compare_controls,
    compare_search,
    compare_view,
    pick_kpi,
)
from dashboard.context import current_definitions, current_viewer, reader, shows_errors
from dashboard.exports import ExportRequest, register_table
from dashboard.figures_compare import Axis, parse_axis
from dashboard.ranking import ranking_frame
from dashboard.text import Lang, parse_lang
from imvo.definitions.models import KpiDefinition
from warehouse import access
from warehouse.access import Viewer

dash.register_page(  # type: ignore[no-untyped-call]
    __name__, path="/compare", name="Compare", title="IMVO Monitor", order=1
)


def layout(kpi: str | None = None, axis: str | None = None, lang: str | None = None,
           **_: object) -> Component:
    """Return the Compare page for the KPI and x-axis the URL asks for."""
    defs, language, shown = current_definitions(), parse_lang(lang), parse_axis(axis)
    chosen = pick_kpi(kpi, defs)
    # The controls need no data, so they stay usable when the warehouse cannot be read.
    return html.Div([compare_controls(chosen, defs=defs, axis=shown, lang=language),
                     results(kpi=chosen, axis=shown, lang=language)], className="compare")


@shows_errors
def results(*, kpi: KpiDefinition, axis: Axis, lang: Lang) -> Component:
    """Return the ranking and small multiples of a KPI, read for the viewer."""
    defs, viewer = current_definitions(), current_viewer()
    with reader() as conn:
        values = access.kpi_values(conn, viewer, kpi=kpi.id)
        states = access.progress(conn, viewer)
    return compare_view(values, states, kpi=kpi, defs=defs, axis=axis, lang=lang)


def ranking_rows(conn: duckdb.DuckDBPyConnection, viewer: Viewer,
                 request: ExportRequest) -> pl.DataFrame:
    """Return the Compare page's ranking as a flat table for download."""
    defs = current_definitions()
    chosen = pick_kpi(request.query.get("kpi"), defs)
    values = access.kpi_values(conn, viewer, kpi=chosen.id)
    covenants = applying_covenants(chosen.id, defs.covenants)
    frame = ranking_frame(values, access.progress(conn, viewer), kpi=chosen, covenants=covenants)
    return frame.select(pl.lit(chosen.id).alias("kpi"), pl.all())


register_table("compare", ranking_rows)


@callback(Output("compare-url", "search"), Input("compare-kpi", "value"),
          Input("compare-axis", "value"), State("compare-lang", "data"),
          prevent_initial_call=True)
def choose(kpi: str | None, axis: str | None, lang: str | None) -> str:
    """Put the chosen KPI and x-axis in the URL; the page is drawn from the URL."""
    return compare_search(kpi, axis, lang)
