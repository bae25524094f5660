"""One covenant: its facts, and per KPI a card with the trend against the target."""

import dash
import duckdb
import polars as pl
from dash import Input, Output, State, callback, html
from dash.development.base_component import Component

from dashboard.components import covenant_header, goal_groups, kpi_card
from dashboard.context import current_definitions, current_viewer, reader, shows_errors
from dashboard.exports import ExportRequest, export_buttons, register_table
from dashboard.figures import trend_figure
from dashboard.messages import unknown_covenant
from dashboard.projector import projector_link
from dashboard.report.control import (
    IDS,
    PackStore,
    pack_control,
    pack_view,
    pack_year,
    start_pack,
)
from dashboard.text import parse_lang
from warehouse import access
from warehouse.access import Viewer


def title(slug: str | None = None) -> str:
    """Return the browser-tab title of a covenant's page."""
    return f"{slug} · IMVO Monitor" if slug else "IMVO Monitor"


dash.register_page(  # type: ignore[no-untyped-call]
    __name__, path_template="/covenant/<slug>", name="Covenant", title=title
)


@shows_errors
def layout(slug: str | None = None, lang: str | None = None, **_: object) -> Component:
    """Return a covenant's page, or a clear message when there is no such covenant."""
    language = parse_lang(lang)
    defs = current_definitions()
    covenant = defs.covenants.get(slug or "")
    if covenant is None:
        return unknown_covenant(slug, lang=language)
    with reader() as conn:
        values = access.kpi_values(conn, current_viewer(), covenant=covenant.slug)
        states = access.progress(conn, current_viewer(), covenant=covenant.slug)
    targets = {target.kpi: target for target in covenant.targets}
    cards = {
        kpi.id: kpi_card(values, states, kpi=kpi, target=targets.get(kpi.id), lang=language,
                         figure=trend_figure(values, kpi=kpi, target=targets.get(kpi.id),
                                             published=covenant.published, lang=language,
                                             years=covenant.years),
                         detail_href=f"/kpi/{covenant.slug}/{kpi.id}?lang={language}")
        for kpi in defs.covenant_kpis(covenant.slug)
    }
    sections = [html.Section([html.H2(title), html.Div([cards[k] for k in kpis],
                                                       className="kpi-grid")],
                             className="goal-section")
                for title, kpis in goal_groups(covenant, lang=language)]
    return html.Div([covenant_header(covenant, lang=language),
                     projector_link(covenant.slug, lang=language),
                     export_buttons("covenant-values", lang=language), *sections,
                     pack_control(covenant, year=pack_year(values, covenant), lang=language)],
                    className="covenant")


def covenant_rows(conn: duckdb.DuckDBPyConnection, viewer: Viewer,
                  request: ExportRequest) -> pl.DataFrame:
    """Return the covenant's KPI values per year as a flat table for download."""
    return access.kpi_values(conn, viewer, covenant=request.part(1))


register_table("covenant-values", covenant_rows)


@callback(Output(IDS["job"], "data"), Output(IDS["status"], "children", allow_duplicate=True),
          Input(IDS["make"], "n_clicks"), State(IDS["year"], "value"),
          State(IDS["format"], "value"), State(IDS["request"], "data"), prevent_initial_call=True)
def make_pack(_: int, year: int, fmt: str, request: PackStore) -> tuple[object, str]:
    """Start making the meeting pack in the background, for the viewer of this request."""
    return start_pack(covenant=request["covenant"], year=year, fmt=fmt, lang=request["lang"])


@callback(Output(IDS["progress"], "value"), Output(IDS["progress"], "max"),
          Output(IDS["progress"], "hidden"), Output(IDS["status"], "children"),
          Output(IDS["download"], "data"), Output(IDS["poll"], "disabled"),
          Output(IDS["make"], "disabled"), Input(IDS["job"], "data"),
          Input(IDS["poll"], "n_intervals"), State(IDS["request"], "data"),
          prevent_initial_call=True)
def show_pack(job: str | None, _: int | None, request: PackStore) -> list[object]:
    """Show how far the meeting pack is, and send the file once it is made."""
    return pack_view(job, lang=request["lang"])
