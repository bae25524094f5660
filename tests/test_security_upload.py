"""Upload in the browser for the secretariat: same ingest, same guards, own covenant only.

The requests are those the upload page's dcc.Upload sends (a Dash callback with the files as
data URLs), made by test clients signed in as each role.
"""

import base64
import io
import json
import re
import secrets
import zipfile

import pytest

from dashboard.app import create_app
from dashboard.auth import WebSecurity
from tests.auth_support import add_accounts, atoms, client_as, tiny_warehouse
from tests.conftest import mat, site, write_csv_submission
from tests.dashboard_support import reset_dash
from warehouse.access import Viewer, kpi_values
from warehouse.connection import connect_reader, scalar

UPLOAD = "..upload-results.children...upload-files.contents.."
LIMIT = 64 * 1024


@pytest.fixture
def site_dir(tmp_path, defs):
    tiny_warehouse(tmp_path, defs)
    add_accounts(tmp_path / "users.sqlite")
    reset_dash()
    security = WebSecurity(secrets.token_hex(32), tmp_path / "users.sqlite",
                           max_upload_bytes=LIMIT)
    app = create_app(tmp_path / "imvo.duckdb", security=security)
    yield app, tmp_path
    reset_dash()


def upload(client, *files: tuple[str, bytes]):
    """Send files as the upload page does; return the answer's JSON."""
    response = client.post("/_dash-update-component", json={
        "output": UPLOAD,
        "outputs": [{"id": "upload-results", "property": "children"},
                    {"id": "upload-files", "property": "contents"}],
        "inputs": [{"id": "upload-files", "property": "contents",
                    "value": ["data:application/octet-stream;base64,"
                              + base64.b64encode(content).decode() for _, content in files]}],
        "state": [{"id": "upload-files", "property": "filename",
                   "value": [name for name, _ in files]},
                  {"id": "upload-lang", "property": "data", "value": "en"}],
        "changedPropIds": ["upload-files.contents"]})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return "\n".join(str(a) for a in atoms(json.loads(response.get_data(as_text=True))))


def member_e(folder) -> bytes:
    path = write_csv_submission(
        folder / "E.csv", "textiel", 2018, "E",
        answers={"msi_member": "ja", "dd_report_published": "ja", "market_share_pct": "1 %"},
        sites=[site("E1", "BD", 40, 4, "ja", 1, 0, 0, "ja")], materials=[mat("cotton", 5, 1)])
    return path.read_bytes()


def submitted(folder, covenant="textiel") -> int:
    with connect_reader(folder / "imvo.duckdb") as conn:
        frame = kpi_values(conn, Viewer("admin"), covenant=covenant, kpi="members_count")
    return int(frame.filter(year=2018)["members_submitted"][0])


def files(folder) -> int:
    with connect_reader(folder / "imvo.duckdb") as conn:
        return int(scalar(conn, "SELECT count(*) FROM files"))


def test_the_secretariat_uploads_and_the_kpis_follow(site_dir):
    app, folder = site_dir
    client = client_as(app, "commission-textiel")
    answer = upload(client, ("E.csv", member_e(folder)))
    assert "E.csv" in answer and "Accepted" in answer
    assert "2 received, 2 loaded, 0 rejected" in answer  # one site, one material
    assert submitted(folder) == 5  # A–D, and now E
    sha = re.search(r"/upload/report/([0-9a-f]{64})\?lang=en", answer).group(1)
    report = client.get(f"/upload/report/{sha}?lang=en")
    assert report.status_code == 200 and report.headers["Cache-Control"] == "no-store"
    assert "Feedback on your self-assessment" in report.get_data(as_text=True)
    events = [(e.event, e.username) for e in app.server.config["IMVO_USERS"].audit(limit=3)]
    assert ("upload", "commission-textiel") in events


def test_feedback_reports_are_for_their_covenant_only(site_dir):
    app, folder = site_dir
    answer = upload(client_as(app, "commission-textiel"), ("E.csv", member_e(folder)))
    sha = re.search(r"/upload/report/([0-9a-f]{64})", answer).group(1)
    for role, status in (("public", 404), ("steering-textiel", 404),
                         ("commission-banken", 404), ("admin", 200)):
        assert client_as(app, role).get(f"/upload/report/{sha}").status_code == status, role


def test_a_file_of_another_covenant_is_refused_before_anything_is_written(site_dir):
    app, folder = site_dir
    before = files(folder)
    answer = upload(client_as(app, "commission-textiel"),
                    ("forged.csv", (folder / "in" / "K2.csv").read_bytes()))
    assert ("forged.csv: refused, this file belongs to the agreement 'banken'; you can only "
            "upload for 'textiel'.") in answer
    assert files(folder) == before


@pytest.mark.parametrize("role", ["public", "steering-textiel", "evaluator"])
def test_roles_without_the_secretariat_cannot_upload(site_dir, role):
    app, folder = site_dir
    answer = upload(client_as(app, role), ("E.csv", member_e(folder)))
    assert "Uploading is for the secretariat and monitoring commission of an agreement." in answer
    assert submitted(folder) == 4


def test_a_zip_bomb_goes_no_further_than_the_ingest_guard(site_dir):
    app, folder = site_dir
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/worksheets/sheet1.xml", b"0" * (8 * 2**20))  # 8 MB of zeros
    assert len(packed.getvalue()) < LIMIT
    answer = upload(client_as(app, "commission-textiel"), ("bomb.xlsx", packed.getvalue()))
    assert "bomb.xlsx" in answer and "Not accepted" in answer
    with connect_reader(folder / "imvo.duckdb") as conn:
        assert scalar(conn, "SELECT rule FROM rejects r JOIN files f ON f.sha256 = "
                      "r.file_sha256 WHERE f.file_name = 'bomb.xlsx'") == "zip_bomb"


def test_files_above_the_limit_and_registers_are_refused(site_dir):
    app, folder = site_dir
    big = b"x" * (LIMIT + 1)
    answer = upload(client_as(app, "admin"), ("big.csv", big),
                    ("members.csv", (folder / "in" / "members.csv").read_bytes()))
    assert "big.csv: refused, larger than 64 KB." in answer
    assert ("members.csv: refused, a member register is loaded by the administrator with "
            "'imvo ingest'.") in answer


def test_a_request_above_the_limit_is_cut_off_before_it_is_read(site_dir):
    app, _ = site_dir
    client = client_as(app, "admin")
    response = client.post("/_dash-update-component?lang=en", data=b"x" * (LIMIT + 2**20 + 1),
                           content_type="application/json")
    assert response.status_code == 413
    assert response.get_data(as_text=True) == "The file is too large: at most 0.1 MB at a time."


def test_an_upload_posted_from_another_site_is_refused(site_dir):
    app, folder = site_dir
    client = client_as(app, "commission-textiel")
    response = client.post("/_dash-update-component", json={"output": UPLOAD},
                           headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert submitted(folder) == 4
