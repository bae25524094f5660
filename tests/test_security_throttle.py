"""Password guessing is slowed down without locking the owner out, for every account.

Requests come from other addresses through the WSGI environment (REMOTE_ADDR), as they would
through the trusted proxy. Only refused passwords count; a tier that is full makes the sender
wait until it empties, so later tiers make longer waits. The password checks of a worker are
bounded: with the bound taken, a sign-in is asked to retry at once and pages still answer.
"""

import re
import secrets
import time

import pytest

from dashboard.app import create_app
from dashboard.auth import WebSecurity
from dashboard.serving import security_from_settings
from dashboard.throttle import GATE_KEY, SignInLimits
from imvo.errors import ImvoError
from imvo.settings import Settings
from tests.auth_support import ACCOUNTS, add_accounts, header_texts, sign_in, signed_in_name
from tests.dashboard_support import reset_dash

ATTACKER, OWNER = "203.0.113.66", "127.0.0.1"
WRONG = "not the password at all"


def make_app(warehouse, **limits):
    users = add_accounts(warehouse.parent / "users.sqlite")
    security = WebSecurity(secrets.token_hex(32), users.path, limits=SignInLimits(**limits))
    return create_app(warehouse, security=security)


@pytest.fixture
def app(dash_warehouse):
    reset_dash()
    yield make_app(dash_warehouse)
    reset_dash()


@pytest.fixture
def tight(dash_warehouse):
    """An app whose limits are small, so the tests stay short."""
    reset_dash()
    yield make_app(dash_warehouse, per_address="4 per minute", per_name_address="3 per minute",
                   per_name="3 per hour", checks=2)
    reset_dash()


def statuses(app, name, count, *, address=ATTACKER, password=WRONG):
    client = app.server.test_client()
    return [sign_in(client, name, password, address=address).status_code for _ in range(count)]


@pytest.mark.parametrize("role", ACCOUNTS)
def test_the_owner_signs_in_after_someone_elses_failures(app, role):
    # Twelve guesses from one address: five are checked, the rest wait; none locks the owner out.
    assert statuses(app, role, 12) == [401] * 5 + [429] * 7
    owner = app.server.test_client()
    assert sign_in(owner, role, address=OWNER).status_code == 302
    assert signed_in_name(owner) == role


@pytest.mark.parametrize("role", ACCOUNTS)
def test_guesses_from_many_addresses_do_not_lock_out_the_owners_address(tight, role):
    owner = tight.server.test_client()
    assert sign_in(owner, role, address=OWNER).status_code == 302  # the owner's usual address
    guesses = [statuses(tight, role, 1, address=f"198.51.100.{n}")[0] for n in range(5)]
    assert guesses == [401, 401, 401, 429, 429]  # the name waits for addresses new to it
    assert sign_in(tight.server.test_client(), role, address=OWNER).status_code == 302
    newcomer = sign_in(tight.server.test_client(), role, address="192.0.2.10")
    assert newcomer.status_code == 429


def test_one_address_cannot_try_many_names(app):
    client = app.server.test_client()
    answers = [sign_in(client, f"guess-{n}", WRONG, address=ATTACKER) for n in range(12)]
    assert [a.status_code for a in answers] == [401] * 10 + [429] * 2
    refused = answers[-1]
    assert "Too many failed attempts. Try again in 1 min." in refused.get_data(as_text=True)
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    # Real names from that address wait too; from another address they sign in.
    assert sign_in(client, "admin", address=ATTACKER).status_code == 429
    assert sign_in(client, "admin", address="192.0.2.1").status_code == 302
    events = [e.event for e in app.server.config["IMVO_USERS"].audit(limit=3)]
    assert events == ["sign_in", "sign_in_throttled", "sign_in_throttled"]


def test_an_ipv6_sender_is_counted_by_its_network(tight):
    client = tight.server.test_client()
    codes = [sign_in(client, f"guess-{n}", WRONG, address=f"2001:db8:1:2::{n:x}").status_code
             for n in range(1, 7)]
    assert codes == [401] * 4 + [429] * 2
    assert sign_in(client, "guess-9", WRONG, address="2001:db8:1:3::1").status_code == 401


def test_the_wait_grows_as_the_tiers_fill(dash_warehouse):
    reset_dash()
    app = make_app(dash_warehouse, per_address="2 per 2 seconds; 3 per hour")
    client = app.server.test_client()
    first = [sign_in(client, "x", WRONG, address=ATTACKER) for _ in range(3)]
    assert [a.status_code for a in first] == [401, 401, 429]
    assert first[-1].headers["Retry-After"] == "60"  # rounded up to a whole minute
    time.sleep(2.2)
    later = [sign_in(client, "x", WRONG, address=ATTACKER) for _ in range(2)]
    assert [a.status_code for a in later] == [401, 429]
    assert int(later[-1].headers["Retry-After"]) >= 3500
    assert "Try again in 60 min." in later[-1].get_data(as_text=True)
    reset_dash()


def test_right_passwords_do_not_count(tight):
    client = tight.server.test_client()
    assert [sign_in(client, "evaluator", address=ATTACKER).status_code
            for _ in range(6)] == [302] * 6


def test_the_throttled_page_speaks_dutch_and_keeps_the_name(tight):
    statuses(tight, "admin", 3)
    answer = sign_in(tight.server.test_client(), "admin", WRONG, address=ATTACKER, lang="nl")
    assert answer.status_code == 429
    page = answer.get_data(as_text=True)
    # the wait depends on which tier the module's earlier attempts filled first
    assert re.search(r"Te veel mislukte pogingen\. Probeer het over \d+ min\. opnieuw\.", page)
    assert 'name="username" value="admin"' in page


@pytest.mark.parametrize("role", ["public", *ACCOUNTS])
def test_password_checks_beyond_the_bound_retry_while_pages_answer(tight, role):
    client = tight.server.test_client()
    if role != "public":
        assert sign_in(client, role).status_code == 302
    gate = tight.server.config[GATE_KEY]
    assert gate.acquire(blocking=False) and gate.acquire(blocking=False)  # two checks running
    try:
        busy = sign_in(tight.server.test_client(), "admin", address="192.0.2.7")
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "5"
        assert ("Many sign-ins are being checked right now. Try again in a few seconds."
                in busy.get_data(as_text=True))
        assert client.get("/?lang=en").status_code == 200
        expected = f"Signed in as {role}" if role != "public" else "Sign in"
        assert expected in header_texts(client)
    finally:
        gate.release()
        gate.release()
    assert sign_in(tight.server.test_client(), "admin", address="192.0.2.7").status_code == 302
    assert "sign_in_failed" not in [e.event for e in tight.server.config["IMVO_USERS"].audit()]


def test_limits_and_their_store_are_checked_before_serving():
    key = "k" * 32
    with pytest.raises(ImvoError) as wrong:
        security_from_settings(Settings(secret_key=key, sign_in_limit_per_name="ten a minute"))
    assert str(wrong.value) == (
        "IMVO_SIGN_IN_LIMIT_PER_NAME: 'ten a minute' is not a limit\nHint: write tiers such as "
        "'5 per minute; 20 per hour; 50 per day'")
    with pytest.raises(ImvoError) as store:
        security_from_settings(Settings(secret_key=key, sign_in_limit_storage="bogus://x"))
    assert str(store.value).startswith("IMVO_SIGN_IN_LIMIT_STORAGE: unknown storage scheme")
    chosen = security_from_settings(Settings(secret_key=key)).limits
    assert chosen == SignInLimits() and chosen.storage_uri == "memory://"
    assert chosen.per_address == "10 per minute; 30 per hour; 100 per day"
