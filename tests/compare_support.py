"""A hand-written KPI mart across covenants for the Compare and projector tests.

Excessive hours (lower is better) has values for five covenants that started in different years,
one of them suppressed in its latest year and one with low coverage; three covenants it applies
to have no values at all. The latest values, best first: metaal 6.0 (2019, covenant year 1),
textiel 9.0 (2018, year 3), goud 15.0 (2018, year 2), natuursteen 30.0 (2020, year 1, low
coverage); hout is suppressed in 2018; plantaardige-eiwitten, voedingsmiddelen and sierteelt
have no data.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dash
import duckdb
from dash._get_app import app_context

from imvo.definitions.models import Catalogue
from tests.dashboard_support import reset_dash
from warehouse.schema import create_schema

LOW = "min_contributors:3"
HOURS = "excessive_hours_share"
COLUMNS = ("covenant, kpi, year, value, contributors, members_bound, members_submitted, "
           "coverage, low_coverage, suppressed, suppression_reason")
# covenant, kpi, year, value, contributors, bound, submitted, low_coverage, suppressed, reason
VALUES = [
    ("textiel", HOURS, 2016, 12.0, 60, 88, 70, False, False, None),
    ("textiel", HOURS, 2017, 10.5, 61, 90, 75, False, False, None),
    ("textiel", HOURS, 2018, 9.0, 70, 93, 81, False, False, None),
    ("goud", HOURS, 2017, 20.0, 12, 12, 12, False, False, None),
    ("goud", HOURS, 2018, 15.0, 11, 12, 11, False, False, None),
    ("hout", HOURS, 2017, 8.0, 15, 23, 15, False, False, None),
    ("hout", HOURS, 2018, None, 2, 23, 2, True, True, LOW),
    ("metaal", HOURS, 2019, 6.0, 20, 25, 20, False, False, None),
    ("natuursteen", HOURS, 2020, 30.0, 5, 10, 5, True, False, None),
    ("textiel", "members_count", 2016, 88.0, 88, 88, 88, False, False, None),
    ("textiel", "members_count", 2017, 90.0, 90, 90, 90, False, False, None),
    ("textiel", "members_count", 2018, 93.0, 93, 93, 93, False, False, None),
    ("textiel", "market_coverage", 2018, 48.3, 81, 93, 81, False, False, None),
    ("banken", "members_count", 2017, 11.0, 11, 11, 11, False, False, None),
    ("banken", "members_count", 2018, 11.0, 11, 11, 11, False, False, None),
]
# covenant, kpi, status, ratio, method, latest_year, latest_value, target_year, target, reached
PROGRESS = [
    ("textiel", HOURS, "moderate", 0.7, "cagr", 2018, 9.0, 2020, 2.0, 2024),
    ("natuursteen", HOURS, "insufficient_data", None, "too_few_points", None, None, 2024, 10.0,
     None),
]


def build_compare_warehouse(path: Path, catalogue: Catalogue) -> Path:
    """Write the schema and the hand-written rows above into a DuckDB file."""
    conn = duckdb.connect(str(path))
    create_schema(conn, catalogue)
    conn.executemany(
        f"INSERT INTO kpi_values ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(c, k, y, v, n, bound, sub, sub / bound, low, sup, why)
         for c, k, y, v, n, bound, sub, low, sup, why in VALUES])
    conn.executemany(
        "INSERT INTO kpi_progress (covenant, kpi, status, ratio, method, latest_year, "
        "latest_value, target_year, target_value, year_reached) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", PROGRESS)
    conn.close()
    return path


@contextmanager
def app_on(warehouse: Path) -> Iterator[dash.Dash]:
    """Create the app on a warehouse and make it the one `dash.get_app()` returns meanwhile.

    Dash remembers the app that last answered a layout request in a context variable that
    outlives the request, so without this a page would read an earlier test's warehouse.
    """
    from dashboard.app import create_app

    reset_dash()
    app = create_app(warehouse)
    token = app_context.set(app)
    try:
        yield app
    finally:
        app_context.reset(token)
        reset_dash()
