"""Every KPI and each of its breakdowns pinned by a hand-written SQL query (a check query).

The queries below are written out by hand per KPI, straight from the KPI's description, over the
raw warehouse tables; they share nothing with the engine's compiled SQL. A seeded random
warehouse (blank answers, members skipping years, resubmissions) is computed by the engine and
every cell must equal the check query's numerator, denominator and contributors.
"""

import pytest

from imvo.definitions import definitions
from tests.mart_support import add_submission, random_covenant_data
from warehouse.access import Viewer, kpi_values
from warehouse.compute import compute_kpis

ADMIN = Viewer("admin")
CATEGORY = {"total": "'total'", "size_class": "c.size_class",
            "country": "coalesce(t.country, 'unknown')", "material": "t.material"}
CURRENT = """WITH c AS (SELECT s.submission_id, s.covenant, s.year, s.member_id, m.size_class
    FROM submissions s JOIN members m USING (covenant, member_id) WHERE s.is_current)"""

# {cat}: the category expression; every query returns covenant, year, category, numerator,
# denominator, contributors.
CHECKS = {
    "market_coverage": """SELECT c.covenant, c.year, {cat}, sum(t.market_share_pct), NULL,
        count(DISTINCT c.member_id) FROM c JOIN answers t USING (submission_id)
        WHERE t.market_share_pct IS NOT NULL GROUP BY ALL""",
    "msi_share": """SELECT c.covenant, c.year, {cat},
        count(DISTINCT c.member_id) FILTER (WHERE t.msi_member), count(DISTINCT c.member_id),
        count(DISTINCT c.member_id) FROM c JOIN answers t USING (submission_id)
        WHERE t.msi_member IS NOT NULL GROUP BY ALL""",
    "dd_reports": """SELECT c.covenant, c.year, {cat},
        count(DISTINCT c.member_id) FILTER (WHERE t.dd_report_published), NULL,
        count(DISTINCT c.member_id) FROM c JOIN answers t USING (submission_id)
        WHERE t.dd_report_published IS NOT NULL GROUP BY ALL""",
    "policy_share": """SELECT c.covenant, c.year, {cat},
        count(DISTINCT c.member_id) FILTER (WHERE t.policy_oecd), count(DISTINCT c.member_id),
        count(DISTINCT c.member_id) FROM c JOIN answers t USING (submission_id)
        WHERE t.policy_oecd IS NOT NULL GROUP BY ALL""",
    "policy_assets_share": """SELECT c.covenant, c.year, {cat},
        coalesce(sum(t.assets_total) FILTER (WHERE t.policy_oecd), 0), sum(t.assets_total),
        count(DISTINCT c.member_id) FROM c JOIN answers t USING (submission_id)
        WHERE t.policy_oecd IS NOT NULL AND t.assets_total IS NOT NULL GROUP BY ALL""",
    "assets_covered_share": """SELECT c.covenant, c.year, {cat}, sum(t.assets_covered),
        sum(t.assets_total), count(DISTINCT c.member_id) FROM c JOIN answers t
        USING (submission_id) WHERE t.assets_covered IS NOT NULL AND t.assets_total IS NOT NULL
        GROUP BY ALL""",
    "certified_share": """SELECT c.covenant, c.year, {cat}, sum(t.certified_volume),
        sum(t.purchased_volume), count(DISTINCT c.member_id) FROM c JOIN materials t
        USING (submission_id) WHERE t.certified_volume IS NOT NULL
        AND t.purchased_volume IS NOT NULL GROUP BY ALL""",
    "excessive_hours_share": """SELECT c.covenant, c.year, {cat}, sum(t.workers_over_60h),
        sum(t.workers), count(DISTINCT c.member_id) FROM c JOIN sites t USING (submission_id)
        WHERE t.workers IS NOT NULL AND t.workers_over_60h IS NOT NULL GROUP BY ALL""",
    "dialogue_structures": """SELECT c.covenant, c.year, {cat},
        count(*) FILTER (WHERE t.dialogue_structure), NULL, count(DISTINCT c.member_id)
        FROM c JOIN sites t USING (submission_id) WHERE t.dialogue_structure IS NOT NULL
        GROUP BY ALL""",
    "joint_audit_share": """SELECT c.covenant, c.year, {cat}, sum(t.audits_joint),
        sum(t.audits), count(DISTINCT c.member_id) FROM c JOIN sites t USING (submission_id)
        WHERE t.audits IS NOT NULL AND t.audits_joint IS NOT NULL GROUP BY ALL""",
    "public_audit_share": """SELECT c.covenant, c.year, {cat}, sum(t.audits_public),
        sum(t.audits), count(DISTINCT c.member_id) FROM c JOIN sites t USING (submission_id)
        WHERE t.audits IS NOT NULL AND t.audits_public IS NOT NULL GROUP BY ALL""",
    "production_locations": """SELECT c.covenant, c.year, {cat},
        count(*) FILTER (WHERE t.disclosed), NULL, count(DISTINCT c.member_id)
        FROM c JOIN sites t USING (submission_id) WHERE t.disclosed IS NOT NULL GROUP BY ALL""",
}
MEMBERS_COUNT = """SELECT y.slug, y.year, count(m.member_id) FROM
    (SELECT slug, unnest(range(first_year, last_year + 1)) AS year FROM covenants) y
    LEFT JOIN members m ON m.covenant = y.slug AND m.joined <= make_date(y.year, 12, 31)
        AND (m.left_on IS NULL OR m.left_on >= make_date(y.year, 1, 1)) GROUP BY ALL"""
