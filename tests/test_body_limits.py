"""Request bodies: the upload limit for the upload callback only, a small one for the rest."""

import json
import secrets

import pytest

from dashboard.app import create_app
from dashboard.auth import WebSecurity
from dashboard.body_limits import CALLBACK_BODY_BYTES
from tests.auth_support import add_accounts, client_as, tiny_warehouse
from tests.dashboard_support import reset_dash
from tests.test_security_upload import upload

MB = 2**20


@pytest.fixture
def app(tmp_path, defs):
    tiny_warehouse(tmp_path, defs)
    add_accounts(tmp_path / "users.sqlite")
    reset_dash()
    security = WebSecurity(secrets.token_hex(32), tmp_path / "users.sqlite",
                           max_upload_bytes=8 * MB)
    yield create_app(tmp_path / "imvo.duckdb", security=security)
    reset_dash()


def callback_body(size):
    """Return a request for another callback (the upload area) padded to `size` bytes."""
    body = {"output": "upload-body.children", "outputs": {"id": "upload-body",
                                                          "property": "children"},
            "inputs": [{"id": "upload-lang", "property": "data", "value": "en"}],
            "changedPropIds": ["upload-lang.data"], "padding": ""}
    body["padding"] = "x" * (size - len(json.dumps(body)))
    return json.dumps(body).encode()


@pytest.mark.parametrize("role", ["public", "steering-textiel", "commission-textiel", "admin"])
def test_other_callbacks_are_held_to_the_small_limit(app, role):
    client = client_as(app, role)
    small = client.post("/_dash-update-component?lang=en", data=callback_body(100_000),
                        content_type="application/json")
    assert small.status_code == 200
    large = client.post("/_dash-update-component?lang=en",
                        data=callback_body(CALLBACK_BODY_BYTES + 1),
                        content_type="application/json")
    assert large.status_code == 413
    if role in ("public", "steering-textiel"):
        assert large.get_data(as_text=True) == "The request is too large: at most 1.0 MB."


def test_the_upload_callback_takes_files_up_to_the_upload_limit(app):
    big = b"x" * (3 * MB)  # above the callback limit, below the upload limit
    answer = upload(client_as(app, "commission-textiel"), ("notes.txt", big))
    assert "notes.txt" in answer and "Not accepted" in answer
    assert ("Files of type '.txt' cannot be read. Send the questionnaire as .xlsx, .csv, .json "
            "or .parquet.") in answer


@pytest.mark.parametrize(("role", "cut_off"), [("steering-textiel", True),
                                              ("commission-textiel", False)])
def test_the_upload_limit_is_for_those_who_upload_only(app, role, cut_off):
    # As Dash's renderer writes an upload: the output first, without spaces.
    body = (b'{"output":"..upload-results.children...upload-files.contents..","inputs":'
            b'[{"id":"upload-files","property":"contents","value":["' + b"x" * (2 * MB) + b'"]}]}')
    response = client_as(app, role).post("/_dash-update-component?lang=en", data=body,
                                         content_type="application/json")
    assert (response.status_code == 413) is cut_off
