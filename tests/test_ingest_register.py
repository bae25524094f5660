"""Member registers as Excel saves them load; what cannot be read names its line and column."""

import pytest

from imvo.errors import IngestError
from pipelines.ingest import load_members, run_ingest
from tests.conftest import write_csv_submission

DUTCH = ("covenant;member_id;name;size_class;joined;left_on;weight\r\n"
         "textiel;T1;Brouwerij Één;large;31-12-2015;;1.234,5\r\n"
         "textiel;T2;Café Noord;small;01/03/2016;31/12/2018;12,5\r\n"
         "textiel;T3;Derde;medium;2016-01-01;;\r\n")


def members(conn):
    return conn.execute("SELECT member_id, name, joined::VARCHAR, left_on::VARCHAR, weight "
                        "FROM members ORDER BY 1").fetchall()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_a_register_saved_by_dutch_excel_loads(conn, defs, tmp_path, encoding):
    path = tmp_path / "members.csv"
    path.write_bytes(DUTCH.encode(encoding))
    result = load_members(conn, path, defs)
    assert result.members == 3
    assert members(conn) == [
        ("T1", "Brouwerij Één", "2015-12-31", None, 1234.5),
        ("T2", "Café Noord", "2016-03-01", "2018-12-31", 12.5),
        ("T3", "Derde", "2016-01-01", None, None)]


@pytest.mark.parametrize(("line", "message"), [
    ("textiel;T4;Vier;small;31-13-2016;;", "members.csv line 5, column joined: '31-13-2016' is "
     "not a date\nHint: write dates as 2018-12-31 or 31-12-2018"),
    ("textiel;T4;Vier;small;2016-01-01;;12.5", "members.csv line 5, column weight: '12.5' is "
     "not a number\nHint: write the weight as a number, for example 1234,5"),
    ("textiel;T4;;small;2016-01-01;;", "members.csv line 5, column name: is empty\nHint: give "
     "every member a covenant, joined, member_id, name, size_class"),
    ("textiel;T1;Weer;small;2016-01-01;;", "members.csv: member T1 of textiel is listed more "
     "than once\nHint: keep one line per member"),
])
def test_a_value_that_cannot_be_read_names_line_and_column(conn, defs, tmp_path, line,
                                                           message):
    path = tmp_path / "members.csv"
    path.write_text(DUTCH + line + "\r\n", encoding="utf-8")
    with pytest.raises(IngestError) as err:
        load_members(conn, path, defs)
    assert str(err.value) == message
    assert members(conn) == []  # a register loads whole or not at all


def test_a_missing_column_is_named(conn, defs, tmp_path):
    path = tmp_path / "members.csv"
    path.write_text("covenant,member_id,naam,size_class,joined\n")
    with pytest.raises(IngestError, match=r"^members.csv line 1, column name: is missing from "
                                          r"the header\nHint: name the columns"):
        load_members(conn, path, defs)


def test_a_bad_register_is_reported_and_the_rest_of_the_run_loads(conn, defs, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    good = DUTCH.replace("T3;Derde", "T9;Negen")
    (folder / "members.csv").write_text(good, encoding="utf-8")
    (folder / "new-members.csv").write_text(DUTCH.replace("T3;Derde;medium;2016-01-01",
                                                          "T3;Derde;medium;1-1-16"))
    write_csv_submission(folder / "T1.csv", "textiel", 2018, "T1", answers={"msi_member": "ja"})
    run = run_ingest(conn, [folder], defs, archive_dir=tmp_path / "archive")
    assert [(r.file_name, r.error, r.hint) for r in run.registers] == [
        ("members.csv", None, None),
        ("new-members.csv", "new-members.csv line 4, column joined: '1-1-16' is not a date",
         "write dates as 2018-12-31 or 31-12-2018")]
    assert [(r.file_name, r.status) for r in run.results] == [("T1.csv", "loaded")]
