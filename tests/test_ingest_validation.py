"""Validation: types, ranges, keys, members and periods; rows in = rows loaded + quarantined."""

import pytest

from pipelines.ingest import ingest_file, ingest_paths
from tests.conftest import J, N, mat, site, write_csv_submission, write_register

ANSWERS = {"msi_member": J, "dd_report_published": N, "market_share_pct": "2"}


def submit(folder, member="T1", year=2018, *, answers=None, sites=(), materials=(),
           name=None):
    return write_csv_submission(folder / (name or f"{member}-{year}.csv"), "textiel", year,
                                member, answers=answers or ANSWERS, sites=list(sites),
                                materials=list(materials))


def test_every_rule_names_file_sheet_row_column_value_and_fix(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    path = submit(tmp_path, answers={**ANSWERS, "market_share_pct": "135 %"}, sites=[
        site("S1", "BD", 100, 10, J, 2, 1, 1, J),
        site("S2", "BD", 100, 101, J, 2, 1, 1, J),       # more over 60 h than workers
        site("S1", "CN", 50, 0, N, 0, 0, 0, J),          # duplicate site
        site("", "CN", 50, 0, N, 0, 0, 0, J),            # no site id
        site("S5", "Atlantis", -3, 0, "misschien", 0, 0, 0, J),
    ], materials=[mat("katoen", 10, 12)])
    result = ingest_file(conn, path, defs, archive_dir=archive)
    got = sorted((r.scope, r.row, r.column, r.value, r.rule) for r in result.rejects)
    assert got == [
        ("answer", 2, "market_share_pct", "135 %", "above_max"),
        ("row", 4, "workers_over_60h", "101", "above_other"),
        ("row", 5, "site_id", "S1", "duplicate_key"),
        ("row", 6, "site_id", None, "missing_key"),
        ("row", 7, "country", "Atlantis", "unknown_country"),
        ("row", 7, "dialogue_structure", "misschien", "not_yes_no"),
        ("row", 7, "workers", "-3", "below_min"),
        ("row", 8, "certified_volume", "12", "above_other"),
    ]
    assert {r.sheet for r in result.rejects} == {path.name}
    messages = {r.rule: (r.message_nl, r.message_en) for r in result.rejects}
    assert messages["above_max"] == (
        "'135 %' in Uw marktaandeel in de Nederlandse markt van de sector (%) is groter dan 100."
        " Controleer het getal.",
        "'135 %' in Your share of the Dutch market of the sector (%) is above 100. Check the "
        "number.")
    assert messages["duplicate_key"][1] == (
        "Site ID 'S1' is already on an earlier row. Give every row its own Site ID.")
    assert messages["below_min"][0] == "'-3' in Aantal werknemers is kleiner dan 0. " \
                                       "Controleer het getal."
    assert (result.rows_in, result.rows_loaded, result.rows_rejected) == (6, 1, 5)
    assert conn.execute("SELECT site_id FROM sites").fetchall() == [("S1",)]
    assert conn.execute("SELECT market_share_pct, msi_member FROM answers").fetchall() == [
        (None, True)]


@pytest.mark.parametrize(("member", "year", "rule", "message"), [
    ("X9", 2018, "unknown_member", "Member ID 'X9' is not known to this covenant. Ask the "
     "secretariat for your member ID."),
    ("T1", 2015, "year_outside_period", "Year 2015 is outside the covenant's period "
     "(2016–2020)."),
    ("T3", 2018, "member_not_bound", "Member 'T3' was not bound to the covenant in 2018. "
     "Check the year."),
])
def test_who_and_when_reject_the_whole_file(conn, defs, tmp_path, member, year, rule, message):
    write_register(tmp_path / "m.csv", [("textiel", "T1", "large", "2016-01-01"),
                                        ("textiel", "T3", "large", "2019-03-01")])
    path = submit(tmp_path, member, year, sites=[site("S1", "BD", 1, 0, J, 0, 0, 0, J)])
    [result] = ingest_paths(conn, [tmp_path / "m.csv", path], defs,
                            archive_dir=tmp_path / "archive")
    assert result.status == "rejected"
    assert [(r.scope, r.rule, r.column, r.message_en) for r in result.rejects] == [
        ("file", rule, "member_id" if "member" in rule else "year", message)]
    assert conn.execute("SELECT count(*) FROM submissions").fetchall() == [(0,)]
    assert conn.execute("SELECT status, rows_in, rows_loaded, rows_rejected FROM files"
                        ).fetchall() == [("rejected", 1, 0, 1)]


def test_a_column_the_kpis_need_missing_rejects_the_file(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    rows = [{k: v for k, v in site("S1", "BD", 5, 1, J, 0, 0, 0, J).items() if k != "workers"}]
    result = ingest_file(conn, submit(tmp_path, sites=rows), defs, archive_dir=archive)
    assert result.status == "rejected"
    assert [(r.rule, r.column) for r in result.rejects] == [("missing_column", "workers")]
    assert result.rejects[0].message_nl == (
        "De kolom Aantal werknemers ontbreekt. Zet de kolommen van de vragenlijst terug, ook "
        "als u ze leeg laat.")


def test_rows_in_equal_rows_loaded_plus_rows_quarantined_in_the_warehouse(ingest_env, defs,
                                                                        tmp_path):
    conn, archive = ingest_env
    paths = [submit(tmp_path, "T1", sites=[site(f"S{i}", "BD", 10, i % 13, J, 1, 1, 0, J)
                                           for i in range(20)]),
             submit(tmp_path, "T2", sites=[site("S1", "BD", 10, 1, J, 1, 1, 0, J)] * 3,
                    materials=[mat("wol", 1, 2), mat("katoen", "1,5", "1")]),
             submit(tmp_path, "T3", year=2017, sites=[site("A", "XX", "x", 1, J, 1, 1, 0, J)])]
    results = ingest_paths(conn, paths, defs, archive_dir=archive)
    # T1: 11 and 12 of 10 workers over 60 h; T2: S1 twice more, wol certified above purchased.
    assert [(r.rows_in, r.rows_loaded) for r in results] == [(20, 18), (5, 2), (1, 0)]
    check = conn.execute("""
        SELECT f.file_name, f.rows_in, f.rows_loaded, f.rows_rejected,
            (SELECT count(*) FROM sites JOIN submissions USING (submission_id)
             WHERE file_sha256 = f.sha256)
          + (SELECT count(*) FROM materials JOIN submissions USING (submission_id)
             WHERE file_sha256 = f.sha256) AS in_tables,
            (SELECT count(DISTINCT (sheet, row_number)) FROM rejects r
             WHERE r.file_sha256 = f.sha256 AND r.scope = 'row') AS quarantined
        FROM files f ORDER BY f.file_name""").fetchall()
    assert check == [("T1-2018.csv", 20, 18, 2, 18, 2), ("T2-2018.csv", 5, 2, 3, 2, 3),
                     ("T3-2017.csv", 1, 0, 1, 0, 1)]


def test_a_row_of_an_unknown_kind_is_quarantined_not_dropped(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    path = submit(tmp_path, sites=[site("S1", "BD", 1, 0, J, 0, 0, 0, J)])
    path.write_text(path.read_text() + "opmerking;;;;;;;;;;;;;;;;;;;\n", encoding="utf-8")
    result = ingest_file(conn, path, defs, archive_dir=archive)
    assert (result.rows_in, result.rows_loaded) == (2, 1)
    assert [(r.row, r.value, r.rule) for r in result.rejects] == [
        (4, "opmerking", "unknown_record")]
