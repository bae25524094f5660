"""Data quality for the monitoring commission and secretariat: submissions, coverage, quarantine."""

import dash
import duckdb
import polars as pl
from dash import dcc, html
from dash.development.base_component import Component

from dashboard.components import page_href
from dashboard.context import current_definitions, current_viewer, reader, shows_errors
from dashboard.exports import ExportRequest, export_buttons, register_table
from dashboard.messages import message_card
from dashboard.tables import data_grid, member_links
from dashboard.text import COLUMN_LABELS, Lang, parse_lang, t
from imvo.errors import AccessDenied
from warehouse import quality
from warehouse.access import Viewer

dash.register_page(  # type: ignore[no-untyped-call]
    __name__, path="/quality", name="Quality", title="IMVO Monitor", order=3
)


def _summary(conn: duckdb.DuckDBPyConnection, viewer: Viewer,
             request: ExportRequest) -> pl.DataFrame:
    return quality.submission_summary(conn, viewer, covenant=request.query.get("covenant"))


def _quarantine(conn: duckdb.DuckDBPyConnection, viewer: Viewer,
                request: ExportRequest) -> pl.DataFrame:
    frame = quality.quarantine(conn, viewer, covenant=request.query.get("covenant"))
    other = "message_en" if request.lang == "nl" else "message_nl"
    return frame.drop(other)


register_table("submissions", _summary)
register_table("quarantine", _quarantine)


def _covenant_links(viewer: Viewer, lang: Lang) -> html.Nav:
    slugs = [viewer.covenant] if viewer.covenant else sorted(current_definitions().covenants)
    links = [dcc.Link(slug, href=f"/quality?lang={lang}&covenant={slug}") for slug in slugs]
    return html.Nav([dcc.Link(t("all", lang), href=page_href("/quality", lang)), *links],
                    className="filter-links")


@shows_errors
def layout(lang: str | None = None, covenant: str | None = None, **_: object) -> Component:
    """Return submissions per covenant and year and the quarantined values, for company roles."""
    language, viewer = parse_lang(lang), current_viewer()
    request = ExportRequest(["quality"], {"covenant": covenant} if covenant else {}, language)
    try:
        with reader() as conn:
            summary = _summary(conn, viewer, request)
            rejects = _quarantine(conn, viewer, request)
    except AccessDenied:
        # The access layer's reason is English; the card speaks the page's language.
        return message_card(t("quality_title", language), t("company_denied", language),
                            lang=language)
    return html.Div([
        html.H1(t("quality_title", language)),
        html.P(t("quality_intro", language)),
        _covenant_links(viewer, language),
        html.H2(t("submissions_title", language)),
        export_buttons("submissions", lang=language),
        data_grid(summary, grid_id="quality-submissions", labels=COLUMN_LABELS, lang=language,
                  height=320, shares=("coverage",)),
        html.H2(f"{t('quarantine_title', language)} ({rejects.height})"),
        export_buttons("quarantine", lang=language),
        data_grid(member_links(rejects, lang=language), grid_id="quality-quarantine",
                  labels=COLUMN_LABELS, lang=language, markdown=("member_id",)),
    ], className="quality")
