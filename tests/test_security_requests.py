"""Bad requests are answered with a 400 or 404 and one line in the page's language, never a 500,
for the public and every role: page URLs with bad query arguments or unknown covenants and KPIs,
Dash callback requests that are malformed, of the wrong types or name what does not exist,
script paths Dash does not serve, and a sign-in whose `next` holds a line break."""

import json

import pytest

from dashboard.app import create_app
from tests.auth_support import PASSWORD, ROLES, add_accounts, client_as, csrf_token, tiny_warehouse
from tests.dashboard_support import reset_dash

OVERVIEW = "..overview-table.children...overview-url.search.."
KPI = "..kpi-content.children...kpi-url.search.."
ROUTER = ".._pages_content.children..._pages_store.data.."
EXPORT = {"type": "export", "table": "kpi-companies", "format": "csv"}
PACK = {"type": "covenant-pack", "part": "request"}

YEAR = "'{}' is not a year. Hint: give a year such as 2018."
NO_KPI = "There is no KPI '{}'. Hint: the overview shows the KPIs of every agreement."
NO_COVENANT = "There is no agreement with the code '{}'. Hint: the overview shows them all."
TWICE = "The argument '{}' is given more than once. Hint: give it once."
CONTROL = ("The argument '{}' holds a control character (such as a line break). Hint: remove it "
           "from the address.")
NO_PAGE = "This page does not exist. Hint: start at the overview, /?lang=en."
NO_FILE = "There is no such file. Hint: reload the page."
MISFIT = "This request does not fit the page (at {}). Hint: reload the page."
NO_CALLBACK = "The page asks for something the app does not have. Hint: reload the page."

# (path, status, answer); the answer None where only the status is ours to check.
PAGES = [
    ("/?lang=en&year=abc", 400, YEAR.format("abc")),
    ("/?lang=en&year=20181", 400, YEAR.format("20181")),
    ("/kpi/textiel/certified_share?lang=en&year=2017&year=2018", 400, TWICE.format("year")),
    ("/?lang=en&lang=nl", 400, TWICE.format("lang")),
    ("/compare?lang=en&kpi=nope", 404, NO_KPI.format("nope")),
    ("/compare?lang=en&axis=sideways", 400,
     "'sideways' is not an axis of the comparison. Hint: use axis=calendar or axis=covenant."),
    ("/quality?lang=en&covenant=kleding", 404, NO_COVENANT.format("kleding")),
    ("/covenant/kleding?lang=en", 404, NO_COVENANT.format("kleding")),
    ("/projector/kleding?lang=en", 404, NO_COVENANT.format("kleding")),
    ("/kpi/textiel/nope?lang=en", 404, NO_KPI.format("nope")),
    ("/kpi/textiel/policy_share?lang=en", 404, NO_KPI.format("policy_share")),  # a bank KPI
    ("/kpi/kleding/certified_share?lang=en", 404, NO_COVENANT.format("kleding")),
    ("/member/kleding/A?lang=en", 404, NO_COVENANT.format("kleding")),
    ("/no/such/page?lang=en", 404, NO_PAGE),
    ("/?lang=en&year=%00", 400, CONTROL.format("year")),
    ("/?lang=en&q=" + "x" * 5000, 400,
     "The argument 'q' is too long. Hint: open the page from the menu."),
    ("/auth/sign-in?lang=en&next=/%0d%0aSet-Cookie:%20x=1", 400, CONTROL.format("next")),
    ("/_dash-component-suites/dash/nope.js?lang=en", 404, NO_FILE),
    ("/_dash-component-suites/nothing/x.js?lang=en", 404, NO_FILE),
    ("/_dash-component-suites/dash/../../etc/passwd?lang=en", 404, None),
    ("/upload/report/nope?lang=en", 404, None),
    ("/favicon.ico", 200, None),
    ("/_dash-layout", 200, None),
    ("/_dash-dependencies", 200, None),
    ("/?lang=en&year=", 200, None),
    ("/kpi/textiel/certified_share?lang=en&year=2018", 200, None),
    ("/member/textiel/x%5D(https:%2F%2Fevil.example%2F)?lang=en", 200, None),  # any member id
]


