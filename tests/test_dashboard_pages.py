"""The app and its pages without a browser: layouts as component trees, callbacks over HTTP."""

import importlib

import dash
from dash import dcc

from dashboard.app import create_app
from tests.dashboard_support import find, reset_dash, texts

ROUTER = ".._pages_content.children..._pages_store.data.."


def _page(name):
    return importlib.import_module(f"dashboard.pages.{name}")


def _route(client, pathname, search=""):
    body = {"output": ROUTER,
            "outputs": [{"id": "_pages_content", "property": "children"},
                        {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}
    return client.post("/_dash-update-component", json=body)


def test_app_registers_its_pages_from_the_package_folder(dash_app):
    paths = {page["path"] for page in dash.page_registry.values()}
    assert {"/", "/covenant/none", "/404"} <= paths
    assert "dashboard.pages.overview" in dash.page_registry


def test_overview_layout_shows_latest_values_up_to_the_newest_year(dash_app):
    layout = _page("overview").layout(lang="nl")
    words = texts(layout)
    assert "Overzicht van de convenanten" in words
    assert "6.289" in words and "48,3 %" in words
    year = find(layout, dcc.Dropdown, id="overview-year")[0]
    assert year.value == 2018
    assert [o["value"] for o in year.options] == [2018, 2017, 2016]


def test_overview_year_parameter_and_callback_go_back_in_time(dash_app):
    overview = _page("overview")
    assert "4.268" in texts(overview.layout(lang="nl", year="2017"))
    table, query = overview.select_year(2017, "en")
    assert query == "?lang=en&year=2017"
    earlier = texts(table)
    assert "4,268" in earlier and "6,289" not in earlier
    assert overview.pick_year("1999", [2018, 2017]) == 2018


def test_covenant_layout_has_facts_cards_and_trend_charts(dash_app):
    layout = _page("covenant").layout(slug="textiel", lang="en")
    words = texts(layout)
    assert "Dutch Agreement on Sustainable Garments and Textile" in words
    assert {"4 July 2016", "2016–2020", "SER"} <= set(words)
    assert "6,289" in words and "suppressed" in words
    graphs = find(layout, dcc.Graph)
    assert len(graphs) == 10
    assert find(layout, dcc.Link, href="/?lang=en")


def test_unknown_covenant_gives_a_message_and_a_way_back(dash_app):
    layout = _page("covenant").layout(slug="nope", lang="en")
    words = texts(layout)
    assert "Unknown agreement" in words
    assert "There is no agreement with the code 'nope'." in words
    assert find(layout, dcc.Link, href="/?lang=en")


def test_missing_warehouse_shows_an_error_card_with_a_hint(tmp_path):
    reset_dash()
    try:
        create_app(tmp_path / "missing.duckdb")
        words = texts(_page("overview").layout(lang="en"))
    finally:
        reset_dash()
    assert "The data cannot be read" in words
    assert any("Hint: run 'imvo demo'" in w for w in words)


def test_server_serves_the_shell_and_answers_page_callbacks(dash_app):
    client = dash_app.server.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/covenant/textiel").status_code == 200
    assert b"shell-header" in client.get("/_dash-layout").data
    page = _route(client, "/covenant/textiel", "?lang=en")
    assert page.status_code == 200
    assert "Dutch Agreement on Sustainable Garments and Textile" in page.get_data(as_text=True)
    unknown = _route(client, "/nowhere", "?lang=nl").get_data(as_text=True)
    assert "Pagina niet gevonden" in unknown


def test_header_shows_language_switch_and_last_ingest(dash_app):
    client = dash_app.server.test_client()
    client.get("/")
    body = {"output": "shell-header.children",
            "outputs": {"id": "shell-header", "property": "children"},
            "inputs": [{"id": "shell-url", "property": "pathname", "value": "/covenant/goud"},
                       {"id": "shell-url", "property": "search", "value": "?lang=en"}],
            "changedPropIds": ["shell-url.pathname"], "state": []}
    text = client.post("/_dash-update-component", json=body).get_data(as_text=True)
    assert "Last ingest: 1 Mar 2025, 10:30" in text
    assert "\\u002fcovenant\\u002fgoud?lang=nl" in text
