"""Two files of one member and year in one run: the one saved last counts, never file order."""

import os

import pytest

from pipelines.feedback import feedback
from pipelines.ingest import run_ingest
from tests.conftest import site, write_csv_submission
from tests.ingest_files_support import questionnaire, set_saved

J = "ja"


def current(conn):
    return conn.execute("SELECT f.file_name, s.is_current FROM submissions s JOIN files f "
                        "ON f.sha256 = s.file_sha256 ORDER BY 1").fetchall()


@pytest.mark.parametrize("batch_files", [256, 1])
def test_the_document_saved_last_counts_whatever_its_name(ingest_env, defs, tmp_path,
                                                          batch_files):
    conn, archive = ingest_env
    folder = tmp_path / "in"
    # 'X gecorrigeerd.xlsx' sorts before 'X.xlsx', yet it was saved later: it counts.
    set_saved(questionnaire(folder / "X gecorrigeerd.xlsx", defs, workers=120),
              "2019-03-02T10:00:00Z")
    set_saved(questionnaire(folder / "X.xlsx", defs, workers=100), "2019-03-01T09:00:00Z")
    run = run_ingest(conn, [folder], defs, archive_dir=archive, batch_files=batch_files)
    assert current(conn) == [("X gecorrigeerd.xlsx", True), ("X.xlsx", False)]
    assert conn.execute("SELECT workers FROM sites JOIN submissions USING (submission_id) "
                        "WHERE is_current").fetchall() == [(120,)]
    [choice] = run.choices
    assert choice.current.file_name == "X gecorrigeerd.xlsx"
    notes = {c.file_name: r.message_en for c, r in choice.notices}
    assert notes == {
        "X gecorrigeerd.xlsx": "Several files of this member and year arrived at once; this "
        "file counts, as it was saved last: 2019-03-02 10:00:00 UTC according to the document "
        "properties (the others: 'X.xlsx' 2019-03-01 09:00:00 UTC).",
        "X.xlsx": "Several files of this member and year arrived at once; 'X gecorrigeerd.xlsx' "
        "counts, as it was saved later: 2019-03-02 10:00:00 UTC according to the document "
        "properties. This file is kept in the history."}
    sha = next(r.sha256 for r in run.results if r.file_name == "X.xlsx")
    report = feedback(conn, sha, defs, "en")
    assert report.superseded
    assert [(title, [i["message"] for i in items]) for title, items in report.groups] == [
        ("Which version counts", [notes["X.xlsx"]])]


def submit(path, workers, mtime):
    path.parent.mkdir(parents=True, exist_ok=True)
    write_csv_submission(path, "textiel", 2018, "T1", answers={"msi_member": J},
                         sites=[site("S1", "BD", workers, 0, J, 1, 0, 0, J)])
    os.utime(path, (mtime, mtime))
    return path


def test_without_document_dates_the_file_date_decides(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    submit(tmp_path / "in" / "a.csv", 100, 1_700_000_500)
    submit(tmp_path / "in" / "b.csv", 200, 1_700_000_000)
    run_ingest(conn, [tmp_path / "in"], defs, archive_dir=archive)
    assert current(conn) == [("a.csv", True), ("b.csv", False)]


def test_when_it_cannot_be_told_neither_counts_and_both_reports_say_so(ingest_env, defs,
                                                                      tmp_path):
    conn, archive = ingest_env
    submit(tmp_path / "in" / "a.csv", 100, 1_700_000_000)
    submit(tmp_path / "in" / "b.csv", 200, 1_700_000_000)
    run = run_ingest(conn, [tmp_path / "in"], defs, archive_dir=archive)
    assert current(conn) == [("a.csv", False), ("b.csv", False)]
    [choice] = run.choices
    assert choice.current is None
    assert {r.message_en for _, r in choice.notices} == {
        "Several files of this member and year arrived at once ('a.csv', 'b.csv') and which "
        "was saved last cannot be told: 2023-11-14 22:13:20 UTC according to the file date. "
        "None of them counts; send one corrected file."}
    report = feedback(conn, run.results[0].sha256, defs, "nl")
    assert not report.superseded and report.undecided


def test_a_later_run_still_supersedes(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    submit(tmp_path / "one" / "a.csv", 100, 1_700_000_500)
    run_ingest(conn, [tmp_path / "one"], defs, archive_dir=archive)
    submit(tmp_path / "two" / "b.csv", 200, 1_600_000_000)  # older date, but sent later
    run_ingest(conn, [tmp_path / "two"], defs, archive_dir=archive)
    assert current(conn) == [("a.csv", False), ("b.csv", True)]
