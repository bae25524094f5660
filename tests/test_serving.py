"""Serving while data is loaded: writers publish a new warehouse atomically, readers never wait.

The last test runs `imvo serve` (gunicorn, several workers) and browses it from several
threads while `imvo ingest` loads a file: no request fails, and the new data shows up.
"""

import base64
import os
import secrets
import subprocess
import sys
import threading
import time

import pytest
import requests

from pipelines.ingest import ingest_paths
from tests.auth_support import tiny_warehouse
from tests.browser_support import free_port, wait_until_up
from tests.conftest import mat, site, write_csv_submission
from warehouse.connection import connect_reader, scalar
from warehouse.publish import staged_writer, staging_path, wal_path

COUNT = "SELECT count(*) FROM submissions WHERE is_current"


def member_file(folder, member="E", year=2018):
    return write_csv_submission(
        folder / f"{member}-{year}.csv", "textiel", year, member,
        answers={"msi_member": "ja", "dd_report_published": "ja", "market_share_pct": "1 %"},
        sites=[site(f"{member}1", "BD", 40, 4, "ja", 1, 0, 0, "ja")],
        materials=[mat("cotton", 5, 1)])


@pytest.fixture
def warehouse(tmp_path, defs):
    return tiny_warehouse(tmp_path, defs)


def test_a_reader_keeps_its_version_and_the_next_reader_gets_the_new_one(warehouse, defs):
    old = connect_reader(warehouse)
    with staged_writer(warehouse, defs.catalogue) as conn:
        ingest_paths(conn, [member_file(warehouse.parent)], defs,
                     archive_dir=warehouse.parent / "archive")
        with connect_reader(warehouse) as meanwhile:  # nothing shows before the writer is done
            assert scalar(meanwhile, COUNT) == 6
    assert scalar(old, COUNT) == 6  # textile A, B (its correction), C, D; banks K1, K2
    with connect_reader(warehouse) as new:
        assert scalar(new, COUNT) == 7  # and E
    old.close()
    assert not staging_path(warehouse).exists() and not wal_path(warehouse).exists()


def test_a_failed_writer_publishes_nothing(warehouse, defs):
    with pytest.raises(RuntimeError), staged_writer(warehouse, defs.catalogue) as conn:
        ingest_paths(conn, [member_file(warehouse.parent)], defs,
                     archive_dir=warehouse.parent / "archive")
        raise RuntimeError("killed halfway")
    with connect_reader(warehouse) as conn:
        assert scalar(conn, COUNT) == 6
    assert not staging_path(warehouse).exists()


def test_writers_take_turns_and_lose_nothing(warehouse, defs):
    files = [member_file(warehouse.parent, "E", year) for year in (2016, 2017, 2018)]

    def write(path):
        with staged_writer(warehouse, defs.catalogue) as conn:
            ingest_paths(conn, [path], defs, archive_dir=warehouse.parent / "archive")

    threads = [threading.Thread(target=write, args=(path,)) for path in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connect_reader(warehouse) as conn:
        assert scalar(conn, COUNT) == 6 + 3


def _submitted_2018(base: str, session: requests.Session) -> int:
    """Return textile's members that submitted for 2018, from the public CSV download."""
    answer = session.post(f"{base}/_dash-update-component", json={
        "output": "shell-download.data", "outputs": {"id": "shell-download", "property": "data"},
        "inputs": [[{"id": {"type": "export", "table": "covenant-values", "format": "csv"},
                     "property": "n_clicks", "value": 1}]],
        "state": [{"id": "shell-url", "property": "pathname", "value": "/covenant/textiel"},
                  {"id": "shell-url", "property": "search", "value": ""}],
        "changedPropIds": ['{"format":"csv","table":"covenant-values","type":"export"}.n_clicks'],
    }, timeout=30)
    answer.raise_for_status()
    text = base64.b64decode(answer.json()["response"]["shell-download"]["data"]["content"])
    lines = text.decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:]]
    return max(int(r["members_submitted"]) for r in rows if r["year"] == "2018")


