"""Component builders: the overview matrix and the KPI card, checked as component trees."""

import pytest
from dash import html

from dashboard.components import STATUS_STYLE, kpi_card, overview_table, status_badge
from imvo.definitions import definitions
from tests.dashboard_support import find, texts
from warehouse.access import PUBLIC, kpi_values, latest_values, progress
from warehouse.connection import connect_reader


@pytest.fixture
def dash_frames(dash_warehouse):
    conn = connect_reader(dash_warehouse)
    yield {"latest": latest_values(conn, PUBLIC), "progress": progress(conn, PUBLIC),
           "textiel": kpi_values(conn, PUBLIC, covenant="textiel")}
    conn.close()


def _matrix(frames, lang):
    defs = definitions()
    return overview_table(frames["latest"], frames["progress"], covenants=defs.covenants,
                          kpis=defs.kpis, lang=lang)


def _row(table, name):
    return next(row for row in find(table, html.Tr) if name in texts(row))


def test_overview_formats_numbers_per_language(dash_frames):
    assert "6.289" in texts(_matrix(dash_frames, "nl"))
    assert "48,3 %" in texts(_matrix(dash_frames, "nl"))
    english = texts(_matrix(dash_frames, "en"))
    assert "6,289" in english
    assert "48.3%" in english
    assert "cov. 87%" in english


def test_suppressed_cell_shows_the_word_and_the_reason_never_a_number(dash_frames):
    table = _matrix(dash_frames, "en")
    cells = find(table, className="value suppressed")
    assert {cell.children for cell in cells} == {"suppressed"}
    assert {cell.title for cell in cells} == {"fewer than 3 contributing members"}
    banks = texts(_row(table, definitions().covenants["banken"].name.en))
    assert "suppressed" in banks
    assert "0" not in banks and "0%" not in banks


def test_cells_of_kpis_outside_the_covenant_say_not_applicable(dash_frames):
    table = _matrix(dash_frames, "nl")
    cells = find(table, className="cell not-applicable")
    assert cells and {c.children for c in cells} == {"—"}
    assert {c.title for c in cells} == {"niet van toepassing"}


def test_covenant_names_link_to_their_page_in_the_same_language(dash_frames):
    table = _matrix(dash_frames, "en")
    link = find(table, href="/covenant/textiel?lang=en")[0]
    assert link.children == "Dutch Agreement on Sustainable Garments and Textile"
    rows = find(table, html.Tr)
    assert len(rows) == 1 + len(definitions().covenants)
    assert "Dutch Agreement on Sustainable Garments and Textile" in texts(rows[1])  # signed first


def test_status_is_an_icon_a_text_and_a_colour():
    badge = status_badge("on_track", lang="en")
    assert texts(badge) == ["↑", "On track"]
    assert badge.style["backgroundColor"] == STATUS_STYLE["on_track"][1]


def test_kpi_card_shows_value_status_target_and_coverage(dash_frames):
    defs = definitions()
    target = next(t for t in defs.covenants["textiel"].targets if t.kpi == "production_locations")
    card = kpi_card(dash_frames["textiel"], dash_frames["progress"],
                    kpi=defs.kpis["production_locations"], target=target, lang="nl")
    words = texts(card)
    assert "6.289" in words
    assert "Op koers" in words
    assert "Doel 2020: 8.000 (basis 2016: 2.802)" in words
    assert "dekking 87 %" in words
    assert "In dit tempo gehaald in 2020" in words
