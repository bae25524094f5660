"""Signing in with an organisation's OpenID Connect provider (Authlib), when it is configured.

The provider checks who the user is; the ID token's claims decide the role (see oidc_claims).
The account is kept in the user store without a password, so the audit log and the removal of
an account work as for local accounts.
"""

from typing import Any

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, Response, current_app, redirect, request, session, url_for
from joserfc.errors import JoseError

from dashboard.auth import address, sign_in_page, start_session, users
from dashboard.auth_text import at
from dashboard.oidc_claims import OidcConfig, username_of_claims, viewer_of_claims
from dashboard.redirect import safe_next
from dashboard.text import parse_lang
from imvo.errors import ImvoError

OAUTH_KEY = "IMVO_OAUTH"
FAILURES = (OAuthError, JoseError, requests.RequestException, KeyError, ValueError)

blueprint = Blueprint("oidc", __name__, url_prefix="/auth/oidc")


def _client() -> tuple[Any, OidcConfig]:
    oauth, config = current_app.config[OAUTH_KEY]
    return oauth.oidc, config


def install_oidc(server: Flask, config: OidcConfig) -> None:
    """Offer sign-in with the configured OpenID Connect provider."""
    oauth = OAuth(server)
    oauth.register("oidc", client_id=config.client_id, client_secret=config.client_secret,
                   server_metadata_url=config.metadata_url,
                   client_kwargs={"scope": "openid profile email"})
    server.config[OAUTH_KEY] = (oauth, config)
    server.register_blueprint(blueprint)


@blueprint.route("/start")
def start() -> Any:
    """Send the browser to the provider's sign-in, remembering where to go afterwards."""
    client, _ = _client()
    lang = parse_lang(request.args.get("lang"))
    session["oidc_next"] = safe_next(request.args.get("next"), lang)
    session["oidc_lang"] = lang
    return client.authorize_redirect(url_for("oidc.callback", _external=True))


def _refuse(reason: str, config: OidcConfig, status: int) -> Response:
    lang = parse_lang(session.get("oidc_lang"))
    users().record("sign_in_failed", address=address(), detail=f"oidc: {reason}")
    return sign_in_page(lang, safe_next(None, lang), status=status,
                        error=at("oidc_failed", lang, name=config.name, reason=reason))


@blueprint.route("/callback")
def callback() -> Any:
    """Finish the provider's sign-in: check the ID token, map its claims, start the session."""
    client, config = _client()
    lang = parse_lang(session.get("oidc_lang"))
    try:
        token = client.authorize_access_token()
    except FAILURES as exc:
        return _refuse(str(exc) or type(exc).__name__, config, 401)
    claims = token.get("userinfo") or {}
    viewer, name = viewer_of_claims(claims, config), username_of_claims(claims)
    if viewer is None or name is None:
        return _refuse(at("oidc_no_role", lang), config, 403)
    try:
        account = users().set_external(name, viewer.role, viewer.covenant)
    except ImvoError as exc:
        return _refuse(str(exc), config, 403)
    target = safe_next(session.get("oidc_next"), lang)
    start_session(account)
    users().record("sign_in", username=name, address=address(), detail="oidc")
    return redirect(target)
