"""Shared fixtures: the real definitions, a temp warehouse, and a writer of csv submissions."""

import csv
from pathlib import Path

import pytest

from imvo.definitions import definitions
from imvo.definitions.models import Definitions
from warehouse.connection import connect_writer

META = ["record", "covenant", "year", "member_id", "company_name"]


@pytest.fixture(scope="session")
def defs() -> Definitions:
    return definitions()


@pytest.fixture
def conn(tmp_path, defs):
    connection = connect_writer(tmp_path / "imvo.duckdb", defs.catalogue)
    yield connection
    connection.close()


def write_register(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """Write a member register: (covenant, member_id, size_class, joined)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["covenant", "member_id", "name", "size_class", "joined"])
        for covenant, member, size, joined in rows:
            out.writerow([covenant, member, f"Company {member}", size, joined])
    return path


def write_csv_submission(path: Path, covenant: str, year: int, member: str, *,
                         answers: dict, sites: list[dict] = (), materials: list[dict] = (),
                         sep: str = ";") -> Path:
    """Write a csv submission in the record layout (one company row, then site/material rows)."""
    columns = sorted({k for row in [answers, *sites, *materials] for k in row})
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, delimiter=sep)
        out.writerow(META + columns)
        out.writerow(["bedrijf", covenant, year, member, f"Company {member}"] +
                     [answers.get(c, "") for c in columns])
        for kind, rows in (("locatie", sites), ("grondstof", materials)):
            for row in rows:
                out.writerow([kind, "", "", "", ""] + [row.get(c, "") for c in columns])
    return path


# Dashboard fixtures (dash_ prefix): a hand-written warehouse file and an app reading it.
@pytest.fixture
def dash_warehouse(tmp_path):
    from tests.dashboard_support import build_warehouse

    return build_warehouse(tmp_path / "dash.duckdb", definitions().catalogue)


@pytest.fixture
def dash_app(dash_warehouse):
    from dashboard.app import create_app
    from tests.dashboard_support import reset_dash

    reset_dash()
    yield create_app(dash_warehouse)
    reset_dash()
