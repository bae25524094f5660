"""Sessions end when they should, for every role: signing out, removal, a new role, a name made
anew, idle and absolute time, on every worker; made-up or stale cookies give the public view.

Each account signs in through the form; a second client carries a copy of its cookie, as an
attacker who copied it would. The times are moved by writing the session records back in time
in the real SQLite file: no clock is faked.
"""

import re
import secrets
import sqlite3
from datetime import datetime, timedelta

import pytest
import requests
from typer.testing import CliRunner

from dashboard.app import create_app
from dashboard.auth import TOKEN, WebSecurity
from imvo.errors import ImvoError
from imvo.users import token_hash
from tests.auth_support import (
    ACCOUNTS,
    HEADER_REQUEST,
    PASSWORD,
    add_accounts,
    client_as,
    csrf_token,
    header_props,
    header_texts,
    props_of,
    sign_in,
    signed_in_name,
    tiny_warehouse,
)
from tests.browser_support import serving
from tests.dashboard_support import reset_dash

COOKIE = "imvo_session"


@pytest.fixture
def app(dash_warehouse):
    reset_dash()
    users = add_accounts(dash_warehouse.parent / "users.sqlite")
    security = WebSecurity(secrets.token_hex(32), users.path, session_hours=8,
                           session_idle_minutes=30)
    yield create_app(dash_warehouse, security=security)
    reset_dash()


def store(app):
    return app.server.config["IMVO_USERS"]


def copy_of(app, client):
    """Return a new client carrying a copy of another client's session cookie."""
    thief = app.server.test_client()
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return thief


def sign_out(client):
    [token] = [props["value"] for props in header_props(client)
               if props.get("name") == "csrf_token"]
    return client.post("/auth/sign-out?lang=en", data={"csrf_token": token})


def cookie_content(app, response) -> dict:
    """Return what a response's session cookie holds ({} when it sets none)."""
    found = re.search(rf"{COOKIE}=([^;]*)", response.headers.get("Set-Cookie", ""))
    if not found or not found.group(1):
        return {}
    serializer = app.server.session_interface.get_signing_serializer(app.server)
    return serializer.loads(found.group(1))


def move_back(app, column: str, delta: timedelta) -> None:
    with sqlite3.connect(store(app).path) as conn:
        for key, value in conn.execute(f"SELECT token_hash, {column} FROM sessions").fetchall():
            earlier = datetime.fromisoformat(value) - delta
            conn.execute(f"UPDATE sessions SET {column} = ? WHERE token_hash = ?",
                         [earlier.isoformat(timespec="seconds"), key])


@pytest.mark.parametrize("role", ACCOUNTS)
def test_a_cookie_copied_before_sign_out_is_refused_after_it(app, role):
    client = client_as(app, role)
    thief = copy_of(app, client)
    assert signed_in_name(thief) == role
    assert sign_out(client).status_code == 302
    assert signed_in_name(thief) is None and signed_in_name(client) is None
    answer = thief.post("/_dash-update-component", json=HEADER_REQUEST)
    assert TOKEN not in cookie_content(app, answer)  # the ended session is not issued again


@pytest.mark.parametrize("role", ACCOUNTS)
def test_signing_out_ends_every_session_of_the_account(app, role):
    laptop, phone = client_as(app, role), client_as(app, role)
    other = client_as(app, "admin" if role != "admin" else "evaluator")
    sign_out(laptop)
    assert signed_in_name(phone) is None
    assert signed_in_name(other) is not None  # another account keeps its session
    assert sign_in(phone, role).status_code == 302 and signed_in_name(phone) == role


@pytest.mark.parametrize("role", ACCOUNTS)
def test_a_removed_account_is_not_issued_its_cookie_again(app, role):
    client = client_as(app, role)
    thief = copy_of(app, client)
    assert store(app).remove(role)
    for holder in (client, thief):
        answer = holder.post("/_dash-update-component", json=HEADER_REQUEST)
        assert "Signed in as" not in answer.get_data(as_text=True)
        assert TOKEN not in cookie_content(app, answer)
    assert signed_in_name(client) is None


@pytest.mark.parametrize("role", [r for r in ACCOUNTS if r != "admin"])
def test_a_name_made_anew_as_admin_does_not_inherit_the_old_session(app, role):
    client = client_as(app, role)
    store(app).remove(role)
    store(app).add(role, "another long passphrase", "admin")
    assert signed_in_name(client) is None and "Audit log" not in header_texts(client)
    assert sign_in(client, role, "another long passphrase").status_code == 302
    assert "Audit log" in header_texts(client)  # the new holder, signed in themselves


def test_a_name_made_anew_does_not_inherit_the_old_holders_uploads(app):
    store(app).record_upload("ab" * 32, "commission-textiel")
    store(app).remove("commission-textiel")
    store(app).add("commission-textiel", PASSWORD, "commission", "textiel")
    assert not store(app).uploaded("ab" * 32, "commission-textiel")


@pytest.mark.parametrize("role", ACCOUNTS)
def test_a_new_role_ends_the_sessions_of_the_old_one(app, role):
    client = client_as(app, role)
    new_role, covenant = ("evaluator", None) if role == "admin" else ("admin", None)
    store(app).set_role(role, new_role, covenant)
    assert signed_in_name(client) is None
    assert sign_in(client, role).status_code == 302
    label = "administrator" if new_role == "admin" else "evaluator"
    assert f"Signed in as {role} ({label})" in header_texts(client)


