"""Signing in: accounts with passwords, the session, and who is signed in for a request.

The signed session cookie holds a random session token; its record in the user store, with the
account's role and covenant, is read on every request. So a session ends on every worker at
once when it is signed out (every session of the account ends then), when the account is
removed or gets another role, after an idle time and after an absolute time. Forms carry a CSRF
token (Flask-WTF); Dash's own JSON POSTs are covered by the SameSite cookie and the origin
check of dashboard.guards. Failed sign-ins are throttled by dashboard.throttle.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
)
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFProtect, generate_csrf
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard.auth_text import at
from dashboard.body_limits import install_body_limits
from dashboard.guards import install_guards
from dashboard.oidc_claims import OidcConfig
from dashboard.redirect import safe_next
from dashboard.text import Lang, parse_lang
from dashboard.throttle import (
    SignInLimits,
    form_name,
    install_throttle,
    password_check,
    retry_minutes,
)
from imvo.users import Account, SessionLifetime, UserStore

STORE_KEY, SECURITY_KEY, TOKEN = "IMVO_USERS", "IMVO_SECURITY", "session_token"
OWNER_DAYS = 90  # a name's sign-ins from an address within these days make it the owner's
FORM_MARGIN = 2**20  # multipart boundaries and the other fields of an upload form

blueprint = Blueprint("auth", __name__, url_prefix="/auth", template_folder="templates")
csrf = CSRFProtect()


@dataclass(frozen=True)
class WebSecurity:
    """How the web tier signs users in and protects their sessions."""

    secret_key: str
    users_path: Path
    session_hours: float = 8
    session_idle_minutes: float = 30
    cookie_secure: bool = False
    cookie_samesite: str = "Lax"
    proxy_hops: int = 0
    max_upload_bytes: int = 50 * 2**20
    oidc: OidcConfig | None = None
    limits: SignInLimits = field(default_factory=SignInLimits)

    @property
    def lifetime(self) -> SessionLifetime:
        """Return how long sessions last: idle and absolute."""
        return SessionLifetime(idle=timedelta(minutes=self.session_idle_minutes),
                               absolute=timedelta(hours=self.session_hours))


class HttpsAwareSession(SecureCookieSessionInterface):
    """Mark the session cookie Secure when the request came over https, or when configured."""

    def get_cookie_secure(self, app: Flask) -> bool:
        """Return whether the cookie may only travel over https."""
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def users() -> UserStore:
    """Return the user store of the running app."""
    store: UserStore = current_app.config[STORE_KEY]
    return store


def security() -> WebSecurity:
    """Return the security settings of the running app."""
    chosen: WebSecurity = current_app.config[SECURITY_KEY]
    return chosen


def signed_in_account() -> Account | None:
    """Return the account signed in for this request, or None (also outside a request)."""
    if not has_request_context():
        return None
    if "imvo_account" not in g:
        token = session.get(TOKEN)
        # An ended session's token is left in its cookie, which is not sent again: rewriting
        # it here could overwrite the cookie of a sign-in that answered in the meantime.
        g.imvo_account = (users().session_account(token, security().lifetime)
                          if isinstance(token, str) else None)
    account: Account | None = g.imvo_account
    return account


def address() -> str | None:
    """Return the address the request came from (through trusted proxies)."""
    return request.remote_addr


def audit(event: str, detail: str = "") -> None:
    """Record an event of the signed-in user (or an anonymous visitor) in the audit log."""
    if not has_request_context():
        return  # not a web request: the command line is audited by its own shell history
    account = signed_in_account()
    users().record(event, username=account.username if account else None, address=address(),
                   detail=detail)


def start_session(account: Account) -> None:
    """Sign an account in: a fresh session, so no value set before signing in carries over."""
    session.clear()
    session[TOKEN] = users().open_session(account.username, security().lifetime)
    session.permanent = True
    g.imvo_account = account
    # The form token is made now, with the session: Dash callbacks that run side by side would
    # otherwise each make one, and only one of them ends up in the cookie.
    generate_csrf()


def sign_in_page(lang: Lang, target: str, *, error: str | None = None, status: int = 200,
                 username: str = "") -> Response:
    """Return the sign-in page, with an error message when the last attempt failed."""
    oidc: OidcConfig | None = security().oidc
    html = render_template("sign_in.html", lang=lang, at=at, target=target, error=error,
                           csrf_token=generate_csrf(), oidc=oidc, username=username)
    return Response(html, status=status, mimetype="text/html")


def _owner_address() -> bool:
    return users().signed_in_from(form_name(), address(), days=OWNER_DAYS)


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Any:
    """Show the sign-in form, or check the name and password it sent."""
    lang = parse_lang(request.values.get("lang"))
    target = safe_next(request.values.get("next"), lang)
    if request.method == "GET":
        return sign_in_page(lang, target)
    csrf.protect()
    name, store = form_name(), users()
    with password_check() as admitted:
        if not admitted:
            page = sign_in_page(lang, target, error=at("busy", lang), status=503, username=name)
            page.headers["Retry-After"] = "5"
            return page
        account = store.verify(name, request.form.get("password", ""))
    if account is None:
        store.record("sign_in_failed", username=name, address=address())
        return sign_in_page(lang, target, error=at("wrong", lang), status=401, username=name)
    start_session(account)
    store.record("sign_in", username=name, address=address(), detail="password")
    return redirect(target)


@blueprint.errorhandler(RateLimitExceeded)
def _throttled(error: RateLimitExceeded) -> Response:
    lang = parse_lang(request.values.get("lang"))
    minutes, name = retry_minutes(error), form_name()
    users().record("sign_in_throttled", username=name, address=address(),
                   detail=str(error.limit.limit))
    page = sign_in_page(lang, safe_next(request.values.get("next"), lang), status=429,
                        error=at("too_many", lang, minutes=minutes), username=name)
    page.headers["Retry-After"] = str(minutes * 60)
    return page


@blueprint.route("/sign-out", methods=["POST"])
def sign_out() -> Any:
    """End every session of the account, on every device, and go back to the overview."""
    csrf.protect()
    account = signed_in_account()
    if account is not None:
        audit("sign_out")
        users().end_sessions(account.username)
    session.clear()
    return redirect(f"/?lang={parse_lang(request.values.get('lang'))}")


def install_auth(server: Flask, chosen: WebSecurity) -> None:
    """Give the app sign-in, its user store, and the guards around every request."""
    server.config.update(
        SECRET_KEY=chosen.secret_key, SESSION_COOKIE_NAME="imvo_session",
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE=chosen.cookie_samesite,
        SESSION_COOKIE_SECURE=chosen.cookie_secure,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=chosen.session_hours),
        SESSION_REFRESH_EACH_REQUEST=False,  # the record in the store says how long it lasts
        WTF_CSRF_CHECK_DEFAULT=False, WTF_CSRF_TIME_LIMIT=None,
        **{STORE_KEY: UserStore(chosen.users_path), SECURITY_KEY: chosen})
    server.session_interface = HttpsAwareSession()
    if chosen.proxy_hops:
        hops = chosen.proxy_hops
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=hops, x_proto=hops,  # type: ignore[method-assign]
                                   x_host=hops)
    csrf.init_app(server)
    install_guards(server, max_upload_bytes=chosen.max_upload_bytes)
    install_body_limits(server, upload_body_bytes=chosen.max_upload_bytes + FORM_MARGIN)
    install_throttle(server, blueprint, chosen.limits, owner_address=_owner_address)
    server.register_blueprint(blueprint)
