"""Template -> filled in as a company would -> ingest: the warehouse holds what was typed."""

import subprocess
import sys

import openpyxl
import pytest

from pipelines.ingest import ingest_file, load_members
from tests.conftest import write_register


def run_imvo(*args, cwd):
    return subprocess.run([sys.executable, "-m", "imvo", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def fill_in(path):
    """Type answers into the blank questionnaire, the way a company does in Excel."""
    book = openpyxl.load_workbook(path)
    company = book["Bedrijf (Company)"]
    answers = {"member_id": "TEX-0042", "company_name": "Weverij Oost", "msi_member": "Ja",
               "dd_report_published": "nee", "market_share_pct": "2,5 %"}
    for row in company.iter_rows(min_row=2):
        if row[0].value in answers:
            row[3].value = answers[row[0].value]
    sites = book["Productielocaties (Locations)"]
    headers = [c.value for c in sites[2]]
    site_rows = [
        {"Locatiecode / Site ID": "BD-01", "Land (ISO-code) / Country (ISO code)": "Bangladesh",
         "Aantal werknemers / Number of workers": "1.250",
         "Werknemers die meer dan 60 uur per week werkten / Workers who worked more than 60 "
         "hours a week": 125, "Locatie openbaar gemaakt / Location disclosed publicly": "x"},
        {"Locatiecode / Site ID": "CN-07", "Land (ISO-code) / Country (ISO code)": "CN",
         "Aantal werknemers / Number of workers": 300,
         "Werknemers die meer dan 60 uur per week werkten / Workers who worked more than 60 "
         "hours a week": 400},
    ]
    for r, values in enumerate(site_rows, start=3):
        for c, header in enumerate(headers, start=1):
            if header in values:
                sites.cell(row=r, column=c, value=values[header])
    book.save(path)


def test_template_filled_in_and_ingested(tmp_path, conn, defs):
    out = tmp_path / "vragenlijst.xlsx"
    result = run_imvo("template", "--covenant", "textiel", "--year", "2018", "-o", str(out),
                      cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    fill_in(out)
    load_members(conn, write_register(tmp_path / "m.csv",
                                      [("textiel", "TEX-0042", "small", "2017-01-01")]), defs)

    loaded = ingest_file(conn, out, defs, archive_dir=tmp_path / "archive")

    assert loaded.status == "loaded"
    assert loaded.submission == ("textiel", "TEX-0042", 2018, 1)
    assert (loaded.rows_in, loaded.rows_loaded, loaded.rows_rejected) == (2, 1, 1)
    assert conn.execute("SELECT msi_member, dd_report_published, market_share_pct FROM answers"
                        ).fetchall() == [(True, False, 2.5)]
    assert conn.execute("SELECT site_id, country, workers, workers_over_60h, disclosed "
                        "FROM sites").fetchall() == [("BD-01", "BD", 1250, 125, True)]
    [rejected] = loaded.rejects
    assert (rejected.row, rejected.column, rejected.value, rejected.rule) == (
        4, "workers_over_60h", "400", "above_other")
    assert rejected.message_en == (
        "Workers who worked more than 60 hours a week (400) is larger than Number of workers "
        "(300). "
        "The part cannot exceed the whole.")
    again = ingest_file(conn, out, defs, archive_dir=tmp_path / "archive")
    assert again.status == "unchanged"


@pytest.mark.parametrize(("args", "message"), [
    (["template", "--covenant", "kleding", "--year", "2018", "-o", "x.xlsx"],
     "Error: unknown covenant 'kleding'"),
    (["ingest", "missing-folder"], "Error: missing-folder does not exist\nHint: check the path"),
    (["serve"], "Error: no warehouse at data/imvo.duckdb"),
])
def test_cli_errors_are_one_clear_line(tmp_path, args, message):
    result = run_imvo(*args, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.stderr
