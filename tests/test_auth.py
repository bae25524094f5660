"""Accounts and signing in: hashed passwords, sessions, CSRF, the audit log, `imvo users`."""

import re
import sqlite3

import pytest
from typer.testing import CliRunner

from dashboard.app import create_app
from imvo.errors import ImvoError
from imvo.users import UserStore
from tests.auth_support import (
    PASSWORD,
    add_accounts,
    client_as,
    csrf_token,
    header_props,
    header_texts,
    sign_in,
)
from tests.dashboard_support import reset_dash


@pytest.fixture
def store(tmp_path):
    return UserStore(tmp_path / "users.sqlite")


@pytest.fixture
def app(dash_warehouse):
    reset_dash()
    add_accounts(dash_warehouse.parent / "users.sqlite")
    yield create_app(dash_warehouse)
    reset_dash()


def test_passwords_are_stored_only_as_argon2_hashes(store):
    store.add("ann", "a long passphrase", "commission", "textiel")
    [(stored,)] = sqlite3.connect(store.path).execute("SELECT password_hash FROM users")
    assert stored.startswith("$argon2id$") and "a long passphrase" not in stored
    assert store.verify("ann", "a long passphrase").viewer.covenant == "textiel"
    assert store.verify("ann", "a long passphrasE") is None
    assert store.verify("nobody", "a long passphrase") is None


@pytest.mark.parametrize(("args", "message"), [
    (("ann", "short", "admin", None),
     "the password is shorter than 10 characters\nHint: choose a longer one, or let --generate "
     "make one"),
    (("ann", PASSWORD, "public", None),
     "'public' is not a role an account can have\nHint: choose steering, evaluator, commission "
     "or admin (the public needs no account)"),
    (("ann", PASSWORD, "steering", None),
     "a steering account needs covenant\nHint: add --covenant for the steering role"),
    (("ann", PASSWORD, "admin", "textiel"),
     "a admin account has no covenant\nHint: leave out --covenant: the admin role spans all "
     "covenants"),
    (("ann smith", PASSWORD, "admin", None),
     "'ann smith' is not a valid user name\nHint: use 1 to 64 letters, digits and . _ @ + -, "
     "starting with a letter or digit"),
])
def test_invalid_accounts_are_refused_with_what_to_do(store, args, message):
    with pytest.raises(ImvoError) as error:
        store.add(*args)
    assert str(error.value) == message


def test_a_name_is_added_once_and_removed_once(store):
    store.add("ann", PASSWORD, "evaluator")
    with pytest.raises(ImvoError, match="there is already an account 'ann'"):
        store.add("ann", PASSWORD, "admin")
    assert store.remove("ann") is True and store.remove("ann") is False
    assert store.accounts() == []


def test_sign_in_starts_a_session_with_safe_cookie_flags(app):
    client = app.server.test_client()
    response = sign_in(client, "commission-textiel", next_path="/quality?lang=en")
    assert response.status_code == 302 and response.headers["Location"] == "/quality?lang=en"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("imvo_session=") and "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie and "Secure" not in cookie
    entry = app.server.config["IMVO_USERS"].audit(limit=1)[0]
    assert (entry.event, entry.username, entry.detail) == ("sign_in", "commission-textiel",
                                                          "password")


def test_the_cookie_is_secure_over_https(app):
    client = app.server.test_client()
    token = csrf_token(client.get("/auth/sign-in", base_url="https://imvo.example").data)
    # Over https Flask-WTF also wants the form's page as Referer, as browsers send it.
    response = client.post("/auth/sign-in", base_url="https://imvo.example", data={
        "csrf_token": token, "username": "admin", "password": PASSWORD},
        headers={"Referer": "https://imvo.example/auth/sign-in"})
    assert response.status_code == 302
    assert "; Secure" in response.headers["Set-Cookie"]


def test_a_wrong_password_is_refused_and_audited(app):
    client = app.server.test_client()
    response = sign_in(client, "admin", password="not the password")
    assert response.status_code == 401
    assert "Unknown user name or wrong password." in response.get_data(as_text=True)
    entry = app.server.config["IMVO_USERS"].audit(limit=1)[0]
    assert (entry.event, entry.username, entry.address) == ("sign_in_failed", "admin",
                                                           "127.0.0.1")


