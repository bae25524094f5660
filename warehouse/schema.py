"""The DuckDB schema of the warehouse; submission tables get one column per questionnaire field."""

import re

import duckdb

from imvo.definitions.models import Catalogue, Table

SQL_TYPES = {
    "boolean": "BOOLEAN",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "percent": "DOUBLE",
    "text": "VARCHAR",
    "country": "VARCHAR",
}

FIXED = """
CREATE TABLE IF NOT EXISTS covenants (
    slug VARCHAR PRIMARY KEY, name_nl VARCHAR, name_en VARCHAR, signed DATE,
    first_year INTEGER, last_year INTEGER, secretariat VARCHAR
);
CREATE TABLE IF NOT EXISTS members (
    covenant VARCHAR NOT NULL, member_id VARCHAR NOT NULL, name VARCHAR NOT NULL,
    size_class VARCHAR NOT NULL, joined DATE NOT NULL, left_on DATE, weight DOUBLE,
    PRIMARY KEY (covenant, member_id)
);
CREATE TABLE IF NOT EXISTS files (
    sha256 VARCHAR PRIMARY KEY, file_name VARCHAR NOT NULL, archived_path VARCHAR NOT NULL,
    size_bytes BIGINT NOT NULL, ingested_at TIMESTAMP NOT NULL, status VARCHAR NOT NULL,
    rows_in INTEGER NOT NULL, rows_loaded INTEGER NOT NULL, rows_rejected INTEGER NOT NULL
);
CREATE SEQUENCE IF NOT EXISTS submission_ids;
CREATE TABLE IF NOT EXISTS submissions (
    submission_id BIGINT PRIMARY KEY, covenant VARCHAR NOT NULL, member_id VARCHAR NOT NULL,
    year INTEGER NOT NULL, file_sha256 VARCHAR NOT NULL, version INTEGER NOT NULL,
    is_current BOOLEAN NOT NULL, ingested_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS rejects (
    file_sha256 VARCHAR NOT NULL, file_name VARCHAR NOT NULL, sheet VARCHAR, row_number INTEGER,
    column_name VARCHAR, value VARCHAR, rule VARCHAR NOT NULL,
    message_nl VARCHAR NOT NULL, message_en VARCHAR NOT NULL, scope VARCHAR DEFAULT 'row'
);
ALTER TABLE rejects ADD COLUMN IF NOT EXISTS scope VARCHAR DEFAULT 'row';
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
"""

# The KPI mart. It is derived data: tables of an older layout are dropped and made anew, and the
# next `imvo compute` fills them. (kpi_contributions, whose columns follow the KPI definitions,
# is made by warehouse.compute.)
BOUND_IN_YEAR = ("m.joined <= make_date(y.year, 12, 31) "
                 "AND (m.left_on IS NULL OR m.left_on >= make_date(y.year, 1, 1))")
"""SQL: member `m` was bound to its covenant at some time in year `y.year` (the rule of
pipelines.validate.Member.bound_in), for coverage and the data-quality page alike."""

MART = {
    "kpi_values": """
    covenant VARCHAR NOT NULL, kpi VARCHAR NOT NULL, year INTEGER NOT NULL, value DOUBLE,
    numerator DOUBLE, denominator DOUBLE, contributors INTEGER NOT NULL,
    members_bound INTEGER NOT NULL, members_submitted INTEGER NOT NULL, coverage DOUBLE,
    low_coverage BOOLEAN NOT NULL, suppressed BOOLEAN NOT NULL, suppression_reason VARCHAR,
    breakdown VARCHAR NOT NULL DEFAULT 'total', category VARCHAR NOT NULL DEFAULT 'total',
    series_break BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (covenant, kpi, year, breakdown, category)""",
    "kpi_progress": """
    covenant VARCHAR NOT NULL, kpi VARCHAR NOT NULL, status VARCHAR NOT NULL,
    ratio DOUBLE, method VARCHAR NOT NULL, latest_year INTEGER, latest_value DOUBLE,
    target_year INTEGER NOT NULL, target_value DOUBLE NOT NULL, year_reached INTEGER,
    baseline_year INTEGER, baseline_value DOUBLE, series_break INTEGER,
    final_status VARCHAR, final_ratio DOUBLE, final_year INTEGER, final_value DOUBLE,
    final_year_reached INTEGER,
    PRIMARY KEY (covenant, kpi)""",
    "kpi_company_values": """
    covenant VARCHAR NOT NULL, kpi VARCHAR NOT NULL, year INTEGER NOT NULL,
    member_id VARCHAR NOT NULL, value DOUBLE, numerator DOUBLE, denominator DOUBLE,
    counted BOOLEAN NOT NULL""",
}


def table_ddl(catalogue: Catalogue, table: Table) -> str:
    """Return the CREATE TABLE statement of one submission table."""
    columns = ["submission_id BIGINT NOT NULL"]
    if table != "answers":
        columns.append("row_number INTEGER NOT NULL")
    columns += [f"{f.id} {SQL_TYPES[f.type]}" for f in catalogue.fields if f.table == table]
    return f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(columns)});"


def create_mart_tables(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the KPI mart tables, replacing any of an older layout."""
    for table, columns in MART.items():
        wanted = re.findall(r"(\w+) (?:VARCHAR|INTEGER|DOUBLE|BOOLEAN)", columns)
        found = [r[0] for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "AND table_schema = 'main' ORDER BY ordinal_position", [table]).fetchall()]
        if found and found != wanted:
            conn.execute(f"DROP TABLE {table}")
        conn.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")


def create_schema(conn: duckdb.DuckDBPyConnection, catalogue: Catalogue) -> None:
    """Create every table that does not exist yet."""
    conn.execute(FIXED)
    create_mart_tables(conn)
    for table in ("answers", "sites", "materials"):
        conn.execute(table_ddl(catalogue, table))
