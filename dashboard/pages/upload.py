"""Upload of self-assessments for the secretariat: files in, the feedback on each file out."""

import dash
from dash import Input, Output, State, callback, dcc, html
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from dashboard.auth import security, signed_in_account
from dashboard.auth_text import at
from dashboard.context import current_definitions, reader, shows_errors
from dashboard.messages import message_card
from dashboard.text import Lang, parse_lang
from dashboard.upload import Refusal, may_upload, receive, size_text, unpack
from pipelines.feedback import feedback
from pipelines.feedback_text import GROUPS as FEEDBACK_GROUPS
from pipelines.feedback_text import TEXT as FEEDBACK_TEXT

dash.register_page(  # type: ignore[no-untyped-call]
    __name__, path="/upload", name="Upload", title="IMVO Monitor"
)


def _result(sha: str, lang: Lang) -> html.Li:
    with reader() as conn:
        report = feedback(conn, sha, current_definitions(), lang)
    words = FEEDBACK_TEXT[lang]
    rows = words["rows_text"].format(rows_in=report.rows_in, rows_loaded=report.rows_loaded,
                                     rows_rejected=report.rows_rejected)
    why = FEEDBACK_GROUPS[lang][0][1]  # a file not loaded says why on the page itself
    reason = next((f"{items[0]['message']} · " for title, items in report.groups
                   if title == why and items), "")
    return html.Li([html.Strong(report.file_name),
                    f": {words[report.status_key]} · {rows} · {reason}",
                    html.A(at("report", lang), href=f"/upload/report/{sha}?lang={lang}",
                           target="_blank", rel="noopener")], className="upload-result")


def _refusal(refusal: Refusal, own: str | None, lang: Lang) -> html.Li:
    return html.Li(at(refusal.reason, lang, file=refusal.file_name, detail=refusal.detail,
                      own=own or ""), className="upload-refused")


@shows_errors
def results(shas: list[str], refused: list[Refusal], *, own: str | None,
            lang: Lang) -> Component:
    """Return what became of each uploaded file, with a link to its feedback report."""
    return html.Div([html.H2(at("upload_done", lang)), html.Ul(
        [*(_result(sha, lang) for sha in dict.fromkeys(shas)),
         *(_refusal(refusal, own, lang) for refusal in refused)], className="upload-results")])


def layout(lang: str | None = None, **_: object) -> Component:
    """Return the upload page; its body depends on who signed in, so a callback draws it."""
    return html.Div([dcc.Store(id="upload-lang", data=parse_lang(lang)),
                     html.Div(id="upload-body")], className="upload")


@callback(Output("upload-body", "children"), Input("upload-lang", "data"))
def upload_area(lang: str | None) -> Component:
    """Return the upload area for the secretariat, or why this user cannot upload."""
    language, account = parse_lang(lang), signed_in_account()
    if account is None or not may_upload(account):
        return message_card(at("upload_title", language), at("upload_denied", language),
                            lang=language)
    limit = security().max_upload_bytes
    scope = (at("upload_scope", language, covenant=account.covenant) if account.covenant
             else at("upload_any", language))
    return html.Div([
        html.H1(at("upload_title", language)),
        html.P(at("upload_intro", language, limit=size_text(limit))),
        html.P(scope, className="muted"),
        # No `accept` filter: the browser would drop other files without a word; the ingest
        # rejects them with what to send instead.
        dcc.Upload(html.Div(at("upload_drop", language)), id="upload-files", multiple=True,
                   className="upload-drop"),
        dcc.Loading(html.Div(id="upload-results")),
    ])


@callback(Output("upload-results", "children"), Output("upload-files", "contents"),
          Input("upload-files", "contents"), State("upload-files", "filename"),
          State("upload-lang", "data"), prevent_initial_call=True)
def upload(contents: list[str] | None, names: list[str] | None, lang: str | None) -> list[object]:
    """Ingest the dropped files for the signed-in secretariat and show the feedback."""
    language, account = parse_lang(lang), signed_in_account()
    if account is None or not may_upload(account):
        return [message_card(at("upload_title", language), at("upload_denied", language),
                             lang=language), None]
    if not contents:
        raise PreventUpdate
    names = [*(names or []), *[f"upload-{i}" for i in range(len(names or []), len(contents))]]
    unpacked = [unpack(name, data, security().max_upload_bytes)
                for name, data in zip(names, contents, strict=False)]
    files = [item for item in unpacked if not isinstance(item, Refusal)]
    shas, refused = receive(files, account)
    early = [item for item in unpacked if isinstance(item, Refusal)]
    return [results(shas, early + refused, own=account.covenant, lang=language), None]
