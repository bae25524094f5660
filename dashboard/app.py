"""The Dash app: the shell around the pages, and serving it."""

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import dash
from dash import ALL, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from dashboard.context import Sources, attach_sources, current_viewer, last_ingest, reader
from dashboard.exports import ExportRequest, export_file
from dashboard.shell import header
from dashboard.text import parse_lang, t
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
        return header(lang=lang, pathname=pathname or "/", search=search or "",
                      last=last_ingest(), company=current_viewer().role in COMPANY_ROLES)


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
        query = dict(parse_qsl((search or "").lstrip("?")))
        request = ExportRequest([p for p in (pathname or "/").split("/") if p], query,
                                parse_lang(query.get("lang")))
        with reader() as conn:
            try:
                return export_file(conn, current_viewer(), trigger["table"], trigger["format"],
                                   request)
            except KeyError as exc:
                raise PreventUpdate from exc


def create_app(warehouse_path: Path, *, definitions_dir: Path | None = None,
               viewer: Viewer = PUBLIC) -> dash.Dash:
    """Return the dashboard app reading (read-only) from a warehouse file."""
    app = dash.Dash(
        "dashboard", use_pages=True, pages_folder=str(HERE / "pages"),
        assets_folder=str(HERE / "assets"), title=t("product", "nl"), update_title="",
    )
    attach_sources(app, Sources(Path(warehouse_path), definitions_dir, viewer))
    app.layout = _shell()
    _register_shell_callbacks(app)
    _register_export_callback(app)
    return app


def serve(host: str, port: int, warehouse_path: Path, debug: bool = False, *,
          definitions_dir: Path | None = None, viewer: Viewer = PUBLIC) -> None:
    """Run the dashboard on host:port until interrupted."""
    app = create_app(warehouse_path, definitions_dir=definitions_dir, viewer=viewer)
    app.run(host=host, port=port, debug=debug)
