"""Cards that explain a problem in the user's language and say where to go next."""

from dash import dcc, html

from dashboard.components import page_href
from dashboard.text import Lang, t


def message_card(title: str, body: str, *, lang: Lang, role: str = "status") -> html.Div:
    """Return a card with a title, an explanation and a link back to the overview."""
    return html.Div([
        html.H2(title),
        html.P(body, className="message-body"),
        dcc.Link(f"← {t('back', lang)}", href=page_href("/", lang), className="back"),
    ], className="message-card", role=role)


def error_card(error: Exception, *, lang: Lang) -> html.Div:
    """Return the card shown instead of a page when the data cannot be read."""
    return message_card(t("error_title", lang), str(error), lang=lang, role="alert")


def unknown_covenant(slug: str | None, *, lang: Lang) -> html.Div:
    """Return the card shown for a covenant code that does not exist."""
    body = t("unknown_covenant_body", lang, slug=slug or "")
    return message_card(t("unknown_covenant", lang), body, lang=lang)


def not_found(*, lang: Lang) -> html.Div:
    """Return the card shown for a path the app does not know."""
    return message_card(t("not_found", lang), t("not_found_body", lang), lang=lang)