def _call(output: str, outputs, inputs, state=(), changed=None) -> dict:
    return {"output": output, "outputs": outputs, "inputs": list(inputs), "state": list(state),
            "changedPropIds": changed if changed is not None else [
                f"{inputs[0]['id']}.{inputs[0]['property']}" if inputs else "x.y"]}


def _overview(value) -> dict:
    return _call(OVERVIEW, [{"id": "overview-table", "property": "children"},
                            {"id": "overview-url", "property": "search"}],
                 [{"id": "overview-year", "property": "value", "value": value}],
                 [{"id": "overview-lang", "property": "data", "value": "en"}])


def _kpi(key) -> dict:
    return _call(KPI, [{"id": "kpi-content", "property": "children"},
                       {"id": "kpi-url", "property": "search"}],
                 [{"id": "kpi-year", "property": "value", "value": 2018}],
                 [{"id": "kpi-key", "property": "data", "value": key}])


def _router(pathname, search) -> dict:
    return _call(ROUTER, [{"id": "_pages_content", "property": "children"},
                          {"id": "_pages_store", "property": "data"}],
                 [{"id": "_pages_location", "property": "pathname", "value": pathname},
                  {"id": "_pages_location", "property": "search", "value": search}])


def _export(search: str, table: str = "kpi-companies") -> dict:
    ident = {**EXPORT, "table": table}
    return _call("shell-download.data", {"id": "shell-download", "property": "data"},
                 [[{"id": ident, "property": "n_clicks", "value": 1}]],
                 [{"id": "shell-url", "property": "pathname",
                   "value": "/kpi/textiel/certified_share"},
                  {"id": "shell-url", "property": "search", "value": search}],
                 changed=[json.dumps(ident, sort_keys=True) + ".n_clicks"])


CALLBACKS = [
    ("malformed JSON", "{not json", 400, MISFIT.format("output")),
    ("a list", [], 400, MISFIT.format("output")),
    ("unknown callback", {**_overview(2018), "output": "nope.children"}, 404, NO_CALLBACK),
    ("a list for a year", _overview([2018]), 400, MISFIT.format("overview-year.value")),
    ("text for a year", _overview("2018"), 400, MISFIT.format("overview-year.value")),
    ("a dict for a year", _overview({"year": 2018}), 400, MISFIT.format("overview-year.value")),
    ("unknown input id", {**_overview(2018), "inputs": [
        {"id": "other-year", "property": "value", "value": 2018}]}, 400,
     MISFIT.format("overview-year.value")),
    ("inputs missing", {**_overview(2018), "inputs": []}, 400, MISFIT.format("inputs")),
    ("inputs not a list", {**_overview(2018), "inputs": "x"}, 400, MISFIT.format("inputs")),
    ("outputs wrong", {**_overview(2018), "outputs": [{"id": "x", "property": "children"}]}, 400,
     None),
    ("changed ids not a list", {**_overview(2018), "changedPropIds": 3}, 400,
     MISFIT.format("changedPropIds")),
    ("unknown KPI in a store", _kpi({"covenant": "textiel", "kpi": "nope", "lang": "en"}), 404,
     NO_KPI.format("nope")),
    ("unknown covenant in a store",
     _kpi({"covenant": "kleding", "kpi": "certified_share", "lang": "en"}), 404,
     NO_COVENANT.format("kleding")),
    ("text for a store", _kpi("textiel"), 400, MISFIT.format("kpi-key.data")),
    ("a store without its keys", _kpi({"lang": "en"}), 400, MISFIT.format("kpi-key.data")),
    ("empty names in a store", _kpi({"covenant": "", "kpi": "", "lang": "en"}), 400,
     MISFIT.format("kpi-key.data")),
    ("a list for a pathname", _router(["/"], ""), 400, MISFIT.format("_pages_location.pathname")),
    ("a number for a search", _router("/", 3), 400, MISFIT.format("_pages_location.search")),
    ("a bad year in the router's search", _router("/", "?lang=en&year=abc"), 400,
     YEAR.format("abc")),
    ("a repeated year in the router's search", _router("/kpi/textiel/certified_share",
                                                        "?year=1&year=2"), 400,
     TWICE.format("year")),
    ("a bad year in an export", _export("?lang=en&year=abc"), 400, YEAR.format("abc")),
    ("an unknown KPI in an export", _export("?lang=en&kpi=nope"), 404, NO_KPI.format("nope")),
    ("an export of an unknown table", _export("?lang=en", "nope"), 204, None),
]


