"""Downloads: text that a spreadsheet would run as a formula stays text."""

import io

import openpyxl
import polars as pl

from dashboard.exports import ExportRequest, neutralise, safe_frame, to_csv, to_xlsx

FRAME = pl.DataFrame({
    "member": ["=HYPERLINK(\"http://x\")", "+31 20", "-5", "@SUM(A1)", "Weverij Oost"],
    "value": [1.5, None, -5.0, 0.0, 48.3],
})


def test_neutralise_prefixes_formula_starts_only():
    assert [neutralise(v) for v in FRAME["member"]] == [
        "'=HYPERLINK(\"http://x\")", "'+31 20", "'-5", "'@SUM(A1)", "Weverij Oost"]
    assert neutralise(-5.0) == -5.0


def test_csv_keeps_numbers_and_neutralises_text():
    text = to_csv(FRAME).decode("utf-8-sig")
    assert text.splitlines() == [
        "member,value", "\"'=HYPERLINK(\"\"http://x\"\")\",1.5", "'+31 20,", "'-5,-5.0",
        "'@SUM(A1),0.0", "Weverij Oost,48.3"]


def test_xlsx_cells_are_text_never_formulas():
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(FRAME, sheet="overview")))
    sheet = book["overview"]
    cells = [(c.value, c.data_type) for c in sheet["A"][1:]]
    assert cells == [("'=HYPERLINK(\"http://x\")", "s"), ("'+31 20", "s"), ("'-5", "s"),
                     ("'@SUM(A1)", "s"), ("Weverij Oost", "s")]
    assert [c.value for c in sheet["B"][1:]] == [1.5, None, -5, 0, 48.3]


def test_safe_frame_leaves_numbers_alone():
    assert safe_frame(FRAME)["value"].to_list() == FRAME["value"].to_list()


def test_request_parts():
    request = ExportRequest(["member", "textiel", "TEX-0001"])
    assert (request.part(1), request.part(2), request.part(3)) == ("textiel", "TEX-0001", "")
