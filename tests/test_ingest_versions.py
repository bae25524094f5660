"""Versioned, idempotent submissions; every original archived unchanged under its SHA-256."""

import hashlib

from pipelines.ingest import affected_years, ingest_file, ingest_paths, run_ingest
from tests.conftest import J, N, site, write_csv_submission, write_register

TABLES = ("files", "submissions", "answers", "sites", "materials", "rejects")


def counts(conn):
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLES}


def submit(path, member="T1", year=2018, workers=100):
    return write_csv_submission(path, "textiel", year, member,
                                answers={"msi_member": J, "dd_report_published": N,
                                         "market_share_pct": ""},
                                sites=[site("S1", "BD", workers, 1, J, 0, 0, 0, J),
                                       site("S2", "BD", 5, 9, J, 0, 0, 0, J)])


def test_the_same_file_twice_changes_nothing(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    path = submit(tmp_path / "a.csv")
    first = ingest_file(conn, path, defs, archive_dir=archive)
    before = counts(conn)
    copy = tmp_path / "same-content-other-name.csv"
    copy.write_bytes(path.read_bytes())
    again = [ingest_file(conn, p, defs, archive_dir=archive) for p in (path, copy)]
    assert first.status == "loaded"
    assert [r.status for r in again] == ["unchanged", "unchanged"]
    assert counts(conn) == before == {"files": 1, "submissions": 1, "answers": 1, "sites": 1,
                                      "materials": 0, "rejects": 1}
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert conn.execute("SELECT sha256, size_bytes FROM files").fetchall() == [
        (sha, path.stat().st_size)]


def test_a_correction_supersedes_and_history_stays(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    results = ingest_paths(conn, [submit(tmp_path / "1.csv", workers=100),
                                  submit(tmp_path / "2.csv", workers=120),
                                  submit(tmp_path / "3.csv", member="T2")], defs,
                           archive_dir=archive)
    third = ingest_file(conn, submit(tmp_path / "4.csv", workers=130), defs, archive_dir=archive)
    assert [r.submission for r in [*results, third]] == [
        ("textiel", "T1", 2018, 1), ("textiel", "T1", 2018, 2), ("textiel", "T2", 2018, 1),
        ("textiel", "T1", 2018, 3)]
    history = conn.execute("""
        SELECT s.member_id, s.version, s.is_current, t.workers FROM submissions s
        JOIN sites t USING (submission_id) ORDER BY s.member_id, s.version""").fetchall()
    assert history == [("T1", 1, False, 100), ("T1", 2, False, 120), ("T1", 3, True, 130),
                       ("T2", 1, True, 100)]
    assert affected_years([*results, third]) == {("textiel", 2018)}


def test_every_original_is_archived_unchanged_under_its_hash(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    (tmp_path / "junk.xlsx").write_bytes(b"not a workbook")
    paths = [submit(tmp_path / "a.csv"), tmp_path / "junk.xlsx"]
    ingest_paths(conn, paths, defs, archive_dir=archive)
    for path in paths:
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        [(stored,)] = conn.execute("SELECT archived_path FROM files WHERE sha256 = ?",
                                   [sha]).fetchall()
        assert stored == str(archive / sha[:2] / f"{sha}{path.suffix}")
        assert (archive / sha[:2] / f"{sha}{path.suffix}").read_bytes() == path.read_bytes()


def test_a_file_rejected_for_an_unknown_member_loads_once_the_register_has_it(conn, defs,
                                                                            tmp_path):
    path = submit(tmp_path / "a.csv", member="NEW")
    archive = tmp_path / "archive"
    first = ingest_file(conn, path, defs, archive_dir=archive)
    again = ingest_file(conn, path, defs, archive_dir=archive)
    register = write_register(tmp_path / "m.csv", [("textiel", "NEW", "small", "2017-05-01")])
    run = run_ingest(conn, [register, path], defs, archive_dir=archive)
    assert (first.status, again.status) == ("rejected", "unchanged")
    assert [r.status for r in run.results] == ["loaded"]
    assert conn.execute("SELECT status, rows_in, rows_loaded FROM files").fetchall() == [
        ("loaded", 2, 1)]
    assert conn.execute("SELECT rule FROM rejects").fetchall() == [("above_other",)]
    assert run.affected == {("textiel", y) for y in range(2016, 2021)}


def test_copies_in_one_run_load_once_and_results_keep_file_order(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    original = submit(tmp_path / "a00.csv")
    for n in range(1, 40):  # more files than reading threads, read at the same time
        (tmp_path / f"a{n:02d}.csv").write_bytes(original.read_bytes())
    other = submit(tmp_path / "b.csv", member="T2")
    results = ingest_paths(conn, [tmp_path], defs, archive_dir=archive)
    assert [(r.file_name, r.status) for r in results] == [
        ("a00.csv", "loaded"), *[(f"a{n:02d}.csv", "unchanged") for n in range(1, 40)],
        ("b.csv", "loaded")]
    assert counts(conn)["submissions"] == 2
    stored = sorted(p.name for p in archive.rglob("*") if p.is_file())
    assert stored == sorted(f"{hashlib.sha256(p.read_bytes()).hexdigest()}.csv"
                            for p in (original, other))
