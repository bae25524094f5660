"""One KPI of one covenant: its trend, its breakdowns, and for the commission its companies."""

from typing import Any
from urllib.parse import urlencode

import dash
import duckdb
import polars as pl
from dash import Input, Output, State, callback, dcc, html
from dash.development.base_component import Component
from typing_extensions import TypedDict

from dashboard.cache import mark_read_only
from dashboard.callback_checks import KnownCovenant, KnownKpi
from dashboard.context import current_definitions, current_viewer, reader, shows_errors
from dashboard.detail import breakdown_figure, distribution_figure
from dashboard.exports import ExportRequest, chart_buttons, export_buttons, register_table
from dashboard.figures import trend_figure
from dashboard.messages import message_card, unknown_covenant
from dashboard.pages.overview import pick_year
from dashboard.tables import data_grid, member_links
from dashboard.text import COLUMN_LABELS, Lang, parse_lang, t
from warehouse import access
from warehouse.access import Viewer

dash.register_page(  # type: ignore[no-untyped-call]
    __name__, path_template="/kpi/<covenant>/<kpi>", name="KPI", title="IMVO Monitor"
)
GRAPH: Any = {"displaylogo": False, "displayModeBar": False}


class KpiKey(TypedDict):
    """What the page's store holds: the covenant, the KPI and the language."""

    covenant: KnownCovenant
    kpi: KnownKpi
    lang: str


def _cells(conn: duckdb.DuckDBPyConnection, viewer: Viewer, request: ExportRequest) -> pl.DataFrame:
    frame = access.kpi_values(conn, viewer, covenant=request.part(1), kpi=request.part(2),
                              breakdown=None).filter(pl.col("breakdown") != "total")
    year = request.query.get("year")
    return frame.filter(pl.col("year") == int(year)) if year and year.isdigit() else frame


def _companies(conn: duckdb.DuckDBPyConnection, viewer: Viewer,
               request: ExportRequest) -> pl.DataFrame:
    return access.company_values(conn, viewer, covenant=request.part(1),
                                 year=int(request.query.get("year") or 0), kpi=request.part(2))


register_table("kpi-breakdowns", _cells)
register_table("kpi-companies", _companies)
mark_read_only("kpi-content.children")


def _breakdowns(cells: pl.DataFrame, kpi_id: str, lang: Lang) -> list[Component]:
    kpi = current_definitions().kpis[kpi_id]
    if not kpi.breakdowns:
        return [html.P(t("no_breakdowns", lang), className="muted")]
    charts = [html.Div([html.H3(t(f"breakdown_{b}", lang)),
                        dcc.Graph(id=f"kpi-breakdown-{b}", config=GRAPH,
                                  figure=breakdown_figure(cells.filter(breakdown=b), kpi=kpi,
                                                          lang=lang)),
                        chart_buttons(f"kpi-breakdown-{b}", lang=lang)])
              for b in kpi.breakdowns if cells.filter(breakdown=b).height]
    return [html.Div(charts, className="breakdown-grid"),
            export_buttons("kpi-breakdowns", lang=lang)]


def _company_part(companies: pl.DataFrame | None, kpi_id: str, lang: Lang) -> list[Component]:
    if companies is None:
        return [html.P(t("distribution_hidden", lang), className="note")]
    kpi = current_definitions().kpis[kpi_id]
    shown = member_links(companies.with_columns(pl.lit(kpi_id).alias("kpi")), lang=lang)
    return [dcc.Graph(id="kpi-distribution", config=GRAPH,
                      figure=distribution_figure(companies, kpi=kpi, lang=lang)),
            chart_buttons("kpi-distribution", lang=lang),
            html.H2(t("companies", lang)), export_buttons("kpi-companies", lang=lang),
            data_grid(shown.drop("kpi", "covenant"), grid_id="kpi-companies", labels=COLUMN_LABELS,
                      lang=lang, markdown=("member_id",))]


@shows_errors
def content(*, covenant: str, kpi: str, year: int | None, lang: Lang) -> Component:
    """Return the breakdowns and the member distribution of a KPI in a year."""
    viewer = current_viewer()
    request = ExportRequest(["kpi", covenant, kpi], {"year": str(year or "")}, lang)
    with reader() as conn:
        cells = _cells(conn, viewer, request)
        companies = (_companies(conn, viewer, request).with_columns(pl.lit(covenant)
                                                                     .alias("covenant"))
                     if viewer.sees_unsuppressed(covenant) else None)
    return html.Div([html.H2(f"{t('breakdowns', lang)} {year or ''}"),
                     *_breakdowns(cells, kpi, lang),
                     html.H2(t("distribution", lang)), *_company_part(companies, kpi, lang)])


@shows_errors
def layout(covenant: str | None = None, kpi: str | None = None, year: str | None = None,
           lang: str | None = None, **_: object) -> Component:
    """Return a KPI's detail page for a covenant, or a clear message when either is unknown."""
    language, defs = parse_lang(lang), current_definitions()
    cov = defs.covenants.get(covenant or "")
    if cov is None:
        return unknown_covenant(covenant, lang=language)
    if kpi not in cov.kpis:
        return message_card(t("unknown_kpi", language),
                            t("unknown_kpi_body", language, kpi=kpi or ""), lang=language)
    definition, target = defs.kpis[kpi], next((x for x in cov.targets if x.kpi == kpi), None)
    with reader() as conn:
        values = access.kpi_values(conn, current_viewer(), covenant=cov.slug, kpi=kpi)
    years = sorted({y for y, n in zip(values["year"], values["members_submitted"], strict=True)
                    if n > 0}, reverse=True)
    chosen = pick_year(year, years)
    trend = trend_figure(values, kpi=definition, target=target, published=cov.published,
                         lang=language, years=cov.years)
    return html.Div([
        dcc.Link(f"← {cov.name.get(language)}", className="back",
                 href=f"/covenant/{cov.slug}?lang={language}#kpi-{kpi}"),
        html.H1(definition.name.get(language)),
        html.P(definition.description.get(language), className="muted"),
        dcc.Graph(id="kpi-trend", figure=trend, config=GRAPH),
        chart_buttons("kpi-trend", lang=language),
        html.Label(t("year", language), htmlFor="kpi-year"),
        dcc.Dropdown(id="kpi-year", options=years, value=chosen, clearable=False,
                     searchable=False, className="year-dropdown"),
        dcc.Location(id="kpi-url", refresh=False),
        dcc.Store(id="kpi-key", data={"covenant": cov.slug, "kpi": kpi, "lang": language}),
        html.Div(content(covenant=cov.slug, kpi=kpi, year=chosen, lang=language),
                 id="kpi-content"),
    ], className="kpi-detail")


@callback(Output("kpi-content", "children"), Output("kpi-url", "search"),
          Input("kpi-year", "value"), State("kpi-key", "data"), prevent_initial_call=True)
def select_year(year: int | None, key: KpiKey) -> tuple[Component, str]:
    """Show the breakdowns and companies of the chosen year, and put it in the URL."""
    lang = parse_lang(key.get("lang"))
    query = "?" + urlencode({"lang": lang, "year": year or ""})
    return content(covenant=key["covenant"], kpi=key["kpi"], year=year, lang=lang), query
