"""The Compare page without a browser: state from the URL, ranking, small multiples, callbacks.

The numbers come from the hand-written mart of tests/compare_support.py; the expected ranking
and covenant years are worked out by hand in its docstring.
"""

import importlib

import polars as pl
import pytest
from dash import dcc, html

from dashboard.compare import applying_covenants, compare_search, pick_kpi
from dashboard.figures_compare import covenant_year, panel_figure, parse_axis
from dashboard.ranking import ranking_frame, ranking_table
from dashboard.shell import header
from dashboard.text import TEXT
from tests.compare_support import HOURS, app_on, build_compare_warehouse
from tests.dashboard_support import assert_plotly_accepts, find, texts
from warehouse.access import PUBLIC, kpi_values, progress
from warehouse.connection import connect_reader

ORDER = ["metaal", "textiel", "goud", "natuursteen", "hout", "plantaardige-eiwitten",
         "voedingsmiddelen", "sierteelt"]


@pytest.fixture
def compare_warehouse(tmp_path, defs):
    return build_compare_warehouse(tmp_path / "compare.duckdb", defs.catalogue)


@pytest.fixture
def compare_app(compare_warehouse):
    with app_on(compare_warehouse) as app:
        yield app


@pytest.fixture
def mart(compare_warehouse):
    conn = connect_reader(compare_warehouse)
    yield kpi_values(conn, PUBLIC, kpi=HOURS), progress(conn, PUBLIC)
    conn.close()


def _page():
    return importlib.import_module("dashboard.pages.compare")


def _ranking(mart, defs, kpi=HOURS):
    values, states = mart
    return ranking_frame(values, states, kpi=defs.kpis[kpi],
                         covenants=applying_covenants(kpi, defs.covenants))


def test_covenant_year_one_is_the_first_reporting_year(defs):
    assert covenant_year(2018, defs.covenants["textiel"]) == 3  # first year 2016
    # signed in May 2019, first reporting year 2020
    assert covenant_year(2020, defs.covenants["natuursteen"]) == 1
    assert parse_axis("covenant") == "covenant"
    assert parse_axis("fiscal") == "calendar"
    assert parse_axis(None) == "calendar"


def test_the_url_state_is_read_and_written_the_same_way(defs):
    assert pick_kpi(HOURS, defs).id == HOURS
    # members_count applies to all 11 covenants: the default and the fallback
    assert pick_kpi(None, defs).id == "members_count"
    assert pick_kpi("no_such_kpi", defs).id == "members_count"
    assert compare_search(HOURS, "covenant", "en") == (
        "?kpi=excessive_hours_share&axis=covenant&lang=en")
    assert compare_search(HOURS, "weird", "fr") == (
        "?kpi=excessive_hours_share&axis=calendar&lang=nl")


def test_only_covenants_the_kpi_applies_to_are_compared(defs):
    slugs = [c.slug for c in applying_covenants(HOURS, defs.covenants)]
    assert sorted(slugs) == sorted(ORDER)
    assert "banken" not in slugs
    assert slugs[0] == "textiel"  # the oldest signature first


def test_ranking_puts_lowest_first_for_a_lower_is_better_kpi(mart, defs):
    frame = _ranking(mart, defs)
    assert frame["covenant"].to_list() == ORDER
    assert frame["rank"].to_list() == [1, 2, 3, 4, None, None, None, None]
    assert frame["value"].to_list()[:5] == [6.0, 9.0, 15.0, 30.0, None]
    assert frame["year"].to_list()[:5] == [2019, 2018, 2018, 2020, 2018]
    assert frame["covenant_year"].to_list()[:5] == [1, 3, 2, 1, 2]
    assert frame["low_coverage"].to_list()[:5] == [False, False, False, True, True]
    hout = frame.row(4, named=True)
    assert hout["suppressed"] and hout["suppression_reason"] == "min_contributors:3"
    assert frame["status"].to_list()[:4] == [None, "moderate", None, "insufficient_data"]


