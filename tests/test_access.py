"""The access layer per role: what each viewer sees of the mart and of company values.

Data: textile 2018 members A–D (A and B large, C and D small) and gold 2018 members G1, G2.
Market share (%): A 10, B 5, C 3, D 2 -> textile market coverage 20, 4 contributors.
Gold has 2 contributors: below 3, so its values are suppressed for viewers without rights.
"""

import pytest

from imvo.errors import AccessDenied
from tests.mart_support import add_members, add_submission
from warehouse import access
from warehouse.access import PUBLIC, Viewer
from warehouse.compute import compute_kpis

ADMIN = Viewer("admin")
STEERING = Viewer("steering", "textiel")
EVALUATOR = Viewer("evaluator")
COMMISSION = Viewer("commission", "textiel")
SHARES = {"A": 10.0, "B": 5.0, "C": 3.0, "D": 2.0}


@pytest.fixture
def mart(conn, defs):
    add_members(conn, "textiel", {"A": "large", "B": "large", "C": "small", "D": "small"})
    add_members(conn, "goud", {"G1": "large", "G2": "small"})
    for member, share in SHARES.items():
        add_submission(conn, "textiel", 2018, member,
                       answers={"market_share_pct": share, "msi_member": member in "AB"})
    for member in ("G1", "G2"):
        add_submission(conn, "goud", 2018, member, answers={"dd_report_published": True})
    compute_kpis(conn, defs)
    return conn


def _value(conn, viewer, covenant, kpi, year=2018):
    frame = access.kpi_values(conn, viewer, covenant=covenant, kpi=kpi).filter(year=year)
    return frame.row(0, named=True) if frame.height else None


@pytest.mark.parametrize("viewer", [PUBLIC, EVALUATOR, ADMIN, STEERING, COMMISSION])
def test_every_role_reads_the_aggregates_of_all_11_covenants(mart, viewer):
    assert access.kpi_values(mart, viewer)["covenant"].n_unique() == 11
    assert access.progress(mart, viewer)["covenant"].n_unique() == 11
    assert access.reported_years(mart, viewer) == [2018]


def test_covenant_bound_roles_see_another_covenant_as_the_public_does(mart):
    for viewer in (STEERING, COMMISSION):
        assert access.kpi_values(mart, viewer, covenant="goud").equals(
            access.kpi_values(mart, PUBLIC, covenant="goud"))
        assert access.progress(mart, viewer, covenant="goud").equals(
            access.progress(mart, PUBLIC, covenant="goud"))
    with pytest.raises(ValueError, match="a steering viewer needs a covenant"):
        Viewer("steering")


@pytest.mark.parametrize(("viewer", "sees"), [
    (PUBLIC, False), (EVALUATOR, False), (STEERING, False), (COMMISSION, False), (ADMIN, True)])
def test_suppression_applies_to_every_role_without_company_rights(mart, viewer, sees):
    gold = _value(mart, viewer, "goud", "dd_reports")  # the commission is textile's
    assert (gold["suppressed"], gold["suppression_reason"]) == (True, "min_contributors:3")
    assert gold["value"] == (2.0 if sees else None)
    textile = _value(mart, viewer, "textiel", "market_coverage")
    assert (textile["value"], textile["contributors"]) == (20.0, 4)


def test_breakdowns_are_asked_for_and_totals_are_the_default(mart):
    totals = access.kpi_values(mart, ADMIN, covenant="textiel", kpi="msi_share")
    assert totals["breakdown"].unique().to_list() == ["total"]
    sizes = access.kpi_values(mart, ADMIN, covenant="textiel", kpi="msi_share",
                              breakdown="size_class").filter(year=2018)
    # large: A and B in an MSI (2 of 2); small: neither C nor D (0 of 2); both below 3 members.
    assert sizes.select("category", "numerator", "denominator", "suppressed").rows() == [
        ("large", 2.0, 2.0, True), ("small", 0.0, 2.0, True)]
    public = access.kpi_values(mart, PUBLIC, covenant="textiel", kpi="msi_share",
                               breakdown="size_class").filter(year=2018)
    assert public["value"].to_list() == [None, None]
    assert public["suppression_reason"].to_list() == ["min_contributors:3"] * 2
    everything = access.kpi_values(mart, ADMIN, covenant="textiel", breakdown=None)
    assert set(everything["breakdown"]) == {"total", "size_class"}


def test_company_values_for_the_commission_of_the_covenant_and_admins(mart):
    for viewer in (COMMISSION, ADMIN):
        rows = access.company_values(mart, viewer, covenant="textiel", year=2018,
                                     kpi="market_coverage")
        assert rows.select("member_id", "size_class", "value", "counted").rows() == [
            ("A", "large", 10.0, True), ("B", "large", 5.0, True), ("C", "small", 3.0, True),
            ("D", "small", 2.0, True)]
    msi = access.company_values(mart, COMMISSION, covenant="textiel", year=2018, kpi="msi_share")
    assert msi.select("member_id", "numerator", "denominator", "value").rows() == [
        ("A", 1.0, 1.0, 100.0), ("B", 1.0, 1.0, 100.0), ("C", 0.0, 1.0, 0.0),
        ("D", 0.0, 1.0, 0.0)]
    gold = access.company_values(mart, ADMIN, covenant="goud", year=2018, kpi="dd_reports")
    assert gold["member_id"].to_list() == ["G1", "G2"]


@pytest.mark.parametrize("viewer", [PUBLIC, EVALUATOR, STEERING, Viewer("commission", "goud")])
def test_company_values_are_refused_without_company_rights(mart, viewer):
    with pytest.raises(AccessDenied) as err:
        access.company_values(mart, viewer, covenant="textiel", year=2018, kpi="market_coverage")
    assert str(err.value) == (
        "company values of textiel are for its monitoring commission and secretariat only\n"
        "Hint: sign in with a commission account of textiel, or look at the aggregated KPI "
        "values")


@pytest.mark.parametrize("viewer", [PUBLIC, STEERING, COMMISSION])
def test_latest_values_keep_the_mask(mart, viewer):
    gold = access.latest_values(mart, viewer).filter(covenant="goud", kpi="dd_reports")
    assert (gold["value"].to_list(), gold["suppressed"].to_list()) == ([None], [True])
