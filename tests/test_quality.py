"""Company-level reads for the commission and secretariat, and who may not see them."""

import pytest

from imvo.errors import AccessDenied
from pipelines.ingest import ingest_paths
from tests.conftest import mat, site, write_csv_submission, write_tiny_inputs
from warehouse import quality
from warehouse.access import Viewer
from warehouse.compute import compute_kpis

ADMIN, COMMISSION = Viewer("admin"), Viewer("commission", "textiel")


@pytest.fixture
def warehouse(tmp_path, conn, defs):
    folder = tmp_path / "in"
    paths = write_tiny_inputs(folder)
    paths.append(write_csv_submission(  # one slip: more workers above 60 hours than workers
        folder / "E.csv", "textiel", 2018, "E",
        answers={"msi_member": "ja", "dd_report_published": "ja", "market_share_pct": "1 %"},
        sites=[site("E1", "BD", 40, 47, "ja", 1, 0, 0, "ja"),
               site("E2", "BD", 60, 6, "nee", 1, 0, 0, "ja")],
        materials=[mat("cotton", 5, 1)]))
    paths.append(write_csv_submission(folder / "Z.csv", "textiel", 2018, "Z",
                                      answers={"msi_member": "ja"}))  # unknown member
    ingest_paths(conn, paths, defs, archive_dir=tmp_path / "archive")
    compute_kpis(conn, defs)
    return conn


def test_submission_summary_counts_members_files_and_quarantine(warehouse):
    frame = quality.submission_summary(warehouse, COMMISSION).filter(year=2018)
    row = frame.row(0, named=True)
    assert row == {"covenant": "textiel", "year": 2018, "members_bound": 5,
                   "members_submitted": 5, "coverage": 1.0, "files_loaded": 6,
                   "resubmissions": 1, "rows_quarantined": 1}
    assert frame.height == 1
    assert set(quality.submission_summary(warehouse, COMMISSION)["covenant"]) == {"textiel"}


def test_quarantine_names_member_row_rule_and_message(warehouse):
    rows = quality.quarantine(warehouse, COMMISSION).to_dicts()
    # B's two files of 2018 arrived in one run: each says which of them counts
    assert [(r["member_id"], r["version"], r["rule"]) for r in rows[:2]] == [
        ("B", 1, "superseded_in_run"), ("B", 2, "current_in_run")]
    assert len(rows) == 3
    row = rows[2]
    assert (row["member_id"], row["row_number"], row["column_name"], row["value"], row["rule"]) == (
        "E", 3, "workers_over_60h", "47", "above_other")
    assert row["message_nl"].startswith(
        "Werknemers die meer dan 60 uur per week werkten (47) is groter dan ")


def test_whole_file_rejects_are_for_admins(warehouse):
    rows = quality.quarantine(warehouse, ADMIN).filter(rule="unknown_member").to_dicts()
    assert [(r["covenant"], r["file_name"], r["value"]) for r in rows] == [(None, "Z.csv", "Z")]


def test_member_history_lists_versions_newest_first(warehouse):
    history = quality.member_history(warehouse, COMMISSION, covenant="textiel", member_id="B")
    assert history.select("year", "version", "is_current").rows() == [
        (2018, 2, True), (2018, 1, False)]


@pytest.mark.parametrize("viewer", [
    Viewer("public"), Viewer("evaluator"), Viewer("steering", "textiel"),
    Viewer("commission", "banken"),
])
def test_roles_without_company_rights_are_refused(warehouse, viewer):
    with pytest.raises(AccessDenied, match="monitoring commission and secretariat"):
        quality.quarantine(warehouse, viewer, covenant="textiel")
    with pytest.raises(AccessDenied):
        quality.member_history(warehouse, viewer, covenant="textiel", member_id="B")
