"""The KPI mart tables: derived data, so a warehouse of an older layout gets them anew."""

import duckdb

from warehouse.compute import compute_kpis
from warehouse.schema import MART, create_schema

OLD_VALUES = """CREATE TABLE kpi_values (
    covenant VARCHAR NOT NULL, kpi VARCHAR NOT NULL, year INTEGER NOT NULL, value DOUBLE,
    PRIMARY KEY (covenant, kpi, year))"""


def _columns(conn, table):
    return [r[0] for r in conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
        "ORDER BY ordinal_position", [table]).fetchall()]


def test_an_older_mart_layout_is_replaced_and_computed(tmp_path, defs):
    conn = duckdb.connect(str(tmp_path / "old.duckdb"))
    conn.execute(OLD_VALUES)
    conn.execute("INSERT INTO kpi_values VALUES ('textiel', 'msi_share', 2018, 50.0)")
    create_schema(conn, defs.catalogue)
    assert _columns(conn, "kpi_values")[-3:] == ["breakdown", "category", "series_break"]
    assert conn.execute("SELECT count(*) FROM kpi_values").fetchone()[0] == 0
    assert compute_kpis(conn, defs) > 0
    conn.close()


def test_current_layout_is_kept_with_its_rows(tmp_path, defs):
    conn = duckdb.connect(str(tmp_path / "new.duckdb"))
    create_schema(conn, defs.catalogue)
    compute_kpis(conn, defs)
    before = conn.execute("SELECT count(*) FROM kpi_values").fetchone()[0]
    create_schema(conn, defs.catalogue)
    assert conn.execute("SELECT count(*) FROM kpi_values").fetchone()[0] == before > 0
    assert set(MART) == {"kpi_values", "kpi_progress", "kpi_company_values"}
    conn.close()
