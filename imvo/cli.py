"""The `imvo` command: one clear line per error, a traceback only with --debug."""

import sys
import time
from pathlib import Path
from typing import Annotated

import click
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table as RichTable

from imvo.definitions import definitions
from imvo.errors import ImvoError
from imvo.settings import get_settings
from warehouse.access import ROLES, Viewer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="IMVO Monitor: self-assessments in, KPIs against targets out.")
console = Console(stderr=True)
state = {"debug": False}


@app.callback()
def _options(debug: Annotated[bool, typer.Option(help="Show tracebacks on errors.")] = False,
             ) -> None:
    state["debug"] = debug


@app.command()
def template(
    covenant: Annotated[str, typer.Option(help="Covenant code, e.g. textiel.")],
    year: Annotated[int, typer.Option(help="Reporting year.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The .xlsx file to write.")],
) -> None:
    """Write the questionnaire (xlsx) a member company fills in."""
    from pipelines.template import write_questionnaire

    defs = definitions()
    cov = defs.covenants.get(covenant)
    if cov is not None and year not in cov.years:
        raise ImvoError(f"{year} is outside the period of {covenant} "
                        f"({cov.first_year}–{cov.last_year})", hint="choose a year in the period")
    write_questionnaire(output, defs, covenant, year)
    console.print(f"Wrote {output}")


def _ingest(paths: list[Path], warehouse: Path, archive_dir: Path) -> None:
    from pipelines.ingest import expand_paths, ingest_paths
    from warehouse.connection import connect_writer

    defs = definitions()
    files = expand_paths(paths)
    with connect_writer(warehouse, defs.catalogue) as conn, Progress(console=console) as bar:
        task = bar.add_task("Ingesting", total=len(files))
        results = ingest_paths(conn, files, defs, archive_dir=archive_dir,
                               advance=lambda _: bar.advance(task))
    summary = RichTable("status", "files", "rows loaded", "rows quarantined", title="Ingest")
    for status in ("loaded", "unchanged", "rejected"):
        done = [r for r in results if r.status == status]
        summary.add_row(status, str(len(done)), str(sum(r.rows_loaded for r in done)),
                        str(sum(r.rows_rejected for r in done)))
    console.print(summary)


def _compute(warehouse: Path) -> int:
    from warehouse.compute import compute_kpis
    from warehouse.connection import connect_writer

    defs = definitions()
    with connect_writer(warehouse, defs.catalogue) as conn:
        return compute_kpis(conn, defs)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (xlsx, csv).")],
    compute: Annotated[bool, typer.Option(help="Recompute the KPIs afterwards.")] = True,
) -> None:
    """Load member registers and self-assessments into the warehouse."""
    settings = get_settings()
    _ingest(paths, settings.warehouse_path, settings.data_dir / "archive")
    if compute:
        console.print(f"Computed {_compute(settings.warehouse_path)} KPI values.")


@app.command(name="compute")
def compute_command() -> None:
    """Recompute every KPI value and progress assessment."""
    console.print(f"Computed {_compute(get_settings().warehouse_path)} KPI values.")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    role: Annotated[str, typer.Option(help="View for one local user: public, steering, "
                                           "evaluator, commission or admin.")] = "public",
    covenant: Annotated[str | None, typer.Option(help="Covenant of a steering or commission "
                                                      "view.")] = None,
) -> None:
    """Serve the dashboard on the warehouse (read-only)."""
    from dashboard.app import serve as serve_app

    settings = get_settings()
    viewer = viewer_of(role, covenant)
    _check_warehouse(settings.warehouse_path)
    console.print(f"Dashboard: http://{host or settings.host}:{port or settings.port}/ "
                  f"as {viewer.role}{' of ' + viewer.covenant if viewer.covenant else ''} "
                  "(Ctrl+C stops it)")
    serve_app(host or settings.host, port or settings.port, settings.warehouse_path,
              viewer=viewer)


def viewer_of(role: str, covenant: str | None) -> Viewer:
    """Return the viewer for a role and covenant given on the command line."""
    if role not in ROLES:
        raise ImvoError(f"unknown role '{role}'", hint="choose one of: " + ", ".join(ROLES))
    if covenant is not None and covenant not in definitions().covenants:
        raise ImvoError(f"unknown covenant '{covenant}'",
                        hint="choose one of: " + ", ".join(sorted(definitions().covenants)))
    try:
        return Viewer(role, covenant)  # type: ignore[arg-type]
    except ValueError as exc:
        raise ImvoError(str(exc), hint=f"add --covenant for the {role} role") from exc


def _check_warehouse(warehouse: Path) -> None:
    if not warehouse.is_file():
        raise ImvoError(f"no warehouse at {warehouse}", hint="run 'imvo demo' or 'imvo ingest'")


@app.command()
def demo(
    serve_it: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve afterwards.")] = True,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic data.")] = 2016,
) -> None:
    """Generate synthetic submissions for all covenants, ingest, compute and serve."""
    from dashboard.app import serve as serve_app
    from pipelines.synthetic import generate, write_files

    settings = get_settings()
    root = settings.data_dir / "demo"
    warehouse = root / "imvo.duckdb"
    start = time.monotonic()
    with console.status("Generating synthetic self-assessments"):
        written = write_files(generate(definitions(), seed=seed), root / "submissions",
                              definitions())
    console.print(f"Generated {len(written)} questionnaires in {root / 'submissions'}")
    warehouse.unlink(missing_ok=True)
    _ingest([root / "submissions"], warehouse, root / "archive")
    console.print(f"Computed {_compute(warehouse)} KPI values "
                  f"({time.monotonic() - start:.0f} s in all).")
    if serve_it:
        console.print(f"Dashboard: http://{settings.host}:{settings.port}/  (Ctrl+C stops it)")
        serve_app(settings.host, settings.port, warehouse)


def main() -> None:
    """Run the command line, turning errors into one clear line (a traceback with --debug)."""
    try:
        app(standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt):
        sys.exit(130)
    except Exception as exc:
        if state["debug"]:
            raise
        text = str(exc) if isinstance(exc, ImvoError) else (
            f"unexpected {type(exc).__name__}: {exc}\nHint: run again with --debug for details")
        console.print(f"[red]Error:[/red] {escape(text)}", highlight=False)
        sys.exit(1)
