"""Bad requests answered at once with a 400 or 404 and one line, before anything else runs.

Every URL's query arguments are checked (one value each, no control characters, a year is a
year, a KPI, covenant or axis one that exists), and so is the path of a page (its covenant and
KPI exist). Dash's callback requests are checked by dashboard.callback_checks with the same
query rules for the `search` they carry. The messages speak the request's language.
"""

from collections.abc import Callable, Mapping
from urllib.parse import parse_qs, urlsplit

import dash
from dash.exceptions import DependencyException
from flask import Flask, Response, request

from dashboard.context import current_definitions
from dashboard.text import Lang, parse_lang
from imvo.terminal import CONTROL, escaped

MAX_ARGUMENT = 4096  # room for an OpenID Connect code or state
PAGE_ENDPOINTS = {"/", "/<path:path>"}  # Dash's index and catch-all: the pages
TEXT: dict[str, dict[Lang, str]] = {
    "repeated": {"nl": "Het argument '{name}' staat meer dan eens in het adres. Tip: geef het "
                       "één keer.",
                 "en": "The argument '{name}' is given more than once. Hint: give it once."},
    "control": {"nl": "Het argument '{name}' bevat een stuurteken (zoals een regeleinde). Tip: "
                      "haal het uit het adres.",
                "en": "The argument '{name}' holds a control character (such as a line break). "
                      "Hint: remove it from the address."},
    "too_long": {"nl": "Het argument '{name}' is te lang. Tip: open de pagina via het menu.",
                 "en": "The argument '{name}' is too long. Hint: open the page from the menu."},
    "year": {"nl": "'{value}' is geen jaar. Tip: geef een jaar zoals 2018.",
             "en": "'{value}' is not a year. Hint: give a year such as 2018."},
    "axis": {"nl": "'{value}' is geen as van de vergelijking. Tip: gebruik axis=calendar of "
                   "axis=covenant.",
             "en": "'{value}' is not an axis of the comparison. Hint: use axis=calendar or "
                   "axis=covenant."},
    "kpi": {"nl": "Er is geen KPI '{value}'. Tip: het overzicht toont de KPI's van elk "
                  "convenant.",
            "en": "There is no KPI '{value}'. Hint: the overview shows the KPIs of every "
                  "agreement."},
    "covenant": {"nl": "Er is geen convenant met de code '{value}'. Tip: het overzicht toont "
                       "ze allemaal.",
                 "en": "There is no agreement with the code '{value}'. Hint: the overview "
                       "shows them all."},
    "file": {"nl": "Dit bestand bestaat niet. Tip: laad de pagina opnieuw.",
             "en": "There is no such file. Hint: reload the page."},
    "page": {"nl": "Deze pagina bestaat niet. Tip: begin bij het overzicht, /?lang=nl.",
             "en": "This page does not exist. Hint: start at the overview, /?lang=en."},
    "callback": {"nl": "Dit verzoek past niet bij de pagina (bij {where}). Tip: laad de pagina "
                       "opnieuw.",
                 "en": "This request does not fit the page (at {where}). Hint: reload the "
                       "page."},
    "no_callback": {"nl": "De pagina vraagt iets wat de app niet kent. Tip: laad de pagina "
                          "opnieuw.",
                    "en": "The page asks for something the app does not have. Hint: reload "
                          "the page."},
}


class BadRequest(Exception):
    """A request refused before it runs: the HTTP status, the text key and its values."""

    def __init__(self, status: int, key: str, **values: str) -> None:
        self.status, self.key, self.values = status, key, values
        super().__init__(key)


def shown(value: str, limit: int = 60) -> str:
    """Return a value as a message may quote it: control characters escaped, cut short."""
    text = escaped(value)
    return text if len(text) <= limit else text[:limit] + "…"


def request_lang() -> Lang:
    """Return the language of a request: its `lang`, else that of the page that sent it."""
    asked = request.args.get("lang")
    if asked is None and request.referrer:
        asked = parse_qs(urlsplit(request.referrer).query).get("lang", [""])[0]
    return parse_lang(asked)


