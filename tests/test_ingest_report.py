"""`imvo ingest --report DIR --lang nl|en`: a printable feedback report per file, a summary."""

import html
import os
import re
import subprocess
import sys

from pipelines.feedback import feedback, render
from pipelines.ingest import ingest_paths
from tests.conftest import J, N, site, write_csv_submission, write_register

ANSWERS = {"msi_member": J, "dd_report_published": N, "market_share_pct": "12,5"}


def text_of(page):
    body = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def inputs(folder):
    folder.mkdir()
    write_register(folder / "members.csv", [("textiel", "T1", "large", "2016-01-01")])
    good = write_csv_submission(folder / "t1.csv", "textiel", 2018, "T1", answers=ANSWERS,
                                sites=[site("S1", "BD", 100, 10, J, 2, 1, 0, J),
                                       site("S2", "CN", 50, 60, N, 0, 0, 0, J)])
    unknown = write_csv_submission(folder / "x9.csv", "textiel", 2018, "X9", answers=ANSWERS)
    return good, unknown


def test_the_report_says_what_was_accepted_and_what_to_fix(conn, defs, tmp_path):
    inputs(tmp_path / "in")
    results = ingest_paths(conn, [tmp_path / "in"], defs, archive_dir=tmp_path / "archive")
    nl = text_of(render(feedback(conn, results[0].sha256, defs, "nl"), "nl"))
    assert "Geaccepteerd, met afgewezen gegevens" in nl
    assert "Regels 2 ontvangen, 1 ingelezen, 1 afgewezen" in nl
    assert ("t1.csv 4 Werknemers die meer dan 60 uur per week werkten 60 Werknemers die meer "
            "dan 60 uur per week werkten (60) is groter dan Aantal werknemers (50). Het deel kan "
            "niet groter "
            "zijn dan het geheel.") in nl
    assert "Uw marktaandeel in de Nederlandse markt van de sector (%) 12,5" in nl
    assert "Productielocaties 1" in nl
    en = text_of(render(feedback(conn, results[1].sha256, defs, "en"), "en"))
    assert "Not accepted" in en
    assert ("Member ID 'X9' is not known to this covenant. Ask the secretariat for your member "
            "ID.") in en


def test_ingest_command_writes_reports_shows_a_summary_and_computes_what_changed(tmp_path):
    inputs(tmp_path / "in")
    env = {**os.environ, "IMVO_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "120"}
    command = [sys.executable, "-m", "imvo", "ingest", str(tmp_path / "in"), "--report",
               str(tmp_path / "reports"), "--lang", "en"]
    first = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert first.returncode == 0, first.stderr
    assert re.search(r"Ingesting\s.*3/3", first.stderr)
    assert re.search(r"│ loaded\s+│ 1\s+│ 2\s+│ 1\s+│ 1\s+│", first.stderr)
    assert re.search(r"│ rejected\s+│ 1\s+│ 0\s+│ 0\s+│ 0\s+│", first.stderr)
    assert "rejected x9.csv: Member ID 'X9' is not known to this covenant." in first.stderr
    assert "Wrote 2 feedback report(s) to" in first.stderr
    assert "Computed the KPIs of 5 covenant-year(s)" in first.stderr
    reports = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert [re.sub(r"-[0-9a-f]{8}\.html$", "", name) for name in reports] == ["t1", "x9"]
    page = (tmp_path / "reports" / reports[0]).read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "@media print" in page
    again = subprocess.run([*command[:5], "--lang", "nl"], capture_output=True, text=True,
                           env={**env}, timeout=300)
    assert re.search(r"│ unchanged\s+│ 2\s+│", again.stderr)
    bad = subprocess.run([*command[:5], "--lang", "fr"], capture_output=True, text=True,
                         env=env, timeout=300)
    assert bad.returncode == 1
    assert bad.stderr.startswith("Error: unknown language 'fr'\nHint: use --lang nl or --lang en")