def test_the_role_command_ends_sessions_and_explains_mistakes(app, monkeypatch):
    from imvo.cli import app as cli

    monkeypatch.setenv("IMVO_USERS_PATH", str(store(app).path))
    client = client_as(app, "commission-textiel")
    runner = CliRunner()
    changed = runner.invoke(cli, ["users", "role", "commission-textiel", "steering",
                                  "--covenant", "banken"])
    assert changed.exit_code == 0, changed.output
    assert "commission-textiel is now steering of banken; its sessions have ended." in " ".join(
        changed.output.split())
    assert signed_in_name(client) is None
    assert store(app).account("commission-textiel").viewer.covenant == "banken"
    again = runner.invoke(cli, ["users", "add", "admin", "--role", "admin", "--generate"])
    assert str(again.exception) == (
        "there is already an account 'admin'\nHint: change its role with 'imvo users role admin "
        "ROLE', or remove it first with 'imvo users remove admin'")
    missing = runner.invoke(cli, ["users", "role", "zoe", "admin"])
    assert str(missing.exception) == ("there is no account 'zoe'\nHint: 'imvo users list' "
                                      "shows the accounts")


def test_the_sign_out_command_ends_every_session_of_an_account(app, monkeypatch):
    from imvo.cli import app as cli

    monkeypatch.setenv("IMVO_USERS_PATH", str(store(app).path))
    first, second = client_as(app, "evaluator"), client_as(app, "evaluator")
    answer = CliRunner().invoke(cli, ["users", "sign-out", "evaluator"])
    assert answer.exit_code == 0 and "Ended 2 sessions of evaluator." in answer.output
    assert signed_in_name(first) is None and signed_in_name(second) is None
    assert store(app).verify("evaluator", PASSWORD) is not None  # the account stays


def test_an_oidc_accounts_role_is_changed_at_the_provider(app):
    store(app).set_external("mila", "commission", "textiel")
    with pytest.raises(ImvoError) as refused:
        store(app).set_role("mila", "admin")
    assert str(refused.value) == (
        "the role of 'mila' comes from its groups at the OpenID Connect provider\nHint: change "
        "its groups there; 'imvo users remove mila' ends its sessions now")


@pytest.mark.parametrize("role", ACCOUNTS)
def test_a_session_ends_after_the_idle_time(app, role):
    client = client_as(app, role)
    move_back(app, "seen_at", timedelta(minutes=29))
    assert signed_in_name(client) == role  # still within 30 minutes: seen now, so kept
    move_back(app, "seen_at", timedelta(minutes=29))
    assert signed_in_name(client) == role
    move_back(app, "seen_at", timedelta(minutes=31))
    assert signed_in_name(client) is None
    with sqlite3.connect(store(app).path) as conn:
        assert conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0


@pytest.mark.parametrize("role", ACCOUNTS)
def test_a_session_ends_after_the_absolute_time_however_active(app, role):
    client = client_as(app, role)
    move_back(app, "started_at", timedelta(hours=7, minutes=59))
    assert signed_in_name(client) == role
    move_back(app, "started_at", timedelta(minutes=2))
    assert signed_in_name(client) is None


def test_the_store_keeps_only_a_hash_of_the_token(app):
    client = client_as(app, "admin")
    serializer = app.server.session_interface.get_signing_serializer(app.server)
    token = serializer.loads(client.get_cookie(COOKIE).value)[TOKEN]
    raw = b"".join(path.read_bytes() for path in store(app).path.parent.glob("users.sqlite*"))
    assert token.encode() not in raw
    with sqlite3.connect(store(app).path) as conn:
        assert conn.execute("SELECT username FROM sessions WHERE token_hash = ?",
                            [token_hash(token)]).fetchone() == ("admin",)


@pytest.mark.parametrize("token", ["", "made-up", "x" * 43, None])
def test_the_public_with_a_made_up_session_sees_the_public_view(app, token):
    forger = app.server.test_client()
    serializer = app.server.session_interface.get_signing_serializer(app.server)
    forger.set_cookie(COOKIE, serializer.dumps({TOKEN: token, "user": "admin"}))
    assert signed_in_name(forger) is None
    forger.set_cookie(COOKIE, "eyJ1c2VyIjoiYWRtaW4ifQ.forged.signature")
    assert signed_in_name(forger) is None


def test_a_session_ends_on_every_worker(tmp_path, defs):
    tiny_warehouse(tmp_path, defs)
    add_accounts(tmp_path / "users.sqlite")
    with serving(tmp_path, "--workers", "2") as url:
        owner = requests.Session()
        page = owner.get(f"{url}/auth/sign-in?lang=en", timeout=30)
        signed = owner.post(f"{url}/auth/sign-in?lang=en", timeout=30, allow_redirects=False,
                            data={"csrf_token": csrf_token(page.text), "username": "admin",
                                  "password": PASSWORD, "next": "/"})
        assert signed.status_code == 302
        thief = requests.Session()
        thief.cookies.set(COOKIE, owner.cookies[COOKIE])
        assert all(_name_over_http(url, thief) == "admin" for _ in range(6))
        token = next(p["value"] for p in _header_over_http(url, owner)
                     if p.get("name") == "csrf_token")
        owner.post(f"{url}/auth/sign-out?lang=en", data={"csrf_token": token}, timeout=30)
        # Several requests, answered by both workers: none still knows the session.
        assert [_name_over_http(url, thief) for _ in range(8)] == [None] * 8


def _header_over_http(url: str, client: requests.Session) -> list[dict]:
    answer = client.post(f"{url}/_dash-update-component", json=HEADER_REQUEST, timeout=30)
    return list(props_of(answer.json()))


def _name_over_http(url: str, client: requests.Session) -> str | None:
    texts = [p["children"] for p in _header_over_http(url, client)
             if isinstance(p.get("children"), str)]
    found = [t for t in texts if t.startswith("Signed in as ")]
    return found[0].split()[3] if found else None
