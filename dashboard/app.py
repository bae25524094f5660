"""The Dash app: the shell around the pages, and serving it."""

from pathlib import Path
from urllib.parse import parse_qsl

import dash
from dash import Input, Output, dcc, html

from dashboard.context import Sources, attach_sources, last_ingest
from dashboard.shell import header
from dashboard.text import parse_lang, t

HERE = Path(__file__).resolve().parent


def _shell() -> html.Div:
    return html.Div([
        dcc.Location(id="shell-url"),
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
                      last=last_ingest())


def create_app(warehouse_path: Path, *, definitions_dir: Path | None = None) -> dash.Dash:
    """Return the dashboard app reading (read-only) from a warehouse file."""
    app = dash.Dash(
        "dashboard", use_pages=True, pages_folder=str(HERE / "pages"),
        assets_folder=str(HERE / "assets"), title=t("product", "nl"), update_title="",
    )
    attach_sources(app, Sources(Path(warehouse_path), definitions_dir))
    app.layout = _shell()
    _register_shell_callbacks(app)
    return app


def serve(host: str, port: int, warehouse_path: Path, debug: bool = False, *,
          definitions_dir: Path | None = None) -> None:
    """Run the dashboard on host:port until interrupted."""
    app = create_app(warehouse_path, definitions_dir=definitions_dir)
    app.run(host=host, port=port, debug=debug)