def test_sign_in_without_the_form_token_is_refused(app):
    response = app.server.test_client().post("/auth/sign-in?lang=en", data={
        "username": "admin", "password": PASSWORD})
    assert response.status_code == 400
    assert response.get_data(as_text=True) == ("The form expired or did not come from this site. "
                                               "Reload the page and try again.")


def test_a_removed_account_loses_its_session_at_once(app):
    client = client_as(app, "commission-textiel")
    assert "Signed in as commission-textiel (monitoring commission and secretariat · textiel)" \
        in header_texts(client)
    app.server.config["IMVO_USERS"].remove("commission-textiel")
    assert "Signed in as" not in header_texts(client) and "Sign in" in header_texts(client)


def test_sign_out_needs_the_token_and_ends_the_session(app):
    client = client_as(app, "admin")
    assert client.post("/auth/sign-out").status_code == 400
    [token] = [props["value"] for props in header_props(client)
               if props.get("name") == "csrf_token"]
    response = client.post("/auth/sign-out?lang=en", data={"csrf_token": token})
    assert response.status_code == 302 and "Signed in as" not in header_texts(client)
    assert app.server.config["IMVO_USERS"].audit(limit=1)[0].event == "sign_out"


def test_posts_from_another_site_are_refused(app):
    client = client_as(app, "admin")
    forged = client.post("/_dash-update-component", json={},
                         headers={"Origin": "http://evil.example"})
    assert forged.status_code == 403
    assert forged.get_data(as_text=True) == "Verzoek van een andere site geweigerd."
    referred = client.post("/auth/sign-out", headers={"Referer": "http://evil.example/page"})
    assert referred.status_code == 403
    same = client.post("/_dash-update-component", json={"output": "x"},
                       headers={"Origin": "http://localhost"})
    assert same.status_code != 403


def test_every_answer_carries_the_protective_headers(app):
    response = app.server.test_client().get("/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_users_command_adds_lists_and_removes(tmp_path, monkeypatch):
    from imvo.cli import app as cli

    monkeypatch.setenv("IMVO_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    added = runner.invoke(cli, ["users", "add", "ann", "--role", "commission",
                                "--covenant", "textiel"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert added.exit_code == 0, added.output
    generated = runner.invoke(cli, ["users", "add", "bob", "--role", "admin", "--generate"])
    password = re.search(r"Password: (\S+)", generated.output).group(1)
    store = UserStore(tmp_path / "users.sqlite")
    assert store.verify("ann", PASSWORD).viewer.role == "commission"
    assert store.verify("bob", password).viewer.role == "admin"
    listed = runner.invoke(cli, ["users", "list"]).output
    assert re.search(r"ann\s+│\s+commission\s+│\s+textiel\s+│\s+password", listed)
    assert runner.invoke(cli, ["users", "remove", "ann"]).exit_code == 0
    assert [a.username for a in store.accounts()] == ["bob"]


def test_users_command_errors_are_one_line_with_a_hint(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "IMVO_DATA_DIR": str(tmp_path), "COLUMNS": "200"}
    result = subprocess.run([sys.executable, "-m", "imvo", "users", "add", "ann", "--role",
                             "steering", "--covenant", "kleding", "--generate"], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: unknown covenant 'kleding'\nHint: choose one of: ")
    removed = subprocess.run([sys.executable, "-m", "imvo", "users", "remove", "zoe"], env=env,
                             capture_output=True, text=True)
    assert removed.stderr == ("Error: there is no account 'zoe'\nHint: 'imvo users list' shows "
                              "the accounts\n")


def test_the_demo_makes_one_account_per_role_that_signs_in(tmp_path):
    from imvo.users_cli import add_demo_accounts, demo_accounts_table

    made = add_demo_accounts(tmp_path / "users.sqlite")
    store = UserStore(tmp_path / "users.sqlite")
    assert [(a.role, a.covenant) for a, _ in made] == [
        ("steering", "textiel"), ("evaluator", None), ("commission", "textiel"), ("admin", None)]
    assert all(store.verify(a.username, password) == a for a, password in made)
    table = demo_accounts_table(made)
    assert table.columns[0]._cells == ["public", "steering (textiel)", "evaluator",
                                       "commission (textiel)", "admin"]
