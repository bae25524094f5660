"""Disclosure control (DESIGN §7) on hand-worked examples, and an attacker deriving cells.

Hand-worked textile 2018, excessive hours (workers, of which over 60 h) per site:
    BD: A 100/10, B 120/12, C 110/8, D 90/9   -> 4 members, 420/39
    CN: E 100/5,  F 80/6,   G 70/7            -> 3 members, 250/18
    IN: H 60/3                                -> 1 member,   60/3
    total: 8 members, 730/60; the 2 largest: 230/730 = 31.5 %, 22/60 = 36.7 % (< 85 %).
IN has 1 contributor: suppressed (min_contributors:3). With the total and BD and CN published,
IN = total - BD - CN, so one more is suppressed: CN, the category with the fewest contributors.
IN and CN together are E, F, G, H: 4 members, 310/21, the 2 largest 180/310 = 58 % and
13/21 = 62 %: safe, so BD stays published.
"""

import shutil

import polars as pl
import pytest

from imvo.definitions import load_definitions
from imvo.settings import PROJECT_ROOT
from tests.mart_support import add_members, add_submission, random_covenant_data
from warehouse import compute as compute_module
from warehouse.access import PUBLIC, Viewer, kpi_values
from warehouse.compute import compute_kpis
from warehouse.disclosure import Rule, complements, passes

ADMIN = Viewer("admin")
SITES = {"A": ("BD", 100, 10), "B": ("BD", 120, 12), "C": ("BD", 110, 8), "D": ("BD", 90, 9),
         "E": ("CN", 100, 5), "F": ("CN", 80, 6), "G": ("CN", 70, 7), "H": ("IN", 60, 3)}


def _hours(country, workers, over):
    return {"country": country, "workers": workers, "workers_over_60h": over}


@pytest.fixture
def textile(conn, defs):
    add_members(conn, "textiel", {m: "large" for m in SITES})
    for member, site in SITES.items():
        add_submission(conn, "textiel", 2018, member, answers={"msi_member": True},
                       sites=[_hours(*site)])
    compute_kpis(conn, defs)
    return conn


def _cells(conn, viewer, kpi="excessive_hours_share", breakdown="country", covenant="textiel"):
    frame = kpi_values(conn, viewer, covenant=covenant, kpi=kpi, breakdown=breakdown)
    return {r["category"]: r for r in frame.filter(year=2018).iter_rows(named=True)}


def test_min_contributors_then_secondary_suppression_of_the_smallest_category(textile):
    cells = _cells(textile, PUBLIC)
    assert {c: (r["suppressed"], r["suppression_reason"]) for c, r in cells.items()} == {
        "BD": (False, None), "CN": (True, "secondary"), "IN": (True, "min_contributors:3")}
    assert (cells["BD"]["numerator"], cells["BD"]["denominator"]) == (39, 420)
    assert cells["BD"]["value"] == pytest.approx(100 * 39 / 420)
    for hidden in ("CN", "IN"):  # never zero or blank: no number, a flag and a reason
        assert (cells[hidden]["value"], cells[hidden]["numerator"]) == (None, None)
    total = _cells(textile, PUBLIC, breakdown="total")["total"]
    assert (total["numerator"], total["denominator"], total["contributors"]) == (60, 730, 8)
    assert total["suppressed"] is False


def test_viewers_with_company_rights_see_the_suppressed_numbers(textile):
    for viewer in (ADMIN, Viewer("commission", "textiel")):
        cells = _cells(textile, viewer)
        assert (cells["IN"]["numerator"], cells["IN"]["denominator"]) == (3, 60)
        assert (cells["CN"]["numerator"], cells["CN"]["denominator"]) == (18, 250)
        assert cells["IN"]["suppressed"] is True  # the flag stays, so they know not to publish
    # another covenant's commission sees textile as the public does
    for viewer in (PUBLIC, Viewer("evaluator"), Viewer("steering", "textiel"),
                   Viewer("commission", "goud")):
        assert _cells(textile, viewer)["IN"]["numerator"] is None


def test_member_weighted_kpis_have_no_dominance_rule(textile):
    # msi_share: 8 of 8 members; the 2 largest contributions are 2 of 8 counted members, and a
    # member-weighted value counts members, so only the minimum of 3 applies.
    total = _cells(textile, PUBLIC, kpi="msi_share", breakdown="total")["total"]
    assert (total["value"], total["suppressed"]) == (100.0, False)


