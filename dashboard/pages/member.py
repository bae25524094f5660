"""One member's submissions and rejected values, for the commission and secretariat."""

from urllib.parse import unquote

import dash
import duckdb
import polars as pl
from dash import dcc, html
from dash.development.base_component import Component

from dashboard.context import current_viewer, reader, shows_errors
from dashboard.exports import ExportRequest, export_buttons, register_table
from dashboard.messages import message_card
from dashboard.tables import data_grid
from dashboard.text import COLUMN_LABELS, parse_lang, t
from imvo.errors import AccessDenied
from warehouse import quality
from warehouse.access import Viewer

dash.register_page(  # type: ignore[no-untyped-call]
    __name__, path_template="/member/<covenant>/<member_id>", name="Member", title="IMVO Monitor"
)


def _history(conn: duckdb.DuckDBPyConnection, viewer: Viewer,
             request: ExportRequest) -> pl.DataFrame:
    return quality.member_history(conn, viewer, covenant=request.part(1),
                                  member_id=request.part(2))


def _rejects(conn: duckdb.DuckDBPyConnection, viewer: Viewer,
             request: ExportRequest) -> pl.DataFrame:
    return quality.member_rejects(conn, viewer, covenant=request.part(1),
                                  member_id=request.part(2))


register_table("member-submissions", _history)
register_table("member-rejects", _rejects)


@shows_errors
def layout(covenant: str | None = None, member_id: str | None = None, lang: str | None = None,
           **_: object) -> Component:
    """Return a member's submission history and its quarantined values."""
    language, viewer = parse_lang(lang), current_viewer()
    member_id = unquote(member_id or "")  # links percent-encode ids (dashboard.tables)
    request = ExportRequest(["member", covenant or "", member_id], {}, language)
    try:
        with reader() as conn:
            history, rejects = _history(conn, viewer, request), _rejects(conn, viewer, request)
    except AccessDenied:
        # The access layer's reason is English; the card speaks the page's language.
        return message_card(t("member_title", language), t("company_denied", language),
                            lang=language)
    back = dcc.Link(f"← {t('quality_title', language)}",
                    href=f"/quality?lang={language}&covenant={covenant}", className="back")
    return html.Div([
        back,
        html.H1(f"{t('member_title', language)} {member_id} ({covenant})"),
        html.H2(t("history_title", language)),
        export_buttons("member-submissions", lang=language),
        data_grid(history, grid_id="member-history", labels=COLUMN_LABELS, lang=language,
                  height=260),
        html.H2(f"{t('quarantine_title', language)} ({rejects.height})"),
        export_buttons("member-rejects", lang=language),
        data_grid(rejects, grid_id="member-rejects", labels=COLUMN_LABELS, lang=language),
    ], className="member")