@pytest.fixture(scope="module")
def app(tmp_path_factory, defs):
    folder = tmp_path_factory.mktemp("requests")
    warehouse = tiny_warehouse(folder, defs)
    add_accounts(folder / "users.sqlite")
    reset_dash()
    made = create_app(warehouse)
    made.server.config["PROPAGATE_EXCEPTIONS"] = False  # a crash is a 500, as in production
    yield made
    reset_dash()


@pytest.mark.parametrize("role", ROLES)
def test_bad_page_urls_get_a_400_or_404_that_says_why(app, role):
    client = client_as(app, role)
    for path, status, answer in PAGES:
        response = client.get(path)
        assert response.status_code == status, (path, response.data[:200])
        if answer is not None:
            assert response.get_data(as_text=True) == answer, path
            assert response.mimetype == "text/plain"


@pytest.mark.parametrize("role", ROLES)
def test_bad_callback_requests_get_a_400_or_404_before_any_callback_runs(app, role):
    client = client_as(app, role)
    for name, body, status, answer in CALLBACKS:
        sent = body if isinstance(body, str) else json.dumps(body)
        response = client.post("/_dash-update-component", data=sent,
                               content_type="application/json",
                               headers={"Referer": "http://localhost/?lang=en"})
        assert response.status_code == status, (name, response.data[:200])
        if answer is not None:
            assert response.get_data(as_text=True) == answer, name


def test_the_answer_speaks_the_language_of_the_page_that_asked(app):
    client = client_as(app, "public")
    assert client.get("/?lang=nl&year=abc").get_data(as_text=True) == (
        "'abc' is geen jaar. Tip: geef een jaar zoals 2018.")
    refused = client.post("/_dash-update-component", json=_overview([2018]),
                          headers={"Referer": "http://localhost/?lang=nl"})
    assert refused.get_data(as_text=True) == (
        "Dit verzoek past niet bij de pagina (bij overview-year.value). Tip: laad de pagina "
        "opnieuw.")
    assert client.get("/covenant/kleding").get_data(as_text=True) == (
        "Er is geen convenant met de code 'kleding'. Tip: het overzicht toont ze allemaal.")


def test_a_well_formed_request_still_gets_its_answer(app):
    client = client_as(app, "commission-textiel")
    answer = client.post("/_dash-update-component", json=_overview(2018))
    assert answer.status_code == 200
    assert answer.get_json()["response"]["overview-url"]["search"] == "?lang=en&year=2018"
    kpi = client.post("/_dash-update-component", json=_kpi(
        {"covenant": "textiel", "kpi": "certified_share", "lang": "en"}))
    assert kpi.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_a_line_break_in_next_is_refused_at_sign_in(app, role):
    client = app.server.test_client()
    token = csrf_token(client.get("/auth/sign-in?lang=en").data)
    name = "nobody" if role == "public" else role
    for target in ("/\r\nSet-Cookie: x=1", "/\nX", "/covenant/textiel\t", "/\x00"):
        response = client.post("/auth/sign-in?lang=en", data={
            "csrf_token": token, "username": name, "password": PASSWORD, "next": target})
        assert response.status_code == 400, target
        assert response.get_data(as_text=True) == CONTROL.format("next")
        assert "Location" not in response.headers
