"""The frame around every page: product name, navigation, language switch and data freshness."""

from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from dash import dcc, html

from dashboard.components import page_href
from dashboard.formatting import format_moment
from dashboard.text import LANGS, Lang, t

LANG_NAMES: dict[Lang, str] = {"nl": "Nederlands", "en": "English"}
CURRENT: dict[str, Any] = {"aria-current": "true"}


def switch_href(pathname: str, search: str, lang: Lang) -> str:
    """Return the current path and query with only the language changed."""
    query = dict(parse_qsl(search.lstrip("?")))
    query["lang"] = lang
    return f"{pathname}?{urlencode(query)}"


def _language_switch(pathname: str, search: str, lang: Lang) -> html.Nav:
    links = [
        html.Span(code.upper(), className="lang current", title=LANG_NAMES[code], **CURRENT)
        if code == lang else
        dcc.Link(code.upper(), href=switch_href(pathname, search, code), className="lang",
                 title=LANG_NAMES[code])
        for code in LANGS
    ]
    label: dict[str, Any] = {"aria-label": t("language", lang)}
    return html.Nav(links, className="lang-switch", **label)


def _freshness(last: datetime | None, lang: Lang) -> html.Span:
    moment = format_moment(last, lang) if last else t("never_ingested", lang)
    return html.Span(f"{t('last_ingest', lang)}: {moment}", className="freshness")


def _main_nav(lang: Lang, *, company: bool) -> html.Nav:
    links = [dcc.Link(t("nav_overview", lang), href=page_href("/", lang)),
             dcc.Link(t("nav_compare", lang), href=page_href("/compare", lang))]
    if company:
        links.append(dcc.Link(t("nav_quality", lang), href=page_href("/quality", lang)))
    return html.Nav(links, className="main-nav")


def header(*, lang: Lang, pathname: str, search: str, last: datetime | None,
           company: bool = False) -> list[object]:
    """Return the header's contents for a language, the current URL and the last ingest."""
    return [
        dcc.Link([html.Span(t("product", lang), className="brand-name"),
                  html.Span(t("tagline", lang), className="brand-tagline")],
                 href=page_href("/", lang), className="brand"),
        _main_nav(lang, company=company),
        _freshness(last, lang),
        _language_switch(pathname, search, lang),
    ]
