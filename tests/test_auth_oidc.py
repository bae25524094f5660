"""OpenID Connect sign-in against a fake provider on 127.0.0.1, and the claim-to-role mapping.

The fake provider is a real OpenID Connect server as far as the app can tell: a discovery
document, an authorisation endpoint that signs the user in at once, a token endpoint that
checks the client's secret, and RS256 ID tokens whose keys it publishes as a JWKS.
"""

import secrets
import threading
import time
from urllib.parse import quote, urlencode, urlsplit

import pytest
import requests
from flask import Flask, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

from dashboard.app import create_app
from dashboard.auth import WebSecurity
from dashboard.oidc_claims import (
    OidcConfig,
    check_config,
    parse_grant,
    username_of_claims,
    viewer_of_claims,
)
from dashboard.serving import oidc_from_settings
from imvo.errors import ImvoError
from imvo.settings import Settings
from imvo.users import UserStore
from tests.auth_support import signed_in_name
from tests.browser_support import free_port
from tests.dashboard_support import reset_dash
from warehouse.access import Viewer

CLIENT_ID, CLIENT_SECRET = "imvo-monitor", "client-secret-for-tests"
ROLES = {"imvo-textiel-commissie": "commission:textiel", "ser-evaluatoren": "evaluator",
         "imvo-beheer": "admin", "imvo-banken-stuurgroep": "steering:banken"}


class FakeProvider:
    """An OpenID Connect provider that signs in whoever `user` says, with those claims."""

    def __init__(self) -> None:
        self.key, self.other_key = (RSAKey.generate_key(2048, private=True) for _ in range(2))
        self.user: dict = {}
        self.sign_with_other_key = False
        self.codes: dict[str, dict] = {}
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.app = self._app()

    def _app(self) -> Flask:
        app = Flask("fake-oidc")

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify(issuer=self.issuer, authorization_endpoint=f"{self.issuer}/authorize",
                           token_endpoint=f"{self.issuer}/token", jwks_uri=f"{self.issuer}/jwks",
                           response_types_supported=["code"], subject_types_supported=["public"],
                           id_token_signing_alg_values_supported=["RS256"])

        @app.get("/authorize")
        def authorize():
            code = secrets.token_urlsafe(16)
            self.codes[code] = {"nonce": request.args["nonce"], **self.user}
            query = urlencode({"code": code, "state": request.args["state"]})
            return redirect(f"{request.args['redirect_uri']}?{query}")

        @app.post("/token")
        def token():
            if request.authorization is None or (request.authorization.username,
                                                 request.authorization.password) != (
                    CLIENT_ID, CLIENT_SECRET):
                return jsonify(error="invalid_client"), 401
            claims = self.codes.pop(request.form["code"])
            now = int(time.time())
            key = self.other_key if self.sign_with_other_key else self.key
            id_token = jwt.encode({"alg": "RS256", "kid": "k1"}, {
                "iss": self.issuer, "aud": CLIENT_ID, "iat": now, "exp": now + 300, **claims},
                key)
            return jsonify(access_token="at", token_type="Bearer", expires_in=300,
                           id_token=id_token)

        @app.get("/jwks")
        def jwks():
            return jsonify(keys=[{**self.key.as_dict(private=False), "kid": "k1",
                                  "use": "sig", "alg": "RS256"}])

        return app


