"""Every KPI pinned by hand-worked numbers on a tiny input that goes through the real ingest.

Textile 2018: members A–E bound, A–D submit (coverage 4/5). B first sends a version that is
corrected later; only the correction counts. The expected numbers are worked out in comments.
"""

import pytest

from pipelines.ingest import ingest_paths
from tests.conftest import write_tiny_inputs
from warehouse.access import PUBLIC, Viewer, kpi_values
from warehouse.compute import compute_kpis


@pytest.fixture
def mart(tmp_path, conn, defs):
    paths = write_tiny_inputs(tmp_path / "in")
    results = ingest_paths(conn, paths, defs, archive_dir=tmp_path / "archive")
    assert [r.status for r in results] == ["loaded"] * 7
    compute_kpis(conn, defs)
    return conn


ADMIN = Viewer("admin")


def value(conn, kpi, covenant="textiel", year=2018, viewer=ADMIN):
    frame = kpi_values(conn, viewer, covenant=covenant, kpi=kpi).filter(year=year)
    return frame.row(0, named=True)


DOMINANCE = "dominance:2,85"


# Dominance (volume-weighted KPIs): the 2 largest members' share of numerator or denominator.
@pytest.mark.parametrize(("kpi", "numerator", "denominator", "expected", "contributors",
                          "reason"), [
    ("members_count", 5, None, 5, 5, None),                    # A–E bound
    ("market_coverage", 18, None, 18, 3, None),                # 10 + 5 + 3; C left it blank;
                                                               # (10 + 5) / 18 = 83 %
    ("msi_share", 2, 3, 100 * 2 / 3, 3, None),                 # A, C yes; B (corrected) no
    ("certified_share", 70, 220, 100 * 70 / 220, 3, DOMINANCE),  # (40+10+0+20) / (100+50+50+20);
                                                               # A 40 + C 20 = 60 / 70 = 86 %
    ("excessive_hours_share", 47, 420, 100 * 47 / 420, 3, DOMINANCE),  # C1 has no hours answer;
                                                               # B 30 + A 10 = 40 / 47 = 85.1 %
    ("dialogue_structures", 3, None, 3, 4, None),              # A1, B1, C1: 2 / 3 = 67 %
    ("joint_audit_share", 4, 10, 40.0, 4, DOMINANCE),          # (2+0+1+1+0) / (4+2+3+1+0);
                                                               # audits A 6 + B 3 = 90 %
    ("public_audit_share", 2, 10, 20.0, 4, DOMINANCE),         # (1+0+1+0+0) / 10: A + B = 100 %
    ("production_locations", 4, None, 4, 4, None),             # A1, A2, C1, D1: A 2 + 1 = 75 %
    ("dd_reports", 2, None, 2, 4, None),                       # A and B (corrected)
])
def test_textile_kpis_match_hand_worked_numbers(mart, kpi, numerator, denominator, expected,
                                                contributors, reason):
    row = value(mart, kpi)
    assert row["numerator"] == pytest.approx(numerator)
    assert row["denominator"] == (None if denominator is None else pytest.approx(denominator))
    assert row["value"] == pytest.approx(expected)
    assert row["contributors"] == contributors
    assert (row["members_bound"], row["members_submitted"]) == (5, 4)
    assert row["coverage"] == pytest.approx(0.8)
    assert (row["suppressed"], row["suppression_reason"]) == (reason is not None, reason)


def test_resubmission_supersedes_but_history_stays(mart):
    rows = mart.execute("SELECT version, is_current FROM submissions WHERE member_id = 'B' "
                        "ORDER BY version").fetchall()
    assert rows == [(1, False), (2, True)]


def test_year_without_submissions_has_no_value_and_zero_coverage(mart):
    row = value(mart, "msi_share", year=2017)
    assert row["value"] is None
    assert (row["members_bound"], row["members_submitted"], row["coverage"]) == (5, 0, 0.0)
    assert row["low_coverage"] is True


def test_financial_kpis_and_suppression_below_three_contributors(mart):
    admin = value(mart, "assets_covered_share", covenant="banken")
    assert admin["value"] == pytest.approx(100 * 230 / 400)     # (80+150) / (100+300)
    assert admin["suppressed"] is True
    assert admin["suppression_reason"] == "min_contributors:3"
    public = value(mart, "assets_covered_share", covenant="banken", viewer=PUBLIC)
    assert (public["value"], public["numerator"], public["suppressed"]) == (None, None, True)
    policy = value(mart, "policy_share", covenant="banken")
    assert policy["value"] == pytest.approx(50.0)                # K1 yes, K2 no


def test_kpi_values_exist_only_for_applicable_kpis(mart, defs):
    kpis = set(kpi_values(mart, PUBLIC, covenant="banken")["kpi"].unique())
    assert kpis == set(defs.covenants["banken"].kpis)