COVENANTS = {"textiel": range(2016, 2021), "goud": range(2017, 2022), "banken": range(2017, 2020)}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, defs):
    from warehouse.connection import connect_writer

    conn = connect_writer(tmp_path_factory.mktemp("checks") / "imvo.duckdb", defs.catalogue)
    for seed, (covenant, years) in enumerate(COVENANTS.items()):
        random_covenant_data(conn, covenant, years, members=14, seed=seed)
    # A correction supersedes the first version; only the correction may count.
    add_submission(conn, "textiel", 2018, "TEX00", answers={"msi_member": True},
                   sites=[{"country": "BD", "workers": 500, "workers_over_60h": 50}])
    compute_kpis(conn, defs)
    yield conn
    conn.close()


CASES = [(k.id, b) for k in definitions().kpis.values() if k.numerator.count != "bound_members"
         for b in ("total", *k.breakdowns)]


def _mart(conn, kpi, breakdown):
    frame = kpi_values(conn, ADMIN, kpi=kpi, breakdown=breakdown)
    return {(r["covenant"], r["year"], r["category"]):
            (r["numerator"], r["denominator"], r["contributors"])
            for r in frame.iter_rows(named=True) if r["contributors"] > 0}


def test_every_kpi_has_a_check_query(defs):
    assert {kpi for kpi, _ in CASES} == set(CHECKS)


@pytest.mark.parametrize(("kpi", "breakdown"), CASES)
def test_every_cell_equals_the_hand_written_check_query(warehouse, defs, kpi, breakdown):
    applies = [c for c in COVENANTS if kpi in defs.covenants[c].kpis]
    sql = f"{CURRENT} {CHECKS[kpi].format(cat=CATEGORY[breakdown])}"
    expected = {(c, y, cat): (n, d, k) for c, y, cat, n, d, k in warehouse.execute(sql).fetchall()
                if c in applies}
    actual = _mart(warehouse, kpi, breakdown)
    assert expected, "the check data must exercise every KPI"
    assert actual.keys() == expected.keys()
    for key, (n, d, k) in expected.items():
        assert actual[key] == (pytest.approx(n), None if d is None else pytest.approx(d), k), key


def test_values_follow_from_numerator_and_denominator(warehouse, defs):
    frame = kpi_values(warehouse, ADMIN, breakdown=None)
    for row in frame.filter(frame["numerator"].is_not_null()).iter_rows(named=True):
        kpi = defs.kpis[row["kpi"]]
        if kpi.denominator is None:
            assert row["value"] == row["numerator"]
        elif row["denominator"]:
            assert row["value"] == pytest.approx(100 * row["numerator"] / row["denominator"])


def test_members_count_is_the_register(warehouse):
    expected = {(c, y): n for c, y, n in warehouse.execute(MEMBERS_COUNT).fetchall()}
    frame = kpi_values(warehouse, ADMIN, kpi="members_count")
    actual = {(r["covenant"], r["year"]): r["numerator"] for r in frame.iter_rows(named=True)}
    assert actual == expected
    assert actual[("textiel", 2018)] == 14


def test_coverage_per_covenant_year_and_per_size_class(warehouse):
    submitted = dict(warehouse.execute(
        "SELECT m.size_class, count(DISTINCT s.member_id) FROM submissions s JOIN members m "
        "USING (covenant, member_id) WHERE s.is_current AND s.covenant = 'textiel' "
        "AND s.year = 2019 GROUP BY ALL").fetchall())
    bound = dict(warehouse.execute("SELECT size_class, count(*) FROM members WHERE covenant = "
                                   "'textiel' GROUP BY ALL").fetchall())
    total = kpi_values(warehouse, ADMIN, covenant="textiel", kpi="msi_share").filter(year=2019)
    assert total["members_submitted"][0] == sum(submitted.values())
    assert total["coverage"][0] == pytest.approx(sum(submitted.values()) / 14)
    sizes = kpi_values(warehouse, ADMIN, covenant="textiel", kpi="msi_share",
                       breakdown="size_class").filter(year=2019)
    for row in sizes.iter_rows(named=True):
        assert row["members_bound"] == bound[row["category"]]
        assert row["coverage"] == pytest.approx(submitted[row["category"]] / bound[row["category"]])
