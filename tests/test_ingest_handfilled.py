"""Files filled in by hand, the way people really fill in spreadsheets: nothing invented, nothing
lost. Totals rows, merged cells, formulas without a saved value, shares typed as fractions."""

import openpyxl
import pytest

from pipelines.ingest import ingest_file
from tests.conftest import J, N, site, write_book, write_csv_submission

SITE_HEADER = ["Site ID", "Country", "Number of workers",
               "Workers who worked more than 60 hours a week",
               "Worker-management dialogue structure in place", "Number of audits",
               "Of which joint audits", "Of which public audits", "Location disclosed publicly"]
MATERIALS = ("Grondstoffen", [["Grondstof", "Ingekocht volume (ton)",
                               "Waarvan duurzaam gecertificeerd (ton)"], ["katoen", 10, 5]])


def company(share="35 %", covenant="textiel", year=2018, member="T1"):
    return [["Code", "Vraag", "Question", "Antwoord / Answer"], ["covenant", None, None, covenant],
            ["year", None, None, year], ["member_id", None, None, member],
            ["msi_member", None, None, "ja"], ["dd_report_published", None, None, "nee"],
            ["market_share_pct", None, None, share]]


def openpyxl_book(path, sites, *, merges=(), answers=None, formats=()):
    """Write a workbook as a script would (openpyxl: formulas have no saved value)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Bedrijf"
    for row in answers or company():
        sheet.append(row)
    for cell, number_format in formats:
        sheet[cell].number_format = number_format
    locations = book.create_sheet("Productielocaties")
    for row in sites:
        locations.append(row)
    for cells in merges:
        locations.merge_cells(cells)
    materials = book.create_sheet(MATERIALS[0])
    for row in MATERIALS[1]:
        materials.append(row)
    book.save(path)
    return path


def sites_of(conn):
    return conn.execute("SELECT site_id, country, workers FROM sites ORDER BY row_number"
                        ).fetchall()


def found(result, scope=None):
    return [(r.scope, r.row, r.column, r.value, r.rule) for r in result.rejects
            if scope is None or r.scope == scope]


REAL = [["S1", "BD", 100, 5, J, 1, 1, 0, J], ["S2", "BD", 200, 10, J, 1, 0, 0, J],
        ["S3", "CN", 300, 0, N, 2, 1, 1, J]]


@pytest.mark.parametrize("label", ["Totaal", "Totaal:", "Subtotaal China", "Sub-total", "Total",
                                   "Som", "Sum", "Grand total", "TOTAAL:", "grand total"])
@pytest.mark.parametrize("column", [0, 1])
def test_a_totals_row_is_reported_never_loaded(ingest_env, defs, tmp_path, label, column):
    conn, archive = ingest_env
    total = [None] * 9
    total[column], total[2], total[3] = label, 600, 15
    path = write_book(tmp_path / "t.xlsx", {"Bedrijf": company(),
                                            "Productielocaties": [SITE_HEADER, *REAL, total],
                                            MATERIALS[0]: MATERIALS[1]})
    result = ingest_file(conn, path, defs, archive_dir=archive)
    assert sites_of(conn) == [("S1", "BD", 100), ("S2", "BD", 200), ("S3", "CN", 300)]
    assert conn.execute("SELECT sum(workers) FROM sites").fetchall() == [(600,)]
    assert (result.rows_in, result.rows_loaded) == (4, 4)  # 3 sites and 1 material
    [notice] = result.rejects
    assert (notice.scope, notice.row, notice.value, notice.rule) == (
        "notice", 5, label, "total_row_sum")
    assert notice.message_en == (f"The row with '{label}' was read as a total and not loaded; "
                                 "its numbers are the sum of the rows above.")


def test_subtotals_and_a_grand_total_in_a_column_without_header(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    rows = [[None, *SITE_HEADER], [None, *REAL[0]], [None, *REAL[1]],
            ["Subtotaal Bangladesh", None, None, 300, 15],
            [None, *REAL[2]], ["Subtotaal China", None, None, 300, 0],
            ["Eindtotaal", None, None, 601, 15]]
    path = write_book(tmp_path / "t.xlsx", {"Bedrijf": company(), "Productielocaties": rows,
                                            MATERIALS[0]: MATERIALS[1]})
    result = ingest_file(conn, path, defs, archive_dir=archive)
    assert conn.execute("SELECT sum(workers), count(*) FROM sites").fetchall() == [(600, 3)]
    assert found(result) == [("notice", 4, None, "Subtotaal Bangladesh", "total_row_sum"),
                             ("notice", 6, None, "Subtotaal China", "total_row_sum"),
                             ("notice", 7, None, "Eindtotaal", "total_row")]
    assert result.rejects[2].message_nl == (
        "De regel met 'Eindtotaal' is gelezen als totaal en niet ingelezen. Is het geen totaal, "
        "laat woorden als totaal of som dan weg.")


def test_a_row_with_numbers_and_no_site_is_quarantined(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    rows = [SITE_HEADER, *REAL, [None, None, 600, 15]]
    path = write_book(tmp_path / "t.xlsx", {"Bedrijf": company(), "Productielocaties": rows,
                                            MATERIALS[0]: MATERIALS[1]})
    result = ingest_file(conn, path, defs, archive_dir=archive)
    assert conn.execute("SELECT sum(workers) FROM sites").fetchall() == [(600,)]
    assert found(result) == [("row", 5, "site_id", None, "missing_key")]
    assert result.rejects[0].message_en == (
        "This row has no Site ID and was not loaded. Fill in Site ID; if it is a total or a "
        "note, delete the row.")
    assert (result.rows_in, result.rows_loaded, result.rows_rejected) == (5, 4, 1)


def test_totals_rows_in_a_csv_are_reported(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    path = write_csv_submission(tmp_path / "t.csv", "textiel", 2018, "T1",
                                answers={"msi_member": J, "dd_report_published": N,
                                         "market_share_pct": "12"}, sites=[
                                    site("S1", "BD", 100, 5, J, 1, 1, 0, J),
                                    site("S2", "BD", "1.200", 10, J, 1, 0, 0, J),
                                    site("Subtotaal BD", "", "1.300", 15, "", "", "", "", "")])
    path.write_text(path.read_text() + "Totaal;;;;;;;;;;;;9999;\n", encoding="utf-8")
    result = ingest_file(conn, path, defs, archive_dir=archive)
    assert sites_of(conn) == [("S1", "BD", 100), ("S2", "BD", 1200)]
    assert found(result) == [("notice", 5, "site_id", "Subtotaal BD", "total_row_sum"),
                             ("notice", 6, None, "Totaal", "total_row")]
    assert (result.rows_in, result.rows_loaded) == (2, 2)


def test_a_country_merged_over_three_sites_applies_to_each(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    rows = [["Productielocaties 2018"], SITE_HEADER,
            ["S1", "Bangladesh", 100, 5, J, 1, 1, 0, J], ["S2", None, 200, 10, J, 1, 0, 0, None],
            ["S3", None, 300, 0, N, 2, 1, 1, None], ["S4", "CN", 50, 0, N, 0, 0, 0, J]]
    path = openpyxl_book(tmp_path / "m.xlsx", rows, merges=["A1:I1", "B3:B5", "I3:I5"])
    result = ingest_file(conn, path, defs, archive_dir=archive)
    assert result.rejects == []
    assert conn.execute("SELECT site_id, country, disclosed FROM sites ORDER BY row_number"
                        ).fetchall() == [("S1", "BD", True), ("S2", "BD", True),
                                         ("S3", "BD", True), ("S4", "CN", True)]


def test_a_number_merged_over_rows_quarantines_them(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    rows = [SITE_HEADER, ["S1", "BD", 300, 5, J, 1, 1, 0, J], ["S2", "BD", None, 10, J, 1, 0, 0, J],
            ["S3", "CN", 50, 0, N, 2, 1, 1, J], ["Alle locaties zijn bezocht"]]
    path = openpyxl_book(tmp_path / "m.xlsx", rows, merges=["C2:C3", "A5:I5"])
    result = ingest_file(conn, path, defs, archive_dir=archive)
    assert sites_of(conn) == [("S3", "CN", 50)]
    assert found(result) == [("row", 2, "workers", "300", "merged_rows"),
                             ("row", 3, "workers", "300", "merged_rows"),
                             ("row", 5, None, "Alle locaties zijn bezocht", "merged_columns")]
    assert result.rejects[0].message_en == (
        "'300' in Number of workers is in cells merged over rows 2–3; a number cannot belong to "
        "several rows. Unmerge the cells and give every row its own number.")
    assert (result.rows_in, result.rows_loaded, result.rows_rejected) == (5, 2, 3)


def test_a_formula_without_a_saved_value_is_never_read_as_empty(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    rows = [SITE_HEADER, *REAL, ["S4", "IN", "=C2*2", 0, N, 0, 0, 0, J],
            ["Totaal", None, "=SUM(C2:C5)", "=SUM(D2:D5)"]]
    path = openpyxl_book(tmp_path / "f.xlsx", rows, answers=company(share="=10+5"))
    result = ingest_file(conn, path, defs, archive_dir=archive)
    assert sites_of(conn) == [("S1", "BD", 100), ("S2", "BD", 200), ("S3", "CN", 300)]
    assert found(result) == [("notice", 6, "site_id", "Totaal", "total_row"),
                             ("answer", 7, "market_share_pct", "=10+5", "formula_without_value"),
                             ("row", 5, "workers", "=C2*2", "formula_without_value")]
    assert result.rejects[2].message_en == (
        "'=C2*2' in Number of workers is a formula without a value: the file was not saved by "
        "Excel. Open and save the file in Excel, or enter the number itself.")
    assert conn.execute("SELECT market_share_pct FROM answers").fetchall() == [(None,)]


def test_a_formula_with_a_saved_value_reads_the_value(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    rows = [SITE_HEADER, ["S1", "BD", ("=100*2", 200), 5, J, 1, 1, 0, J]]
    path = write_book(tmp_path / "v.xlsx", {"Bedrijf": company(share=("=30+5", "35 %")),
                                            "Productielocaties": rows,
                                            MATERIALS[0]: MATERIALS[1]})
    result = ingest_file(conn, path, defs, archive_dir=archive)
    assert result.rejects == []
    assert sites_of(conn) == [("S1", "BD", 200)]
    assert conn.execute("SELECT market_share_pct FROM answers").fetchall() == [(35.0,)]


def test_a_year_given_by_a_formula_without_value_rejects_the_file(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    path = openpyxl_book(tmp_path / "y.xlsx", [SITE_HEADER], answers=company(year="=2017+1"))
    result = ingest_file(conn, path, defs, archive_dir=archive)
    assert [(r.scope, r.rule, r.message_en) for r in result.rejects] == [
        ("file", "formula_without_value", "'=2017+1' in Reporting year is a formula without a "
         "value: the file was not saved by Excel. Open and save the file in Excel, or enter the "
         "number itself.")]


@pytest.mark.parametrize(("share", "number_format", "expected"), [
    (0.35, "0%", 35.0), (0.125, "0.0%", 12.5), (0.01234, "0.000%", 1.234), (35, None, 35.0),
    ("35%", None, 35.0), ("35 %", None, 35.0), (1.5, None, 1.5),
])
def test_shares_as_excel_shows_them(ingest_env, defs, tmp_path, share, number_format, expected):
    conn, archive = ingest_env
    formats = [("D7", number_format)] if number_format else []
    path = openpyxl_book(tmp_path / "p.xlsx", [SITE_HEADER], answers=company(share=share),
                         formats=formats)
    result = ingest_file(conn, path, defs, archive_dir=archive)
    assert result.rejects == []
    assert conn.execute("SELECT market_share_pct FROM answers").fetchall() == [(expected,)]


@pytest.mark.parametrize(("share", "nl", "en"), [
    ("0,13", "'0,13' in Uw marktaandeel in de Nederlandse markt van de sector (%) kan 13 % of "
     "0,13 % betekenen. Schrijf 13 % of 0,13 %.",
     "'0,13' in Your share of the Dutch market of the sector (%) can mean 13% or 0.13%. Write "
     "13% or 0.13%."),
    (0.5, "'0.5' in Uw marktaandeel in de Nederlandse markt van de sector (%) kan 50 % of 0,5 % "
     "betekenen. Schrijf 50 % of 0,5 %.",
     "'0.5' in Your share of the Dutch market of the sector (%) can mean 50% or 0.5%. Write 50% "
     "or 0.5%."),
    (1, "'1' in Uw marktaandeel in de Nederlandse markt van de sector (%) kan 100 % of 1 % "
     "betekenen. Schrijf 100 % of 1 %.",
     "'1' in Your share of the Dutch market of the sector (%) can mean 100% or 1%. Write 100% "
     "or 1%."),
])
def test_a_share_typed_as_a_fraction_is_ambiguous(ingest_env, defs, tmp_path, share, nl, en):
    conn, archive = ingest_env
    path = write_book(tmp_path / "a.xlsx", {"Bedrijf": company(share=share),
                                            "Productielocaties": [SITE_HEADER],
                                            MATERIALS[0]: MATERIALS[1]})
    result = ingest_file(conn, path, defs, archive_dir=archive)
    [why] = result.rejects
    assert (why.scope, why.rule, why.message_nl, why.message_en) == (
        "answer", "ambiguous_percent", nl, en)
    assert conn.execute("SELECT market_share_pct FROM answers").fetchall() == [(None,)]


@pytest.mark.parametrize("name", ["Convenant Duurzame Kleding en Textiel",
                                  "dutch agreement on sustainable garments and textile",
                                  " TEXTIEL "])
def test_a_covenant_by_its_full_name_is_that_covenant(ingest_env, defs, tmp_path, name):
    conn, archive = ingest_env
    path = write_book(tmp_path / "c.xlsx", {"Bedrijf": company(covenant=name),
                                            "Productielocaties": [SITE_HEADER, REAL[0]],
                                            MATERIALS[0]: MATERIALS[1]})
    result = ingest_file(conn, path, defs, archive_dir=archive)
    assert (result.status, result.submission) == ("loaded", ("textiel", "T1", 2018, 1))


@pytest.mark.parametrize(("name", "en"), [
    ("textile", "Covenant 'textile' does not exist. Write the code of your covenant: textiel."),
    ("Convenant Duurzame Kleding", "Covenant 'Convenant Duurzame Kleding' does not exist. "
     "Write the code of your covenant: textiel."),
    ("Onbekend", "Covenant 'Onbekend' does not exist. Write the code of your covenant: one of "
     "banken, goud, hout, metaal, natuursteen, pensioenfondsen, plantaardige-eiwitten, "
     "sierteelt, textiel, verzekeringen, voedingsmiddelen."),
])
def test_an_unknown_covenant_says_the_code_to_write(ingest_env, defs, tmp_path, name, en):
    conn, archive = ingest_env
    path = write_book(tmp_path / "c.xlsx", {"Bedrijf": company(covenant=name),
                                            "Productielocaties": [SITE_HEADER],
                                            MATERIALS[0]: MATERIALS[1]})
    [why] = ingest_file(conn, path, defs, archive_dir=archive).rejects
    assert (why.scope, why.rule, why.message_en) == ("file", "unknown_covenant", en)


def test_a_csv_is_told_to_fill_in_its_company_row(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    path = write_csv_submission(tmp_path / "c.csv", "textiel", 2018, "", answers={"msi_member": J})
    [why] = ingest_file(conn, path, defs, archive_dir=archive).rejects
    assert (why.message_nl, why.message_en) == (
        "Lidnummer is niet ingevuld. Vul Lidnummer in op de regel van het bedrijf (record "
        "bedrijf).",
        "Member ID is empty. Fill in Member ID on the company row (record company).")
    xlsx = write_book(tmp_path / "c.xlsx", {"Bedrijf": company(member=None),
                                            "Productielocaties": [SITE_HEADER],
                                            MATERIALS[0]: MATERIALS[1]})
    [why] = ingest_file(conn, xlsx, defs, archive_dir=archive).rejects
    assert why.message_en == "Member ID is empty. Fill in Member ID at the top of the Company " \
                             "sheet."


def test_two_company_rows_in_a_csv_are_named_as_such(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    path = write_csv_submission(tmp_path / "c.csv", "textiel", 2018, "T1",
                                answers={"msi_member": J})
    path.write_text(path.read_text() + "company;;;;;nee\n", encoding="utf-8")
    [why] = ingest_file(conn, path, defs, archive_dir=archive).rejects
    assert (why.rule, why.row, why.message_en) == (
        "duplicate_company_row", 3, "There is more than one company row (record company). Put "
        "all of the company's answers on one row.")


def test_a_negative_head_count_gets_one_message(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    path = write_csv_submission(tmp_path / "n.csv", "textiel", 2018, "T1",
                                answers={"msi_member": J},
                                sites=[site("S1", "BD", -10, 0, J, -1, 0, 0, J)])
    result = ingest_file(conn, path, defs, archive_dir=archive)
    assert [(r.column, r.rule, r.message_en) for r in result.rejects if r.scope == "row"] == [
        ("workers", "below_min", "'-10' in Number of workers is below 0. Check the number."),
        ("audits", "below_min", "'-1' in Number of audits is below 0. Check the number.")]


@pytest.mark.parametrize(("column", "value", "en", "nl"), [
    ("workers", "veel", "'veel' in Number of workers is not a number. Enter a number, for "
     "example 12.", "'veel' in Aantal werknemers is geen getal. Vul een getal in, bijvoorbeeld "
     "12."),
    ("purchased_volume", "veel", "'veel' in Purchased volume (tonnes) is not a number. Enter a "
     "number, for example 12.5.", "'veel' in Ingekocht volume (ton) is geen getal. Vul een getal "
     "in, bijvoorbeeld 12,5."),
    ("purchased_volume", "1.234", "'1.234' in Purchased volume (tonnes) can be read two ways. "
     "Write 1234 for the thousands, or 1.2340 for the decimal number.",
     "'1.234' in Ingekocht volume (ton) kan op twee manieren gelezen worden. Schrijf 1234 voor "
     "de duizendtallen, of 1,2340 voor het kommagetal."),
    ("purchased_volume", "1,234", "'1,234' in Purchased volume (tonnes) can be read two ways. "
     "Write 1234 for the thousands, or 1.2340 for the decimal number.",
     "'1,234' in Ingekocht volume (ton) kan op twee manieren gelezen worden. Schrijf 1234 voor "
     "de duizendtallen, of 1,2340 voor het kommagetal."),
])
def test_a_hint_fits_the_field(ingest_env, defs, tmp_path, column, value, en, nl):
    conn, archive = ingest_env
    rows = [SITE_HEADER, ["S1", "BD", 10, 0, J, 0, 0, 0, J]]
    materials = [MATERIALS[1][0], ["katoen", 10, 5]]
    (rows if column == "workers" else materials)[1][2 if column == "workers" else 1] = value
    path = write_book(tmp_path / "h.xlsx", {"Bedrijf": company(), "Productielocaties": rows,
                                            MATERIALS[0]: materials})
    [why] = ingest_file(conn, path, defs, archive_dir=archive).rejects
    assert (why.column, why.message_en, why.message_nl) == (column, en, nl)


def codes_in(result, defs):
    """Return the field codes that a message shows outside the value it quotes."""
    codes = [f.id for f in defs.catalogue.fields if "_" in f.id] + ["member_id"]
    texts = [m.replace(f"'{r.value}'", "") for r in result.rejects
             for m in (r.message_nl, r.message_en)]
    return sorted({c for c in codes for t in texts if c in t})


def test_no_message_shows_a_field_code(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    bad = site("S1", "XX", "x", "y", "misschien", "1,5", "-1", "z", "#N/A")
    path = write_csv_submission(
        tmp_path / "b.csv", "textiel", 2018, "T1",
        answers={"msi_member": "?", "dd_report_published": "=A1", "market_share_pct": "0,5"},
        sites=[bad, site("S2", "BD", 10, 11, J, 2, 3, 4, J)],
        materials=[{"material": "wol", "purchased_volume": "veel", "certified_volume": 1},
                   {"material": "katoen", "purchased_volume": 1, "certified_volume": 2}])
    result = ingest_file(conn, path, defs, archive_dir=archive)
    assert len(result.rejects) >= 12
    assert codes_in(result, defs) == []
    missing = write_csv_submission(tmp_path / "m.csv", "textiel", 2018, "T1",
                                   answers={"msi_member": J},
                                   sites=[{"site_id": "S1", "country": "BD"}])
    result = ingest_file(conn, missing, defs, archive_dir=archive)
    assert {r.rule for r in result.rejects} == {"missing_column"}
    assert codes_in(result, defs) == []


def test_values_in_a_column_without_header_are_reported(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    rows = [[*SITE_HEADER, None], [*REAL[0], "zie mail"], [*REAL[1], None]]
    path = write_book(tmp_path / "u.xlsx", {"Bedrijf": company(), "Productielocaties": rows,
                                            MATERIALS[0]: MATERIALS[1]})
    result = ingest_file(conn, path, defs, archive_dir=archive)
    assert [(r.scope, r.value, r.rule, r.message_en) for r in result.rejects] == [
        ("notice", "J", "unnamed_column", "Column J has no header; its 1 values were not read. "
         "Give it the name of a question, or delete it.")]
    assert (result.rows_in, result.rows_loaded) == (3, 3)


def test_an_answer_merged_over_questions_is_each_ones_unless_it_is_an_amount(ingest_env, defs,
                                                                           tmp_path):
    conn, archive = ingest_env
    path = tmp_path / "c.xlsx"
    openpyxl_book(path, [SITE_HEADER, REAL[0]], answers=company(share=12))
    book = openpyxl.load_workbook(path)
    book["Bedrijf"].merge_cells("D5:D6")  # ja over msi_member and dd_report_published
    book.save(path)
    result = ingest_file(conn, path, defs, archive_dir=archive)
    assert result.rejects == []
    assert conn.execute("SELECT msi_member, dd_report_published, market_share_pct FROM answers"
                        ).fetchall() == [(True, True, 12.0)]
    book["Bedrijf"].unmerge_cells("D5:D6")
    book["Bedrijf"]["D6"] = 12
    book["Bedrijf"].merge_cells("D6:D7")  # 12 over dd_report_published and market_share_pct
    book.save(tmp_path / "d.xlsx")
    result = ingest_file(conn, tmp_path / "d.xlsx", defs, archive_dir=archive)
    assert sorted((r.scope, r.row, r.column, r.rule) for r in result.rejects) == [
        ("answer", 6, "dd_report_published", "not_yes_no"),
        ("answer", 7, "market_share_pct", "merged_rows")]
