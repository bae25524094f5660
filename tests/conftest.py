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


J, N = "ja", "nee"


def site(sid, country, workers, over, dialogue, audits, joint, public, disclosed):
    return {"site_id": sid, "country": country, "workers": workers, "workers_over_60h": over,
            "dialogue_structure": dialogue, "audits": audits, "audits_joint": joint,
            "audits_public": public, "disclosed": disclosed}


def mat(name, purchased, certified):
    return {"material": name, "purchased_volume": purchased, "certified_volume": certified}


def write_tiny_inputs(folder: Path) -> list[Path]:
    """Write the hand-worked textile and bank input of tests/test_kpis.py; return its paths."""
    folder.mkdir(parents=True, exist_ok=True)
    write_register(folder / "members.csv", [
        ("textiel", m, "large", "2016-07-04") for m in "ABCDE"] + [
        ("banken", "K1", "large", "2016-10-28"), ("banken", "K2", "medium", "2016-10-28")])
    files = [
        ("A", {"msi_member": J, "dd_report_published": J, "market_share_pct": "10%"},
         [site("A1", "BD", 100, 10, J, 4, 2, 1, J), site("A2", "CN", 50, 0, N, 2, 0, 0, J)],
         [mat("cotton", 100, 40)]),
        ("B", {"msi_member": J, "dd_report_published": J, "market_share_pct": "5"},
         [site("B1", "BD", 999, 0, J, 3, 1, 1, N)], []),
        ("C", {"msi_member": J, "dd_report_published": N, "market_share_pct": ""},
         [site("C1", "IN", 80, "", J, 1, 1, 0, J)], [mat("wool", 20, 20)]),
        ("D", {"msi_member": "", "dd_report_published": N, "market_share_pct": "3"},
         [site("D1", "TR", 70, 7, N, 0, 0, 0, J)], []),
        ("B", {"msi_member": N, "dd_report_published": J, "market_share_pct": "5"},
         [site("B1", "BD", 200, 30, J, 3, 1, 1, N)],
         [mat("cotton", 50, 10), mat("polyester", 50, 0)]),
    ]
    paths = [folder / "members.csv"]
    for i, (member, answers, sites, materials) in enumerate(files):
        paths.append(write_csv_submission(folder / f"{i}_{member}.csv", "textiel", 2018, member,
                                          answers=answers, sites=sites, materials=materials))
    for member, policy, total, covered in (("K1", J, "100", "80"), ("K2", N, "300", "150")):
        answers = {"policy_oecd": policy, "assets_total": total, "assets_covered": covered}
        paths.append(write_csv_submission(folder / f"{member}.csv", "banken", 2018, member,
                                          answers=answers))
    return paths


# Ingest fixtures: a warehouse with textile members T1..T3 bound since 2016, and a writer of
# xlsx workbooks cell by cell (a tuple (formula, cached value) writes a formula cell).
@pytest.fixture
def ingest_env(tmp_path, conn, defs):
    from pipelines.ingest import load_members

    load_members(conn, write_register(tmp_path / "members.csv", [
        ("textiel", m, "large", "2016-01-01") for m in ("T1", "T2", "T3")]), defs)
    return conn, tmp_path / "archive"


def write_book(path: Path, sheets: dict, hidden: tuple = ()) -> Path:
    """Write an xlsx with the given sheets of rows; `hidden` names sheets to hide."""
    import xlsxwriter

    with xlsxwriter.Workbook(path) as book:
        for name, rows in sheets.items():
            sheet = book.add_worksheet(name)
            if name in hidden:
                sheet.hide()
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    if isinstance(value, tuple):
                        sheet.write_formula(r, c, value[0], None, value[1])
                    elif value is not None:
                        sheet.write(r, c, value)
    return path


@pytest.fixture
def clean_console(browser):
    """Fail a browser test that leaves errors in the console (of its module's `browser`)."""
    from tests.browser_support import console_errors

    console_errors(browser)  # forget what an earlier test left
    yield
    assert console_errors(browser) == []
