"""Ingest killed with SIGKILL at random moments: every file is fully present or fully absent."""

import hashlib
import os
import random
import signal
import subprocess
import sys
import time

import duckdb

from tests.conftest import J, N, mat, site, write_csv_submission, write_register

FILES = 120
KILLS = 3


def write_folder(folder):
    """Write a register and FILES submissions; return {sha256: (sites, materials)}."""
    folder.mkdir()
    members = [f"M{i:03d}" for i in range(FILES // 4)]
    write_register(folder / "members.csv", [("textiel", m, "small", "2016-01-01")
                                            for m in members])
    expected = {}
    for i in range(FILES):
        sites = [site(f"S{n}", "BD", 10 + n, n % 5, J, 1, 1, 0, J) for n in range(i % 9 + 1)]
        materials = [mat("katoen", 10, i % 4)]
        path = write_csv_submission(folder / f"f{i:03d}.csv", "textiel", 2016 + i % 4,
                                    members[i // 4], answers={"msi_member": N,
                                                              "dd_report_published": J,
                                                              "market_share_pct": "1"},
                                    sites=sites, materials=materials)
        expected[hashlib.sha256(path.read_bytes()).hexdigest()] = (len(sites), len(materials))
    return expected


def start(folder, data):
    env = {**os.environ, "IMVO_DATA_DIR": str(data)}
    return subprocess.Popen([sys.executable, "-m", "imvo", "ingest", str(folder),
                             "--no-compute"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def check(warehouse, expected):
    """Assert every file is fully present or fully absent; return how many are present."""
    conn = duckdb.connect(str(warehouse))
    try:
        files = dict(((sha, (status, rows_in, loaded))) for sha, status, rows_in, loaded in
                     conn.execute("SELECT sha256, status, rows_in, rows_loaded FROM files"
                                  ).fetchall())
        held = dict(((sha, (sites, materials))) for sha, sites, materials in conn.execute("""
            SELECT s.file_sha256,
                (SELECT count(*) FROM sites t WHERE t.submission_id = s.submission_id),
                (SELECT count(*) FROM materials t WHERE t.submission_id = s.submission_id)
            FROM submissions s""").fetchall())
        answers = conn.execute("SELECT count(*) FROM answers").fetchall()[0][0]
    finally:
        conn.close()
    assert set(files) == set(held) <= set(expected)
    assert answers == len(held)
    for sha, (sites, materials) in held.items():
        assert (sites, materials) == expected[sha]
        assert files[sha] == ("loaded", sites + materials, sites + materials)
    return len(held)


def archived(data):
    return sum(1 for _ in (data / "archive").rglob("*.csv"))


def kill_when_archived(folder, data, count):
    """Run ingest and SIGKILL it once `count` files have been archived (read) in all."""
    process = start(folder, data)
    while process.poll() is None and archived(data) < count:
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()


def test_ingest_killed_midway_leaves_every_file_whole_or_absent(tmp_path):
    expected = write_folder(tmp_path / "in")
    data = tmp_path / "data"
    # Kill moments tied to progress (files read so far), not to the clock: the same on a busy
    # machine as on an idle one. Files read before a kill are pending or committed.
    moments = sorted(random.Random(20240901).sample(range(5, FILES), KILLS))
    present = []
    for count in moments:
        kill_when_archived(tmp_path / "in", data, count)
        if (data / "imvo.duckdb").exists():
            present.append(check(data / "imvo.duckdb", expected))
    finished = start(tmp_path / "in", data)
    assert finished.wait(timeout=120) == 0, finished.stderr.read() if finished.stderr else ""
    assert check(data / "imvo.duckdb", expected) == FILES
    assert present == sorted(present)
    assert all(n <= count for n, count in zip(present, moments, strict=False))