def _dominance_data(conn, covenant, workers):
    add_members(conn, covenant, {f"M{i}": "small" for i in range(len(workers))})
    for i, count in enumerate(workers):
        add_submission(conn, covenant, 2018, f"M{i}",
                       sites=[_hours("BD", count, count // 10)])


def test_dominance_two_largest_above_85_percent(conn, defs):
    # Workers 1000, 100, 50: the 2 largest hold 1100 / 1150 = 95.7 % > 85 %: suppressed.
    # Over-60 hours 100, 10, 5: 110 / 115 = 95.7 % as well.
    _dominance_data(conn, "goud", [1000, 100, 50])
    # Workers 500, 300, 200, 100: 800 / 1100 = 72.7 %; over 60: 50+30 / 110 = 72.7 %: published.
    _dominance_data(conn, "hout", [500, 300, 200, 100])
    compute_kpis(conn, defs)
    goud = _cells(conn, PUBLIC, breakdown="total", covenant="goud")["total"]
    assert (goud["suppressed"], goud["suppression_reason"], goud["contributors"]) == (
        True, "dominance:2,85", 3)
    hout = _cells(conn, PUBLIC, breakdown="total", covenant="hout")["total"]
    assert (hout["suppressed"], hout["value"]) == (False, pytest.approx(100 * 110 / 1100))


def test_a_covenant_can_tighten_the_rules(tmp_path, defs):
    folder = tmp_path / "defs"
    shutil.copytree(PROJECT_ROOT / "kpi_definitions", folder)
    cov = folder / "covenants" / "hout.yaml"
    cov.write_text(cov.read_text() + "disclosure:\n  min_contributors: 5\n"
                   "  dominance: {top: 2, percent: 70}\n")
    strict = load_definitions(folder)
    from warehouse.connection import connect_writer

    with connect_writer(tmp_path / "w.duckdb", strict.catalogue) as conn:
        _dominance_data(conn, "hout", [500, 300, 200, 100])
        compute_kpis(conn, strict)
        total = _cells(conn, PUBLIC, breakdown="total", covenant="hout")["total"]
        assert total["suppression_reason"] == "min_contributors:5"  # 4 members < 5
        dd = _cells(conn, PUBLIC, kpi="dialogue_structures", breakdown="total",
                    covenant="hout")["total"]
        assert dd["numerator"] is None  # no site answered the question: no value at all
    rule = Rule(min_contributors=3, top=2, percent=70, volume=True)
    members = pl.DataFrame({"member_id": ["a", "b", "c", "d"], "numerator": [500.0, 300, 200, 100],
                            "denominator": [None] * 4, "counted": [1] * 4})
    assert passes(members, rule) is False  # 800 / 1100 = 72.7 % > 70 %
    assert passes(members, Rule(3, 2, 85, volume=True)) is True


def _group(categories):
    return pl.DataFrame(
        [{"category": c, "numerator": n, "denominator": d, "contributors": k, "suppressed": s}
         for c, n, d, k, s in categories])


def test_complements_when_the_total_is_suppressed():
    cells = _group([("BD", 10.0, 100.0, 4, False), ("CN", 5.0, 60.0, 3, False)])
    # Total hidden, both categories published: their sum would reveal it; hide the smallest.
    assert complements(cells, pl.DataFrame(), Rule(3, 2, 85, True), total_published=False) == [
        "CN"]
    hidden = _group([("BD", 10.0, 100.0, 4, False), ("CN", 5.0, 60.0, 2, True)])
    assert complements(hidden, pl.DataFrame(), Rule(3, 2, 85, True), total_published=False) == []


def test_union_of_two_small_categories_is_not_enough():
    # IN and VN are each 1 member, and the same member: together still 1 contributor, so a
    # third category is needed before the hidden ones pass the rule together.
    cells = _group([("BD", 9.0, 90.0, 5, False), ("CN", 4.0, 40.0, 3, False),
                    ("IN", 1.0, 10.0, 1, True), ("VN", 2.0, 20.0, 1, True)])
    members = pl.DataFrame({
        "category": ["IN", "VN", "CN", "CN", "CN", "BD"],
        "member_id": ["x", "x", "p", "q", "r", "s"],
        "numerator": [1.0, 2.0, 1.0, 1.0, 2.0, 9.0], "denominator": [10.0, 20, 10, 10, 20, 90],
        "counted": [1] * 6})
    assert complements(cells, members, Rule(3, 2, 85, True), total_published=True) == ["CN"]


@pytest.fixture
def random_mart(conn, defs):
    for seed, covenant in enumerate(("textiel", "goud", "hout")):
        random_covenant_data(conn, covenant, range(2017, 2020), members=9, seed=seed + 40)
    return conn


def _attack(conn, defs):
    """Derive hidden categories as a public viewer: total minus the published siblings."""
    derived = {}
    totals = {(r["covenant"], r["kpi"], r["year"]): r
              for r in kpi_values(conn, PUBLIC).iter_rows(named=True)}
    for kpi in defs.kpis.values():
        for breakdown in kpi.breakdowns:
            frame = kpi_values(conn, PUBLIC, kpi=kpi.id, breakdown=breakdown)
            for key, group in frame.partition_by(["covenant", "kpi", "year"],
                                                 as_dict=True).items():
                total, hidden = totals[key], group.filter(pl.col("suppressed"))
                if total["suppressed"] or hidden.height != 1:
                    continue
                shown = group.filter(~pl.col("suppressed"))
                residual = (total["numerator"] - shown["numerator"].sum(),
                            (total["denominator"] or 0) - shown["denominator"].fill_null(0).sum())
                derived[(*key, breakdown, hidden["category"][0])] = residual
    return derived


def _admin_values(conn, cell):
    covenant, kpi, year, breakdown, category = cell
    frame = kpi_values(conn, ADMIN, covenant=covenant, kpi=kpi, breakdown=breakdown)
    row = frame.filter(year=year, category=category).row(0, named=True)
    return row["numerator"], row["denominator"] or 0


def test_no_suppressed_category_can_be_derived_from_total_and_siblings(random_mart, defs):
    compute_kpis(random_mart, defs)
    frame = kpi_values(random_mart, PUBLIC, breakdown=None)
    hidden = frame.filter(pl.col("suppressed"))
    assert hidden.height > 20 and (hidden["suppression_reason"] == "secondary").sum() > 5
    assert hidden["value"].is_null().all() and hidden["suppression_reason"].is_not_null().all()
    assert _attack(random_mart, defs) == {}


def test_without_secondary_suppression_the_attack_recovers_true_values(random_mart, defs,
                                                                       monkeypatch):
    monkeypatch.setattr(compute_module, "suppress_secondary", lambda conn, defs: 0)
    compute_kpis(random_mart, defs)
    derived = _attack(random_mart, defs)
    assert len(derived) >= 3  # the attack works on an unprotected mart...
    for cell, (numerator, denominator) in derived.items():  # ...and finds the true numbers
        true = _admin_values(random_mart, cell)
        assert (numerator, denominator) == (pytest.approx(true[0]), pytest.approx(true[1]))
