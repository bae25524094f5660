"""Projector mode, the print stylesheet and contrast, without a browser.

The numbers come from the hand-written mart of tests/compare_support.py (textile excessive hours
9.0 % in 2018, moderate progress, at this pace reached in 2024).
"""

import importlib
import re
from pathlib import Path

import pytest
from dash import dcc, html

from dashboard.components import STATUS_STYLE
from dashboard.projector import neighbours, projector_figure, projector_href
from tests.compare_support import HOURS, app_on, build_compare_warehouse
from tests.dashboard_support import assert_plotly_accepts, find, texts
from warehouse.access import PUBLIC, kpi_values
from warehouse.connection import connect_reader

ASSETS = Path(__file__).resolve().parent.parent / "dashboard" / "assets"


@pytest.fixture
def projector_app(tmp_path, defs):
    with app_on(build_compare_warehouse(tmp_path / "compare.duckdb", defs.catalogue)) as app:
        yield app


def _layout(**query):
    return importlib.import_module("dashboard.pages.projector").layout(**query)


def _href(layout, link_id):
    links = find(layout, dcc.Link, id=link_id)
    return links[0].href if links else None


def test_neighbours_stop_at_either_end():
    assert neighbours(["a", "b", "c"], "a") == (None, "b")
    assert neighbours(["a", "b", "c"], "b") == ("a", "c")
    assert neighbours(["a", "b", "c"], "c") == ("b", None)
    assert projector_href("textiel", HOURS, "en") == (
        "/projector/textiel?kpi=excessive_hours_share&lang=en")


def test_one_kpi_per_screen_with_value_status_target_coverage_and_pace(projector_app):
    layout = _layout(slug="textiel", kpi=HOURS, lang="nl")
    words = texts(layout)
    assert "Aandeel werknemers bij leveranciers dat meer dan 60 uur per week werkte" in words
    assert {"9,0 %", " 2018", "Matige vooruitgang", "Doel 2020: 2,0 %", "dekking 87 %",
            "In dit tempo gehaald in 2024", "KPI 5 van 10"} <= set(words)
    assert len(find(layout, dcc.Graph)) == 1
    assert find(layout, html.H1)[0].id == "projector-kpi"


def test_previous_next_and_back_links_follow_the_covenants_kpi_order(projector_app, defs):
    order = defs.covenants["textiel"].kpis
    layout = _layout(slug="textiel", kpi=HOURS, lang="en")
    at = order.index(HOURS)
    assert _href(layout, "projector-prev") == projector_href("textiel", order[at - 1], "en")
    assert _href(layout, "projector-next") == projector_href("textiel", order[at + 1], "en")
    assert _href(layout, "projector-back") == "/covenant/textiel?lang=en"


def test_first_and_last_kpi_have_no_step_beyond_the_end(projector_app, defs):
    order = defs.covenants["textiel"].kpis
    first = _layout(slug="textiel", kpi=order[0], lang="en")
    assert _href(first, "projector-prev") is None
    assert "← Previous KPI" in texts(first)  # shown, but disabled
    last = _layout(slug="textiel", kpi=order[-1], lang="en")
    assert _href(last, "projector-next") is None
    assert "KPI 10 of 10" in texts(last)


def test_missing_or_foreign_kpi_opens_the_first_kpi(projector_app):
    for kpi in (None, "policy_share"):  # policy_share is a bank KPI, not a textile one
        words = texts(_layout(slug="textiel", kpi=kpi, lang="en"))
        assert "Number of members" in words and "KPI 1 of 10" in words
        assert "93" in words


def test_unknown_covenant_gives_a_message(projector_app):
    words = texts(_layout(slug="nope", lang="en"))
    assert "There is no agreement with the code 'nope'." in words


def test_suppressed_latest_value_is_shown_as_suppressed_not_zero(projector_app):
    layout = _layout(slug="hout", kpi=HOURS, lang="en")
    values = find(layout, html.Span, className="value suppressed")
    assert [v.children for v in values] == ["suppressed"]
    assert values[0].title == "fewer than 3 contributing members"
    assert "0.0%" not in texts(layout)


