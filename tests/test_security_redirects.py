"""After signing in, `next=` only ever leads to a path on this site, for every role and form.

The Location header is resolved as a browser resolves it (tabs and newlines dropped, ends
trimmed, a backslash read as a slash, then joined to the page's URL with urllib.parse): it must
land on this site. The sign-in form (the public) and OpenID Connect's start carry the target on;
they are checked the same way.
"""

import re
from urllib.parse import quote, unquote, urljoin, urlsplit

import pytest

from dashboard.app import create_app
from dashboard.redirect import safe_next
from tests.auth_support import ACCOUNTS, add_accounts, sign_in
from tests.dashboard_support import reset_dash

SITE = "http://localhost/auth/sign-in?lang=en"
HOSTILE = [
    "//evil.example/phish", "/\\evil.example", "\\\\evil.example", "/%2F/evil.example",
    "%2F%2Fevil.example", "/\t/evil.example/phish", "/\n/evil.example", "/\r\n/evil.example",
    "https://evil.example/", "HtTpS://evil.example/", "javascript:alert(1)",
    "JaVaScRiPt:alert(1)", " javascript:alert(1)", "/%5Cevil.example", "/%5C%5Cevil.example",
    "  //evil.example", "\x01//evil.example", "\x00/\\evil.example", "///evil.example",
    "////evil.example", "/%252F/evil.example", "/%25252F%25252Fevil.example",
    "%252F%252Fevil.example", "/%09/evil.example", "/%0A/evil.example", "/%2F%2Fevil.example",
    "/.//evil.example", "/./%2Fevil.example", "/a/../..//evil.example", "http:/evil.example",
    "https:evil.example", "data:text/html,<script>alert(1)</script>", "//evil.example@x",
    "/\\/evil.example", "/\t\\evil.example", "//[evil", "evil.example", "ftp://evil.example",
    "\u3000//evil.example",
]
# Paths that only look like hosts to a person: they stay paths on this site, percent-encoded.
LOOKALIKE = ["/\u2215\u2215evil.example", "/%E3%80%80/evil.example", "/\uff0f\uff0fevil.example"]
LOCAL = ["/quality?lang=en", "/kpi/textiel/certified_share?lang=nl", "/member/textiel/A",
         "/compare?lang=en&year=2018#chart", "/member/textiel/x%5D(https:%2F%2Fevil)"]
CONTROLS = "".join(map(chr, range(0x21)))


def refused_as_bad(answer, target: str) -> bool:
    """Return whether a target holding a control character was refused with a 400 and why."""
    if not re.search(r"[\x00-\x1f\x7f]", target):
        return False
    assert answer.status_code == 400, target
    assert "holds a control character" in answer.get_data(as_text=True)
    return True


def lands_on(location: str, base: str = SITE) -> tuple[str, str]:
    """Return the scheme and host a browser goes to for a Location header on a page."""
    read = re.sub(r"[\t\n\r]", "", location).strip(CONTROLS).replace("\\", "/")
    parts = urlsplit(urljoin(base, read))
    return parts.scheme, parts.netloc


def same_site(location: str) -> bool:
    """Return whether a Location stays on the site, also once percent-decoded, as a path."""
    decoded = location
    for _ in range(4):
        if lands_on(decoded) != ("http", "localhost") or not decoded.startswith("/") \
                or re.sub(r"[\t\n\r]", "", decoded).replace("\\", "/").startswith("//"):
            return False
        decoded = unquote(decoded)
    return True


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from imvo.definitions import definitions
    from tests.dashboard_support import build_warehouse

    folder = tmp_path_factory.mktemp("redirects")
    warehouse = build_warehouse(folder / "dash.duckdb", definitions().catalogue)
    add_accounts(folder / "users.sqlite")
    reset_dash()
    yield create_app(warehouse)
    reset_dash()


def test_the_resolution_in_these_tests_sees_the_attack():
    assert lands_on("/\t/evil.example/phish") == ("http", "evil.example")
    assert lands_on("/\\evil.example") == ("http", "evil.example")
    assert not same_site("/%2F/evil.example")


@pytest.mark.parametrize("role", ACCOUNTS)
def test_every_role_is_sent_to_this_site_whatever_next_says(app, role):
    # Each form once, the roles taking turns (a password check is slow on purpose).
    client, turn = app.server.test_client(), list(ACCOUNTS).index(role)
    for target in HOSTILE[turn::len(ACCOUNTS)]:
        answer = sign_in(client, role, next_path=target)
        if refused_as_bad(answer, target):
            continue
        assert answer.status_code == 302, target
        assert same_site(answer.headers["Location"]), (target, answer.headers["Location"])
    kept = LOCAL[turn % len(LOCAL)]
    assert sign_in(client, role, next_path=kept).headers["Location"] == kept


@pytest.mark.parametrize("target", HOSTILE)
def test_the_public_form_carries_only_a_safe_target(app, target):
    page = app.server.test_client().get(f"/auth/sign-in?lang=en&next={quote(target, safe='')}")
    if refused_as_bad(page, target):
        return
    carried = re.search(r'name="next" value="([^"]*)"', page.get_data(as_text=True)).group(1)
    assert carried == "/?lang=en"


@pytest.mark.parametrize("target", HOSTILE[:3])
def test_a_refused_sign_in_carries_only_a_safe_target(app, target):
    refused = sign_in(app.server.test_client(), "nobody", password="a wrong password",
                      next_path=target, address=f"198.51.100.{HOSTILE.index(target)}")
    assert refused.status_code == 401
    assert 'name="next" value="/?lang=en"' in refused.get_data(as_text=True)


def test_the_account_menus_sign_in_link_brings_the_user_back():
    from dashboard.account import account_menu

    path, search = "/kpi/textiel/certified_share", "?lang=en&year=2018"
    href = account_menu(lang="en", pathname=path, search=search).children.href
    target = unquote(href.split("next=", 1)[1])
    assert safe_next(target, "en") == path + search


@pytest.mark.parametrize("target", HOSTILE)
def test_safe_next_never_leaves_the_site(target):
    assert safe_next(target, "nl") == "/?lang=nl"


@pytest.mark.parametrize("target", LOOKALIKE)
def test_a_lookalike_slash_stays_a_path_on_this_site(app, target):
    chosen = safe_next(target, "en")
    assert same_site(chosen) and chosen.isascii() and chosen.startswith("/%")
    answer = sign_in(app.server.test_client(), "admin", next_path=target)
    assert answer.headers["Location"] == chosen
