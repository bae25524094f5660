"""The header's account area: who is signed in, their pages, and signing in or out."""

from urllib.parse import quote

from dash import dcc, html
from flask_wtf.csrf import generate_csrf

from dashboard.auth import signed_in_account
from dashboard.auth_text import at
from dashboard.text import Lang
from dashboard.upload import may_upload


def role_label(role: str, covenant: str | None, lang: Lang) -> str:
    """Return a role (and its covenant) as the header names it."""
    return at(f"role_{role}", lang) + (f" · {covenant}" if covenant else "")


def account_menu(*, lang: Lang, pathname: str, search: str) -> html.Div:
    """Return the sign-in link, or the signed-in user's name, pages and sign-out button."""
    account = signed_in_account()
    if account is None:
        target = quote(pathname + search, safe="")
        return html.Div(html.A(at("sign_in", lang), id="account-sign-in",
                               href=f"/auth/sign-in?lang={lang}&next={target}"),
                        className="account")
    links = []
    if may_upload(account):
        links.append(dcc.Link(at("nav_upload", lang), href=f"/upload?lang={lang}"))
    if account.role == "admin":
        links.append(dcc.Link(at("nav_audit", lang), href=f"/audit?lang={lang}"))
    name = at("signed_in_as", lang, name=account.username,
              role=role_label(account.role, account.covenant, lang))
    sign_out = html.Form([
        dcc.Input(type="hidden", name="csrf_token", value=generate_csrf()),
        html.Button(at("sign_out", lang), type="submit", id="account-sign-out"),
    ], method="POST", action=f"/auth/sign-out?lang={lang}")
    return html.Div([html.Span(name, id="account-name"), *links, sign_out], className="account")
