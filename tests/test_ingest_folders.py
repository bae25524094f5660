"""Every file in a folder is accounted for: read when it can be, else rejected with what to do."""

import shutil
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imvo.ingest_command import rejected_lines
from pipelines.ingest import run_ingest
from tests.ingest_files_support import as_ods, as_xls, questionnaire

UNREADABLE = {
    "notes.txt": ("wrong_type", "Files of type '.txt' cannot be read. Send the questionnaire "
                  "as .xlsx, .csv, .json or .parquet."),
    "plan.numbers": ("numbers_file", "Numbers files cannot be read. In Numbers choose File > "
                     "Export To > Excel and send the .xlsx file."),
    "README": ("no_extension", "The file has no extension, so its type is unknown. Save the "
               "questionnaire as .xlsx (or send .csv, .json or .parquet)."),
    "~$T1.xlsx": ("lock_file", "This is the lock file Excel or LibreOffice keeps while "
                  "'T1.xlsx' is open, not a questionnaire. Close the workbook and send "
                  "'T1.xlsx' itself."),
    ".~lock.T3.ods#": ("lock_file", "This is the lock file Excel or LibreOffice keeps while "
                       "'T3.ods' is open, not a questionnaire. Close the workbook and send "
                       "'T3.ods' itself."),
}


def test_workbooks_of_every_kind_load_and_other_files_are_rejected_with_a_reason(
        ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    folder = tmp_path / "in"
    folder.mkdir()
    # An xlsm is an xlsx with macros: the same content under another name.
    shutil.move(questionnaire(tmp_path / "T1.xlsx", defs, "T1"), folder / "T1.xlsm")
    as_xls(questionnaire(tmp_path / "T2.xlsx", defs, "T2", workers=200), folder / "T2.xls")
    as_ods(questionnaire(tmp_path / "T3.xlsx", defs, "T3", workers=300), folder / "T3.ods")
    for i, name in enumerate(UNREADABLE):
        (folder / name).write_bytes(f"owner {i}".encode())
    seen = []
    run = run_ingest(conn, [folder], defs, archive_dir=archive, advance=seen.append)
    assert sorted(p.name for p in seen) == sorted(["T1.xlsm", "T2.xls", "T3.ods", *UNREADABLE])
    loaded = {r.file_name: (r.status, r.rows_in, r.rows_loaded) for r in run.results
              if r.status == "loaded"}
    assert loaded == {name: ("loaded", 2, 2) for name in ("T1.xlsm", "T2.xls", "T3.ods")}
    assert conn.execute("SELECT s.member_id, workers FROM sites JOIN submissions s "
                        "USING (submission_id) ORDER BY 1").fetchall() == [
        ("T1", 100), ("T2", 200), ("T3", 300)]
    rejected = {r.file_name: [(x.rule, x.message_en) for x in r.rejects] for r in run.results
                if r.status == "rejected"}
    assert rejected == {name: [reason] for name, reason in UNREADABLE.items()}
    assert sorted(conn.execute("SELECT file_name, status FROM files").fetchall()) == sorted(
        [(n, "loaded") for n in loaded] + [(n, "rejected") for n in UNREADABLE])


def test_the_warehouse_and_its_archive_in_the_folder_are_not_ingested(ingest_env, defs,
                                                                     tmp_path):
    conn, archive = ingest_env
    questionnaire(tmp_path / "T1.xlsx", defs)
    first = run_ingest(conn, [tmp_path], defs, archive_dir=archive)
    again = run_ingest(conn, [tmp_path], defs, archive_dir=archive)  # the archive holds a copy
    assert [(r.file_name, r.status) for r in first.results] == [("T1.xlsx", "loaded")]
    assert [(r.file_name, r.status) for r in again.results] == [("T1.xlsx", "unchanged")]


NAMES = st.text(string.ascii_letters + string.digits + " -_", min_size=1, max_size=8)
SUFFIXES = st.one_of(st.just(""), st.sampled_from(
    [".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".json", ".parquet", ".txt", ".numbers", ".XLSX",
     ".pdf", ".docx", ".tmp"]), st.text(string.ascii_lowercase, min_size=1, max_size=5).map(
    lambda s: "." + s))


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["", "~$"]), NAMES, SUFFIXES), min_size=1,
                max_size=8, unique_by=lambda t: (t[0] + t[1] + t[2]).lower()))