@pytest.fixture(scope="module")
def provider():
    fake = FakeProvider()
    server = make_server("127.0.0.1", fake.port, fake.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def oidc_app(provider, dash_warehouse):
    reset_dash()
    config = OidcConfig(provider.issuer, CLIENT_ID, CLIENT_SECRET, "Rijksoverheid", "groups",
                        ROLES)
    users = dash_warehouse.parent / "users.sqlite"
    yield create_app(dash_warehouse, security=WebSecurity(secrets.token_hex(32), users,
                                                          oidc=config))
    reset_dash()


def sign_in_at_provider(client, provider, next_path="/quality?lang=en", **claims):
    """Walk the sign-in: app → provider → app's callback; return the callback's answer."""
    provider.user = claims
    start = client.get(f"/auth/oidc/start?lang=en&next={quote(next_path, safe='')}")
    assert start.status_code == 302 and start.headers["Location"].startswith(provider.issuer)
    back = requests.get(start.headers["Location"], allow_redirects=False, timeout=10)
    callback = urlsplit(back.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")


def test_a_mapped_group_signs_in_with_its_role_and_covenant(oidc_app, provider):
    client = oidc_app.server.test_client()
    answer = sign_in_at_provider(client, provider, sub="u-1", preferred_username="mila",
                                 groups=["staff", "imvo-textiel-commissie"])
    assert answer.status_code == 302 and answer.headers["Location"] == "/quality?lang=en"
    store = oidc_app.server.config["IMVO_USERS"]
    assert store.account("mila").viewer == Viewer("commission", "textiel")
    assert store.account("mila").source == "oidc"
    entry = store.audit(limit=1)[0]
    assert (entry.event, entry.username, entry.detail) == ("sign_in", "mila", "oidc")


def test_the_sign_in_page_offers_the_provider(oidc_app):
    page = oidc_app.server.test_client().get("/auth/sign-in?lang=en").get_data(as_text=True)
    assert "Sign in with Rijksoverheid" in page and "/auth/oidc/start?lang=en" in page


def test_a_user_without_a_mapped_group_is_refused(oidc_app, provider):
    client = oidc_app.server.test_client()
    answer = sign_in_at_provider(client, provider, sub="u-2", preferred_username="piet",
                                 groups=["staff"])
    assert answer.status_code == 403
    assert ("Signing in with Rijksoverheid failed: your account has no role in IMVO Monitor; "
            "ask the administrator to give you a group") in answer.get_data(as_text=True)
    assert oidc_app.server.config["IMVO_USERS"].account("piet") is None


def test_a_token_signed_with_an_unpublished_key_is_refused(oidc_app, provider):
    provider.sign_with_other_key = True
    try:
        answer = sign_in_at_provider(oidc_app.server.test_client(), provider, sub="u-3",
                                     preferred_username="eve", groups=["imvo-beheer"])
    finally:
        provider.sign_with_other_key = False
    assert answer.status_code == 401
    assert oidc_app.server.config["IMVO_USERS"].account("eve") is None
    assert oidc_app.server.config["IMVO_USERS"].audit(limit=1)[0].event == "sign_in_failed"


def test_a_provider_user_cannot_take_a_local_accounts_name(oidc_app, provider):
    store: UserStore = oidc_app.server.config["IMVO_USERS"]
    store.add("admin", "a local admin password", "admin")
    answer = sign_in_at_provider(oidc_app.server.test_client(), provider, sub="u-4",
                                 preferred_username="admin", groups=["ser-evaluatoren"])
    assert answer.status_code == 403
    assert "the name &#39;admin&#39; belongs to a local account" in answer.get_data(as_text=True)
    assert store.verify("admin", "a local admin password").role == "admin"


def test_several_groups_give_the_widest_role():
    config = OidcConfig("https://id.example", "c", "s", roles=ROLES)
    claims = {"groups": ["imvo-banken-stuurgroep", "ser-evaluatoren", "imvo-textiel-commissie"]}
    assert viewer_of_claims(claims, config) == Viewer("commission", "textiel")
    assert viewer_of_claims({"groups": "imvo-beheer"}, config) == Viewer("admin")
    assert viewer_of_claims({"groups": 7}, config) is None


def test_user_names_come_from_the_claims_safely():
    assert username_of_claims({"preferred_username": "mila", "sub": "x"}) == "mila"
    assert username_of_claims({"preferred_username": "<b>", "email": "a@b.nl"}) == "a@b.nl"
    assert username_of_claims({"sub": "abc/def ghi"}) == "sub-abc-def-ghi"
    assert username_of_claims({}) is None


def test_a_wrong_role_map_is_refused_before_anyone_signs_in():
    with pytest.raises(ImvoError) as error:
        parse_grant("secretary:textiel")
    assert str(error.value).startswith("IMVO_OIDC_ROLES: 'secretary:textiel' is not a valid "
                                       "grant: 'secretary' is not a role an account can have")
    with pytest.raises(ImvoError, match="IMVO_OIDC_ROLES: unknown covenant 'kleding'"):
        check_config(OidcConfig("https://id.example", "c", "s",
                                roles={"g": "steering:kleding"}), {"textiel"})


def test_an_issuer_without_client_credentials_is_refused():
    settings = Settings(oidc_issuer="https://id.example", oidc_client_id="c")
    with pytest.raises(ImvoError) as error:
        oidc_from_settings(settings)
    assert str(error.value) == (
        "IMVO_OIDC_ISSUER is set, but IMVO_OIDC_CLIENT_ID or IMVO_OIDC_CLIENT_SECRET is not\n"
        "Hint: set both (from the provider's client registration), or unset IMVO_OIDC_ISSUER")
    assert oidc_from_settings(Settings()) is None


def test_the_token_endpoint_checks_the_client_secret(provider):
    refused = requests.post(f"{provider.issuer}/token", data={"code": "x"},
                            auth=(CLIENT_ID, "wrong"), timeout=10)
    assert refused.status_code == 401


def test_a_provider_sign_in_is_a_session_record_that_ends(oidc_app, provider):
    store: UserStore = oidc_app.server.config["IMVO_USERS"]
    laptop, phone = oidc_app.server.test_client(), oidc_app.server.test_client()
    for client in (laptop, phone):
        sign_in_at_provider(client, provider, sub="u-5", preferred_username="joke",
                            groups=["imvo-textiel-commissie"])
        assert signed_in_name(client) == "joke"
    # The provider now gives joke another group: the sessions of the old role end.
    sign_in_at_provider(laptop, provider, sub="u-5", preferred_username="joke",
                        groups=["ser-evaluatoren"])
    assert signed_in_name(laptop) == "joke" and signed_in_name(phone) is None
    assert store.account("joke").viewer == Viewer("evaluator")
    store.remove("joke")
    assert signed_in_name(laptop) is None


@pytest.mark.parametrize("target", ["//evil.example/", "/%09/evil.example", "/%2F/evil.example",
                                    "https://evil.example/", "/\\evil.example", "javascript:x"])
def test_the_provider_sign_in_never_sends_the_browser_to_another_site(oidc_app, provider,
                                                                      target):
    answer = sign_in_at_provider(oidc_app.server.test_client(), provider, next_path=target,
                                 sub="u-6", preferred_username="kees", groups=["imvo-beheer"])
    assert answer.status_code == 302 and answer.headers["Location"] == "/?lang=en"