def _browse(base: str, stop: threading.Event, outcomes: list) -> None:
    session = requests.Session()
    while not stop.is_set():
        try:
            page = session.get(f"{base}/", timeout=30)
            outcomes.append(page.status_code == 200 and _submitted_2018(base, session) in (4, 5))
        except (requests.RequestException, ValueError, KeyError) as exc:
            outcomes.append(exc)


def test_browsing_during_an_ingest_meets_no_error(warehouse):
    port, data = free_port(), warehouse.parent
    env = {**os.environ, "IMVO_DATA_DIR": str(data), "IMVO_PORT": str(port),
           "IMVO_SECRET_KEY": secrets.token_hex(32), "IMVO_WORKERS": "2"}
    server = subprocess.Popen([sys.executable, "-m", "imvo", "serve"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base, stop, outcomes = f"http://127.0.0.1:{port}", threading.Event(), []
    try:
        wait_until_up(f"{base}/", server)
        assert _submitted_2018(base, requests.Session()) == 4
        clients = [threading.Thread(target=_browse, args=(base, stop, outcomes))
                   for _ in range(4)]
        for client in clients:
            client.start()
        time.sleep(2)
        ingest = subprocess.run([sys.executable, "-m", "imvo", "ingest", str(member_file(data))],
                                env=env, capture_output=True, text=True, timeout=180)
        time.sleep(2)
        stop.set()
        for client in clients:
            client.join(timeout=60)
        assert ingest.returncode == 0, ingest.stderr
        assert _submitted_2018(base, requests.Session()) == 5
    finally:
        stop.set()
        server.terminate()
        errors = server.communicate(timeout=30)[1]
    assert outcomes and all(outcome is True for outcome in outcomes), \
        ([o for o in outcomes if o is not True][:5], errors[-3000:])
    assert "lock" not in errors.lower() and "Traceback" not in errors


def test_serving_needs_a_long_secret_key():
    from dashboard.serving import security_from_settings
    from imvo.errors import ImvoError
    from imvo.settings import Settings

    hint = ("Hint: set IMVO_SECRET_KEY to a long random value, e.g. the output of python -c "
            "'import secrets; print(secrets.token_hex(32))'")
    with pytest.raises(ImvoError) as missing:
        security_from_settings(Settings(secret_key=None))
    assert str(missing.value) == f"no secret key is set to sign the session cookies\n{hint}"
    with pytest.raises(ImvoError) as short:
        security_from_settings(Settings(secret_key="too short"))
    assert str(short.value) == f"IMVO_SECRET_KEY is shorter than 32 characters\n{hint}"
    demo = security_from_settings(Settings(secret_key=None), demo_key="d" * 64)
    assert demo.secret_key == "d" * 64 and demo.cookie_samesite == "Lax"


def test_a_fixed_role_for_every_visitor_is_served_on_loopback_only():
    from dashboard.serving import local_viewer
    from imvo.errors import ImvoError
    from warehouse.access import Viewer

    commission = Viewer("commission", "textiel")
    assert local_viewer(commission, "127.0.0.1") == commission
    assert local_viewer(commission, "localhost") == commission
    assert local_viewer(Viewer(), "0.0.0.0") == Viewer()
    with pytest.raises(ImvoError, match="--role commission shows every visitor the commission "
                                        "view, so it is only served on this machine"):
        local_viewer(commission, "0.0.0.0")


def test_gunicorn_serves_the_wsgi_entry_point(warehouse):
    port = free_port()
    env = {**os.environ, "IMVO_DATA_DIR": str(warehouse.parent),
           "IMVO_SECRET_KEY": secrets.token_hex(32)}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "2", "--bind",
                               f"127.0.0.1:{port}", "dashboard.wsgi:server"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", server)
        assert _submitted_2018(f"http://127.0.0.1:{port}", requests.Session()) == 4
        assert "Server" not in requests.get(f"http://127.0.0.1:{port}/", timeout=10).headers
    finally:
        server.terminate()
        server.communicate(timeout=30)