def test_every_file_found_is_in_the_results_and_in_files(defs, tmp_path_factory, names):
    import duckdb

    from warehouse.schema import create_schema

    folder = tmp_path_factory.mktemp("mixed")
    conn = duckdb.connect()
    create_schema(conn, defs.catalogue)
    written = []
    for i, (lock, name, suffix) in enumerate(names):
        written.append(lock + name.strip() + f"{i}" + suffix)
        (folder / written[-1]).write_bytes(f"content {i}\n".encode())
    seen = []
    run = run_ingest(conn, [folder], defs, archive_dir=folder.parent / f"{folder.name}-a",
                     advance=seen.append)
    assert sorted(p.name for p in seen) == sorted(written)
    assert sorted(r.file_name for r in run.results) == sorted(written)
    listed = rejected_lines(run, "en")  # the summary names every file not loaded, and why
    assert sorted(line.split(": ", 1)[0] for line in listed) == sorted(
        f"rejected {name}" for name in written)
    assert all(line.split(": ", 1)[1] for line in listed)
    assert all(r.status == "rejected" and r.rejects and r.rejects[0].scope == "file"
               for r in run.results)
    assert sorted(n for (n,) in conn.execute("SELECT file_name FROM files").fetchall()) == (
        sorted(written))
    assert conn.execute("SELECT count(*) FROM files WHERE rows_in <> rows_loaded + "
                        "rows_rejected").fetchall() == [(0,)]


def test_the_command_lists_every_file_and_says_which_version_counts(tmp_path, defs):
    import os
    import re
    import subprocess
    import sys

    from tests.conftest import write_register
    from tests.ingest_files_support import set_saved

    folder = tmp_path / "in"
    folder.mkdir()
    write_register(folder / "members.csv", [("textiel", "T1", "large", "2016-01-01")])
    (folder / "new-members.csv").write_text(
        "covenant;member_id;name;size_class;joined;weight\n"
        "textiel;T5;Vijf;small;01-01-2017;twaalf\n", encoding="utf-8")
    set_saved(questionnaire(folder / "T1 gecorrigeerd.xlsx", defs, workers=120),
              "2019-03-02T10:00:00Z")
    set_saved(questionnaire(folder / "T1.xlsx", defs), "2019-03-01T09:00:00Z")
    (folder / "notes.txt").write_text("not a questionnaire")
    (folder / "~$T1.xlsx").write_bytes(b"owner")
    env = {**os.environ, "IMVO_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-m", "imvo", "ingest", str(folder), "--lang", "en"],
                          capture_output=True, text=True, env=env, timeout=300)
    out = done.stderr
    assert done.returncode == 1
    assert re.search(r"Ingesting\s.*6/6", out)
    assert "Ingest: 6 file(s) found" in out
    listed = {line.split("│")[1].strip(): line.split("│")[3].strip()
              for line in out.splitlines() if line.count("│") == 7}
    assert listed == {"members.csv": "loaded", "new-members.csv": "rejected",
                      "T1 gecorrigeerd.xlsx": "loaded", "T1.xlsx": "loaded",
                      "notes.txt": "rejected", "~$T1.xlsx": "rejected"}
    assert re.search(r"│ loaded\s+│ 2\s+│", out) and re.search(r"│ rejected\s+│ 2\s+│", out)
    assert "rejected notes.txt: Files of type '.txt' cannot be read." in out
    assert "rejected ~$T1.xlsx: This is the lock file Excel or LibreOffice keeps" in out
    assert ("register new-members.csv not loaded: new-members.csv line 2, column weight: "
            "'twaalf' is not a number") in out
    assert ("textiel T1 2018: T1 gecorrigeerd.xlsx: Several files of this member and year "
            "arrived at once; this file counts, as it was saved last: 2019-03-02 10:00:00 UTC "
            "according to the document properties (the others: 'T1.xlsx' 2019-03-01 09:00:00 "
            "UTC).") in " ".join(out.split())
    assert out.strip().endswith("Error: new-members.csv line 2, column weight: 'twaalf' is "
                                "not a number\nHint: write the weight as a number, for "
                                "example 1234,5")