def test_ranking_equals_the_marts_latest_values_by_hand_written_sql(mart, defs,
                                                                    compare_warehouse):
    conn = connect_reader(compare_warehouse)
    try:
        rows = conn.execute(
            "SELECT covenant, year, value, coverage FROM kpi_values k "
            "WHERE kpi = ? AND breakdown = 'total' AND NOT suppressed AND year = ("
            "  SELECT max(year) FROM kpi_values l WHERE l.covenant = k.covenant "
            "  AND l.kpi = k.kpi AND l.breakdown = 'total' AND l.members_submitted > 0)",
            [HOURS]).fetchall()
    finally:
        conn.close()
    frame = _ranking(mart, defs).filter(pl.col("rank").is_not_null())
    shown = {r["covenant"]: (r["year"], r["value"], r["coverage"])
             for r in frame.iter_rows(named=True)}
    # hout's latest year (2018) is suppressed, so it has no ranked value
    expected = {c: (y, v, cov) for c, y, v, cov in rows}
    assert "hout" not in expected and len(expected) == 4
    assert shown == expected


def test_ranking_puts_highest_first_and_shares_tied_ranks(defs):
    kpi = defs.kpis["members_count"]
    covenants = [defs.covenants[s] for s in ("textiel", "banken", "goud", "hout")]
    values = pl.DataFrame({
        "covenant": ["textiel", "banken", "goud"], "kpi": ["members_count"] * 3,
        "year": [2018, 2018, 2018], "value": [93.0, 11.0, 93.0], "suppressed": [False] * 3,
        "suppression_reason": [None] * 3, "coverage": [1.0] * 3, "low_coverage": [False] * 3,
        "members_submitted": [93, 11, 12], "members_bound": [93, 11, 12]})
    states = pl.DataFrame(schema={"covenant": pl.String, "kpi": pl.String, "status": pl.String,
                                  "method": pl.String})
    frame = ranking_frame(values, states, kpi=kpi, covenants=covenants)
    assert frame["covenant"].to_list() == ["textiel", "goud", "banken", "hout"]
    assert frame["rank"].to_list() == [1, 1, 3, None]


def test_ranking_table_shows_values_coverage_and_suppression_never_zero(mart, defs):
    frame = _ranking(mart, defs)
    kpi = defs.kpis[HOURS]
    words = texts(ranking_table(frame, kpi=kpi, covenants=defs.covenants, lang="en"))
    assert {"6.0%", "9.0%", "15.0%", "30.0%", "2019 · agreement year 1",
            "2018 · agreement year 3", "cov. 50% ⚠", "5 of 10 members"} <= set(words)
    assert "Lowest value first: for this KPI lower is better." in words
    assert words.count("low coverage: the value may be an artefact") == 2  # natuursteen, hout
    assert "suppressed" in words and "fewer than 3 contributing members" in words
    assert "0.0%" not in words
    assert words.count("no data") == 3
    dutch = texts(ranking_table(frame, kpi=kpi, covenants=defs.covenants, lang="nl"))
    assert {"6,0 %", "onderdrukt", "minder dan 3 bijdragende leden",
            "2018 · convenantjaar 3"} <= set(dutch)


def _panel(mart, defs, slug, axis):
    values, _ = mart
    covenant = defs.covenants[slug]
    target = next((t for t in covenant.targets if t.kpi == HOURS), None)
    return panel_figure(values.filter(pl.col("covenant") == slug), kpi=defs.kpis[HOURS],
                        covenant=covenant, target=target, axis=axis, x_range=[0.5, 5.5],
                        y_range=[0.0, 33.0], lang="en")


def _trace(figure, kind):
    return next(trace for trace in figure.data if trace.legendgroup == kind)


def test_panel_puts_values_on_calendar_or_covenant_years(mart, defs):
    calendar = _trace(_panel(mart, defs, "textiel", "calendar"), "observed")
    assert list(calendar.x) == [2016, 2017, 2018]
    assert list(calendar.y) == [12.0, 10.5, 9.0]
    covenant = _panel(mart, defs, "textiel", "covenant")
    assert list(_trace(covenant, "observed").x) == [1, 2, 3]
    assert_plotly_accepts(covenant)
    assert list(_trace(covenant, "target").x) == [1, 3, 5]  # baseline 2016, 2018, 2020
    assert covenant.layout.xaxis.title.text == "Agreement year"


def test_panel_marks_low_coverage_and_suppression_apart_from_values(mart, defs):
    stone = _trace(_panel(mart, defs, "natuursteen", "covenant"), "observed")
    assert list(stone.x) == [1] and list(stone.marker.symbol) == ["circle-open"]
    assert "cov. 50% (low coverage)" in stone.customdata[0][2]
    wood = _panel(mart, defs, "hout", "covenant")
    assert list(_trace(wood, "observed").y) == [8.0, None]
    hidden = _trace(wood, "suppressed")
    assert list(hidden.x) == [2] and list(hidden.y) == [0.0]
    assert hidden.customdata[0][2] == "fewer than 3 contributing members"