def refusal(problem: BadRequest, lang: Lang) -> Response:
    """Return the one-line plain-text answer to a refused request."""
    text = TEXT[problem.key][lang].format(**problem.values)
    return Response(text, status=problem.status, mimetype="text/plain",
                    headers={"Cache-Control": "no-store"})


def _year(value: str) -> None:
    if value and not (value.isascii() and value.isdigit() and len(value) == 4):
        raise BadRequest(400, "year", value=shown(value))


def _axis(value: str) -> None:
    if value and value not in ("calendar", "covenant"):
        raise BadRequest(400, "axis", value=shown(value))


def known_kpi(value: str) -> str:
    """Return a KPI id (or nothing) as given, or raise BadRequest (404) when none has it."""
    if value and value not in current_definitions().kpis:
        raise BadRequest(404, "kpi", value=shown(value))
    return value


def known_covenant(value: str) -> str:
    """Return a covenant code (or nothing) as given, or raise BadRequest (404) for another."""
    if value and value not in current_definitions().covenants:
        raise BadRequest(404, "covenant", value=shown(value))
    return value


RULES: dict[str, Callable[[str], object]] = {
    "year": _year, "axis": _axis, "kpi": known_kpi, "covenant": known_covenant}


def check_query(args: Mapping[str, list[str]]) -> None:
    """Raise BadRequest for a query argument that is repeated, malformed or names nothing."""
    for name, values in args.items():
        label = shown(name, 40)
        if len(values) > 1:
            raise BadRequest(400, "repeated", name=label)
        value = values[0] if values else ""
        if CONTROL.search(name) or CONTROL.search(value):
            raise BadRequest(400, "control", name=label)
        if len(value) > MAX_ARGUMENT:
            raise BadRequest(400, "too_long", name=label)
        rule = RULES.get(name)
        if rule is not None:
            rule(value)


def _page_variables(path: str) -> dict[str, str] | None:
    """Return the variables of the registered page a path opens, None when it opens none.

    A last variable takes the rest of the path: a member id may hold a slash (sent as %2F).
    """
    parts = [p for p in path.split("/") if p]
    for page in dash.page_registry.values():
        template = [p for p in (page.get("path_template") or page["path"]).split("/") if p]
        fitted = parts
        if template and template[-1].startswith("<") and len(parts) > len(template):
            fitted = [*parts[:len(template) - 1], "/".join(parts[len(template) - 1:])]
        if len(template) != len(fitted):
            continue
        found = {t[1:-1]: p for t, p in zip(template, fitted, strict=True)
                 if t.startswith("<") and t.endswith(">")}
        if all(t == p for t, p in zip(template, fitted, strict=True) if t[1:-1] not in found):
            return found
    return None


def check_page_path(path: str) -> None:
    """Raise BadRequest (404) for a page path that opens no page, covenant or KPI."""
    found = _page_variables(path)
    if found is None:
        raise BadRequest(404, "page")
    covenant = found.get("slug") or found.get("covenant")
    if covenant is not None:
        known_covenant(covenant)
        known = current_definitions().covenants[covenant].kpis
        if "kpi" in found and found["kpi"] not in known:
            raise BadRequest(404, "kpi", value=shown(found["kpi"]))


def check_request() -> Response | None:
    """Answer a request with bad query arguments or an unknown page path (a form's `next` too)."""
    lang = request_lang()
    try:
        check_query(request.args.to_dict(flat=False))
        if request.method == "POST" and request.mimetype == "application/x-www-form-urlencoded":
            check_query({k: v for k, v in request.form.to_dict(flat=False).items()
                         if k in ("next", "lang")})
        rule = request.url_rule
        if request.method in ("GET", "HEAD") and rule is not None and rule.rule in PAGE_ENDPOINTS:
            check_page_path(request.path)
    except BadRequest as problem:
        return refusal(problem, lang)
    return None


def _no_file(error: DependencyException) -> Response:
    return refusal(BadRequest(404, "file"), request_lang())


def install_request_checks(server: Flask) -> None:
    """Check every request's query arguments and page path before anything else answers it."""
    server.before_request(check_request)
    # Dash refuses a script path it does not serve with this error, which would be a 500.
    server.register_error_handler(DependencyException, _no_file)
