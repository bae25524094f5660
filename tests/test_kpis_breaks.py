"""A series break in the definitions: marked in the mart, and progress does not run across it.

Textile excessive hours, 4 equal members with 1000 workers each; over 60 hours per member
120, 105, 90, 60, 40 in 2016..2020 -> 12 %, 10.5 %, 9 %, 6 %, 4 %. Target: baseline 12 in
2016, milestones 7 in 2018 and 2 in 2020 (tests/test_progress.py works these numbers out).
"""

import shutil

import pytest

from imvo.definitions import load_definitions
from imvo.settings import PROJECT_ROOT
from tests.mart_support import add_members, add_submission
from warehouse.access import Viewer, kpi_values, progress
from warehouse.compute import compute_kpis
from warehouse.connection import connect_writer

OVER_60 = {2016: 120, 2017: 105, 2018: 90, 2019: 60, 2020: 40}
BREAK = ("series_breaks:\n"
         "  - year: 2019\n"
         "    kpis: [excessive_hours_share]\n"
         "    reason:\n"
         "      nl: Vanaf 2019 geteld uit tijdregistratie in plaats van interviews.\n"
         "      en: From 2019 counted from time records instead of interviews.\n")


def _compute(path, defs):
    conn = connect_writer(path, defs.catalogue)
    add_members(conn, "textiel", {m: "large" for m in "ABCD"})
    for year, over in OVER_60.items():
        for member in "ABCD":
            add_submission(conn, "textiel", year, member, sites=[
                {"country": "BD", "workers": 1000, "workers_over_60h": over}])
    compute_kpis(conn, defs)
    return conn


@pytest.fixture
def with_break(tmp_path):
    folder = tmp_path / "defs"
    shutil.copytree(PROJECT_ROOT / "kpi_definitions", folder)
    cov = folder / "covenants" / "textiel.yaml"
    cov.write_text(cov.read_text() + BREAK)
    conn = _compute(tmp_path / "break.duckdb", load_definitions(folder))
    yield conn
    conn.close()


def test_the_mart_marks_the_break_year_in_totals_and_breakdowns(with_break):
    frame = kpi_values(with_break, Viewer("admin"), covenant="textiel",
                       kpi="excessive_hours_share", breakdown=None)
    marked = frame.filter("series_break").select("year", "breakdown").unique().sort("breakdown")
    assert marked.rows() == [(2019, "country"), (2019, "size_class"), (2019, "total")]
    totals = frame.filter(breakdown="total").sort("year")
    assert totals["value"].to_list() == pytest.approx([12.0, 10.5, 9.0, 6.0, 4.0])
    other = kpi_values(with_break, Viewer("admin"), covenant="textiel", kpi="msi_share")
    assert not other["series_break"].any()


def test_progress_is_rebased_after_the_break(with_break):
    row = progress(with_break, Viewer("admin"), covenant="textiel").filter(
        kpi="excessive_hours_share").row(0, named=True)
    assert (row["baseline_year"], row["baseline_value"], row["series_break"]) == (2019, 6.0, 2019)
    assert (row["status"], row["method"], row["target_year"], row["year_reached"]) == (
        "insufficient", "cagr", 2020, 2022)
    assert row["ratio"] == pytest.approx(0.5)
    assert (row["latest_year"], row["latest_value"]) == (2020, 4.0)


def test_without_the_break_progress_runs_from_the_declared_baseline(tmp_path, defs):
    conn = _compute(tmp_path / "plain.duckdb", defs)
    row = progress(conn, Viewer("public"), covenant="textiel").filter(
        kpi="excessive_hours_share").row(0, named=True)
    assert (row["baseline_year"], row["series_break"], row["status"]) == (2016, None, "moderate")
    assert (row["final_status"], row["final_year"], row["final_value"]) == ("moderate", 2020, 2.0)
    conn.close()
