"""Overview: every covenant against every KPI, the latest value up to a chosen year."""

from urllib.parse import urlencode

import dash
import duckdb
import polars as pl
from dash import Input, Output, State, callback, dcc, html
from dash.development.base_component import Component

from dashboard.cache import mark_read_only
from dashboard.components import STATUS_STYLE, overview_table, status_badge
from dashboard.context import current_definitions, current_viewer, reader, shows_errors
from dashboard.exports import ExportRequest, export_buttons, register_table
from dashboard.text import Lang, parse_lang, t
from warehouse import access
from warehouse.access import Viewer

dash.register_page(  # type: ignore[no-untyped-call]
    __name__, path="/", name="Overview", title="IMVO Monitor", order=0
)


def pick_year(asked: str | None, years: list[int]) -> int | None:
    """Return the asked year when there are values for it, else the newest year with values."""
    chosen = int(asked) if asked and asked.isdigit() else None
    return chosen if chosen in years else (years[0] if years else None)


def _matrix(conn: duckdb.DuckDBPyConnection, lang: Lang, year: int | None) -> html.Div:
    defs, viewer = current_definitions(), current_viewer()
    latest = access.latest_values(conn, viewer, year=year)
    states = access.progress(conn, viewer)
    return overview_table(latest, states, covenants=defs.covenants, kpis=defs.kpis, lang=lang)


def _year_picker(years: list[int], year: int | None, lang: Lang) -> html.Div:
    options = [{"label": str(y), "value": y} for y in years]
    return html.Div([
        html.Label(t("year_label", lang), htmlFor="overview-year"),
        dcc.Dropdown(id="overview-year", options=options, value=year, clearable=False,
                     searchable=False, className="year-dropdown"),
    ], className="year-picker")


@shows_errors
def layout(lang: str | None = None, year: str | None = None, **_: object) -> Component:
    """Return the overview page in the asked language, up to the asked year."""
    language = parse_lang(lang)
    with reader() as conn:
        years = access.reported_years(conn, current_viewer())
        chosen = pick_year(year, years)
        matrix = _matrix(conn, language, chosen)
    return html.Div([
        html.H1(t("overview_title", language)),
        html.P(t("overview_intro", language)),
        html.Div([_year_picker(years, chosen, language),
                  html.Div([status_badge(s, lang=language) for s in STATUS_STYLE],
                           className="legend")], className="toolbar"),
        dcc.Location(id="overview-url", refresh=False),
        dcc.Store(id="overview-lang", data=language),
        export_buttons("overview", lang=language),
        html.Div(matrix, id="overview-table"),
    ], className="overview")


def overview_rows(conn: duckdb.DuckDBPyConnection, viewer: Viewer,
                  request: ExportRequest) -> pl.DataFrame:
    """Return the overview's values up to the asked year as a flat table for download."""
    years = access.reported_years(conn, viewer)
    latest = access.latest_values(conn, viewer, year=pick_year(request.query.get("year"), years))
    states = access.progress(conn, viewer).select("covenant", "kpi", "status", "target_year",
                                                   "target_value")
    return latest.join(states, on=["covenant", "kpi"], how="left").select(
        "covenant", "kpi", "year", "value", "suppressed", "suppression_reason", "coverage",
        "low_coverage", "status", "target_year", "target_value")


register_table("overview", overview_rows)
mark_read_only("overview-table.children")


@shows_errors
def year_table(*, year: int | None, lang: str | None) -> Component:
    """Return the matrix of latest values up to a year."""
    with reader() as conn:
        return _matrix(conn, parse_lang(lang), year)


@callback(Output("overview-table", "children"), Output("overview-url", "search"),
          Input("overview-year", "value"), State("overview-lang", "data"),
          prevent_initial_call=True)
def select_year(year: int | None, lang: str | None) -> tuple[Component, str]:
    """Show the values up to the chosen year and put the year in the URL."""
    query = "?" + urlencode({"lang": parse_lang(lang), "year": year or ""})
    return year_table(year=year, lang=lang), query
