"""Protective headers on every answer, for the public and every role: a Content-Security-Policy
whose scripts are this site's files and Dash's own inline scripts (by hash) only, HSTS over
https, and no Server header naming the software, under gunicorn as `imvo serve` runs it."""

import base64
import hashlib
import re
import urllib.request

import pytest

from dashboard.app import create_app
from tests.auth_support import ROLES, add_accounts, client_as, tiny_warehouse
from tests.browser_support import serving
from tests.dashboard_support import reset_dash

INLINE = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S)
OVERVIEW = "..overview-table.children...overview-url.search.."


@pytest.fixture(scope="module")
def folder(tmp_path_factory, defs):
    made = tmp_path_factory.mktemp("headers")
    tiny_warehouse(made, defs)
    add_accounts(made / "users.sqlite")
    return made


@pytest.fixture(scope="module")
def app(folder):
    reset_dash()
    yield create_app(folder / "imvo.duckdb")
    reset_dash()


def policy(header: str) -> dict[str, list[str]]:
    """Return a Content-Security-Policy as its directives and their sources."""
    parts = [p.split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


def inline_script_hashes(html: str) -> set[str]:
    """Return the CSP hashes of the inline scripts a page runs: not JSON data blocks, nor the
    script for Internet Explorer inside a conditional comment."""
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    return {"'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
            for attributes, body in INLINE.findall(html) if "application/json" not in attributes}


def test_the_policy_allows_dashs_inline_scripts_and_nothing_else_inline(app):
    page = client_as(app, "public").get("/?lang=en")
    found = policy(page.headers["Content-Security-Policy"])
    hashes = inline_script_hashes(page.get_data(as_text=True))
    assert hashes  # Dash's renderer starts from an inline script
    assert set(found["script-src"]) == {"'self'", *hashes} == {"'self'", *app.csp_hashes()}
    assert found["default-src"] == ["'self'"] and found["connect-src"] == ["'self'"]
    assert found["object-src"] == ["'none'"] and found["frame-ancestors"] == ["'none'"]
    assert found["base-uri"] == ["'self'"] and found["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in found["script-src"]
    assert "'unsafe-eval'" not in found["script-src"]


@pytest.mark.parametrize("role", ROLES)
def test_every_answer_carries_the_headers(app, role):
    client = client_as(app, role)
    callback = {"output": OVERVIEW, "outputs": [{"id": "overview-table", "property": "children"},
                                                {"id": "overview-url", "property": "search"}],
                "inputs": [{"id": "overview-year", "property": "value", "value": 2018}],
                "state": [{"id": "overview-lang", "property": "data", "value": "en"}],
                "changedPropIds": ["overview-year.value"]}
    answers = [client.get("/covenant/textiel?lang=en"), client.get("/auth/sign-in?lang=en"),
               client.post("/_dash-update-component", json=callback),
               client.get("/?year=abc"), client.get("/assets/imvo.css")]
    for answer in answers:
        assert answer.status_code in (200, 400), answer.request.path
        assert policy(answer.headers["Content-Security-Policy"])["script-src"][0] == "'self'"
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in answer.headers  # plain http: not promised
    secure = client.get("/?lang=en", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_imvo_serve_names_no_server_software(folder):
    with serving(folder) as base:
        for path in ("/", "/?year=abc", "/assets/imvo.css", "/no/such/page"):
            try:
                response = urllib.request.urlopen(base + path, timeout=10)
            except urllib.error.HTTPError as refused:
                response = refused
            assert response.headers.get("Server") is None, path
            assert "Werkzeug" not in str(response.headers) and "gunicorn" not in str(
                response.headers).lower()
            assert "script-src 'self'" in response.headers["Content-Security-Policy"]
