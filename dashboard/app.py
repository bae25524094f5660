"""The Dash app: the shell around the pages, and serving it."""

import pkgutil
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote

import dash
from dash import ALL, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate
from flask import Response

from dashboard.account import account_menu
from dashboard.auth import WebSecurity, audit, install_auth
from dashboard.cache import install_response_cache
from dashboard.callback_checks import install_callback_checks
from dashboard.checks import install_request_checks
from dashboard.context import Sources, attach_sources, current_viewer, last_ingest, reader
from dashboard.exports import ExportRequest, export_file
from dashboard.guards import install_content_policy
from dashboard.oidc import install_oidc
from dashboard.report.jobstore import JobSettings
from dashboard.serving import Workers, local_viewer, run_workers
from dashboard.shell import header
from dashboard.text import parse_lang, t
from dashboard.upload import blueprint as upload_blueprint
from imvo.errors import AccessDenied
from imvo.settings import get_settings
from warehouse.access import COMPANY_ROLES, PUBLIC, Viewer

HERE = Path(__file__).resolve().parent


def _shell() -> html.Div:
    return html.Div([
        dcc.Location(id="shell-url"),
        dcc.Download(id="shell-download"),
        html.Header(id="shell-header", className="shell-header"),
        html.Main(dash.page_container, className="shell-main"),
    ], className="shell")


def _register_shell_callbacks(app: dash.Dash) -> None:
    @app.callback(Output("shell-header", "children"),
                  Input("shell-url", "pathname"), Input("shell-url", "search"))
    def show_header(pathname: str | None, search: str | None) -> list[object]:
        """Show the header in the URL's language, with switch links that keep the path."""
        lang = parse_lang(dict(parse_qsl((search or "").lstrip("?"))).get("lang"))
        return [*header(lang=lang, pathname=pathname or "/", search=search or "",
                        last=last_ingest(), company=current_viewer().role in COMPANY_ROLES),
                account_menu(lang=lang, pathname=pathname or "/", search=search or "")]


def _export(trigger: dict[str, str], pathname: str | None, search: str | None) -> dict[str, Any]:
    """Return the download of a table for the viewer of the request, and audit it."""
    query = dict(parse_qsl((search or "").lstrip("?")))
    parts = [unquote(p) for p in (pathname or "/").split("/") if p]  # ids are %-encoded
    request = ExportRequest(parts, query, parse_lang(query.get("lang")))
    described = f"{trigger['table']}.{trigger['format']} {pathname}{search or ''}"
    with reader() as conn:
        try:
            sent = export_file(conn, current_viewer(), trigger["table"], trigger["format"],
                               request)
        except (KeyError, AccessDenied) as exc:
            audit("export_refused", described)
            raise PreventUpdate from exc
    audit("export", described)
    return sent


def _register_export_callback(app: dash.Dash) -> None:
    @app.callback(Output("shell-download", "data"),
                  Input({"type": "export", "table": ALL, "format": ALL}, "n_clicks"),
                  State("shell-url", "pathname"), State("shell-url", "search"),
                  prevent_initial_call=True)
    def download(clicks: list[int | None], pathname: str | None,
                 search: str | None) -> dict[str, Any]:
        """Send the clicked table as CSV or XLSX, read again for the viewer of the request."""
        trigger = dash.ctx.triggered_id
        if not trigger or not any(clicks):
            raise PreventUpdate
        return _export(trigger, pathname, search)


def _favicon() -> Response:
    # Browsers ask for /favicon.ico where a page (the sign-in form, a report) names none.
    return Response(pkgutil.get_data("dash", "favicon.ico"), mimetype="image/x-icon")


def _secure(app: dash.Dash, security: WebSecurity) -> None:
    install_auth(app.server, security)
    # Bad requests are answered before anything reads data or runs a callback.
    install_request_checks(app.server)
    install_callback_checks(app)
    install_content_policy(app.server, app.csp_hashes)
    if security.oidc is not None:
        install_oidc(app.server, security.oidc)
    app.server.register_blueprint(upload_blueprint)
    app.server.add_url_rule("/favicon.ico", "favicon", _favicon)


def create_app(warehouse_path: Path, *, definitions_dir: Path | None = None,
               viewer: Viewer = PUBLIC, security: WebSecurity | None = None,
               jobs: JobSettings | None = None, cache_bytes: int = 64 << 20) -> dash.Dash:
    """Return the dashboard app reading (read-only) from a warehouse file.

    `viewer` is who visitors are until they sign in (the public); without `security` the
    sessions are signed with a key made for this process and the accounts are kept beside
    the warehouse, as suits a test or a single process; without `jobs` meeting packs are made
    in a private folder `jobs` beside the warehouse.
    """
    app = dash.Dash(
        "dashboard", use_pages=True, pages_folder=str(HERE / "pages"),
        assets_folder=str(HERE / "assets"), title=t("product", "nl"), update_title="",
        # Pages render their controls only for a known covenant or KPI, so a layout called
        # without arguments (Dash's check of every callback's ids) lacks some of them.
        suppress_callback_exceptions=True,
    )
    # Read from the environment once: settings are parsed anew on each call.
    folder = definitions_dir or get_settings().definitions_dir
    attach_sources(app, Sources(Path(warehouse_path), folder, viewer, jobs))
    _secure(app, security or WebSecurity(secrets.token_hex(32),
                                         Path(warehouse_path).parent / "users.sqlite"))
    app.layout = _shell()
    _register_shell_callbacks(app)
    _register_export_callback(app)
    install_response_cache(app.server, viewer=current_viewer, warehouse=Path(warehouse_path),
                           max_bytes=cache_bytes)
    return app


def serve(workers: Workers, warehouse_path: Path, *, security: WebSecurity,
          jobs: JobSettings | None = None, definitions_dir: Path | None = None,
          viewer: Viewer = PUBLIC) -> None:
    """Run the dashboard under gunicorn, each worker with its own app, until interrupted."""
    visitor = local_viewer(viewer, workers.host)
    run_workers(lambda: create_app(warehouse_path, definitions_dir=definitions_dir,
                                   viewer=visitor, security=security, jobs=jobs).server,
                workers)
