"""KPI detail: breakdown and distribution builders, and the page for the public and commission."""

import importlib

import dash_ag_grid as dag
import polars as pl
import pytest
from dash import dcc

from dashboard.app import create_app
from dashboard.detail import breakdown_figure, distribution_figure
from pipelines.ingest import ingest_paths
from tests.conftest import write_tiny_inputs
from tests.dashboard_support import assert_plotly_accepts, find, reset_dash, texts
from warehouse.access import Viewer
from warehouse.compute import compute_kpis


def cells(cn_value):
    return pl.DataFrame({"category": ["CN", "BD"], "value": [cn_value, 12.5],
                         "suppressed": [True, False],
                         "suppression_reason": ["min_contributors:3", None]})


def test_breakdown_marks_a_suppressed_category_instead_of_a_bar(defs):
    figure = breakdown_figure(cells(None), kpi=defs.kpis["excessive_hours_share"], lang="en")
    bars, marks = figure.data
    assert list(bars.y) == ["BD"] and list(bars.x) == [12.5] and list(bars.text) == ["12.5%"]
    assert list(marks.y) == ["CN"] and list(marks.x) == [0]
    assert list(marks.text) == ["suppressed"]
    assert list(marks.customdata) == ["fewer than 3 contributing members"]
    assert_plotly_accepts(figure)


def test_breakdown_shows_the_commission_suppressed_values_hatched(defs):
    figure = breakdown_figure(cells(4.0), kpi=defs.kpis["excessive_hours_share"], lang="nl")
    bars, marks = figure.data
    assert list(bars.y) == ["BD", "CN"]
    assert list(bars.text) == ["12,5 %", "4,0 % (onderdrukt)"]
    assert list(bars.marker.pattern.shape) == ["", "/"]
    assert list(marks.y) == []
    assert_plotly_accepts(figure)


def test_distribution_counts_only_counted_members(defs):
    members = pl.DataFrame({"value": [10.0, 20.0, None, 99.0],
                            "counted": [True, True, False, False]})
    figure = distribution_figure(members, kpi=defs.kpis["excessive_hours_share"], lang="en")
    assert list(figure.data[0].x) == [10.0, 20.0]
    assert_plotly_accepts(figure)


@pytest.fixture
def pages(tmp_path, conn, defs):
    ingest_paths(conn, write_tiny_inputs(tmp_path / "in"), defs, archive_dir=tmp_path / "a")
    compute_kpis(conn, defs)
    conn.close()

    contexts = []

    def make(viewer):
        reset_dash()
        # Pages read from the app of the current Flask context, not from whichever app an
        # earlier test module let Dash remember.
        contexts.append(create_app(tmp_path / "imvo.duckdb", viewer=viewer).server.app_context())
        contexts[-1].push()
        return importlib.import_module("dashboard.pages.kpi")

    yield make
    for context in reversed(contexts):
        context.pop()
    reset_dash()


def test_public_sees_breakdowns_but_no_companies(pages):
    page = pages(Viewer("public"))
    words = texts(page.layout(covenant="textiel", kpi="excessive_hours_share", lang="en"))
    assert "Share of supplier workers who worked more than 60 hours a week" in words
    assert "By country" in words and "Values per company" not in words
    assert any("monitoring commission of this agreement only" in w for w in words)


def test_commission_sees_each_company_value(pages):
    page = pages(Viewer("commission", "textiel"))
    layout = page.layout(covenant="textiel", kpi="excessive_hours_share", lang="en", year="2018")
    grid = find(layout, dag.AgGrid, id="kpi-companies")[0]
    rows = {r["member_id"]: r for r in grid.rowData}
    # A: (10+0)/(100+50); B (corrected): 30/200; C has no hours answer; D: 7/70
    assert rows["[A](/member/textiel/A?lang=en)"]["value"] == pytest.approx(100 * 10 / 150, 1e-3)
    assert rows["[B](/member/textiel/B?lang=en)"]["value"] == pytest.approx(15.0)
    assert rows["[D](/member/textiel/D?lang=en)"]["value"] == pytest.approx(10.0)
    assert find(layout, dcc.Graph, id="kpi-distribution")


def test_unknown_kpi_and_covenant_give_clear_messages(pages):
    page = pages(Viewer("public"))
    assert "Unknown KPI" in texts(page.layout(covenant="banken", kpi="msi_share", lang="en"))
    assert "Unknown agreement" in texts(page.layout(covenant="kleding", kpi="msi_share",
                                                    lang="en"))