def test_projector_chart_is_the_trend_chart_in_large_type(projector_app, defs):
    conn = connect_reader(projector_app.server.config["IMVO_SOURCES"].warehouse_path)
    try:
        values = kpi_values(conn, PUBLIC, covenant="textiel", kpi=HOURS)
    finally:
        conn.close()
    figure = projector_figure(values, kpi=defs.kpis[HOURS], covenant=defs.covenants["textiel"],
                              lang="en")
    observed = next(trace for trace in figure.data if trace.legendgroup == "observed")
    assert list(observed.y) == [12.0, 10.5, 9.0]
    assert observed.line.width == 5
    assert figure.layout.font.size == 22
    assert figure.layout.height is None  # fills the space the stylesheet gives it
    assert_plotly_accepts(figure)


def test_covenant_page_links_to_its_projector_mode(projector_app):
    layout = importlib.import_module("dashboard.pages.covenant").layout(slug="goud", lang="en")
    link = find(layout, dcc.Link, id="covenant-projector")
    assert [(x.href, x.children) for x in link] == [("/projector/goud?lang=en",
                                                     "▶ Projector mode")]


def test_the_app_serves_the_keyboard_print_and_focus_assets(projector_app):
    page = projector_app.server.test_client().get("/projector/textiel").get_data(as_text=True)
    for asset in ("projector.js", "compare.js", "print.js", "print.css", "focus.css",
                  "projector.css", "compare.css"):
        assert f"/assets/{asset}" in page


# Contrast: WCAG 2.1 relative luminance; text needs 4.5:1 against its background (AA).
def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(one: str, other: str) -> float:
    high, low = sorted([_luminance(one), _luminance(other)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def _declared(sheet: str, selector: str, prop: str) -> str:
    """Return a property's colour in the first rule of a stylesheet with exactly this selector."""
    css = re.sub(r"/\*.*?\*/", "", (ASSETS / sheet).read_text(), flags=re.DOTALL)
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        if selector in [s.strip() for s in selectors.split(",")]:
            found = re.search(rf"(?:^|[;\s]){prop}:[^;]*?(#[0-9a-fA-F]{{6}}|var\(--[a-z]+\))",
                              body)
            if found:
                value = found.group(1)
                if value.startswith("var("):
                    return _declared("imvo.css", ":root", value[4:-1])
                return value
    raise AssertionError(f"{selector} {{{prop}}} not in {sheet}")


def test_contrast_formula_matches_known_pairs():
    assert round(_contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(_contrast("#767676", "#ffffff"), 2) == 4.54  # the lightest grey that passes AA


@pytest.mark.parametrize(("sheet", "selector", "prop", "ground"), [
    ("imvo.css", "body", "color", "--ground"),
    ("imvo.css", ".muted", "color", "--paper"),
    ("imvo.css", ".muted", "color", "--ground"),
    ("imvo.css", "a", "color", "--paper"),
    ("imvo.css", "a", "color", "--ground"),
    ("imvo.css", ".not-applicable", "color", "#fafafa"),
    ("imvo.css", ".suppressed", "color", "--paper"),
    ("imvo.css", ".coverage.low", "color", "--paper"),
    ("imvo.css", ".shell-header", "color", "#0b3c5d"),
    ("compare.css", ".suppression-reason", "color", "--paper"),
    ("projector.css", ".projector-step", "color", "--paper"),
    ("projector.css", ".projector-step.disabled", "color", "--paper"),
])
def test_text_colours_reach_aa_contrast(sheet, selector, prop, ground):
    background = ground if ground.startswith("#") else _declared("imvo.css", ":root", ground)
    assert _contrast(_declared(sheet, selector, prop), background) >= 4.5


@pytest.mark.parametrize("status", list(STATUS_STYLE))
def test_status_badges_have_aa_contrast_for_their_black_text(status):
    assert _contrast("#000000", STATUS_STYLE[status][1]) >= 4.5


def test_focus_outline_stands_out_on_light_ground_and_on_the_header():
    assert _contrast(_declared("focus.css", "a:focus-visible", "outline"), "#ffffff") >= 3
    assert _contrast(_declared("focus.css", ".shell-header a:focus-visible", "outline-color"),
                     "#0b3c5d") >= 3
