"""A small hand-written warehouse for the dashboard tests, and helpers to read component trees."""

from datetime import datetime
from pathlib import Path

import dash
import duckdb
from dash._callback import GLOBAL_CALLBACK_LIST, GLOBAL_CALLBACK_MAP, GLOBAL_INLINE_SCRIPTS
from dash.development.base_component import Component

from imvo.definitions.models import Catalogue
from warehouse.schema import create_schema

LOW = "min_contributors:3"
# covenant, kpi, year, value, contributors, bound, submitted, low_coverage, suppressed, reason
VALUES = [
    ("textiel", "production_locations", 2016, 2802.0, 70, 88, 70, False, False, None),
    ("textiel", "production_locations", 2017, 4268.0, 75, 90, 75, False, False, None),
    ("textiel", "production_locations", 2018, 6289.0, 81, 93, 81, False, False, None),
    ("textiel", "excessive_hours_share", 2016, 12.0, 60, 88, 70, False, False, None),
    ("textiel", "excessive_hours_share", 2017, 10.5, 61, 90, 75, False, False, None),
    ("textiel", "excessive_hours_share", 2018, None, 2, 93, 46, True, True, LOW),
    ("textiel", "market_coverage", 2018, 48.3, 81, 93, 81, False, False, None),
    ("goud", "dd_reports", 2017, 8.0, 12, 12, 12, False, False, None),
    ("goud", "dd_reports", 2018, 5.0, 11, 12, 11, False, False, None),
    ("banken", "members_count", 2018, 11.0, 11, 11, 11, False, False, None),
    ("banken", "policy_share", 2018, None, 2, 11, 2, True, True, LOW),
]
# covenant, kpi, status, ratio, method, latest_year, latest_value, target_year, target, reached
PROGRESS = [
    ("textiel", "production_locations", "on_track", 1.2, "cagr", 2018, 6289.0, 2020, 8000.0,
     2020),
    ("textiel", "excessive_hours_share", "moderate", 0.7, "cagr", 2017, 10.5, 2018, 7.0, 2023),
    ("textiel", "certified_share", "insufficient_data", None, "too_few_points", None, None, 2020,
     45.0, None),
]
INGESTED = datetime(2025, 3, 1, 10, 30)


def build_warehouse(path: Path, catalogue: Catalogue) -> Path:
    """Write the schema and the hand-written rows above into a DuckDB file."""
    conn = duckdb.connect(str(path))
    create_schema(conn, catalogue)
    conn.executemany(
        "INSERT INTO kpi_values (covenant, kpi, year, value, numerator, denominator, contributors, "
        "members_bound, members_submitted, coverage, low_coverage, suppressed, suppression_reason) "
        "VALUES (?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?, ?)",
        [(c, k, y, v, n, bound, sub, sub / bound, low, sup, why)
         for c, k, y, v, n, bound, sub, low, sup, why in VALUES])
    conn.executemany("INSERT INTO kpi_progress (covenant, kpi, status, ratio, method, latest_year, "
                     "latest_value, target_year, target_value, year_reached) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", PROGRESS)
    conn.execute("INSERT INTO files VALUES ('abc', 'textiel-2018.xlsx', 'archive/abc.xlsx', "
                 "1000, ?, 'loaded', 81, 81, 0)", [INGESTED])
    conn.close()
    return path


def reset_dash() -> None:
    """Forget the pages and global callbacks an earlier app registered (vizro does the same)."""
    dash.page_registry.clear()
    GLOBAL_CALLBACK_LIST.clear()
    GLOBAL_CALLBACK_MAP.clear()
    GLOBAL_INLINE_SCRIPTS.clear()


def walk(node):
    """Yield every component and string in a component tree."""
    yield node
    children = getattr(node, "children", None) if not isinstance(node, str) else None
    if isinstance(children, list | tuple):
        for child in children:
            yield from walk(child)
    elif children is not None:
        yield from walk(children)


def texts(node) -> list[str]:
    """Return every string in a component tree, in order."""
    return [item for item in walk(node) if isinstance(item, str)]


def find(node, kind=object, **props) -> list:
    """Return the components of a kind whose properties equal all the given values."""
    return [item for item in walk(node) if isinstance(item, Component) and isinstance(item, kind)
            and all(getattr(item, key, None) == value for key, value in props.items())]


def assert_plotly_accepts(figure) -> None:
    """Run a figure built without Plotly's property checks through them (ValueError if not)."""
    import plotly.graph_objects as go

    go.Figure(figure.to_dict())