def test_layout_has_one_panel_per_applying_covenant_on_shared_axes(compare_app):
    layout = _page().layout(kpi=HOURS, axis="covenant", lang="nl")
    graphs = find(layout, dcc.Graph)
    assert sorted(g.id for g in graphs) == sorted(f"compare-panel-{s}" for s in ORDER)
    assert {tuple(g.figure.layout.yaxis.range) for g in graphs} == {(0.0, 33.0)}
    # every covenant's first five reporting years fit: textiel, goud, metaal, natuursteen
    assert {tuple(g.figure.layout.xaxis.range) for g in graphs} == {(0.5, 5.5)}
    assert find(layout, dcc.Dropdown, id="compare-kpi")[0].value == HOURS
    assert find(layout, dcc.RadioItems, id="compare-axis")[0].value == "covenant"
    assert find(layout, dcc.Location, id="compare-url")[0].refresh == "callback-nav"
    words = texts(layout)
    assert "Convenanten vergelijken" in words and "Convenant Bankensector" not in words


def test_calendar_axis_spans_every_covenants_reporting_years(compare_app):
    graphs = find(_page().layout(kpi=HOURS, axis="calendar", lang="en"), dcc.Graph)
    # textiel reports from 2016, natuursteen until 2024
    assert {tuple(g.figure.layout.xaxis.range) for g in graphs} == {(2015.5, 2024.5)}


def test_a_control_change_is_written_to_the_url(compare_app):
    client = compare_app.server.test_client()
    client.get("/")
    body = {"output": "compare-url.search",
            "outputs": {"id": "compare-url", "property": "search"},
            "inputs": [{"id": "compare-kpi", "property": "value", "value": "members_count"},
                       {"id": "compare-axis", "property": "value", "value": "covenant"}],
            "state": [{"id": "compare-lang", "property": "data", "value": "en"}],
            "changedPropIds": ["compare-axis.value"]}
    answer = client.post("/_dash-update-component", json=body).get_json()
    assert answer["response"]["compare-url"]["search"] == (
        "?kpi=members_count&axis=covenant&lang=en")


def test_the_url_alone_restores_the_view_through_the_router(compare_app):
    client = compare_app.server.test_client()
    client.get("/")
    body = {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"},
                        {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/compare"},
                       {"id": "_pages_location", "property": "search",
                        "value": "?kpi=members_count&axis=covenant&lang=en"}],
            "changedPropIds": ["_pages_location.search"], "state": []}
    page = client.post("/_dash-update-component", json=body).get_data(as_text=True)
    assert '"value":"covenant"' in page and '"value":"members_count"' in page
    assert "2018 \\u00b7 agreement year 3" in page  # textiel's 93 members in 2018


def test_ranking_downloads_for_the_kpi_in_the_url(compare_app, compare_warehouse):
    from dashboard.exports import ExportRequest

    conn = connect_reader(compare_warehouse)
    try:
        frame = _page().ranking_rows(conn, PUBLIC, ExportRequest(["compare"], {"kpi": HOURS}))
    finally:
        conn.close()
    assert frame.columns[:3] == ["kpi", "rank", "covenant"]
    assert frame["covenant"].to_list() == ORDER
    assert frame["value"].to_list()[:4] == [6.0, 9.0, 15.0, 30.0]


def test_header_links_to_the_compare_page():
    shell = html.Div(header(lang="en", pathname="/", search="", last=None))
    links = find(shell, dcc.Link)
    assert [link.children for link in links if link.href == "/compare?lang=en"] == ["Compare"]


def test_compare_and_projector_texts_are_translated():
    keys = [k for k in TEXT if k.startswith(("compare_", "axis_", "ranking_", "projector_"))]
    assert len(keys) >= 12
    assert all(TEXT[k]["nl"] and TEXT[k]["en"] and TEXT[k]["nl"] != TEXT[k]["en"] for k in keys)


def test_controls_stay_when_the_warehouse_cannot_be_read(tmp_path):
    with app_on(tmp_path / "missing.duckdb"):
        layout = _page().layout(kpi=HOURS, axis="covenant", lang="en")
    assert find(layout, dcc.RadioItems, id="compare-axis")[0].value == "covenant"
    assert find(layout, dcc.Location, id="compare-url")
    words = texts(layout)
    assert "The data cannot be read" in words
    assert any("Hint: run 'imvo demo'" in w for w in words)
