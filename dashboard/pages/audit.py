"""The audit log for administrators: sign-ins, failed sign-ins, uploads and downloads."""

from dataclasses import asdict

import dash
import polars as pl
from dash import Input, Output, callback, dcc, html
from dash.development.base_component import Component

from dashboard.auth import signed_in_account, users
from dashboard.auth_text import at
from dashboard.messages import message_card
from dashboard.tables import Labels, data_grid
from dashboard.text import parse_lang

dash.register_page(  # type: ignore[no-untyped-call]
    __name__, path="/audit", name="Audit", title="IMVO Monitor"
)
SHOWN = 1000
SCHEMA = {"at": pl.String, "event": pl.String, "username": pl.String, "address": pl.String,
          "detail": pl.String}
LABELS: Labels = {"at": {"nl": "Moment (UTC)", "en": "Moment (UTC)"},
          "event": {"nl": "Gebeurtenis", "en": "Event"},
          "username": {"nl": "Gebruiker", "en": "User"},
          "address": {"nl": "Adres", "en": "Address"},
          "detail": {"nl": "Details", "en": "Details"}}


def layout(lang: str | None = None, **_: object) -> Component:
    """Return the audit page; the log changes without new data, so a callback draws it."""
    return html.Div([dcc.Store(id="audit-lang", data=parse_lang(lang)),
                     html.Div(id="audit-body")], className="audit")


@callback(Output("audit-body", "children"), Input("audit-lang", "data"))
def audit_log(lang: str | None) -> Component:
    """Return the newest entries of the audit log, for administrators only."""
    language, account = parse_lang(lang), signed_in_account()
    if account is None or account.role != "admin":
        return message_card(at("audit_title", language), at("audit_denied", language),
                            lang=language)
    entries = pl.DataFrame([asdict(e) for e in users().audit(limit=SHOWN)], schema=SCHEMA)
    # Stored as ISO text in UTC; as a time the grid writes it the way the language does.
    entries = entries.with_columns(pl.col("at").str.to_datetime(time_zone="UTC")
                                   .dt.replace_time_zone(None))
    return html.Div([
        html.H1(at("audit_title", language)),
        html.P(at("audit_intro", language), className="muted"),
        data_grid(entries, grid_id="audit-log", labels=LABELS, lang=language, height=600),
    ])
