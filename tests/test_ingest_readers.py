"""Messy files as companies send them: every value lands in the warehouse or in quarantine."""

import json

import openpyxl
import polars as pl
import pytest

from pipelines.ingest import ingest_file
from tests.conftest import write_book

SITE_HEADER = ["Site ID", "Country", "Number of workers",
               "Workers who worked more than 60 hours a week",
               "Worker-management dialogue structure in place", "Number of audits",
               "Of which joint audits", "Of which public audits", "Location disclosed publicly"]
MATERIAL_HEADER = ["Grondstof", "Ingekocht volume (ton)", "Waarvan duurzaam gecertificeerd (ton)"]


def company(member="T1", share=" 35 % ", year=2018):
    return [["Code", "Question", "Answer"], ["covenant", None, "textiel"], ["year", None, year],
            ["member_id", None, member], ["msi_member", None, " Ja "],
            ["dd_report_published", None, "x"], ["market_share_pct", None, share]]


def rows_of(conn, sql):
    return conn.execute(sql).fetchall()


def test_messy_xlsx_is_read_with_our_rules(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    sites = [["Productielocaties 2018"], [], SITE_HEADER,
             ["S1", "Bangladesh", "1.250", 10, "j", "2", 1, 0, "x"],
             [" S2 ", "cn", ("=NA()", "#N/A"), 10, "n", 2, 1, 0, None],
             ["S3", "Turkije", "12,5", 1, "yes", 0, 0, 0, None],
             ["S4", "IN", "1.234", 10, "nee", 0, 0, 0, None],
             ["S5", "IN", 1.234, 0, "nee", 0, 0, 0, None],
             [],
             ["Totaal", None, 3000, 21]]
    path = write_book(tmp_path / "messy.xlsx", {
        "Instructions": [["Fill in every sheet"]], "Company": company(
            share=("=1/0", "#DIV/0!")),
        "Locations": sites, "Grondstoffen": [MATERIAL_HEADER, ["katoen", "1.234,5", "100"]],
        "Lists": [["ja"], ["nee"]], "Notes": [["for us"]]}, hidden=("Lists",))

    result = ingest_file(conn, path, defs, archive_dir=archive)

    assert result.status == "loaded"
    assert (result.rows_in, result.rows_loaded, result.rows_rejected) == (6, 3, 3)
    # '1.234' typed as text in a whole-number column has one whole reading; the number cell
    # 1.234 is not whole.
    assert rows_of(conn, "SELECT site_id, country, workers, workers_over_60h, dialogue_structure,"
                         " disclosed FROM sites ORDER BY row_number") == [
        ("S1", "BD", 1250, 10, True, True), ("S4", "IN", 1234, 10, False, None)]
    assert rows_of(conn, "SELECT material, purchased_volume, certified_volume FROM materials"
                   ) == [("katoen", 1234.5, 100.0)]
    assert rows_of(conn, "SELECT msi_member, dd_report_published, market_share_pct FROM answers"
                   ) == [(True, True, None)]
    got = [(r.scope, r.sheet, r.row, r.column, r.value, r.rule) for r in result.rejects]
    assert sorted(got, key=str) == sorted([
        ("notice", "Notes", None, None, "Notes", "unknown_sheet"),
        ("notice", "Locations", 10, "site_id", "Totaal", "total_row"),
        ("answer", "Company", 7, "market_share_pct", "#DIV/0!", "excel_error"),
        ("row", "Locations", 5, "workers", "#N/A", "excel_error"),
        ("row", "Locations", 6, "workers", "12,5", "not_whole"),
        ("row", "Locations", 8, "workers", "1.2340", "not_whole"),
    ], key=str)
    [na] = [r for r in result.rejects if r.value == "#N/A"]
    assert na.message_nl == "'#N/A' in Aantal werknemers is een Excel-foutwaarde. Vul het getal " \
                            "zelf in."
    assert na.message_en == "'#N/A' in Number of workers is an Excel error value. Enter the " \
                            "number itself."


def test_number_text_that_reads_both_ways_is_rejected_in_xlsx(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    path = write_book(tmp_path / "a.xlsx", {
        "Bedrijf": company(), "Productielocaties": [SITE_HEADER],
        "Grondstoffen (Raw materials)": [MATERIAL_HEADER, ["wol", "1,234", 1.5],
                                         ["katoen", 12.345, "2,5"]]})
    result = ingest_file(conn, path, defs, archive_dir=archive)
    [ambiguous] = result.rejects
    assert (ambiguous.row, ambiguous.column, ambiguous.rule) == (2, "purchased_volume",
                                                                  "ambiguous_number")
    assert rows_of(conn, "SELECT material, purchased_volume, certified_volume FROM materials"
                   ) == [("katoen", 12.345, 2.5)]


def test_error_cells_written_by_openpyxl_are_rejected(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    path = write_book(tmp_path / "a.xlsx", {
        "Company (Bedrijf)": company(), "Locations (Productielocaties)": [
            SITE_HEADER, ["S1", "BD", 100, 5, "ja", 1, 1, 1, "ja"]],
        "Raw materials": [MATERIAL_HEADER]})
    book = openpyxl.load_workbook(path)
    cell = book["Locations (Productielocaties)"]["B2"]
    cell.value, cell.data_type = "#DIV/0!", "e"
    book.save(path)
    result = ingest_file(conn, path, defs, archive_dir=archive)
    [error] = result.rejects
    assert (error.sheet, error.row, error.column, error.value, error.rule) == (
        "Locations (Productielocaties)", 2, "country", "#DIV/0!", "excel_error")
    assert result.rows_loaded == 0


def test_two_visible_sheets_for_one_table_are_not_guessed(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    sheets = {"Company": company(), "Locations": [SITE_HEADER], "Productielocaties": [SITE_HEADER],
              "Grondstoffen": [MATERIAL_HEADER]}
    result = ingest_file(conn, write_book(tmp_path / "a.xlsx", sheets), defs, archive_dir=archive)
    assert result.status == "rejected"
    [why] = result.rejects
    assert why.message_en == ("There are several sheets Productielocaties (Locations) "
                              "(Locations, Productielocaties). Keep only one.")
    hidden = write_book(tmp_path / "b.xlsx", sheets, hidden=("Productielocaties",))
    assert ingest_file(conn, hidden, defs, archive_dir=archive).status == "loaded"


CSV_ROWS = [
    ["record", "covenant", "year", "member_id", "msi_member", "dd_report_published",
     "market_share_pct", "Locatiecode", "Land (ISO-code)", "Aantal werknemers",
     "workers_over_60h", "dialogue_structure", "audits", "audits_joint", "audits_public",
     "disclosed", "material", "purchased_volume", "certified_volume"],
    ["bedrijf", "textiel", "2018", "T1", "ja", "nee", "35 %"] + [""] * 12,
    ["locatie"] + [""] * 6 + ["S1", "België", "1.234", "12", "ja", "1", "1", "0", "ja"]
    + [""] * 3,
    ["grondstof"] + [""] * 15 + ["katoen", "1.500,5", "1,5"],
    ["totaal"] + [""] * 8 + ["1.234"] + [""] * 9,
]


@pytest.mark.parametrize(("sep", "encoding"), [(";", "cp1252"), (";", "utf-8-sig"),
                                               (";", "utf-8")])
def test_dutch_csv_in_any_encoding(ingest_env, defs, tmp_path, sep, encoding):
    conn, archive = ingest_env
    text = "Zelfevaluatie 2018\r\n" + "\r\n".join(sep.join(r) for r in CSV_ROWS)
    path = tmp_path / "dutch.csv"
    path.write_bytes(text.encode(encoding))
    result = ingest_file(conn, path, defs, archive_dir=archive)
    assert (result.status, result.rows_in, result.rows_loaded) == ("loaded", 2, 2)
    # The totals row repeats the one site's 1.234 workers: reported, with its sum, not loaded.
    assert [(r.scope, r.row, r.value, r.rule) for r in result.rejects] == [
        ("notice", 6, "totaal", "total_row_sum")]
    assert rows_of(conn, "SELECT site_id, country, workers FROM sites") == [("S1", "BE", 1234)]
    assert rows_of(conn, "SELECT material, purchased_volume, certified_volume FROM materials"
                   ) == [("katoen", 1500.5, 1.5)]
    assert rows_of(conn, "SELECT market_share_pct FROM answers") == [(35.0,)]


def english(rows):
    """Return the csv rows written the English way."""
    swap = {"1.234": "1,234", "1.500,5": "1,500.5", "1,5": "1.5"}
    return [[swap.get(c, c) for c in row] for row in rows]


def test_english_csv_json_and_parquet_load_the_same(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    rows = english(CSV_ROWS)
    csv_path = tmp_path / "en.csv"
    csv_path.write_text("\n".join(",".join(f'"{c}"' if "," in c else c for c in r)
                                  for r in rows), encoding="utf-8")
    records = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    for i, record in enumerate(records):
        record.update({"member_id": "T2"} if i == 0 else {})
    (tmp_path / "en.json").write_text(json.dumps({"records": records}), encoding="utf-8")
    for record in records[:1]:
        record["member_id"] = "T3"
    pl.DataFrame(records).write_parquet(tmp_path / "en.parquet")
    results = [ingest_file(conn, tmp_path / name, defs, archive_dir=archive)
               for name in ("en.csv", "en.json", "en.parquet")]
    assert [(r.status, r.rows_in, r.rows_loaded, [x.rule for x in r.rejects])
            for r in results] == [("loaded", 2, 2, ["total_row_sum"])] * 3
    assert rows_of(conn, "SELECT DISTINCT site_id, country, workers FROM sites") == [
        ("S1", "BE", 1234)]
    assert rows_of(conn, "SELECT DISTINCT purchased_volume, certified_volume FROM materials"
                   ) == [(1500.5, 1.5)]
    assert rows_of(conn, "SELECT count(*), min(market_share_pct), max(market_share_pct) "
                         "FROM answers") == [(3, 35.0, 35.0)]


@pytest.mark.parametrize(("name", "content", "rule", "message"), [
    ("a.docx", b"x", "wrong_type", "Files of type '.docx' cannot be read. Send the "
     "questionnaire as .xlsx, .csv, .json or .parquet."),
    ("a.csv", b"\x81\x8d\x90", "not_text",
     "This file is not UTF-8 or Windows-1252 text. Save it as 'CSV UTF-8'."),
    ("a.xlsx", b"PK\x03\x04 broken", "not_xlsx", "This is not an xlsx file that can be opened "
     "(File is not a zip file). Save it again from Excel as .xlsx, without a password."),
    ("a.json", b"[1, 2]", "unreadable", "The file could not be read (json must hold a list of "
     "records, each an object with a 'record' field). Save it again from Excel as .xlsx or "
     "as 'CSV UTF-8'."),
])
def test_unreadable_files_are_rejected_with_what_to_do(ingest_env, defs, tmp_path, name,
                                                      content, rule, message):
    conn, archive = ingest_env
    (tmp_path / name).write_bytes(content)
    result = ingest_file(conn, tmp_path / name, defs, archive_dir=archive)
    assert result.status == "rejected"
    assert [(r.scope, r.rule, r.message_en) for r in result.rejects] == [
        ("file", rule, message)]
    assert rows_of(conn, "SELECT status, rows_in FROM files") == [("rejected", 0)]
