"""Recomputing only the covenant-years a new file changed gives what a full recompute gives."""

import shutil

import polars as pl
from polars.testing import assert_frame_equal

from imvo.definitions import load_definitions
from imvo.settings import PROJECT_ROOT
from tests.mart_support import add_submission, random_covenant_data
from warehouse.compute import compute_kpis

TABLES = {"kpi_values": "covenant, kpi, year, breakdown, category",
          "kpi_company_values": "covenant, kpi, year, member_id", "kpi_progress": "covenant, kpi"}


def _snapshot(conn):
    return {table: conn.sql(f"SELECT * FROM {table} ORDER BY {key}").pl()
            for table, key in TABLES.items()}


def _fill(conn):
    for seed, covenant in enumerate(("textiel", "goud")):
        random_covenant_data(conn, covenant, range(2017, 2020), members=10, seed=seed + 3)


def _new_file(conn):
    """A corrected submission of TEX01 for 2018 and a first one of TEX09 (who skipped 2018)."""
    add_submission(conn, "textiel", 2018, "TEX01", answers={"msi_member": False},
                   sites=[{"country": "BD", "workers": 400, "workers_over_60h": 80,
                           "dialogue_structure": True, "disclosed": True}],
                   materials=[{"material": "cotton", "purchased_volume": 90,
                               "certified_volume": 45}])


def test_only_the_changed_covenant_year_equals_a_full_recompute(conn, defs):
    _fill(conn)
    compute_kpis(conn, defs)
    before = _snapshot(conn)
    _new_file(conn)
    compute_kpis(conn, defs, only={("textiel", 2018)})
    incremental = _snapshot(conn)
    compute_kpis(conn, defs)
    full = _snapshot(conn)
    for table in TABLES:
        assert_frame_equal(incremental[table], full[table], check_exact=False)
    changed = full["kpi_values"].join(before["kpi_values"], on=TABLES["kpi_values"].split(", "),
                                      suffix="_before").filter(
        # a tolerance: parallel sums of doubles may differ in the last bits between runs
        ((pl.col("numerator") - pl.col("numerator_before")).abs() > 1e-9)
        | (pl.col("numerator").is_null() != pl.col("numerator_before").is_null()))
    assert set(changed.select("covenant", "year").unique().rows()) == {("textiel", 2018)}


def test_superseded_contributions_are_dropped(conn, defs):
    _fill(conn)
    compute_kpis(conn, defs)
    _new_file(conn)
    compute_kpis(conn, defs, only={("textiel", 2018)})
    stored = conn.execute("SELECT count(*) FROM kpi_contributions c JOIN submissions s "
                          "USING (submission_id) WHERE NOT s.is_current").fetchone()[0]
    assert stored == 0
    rows = conn.execute("SELECT count(DISTINCT submission_id) FROM kpi_contributions JOIN "
                        "submissions USING (submission_id) WHERE covenant = 'textiel' "
                        "AND year = 2018").fetchone()[0]
    current = conn.execute("SELECT count(*) FROM submissions WHERE is_current AND covenant = "
                           "'textiel' AND year = 2018").fetchone()[0]
    assert rows == current


def _dd_submitted(conn):
    return conn.execute("SELECT members_submitted FROM kpi_values WHERE covenant = 'goud' AND "
                        "year = 2018 AND kpi = 'dd_reports' AND breakdown = 'total'").fetchone()[0]


def test_other_covenant_years_are_left_alone(conn, defs):
    _fill(conn)
    compute_kpis(conn, defs)
    before = _dd_submitted(conn)
    absent = conn.execute("SELECT member_id FROM members WHERE covenant = 'goud' AND member_id "
                          "NOT IN (SELECT member_id FROM submissions WHERE covenant = 'goud' "
                          "AND year = 2018) ORDER BY 1 LIMIT 1").fetchone()[0]
    add_submission(conn, "goud", 2018, absent, answers={"dd_report_published": False})
    compute_kpis(conn, defs, only={("textiel", 2018)})
    assert _dd_submitted(conn) == before  # not asked for: not recomputed
    compute_kpis(conn, defs, only={("goud", 2018)})
    assert _dd_submitted(conn) == before + 1


def test_changed_definitions_recompute_everything(conn, defs, tmp_path):
    _fill(conn)
    compute_kpis(conn, defs)
    folder = tmp_path / "defs"
    shutil.copytree(PROJECT_ROOT / "kpi_definitions", folder)
    path = folder / "kpis" / "msi_share.yaml"
    path.write_text(path.read_text().replace("unit: percent", "unit: number"))
    changed = load_definitions(folder)
    compute_kpis(conn, changed, only={("textiel", 2018)})
    values = _snapshot(conn)["kpi_values"]
    shares = values.filter(kpi="msi_share", covenant="goud")["value"].drop_nulls()
    assert shares.len() > 0 and shares.max() <= 1  # a fraction now, in every covenant-year
    assert_frame_equal(values, _full(conn, changed))


def _full(conn, defs):
    compute_kpis(conn, defs)
    return _snapshot(conn)["kpi_values"]
