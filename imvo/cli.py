"""The `imvo` command: one clear line per error, a traceback only with --debug."""

import secrets
import shutil
import sys
import time
from pathlib import Path
from typing import Annotated

import click
import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table as RichTable

from imvo.definitions import definitions
from imvo.errors import ImvoError
from imvo.settings import Settings, get_settings
from imvo.terminal import error_text, literal
from imvo.users_cli import add_demo_accounts, demo_accounts_table, users_app
from warehouse.access import ROLES, SCOPED_ROLES, Viewer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="IMVO Monitor: self-assessments in, KPIs against targets out.")
console = Console(stderr=True)
state = {"debug": False}
app.add_typer(users_app, name="users")


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
    console.print(literal(f"Wrote {output}"))


def _ingest(paths: list[Path], warehouse: Path, archive_dir: Path) -> None:
    from pipelines.ingest import expand_paths, ingest_paths
    from warehouse.publish import staged_writer

    defs = definitions()
    files = expand_paths(paths)
    with staged_writer(warehouse, defs.catalogue) as conn, Progress(console=console) as bar:
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
    from warehouse.publish import staged_writer

    defs = definitions()
    with staged_writer(warehouse, defs.catalogue) as conn:
        return compute_kpis(conn, defs)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(
        help="Files or folders (xlsx, xlsm, xlsb, xls, ods, csv, json, parquet; members.csv "
             "registers). Every file found is read or rejected with a reason.")],
    compute: Annotated[bool, typer.Option(
        help="Compute the KPIs of the covenant-years that changed.")] = True,
    report: Annotated[Path | None, typer.Option(
        help="Folder to write a printable feedback report per file into.")] = None,
    lang: Annotated[str, typer.Option(help="Language of the reports: nl or en.")] = "nl",
) -> None:
    """Load member registers and self-assessments into the warehouse."""
    from imvo.ingest_command import ingest_with_progress

    settings = get_settings()
    ingest_with_progress(paths, warehouse=settings.warehouse_path,
                         archive_dir=settings.data_dir / "archive", report=report, lang=lang,
                         compute=compute, console=console)


@app.command(name="compute")
def compute_command() -> None:
    """Recompute every KPI value, its disclosure control and the progress against targets."""
    from warehouse.compute import compute_kpis, mart_summary
    from warehouse.publish import staged_writer

    defs = definitions()
    with staged_writer(get_settings().warehouse_path, defs.catalogue) as conn, \
            console.status("Computing the KPIs"):
        count = compute_kpis(conn, defs)
        summary = mart_summary(conn)
    table = RichTable("KPI mart", "values", title=f"Computed {count} KPI values.")
    for key, number in summary.items():
        table.add_row(key, str(number))
    console.print(table)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (gunicorn).")] = None,
    role: Annotated[str, typer.Option(help="View of visitors who do not sign in, for one local "
                                           "user on 127.0.0.1: public, steering, evaluator, "
                                           "commission or admin.")] = "public",
    covenant: Annotated[str | None, typer.Option(help="Covenant of a steering or commission "
                                                      "view.")] = None,
) -> None:
    """Serve the dashboard on the warehouse (read-only) under gunicorn."""
    from dashboard.app import serve as serve_app
    from dashboard.serving import Workers, jobs_from_settings, local_viewer, security_from_settings

    settings = get_settings()
    chosen = Workers(host or settings.host, port or settings.port,
                     workers or settings.workers, settings.threads)
    viewer = local_viewer(viewer_of(role, covenant), chosen.host)
    _check_warehouse(settings.warehouse_path)
    security = security_from_settings(settings)
    console.print(literal(f"Dashboard: http://{chosen.host}:{chosen.port}/ ({chosen.workers} "
                          f"workers; visitors see the {viewer.role} view"
                          f"{' of ' + viewer.covenant if viewer.covenant else ''}; Ctrl+C stops "
                          "it)"))
    serve_app(chosen, settings.warehouse_path, security=security, viewer=viewer,
              jobs=jobs_from_settings(settings, settings.warehouse_path))


def viewer_of(role: str, covenant: str | None) -> Viewer:
    """Return the viewer for a role and covenant given on the command line."""
    if role not in ROLES:
        raise ImvoError(f"unknown role '{role}'", hint="choose one of: " + ", ".join(ROLES))
    if covenant is not None and covenant not in definitions().covenants:
        raise ImvoError(f"unknown covenant '{covenant}'",
                        hint="choose one of: " + ", ".join(sorted(definitions().covenants)))
    try:
        return Viewer(role, covenant)
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
    from pipelines.demo import write_demo_files

    settings = get_settings()
    root = settings.data_dir / "demo"
    warehouse = root / "imvo.duckdb"
    start = time.monotonic()
    shutil.rmtree(root, ignore_errors=True)  # the demo is rebuilt from its seed every time
    with console.status("Generating synthetic self-assessments"):
        files = write_demo_files(definitions(), root, seed=seed)
    console.print(literal(f"Generated {files.questionnaires} questionnaires in {root}"))
    _ingest([files.submissions], warehouse, root / "archive")
    _ingest([files.corrections], warehouse, root / "archive")
    console.print(f"Computed {_compute(warehouse)} KPI values "
                  f"({time.monotonic() - start:.0f} s in all).")
    made = add_demo_accounts(root / "users.sqlite")
    console.print(demo_accounts_table(made))
    if serve_it:
        _serve_demo(settings, root)


def _serve_demo(settings: Settings, root: Path) -> None:
    from dashboard.app import serve as serve_app
    from dashboard.serving import Workers, jobs_from_settings, security_from_settings

    demo = settings.model_copy(update={"users_path": root / "users.sqlite"})
    # Demo mode only: without IMVO_SECRET_KEY the sessions are signed with a key made now.
    security = security_from_settings(demo, demo_key=secrets.token_hex(32))
    workers = Workers(settings.host, settings.port, settings.workers, settings.threads)
    console.print(literal(f"Dashboard: http://{workers.host}:{workers.port}/  (Ctrl+C stops it)"))
    serve_app(workers, root / "imvo.duckdb", security=security,
              jobs=jobs_from_settings(settings, root / "imvo.duckdb"))


@app.command()
def report(
    covenant: Annotated[str, typer.Option(help="Covenant code, e.g. textiel.")],
    year: Annotated[int, typer.Option(help="Reporting year the meeting is about.")],
    fmt: Annotated[str, typer.Option("--format", help="pdf or pptx.")] = "pdf",
    lang: Annotated[str, typer.Option(help="Language: nl or en.")] = "nl",
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="The file to write (default: named after covenant, year).")] = None,
    role: Annotated[str, typer.Option(help="Disclosure as for: public, steering, evaluator, "
                                           "commission or admin.")] = "public",
    scope: Annotated[str | None, typer.Option(help="Covenant of a steering or commission role "
                                                   "(default: --covenant).")] = None,
) -> None:
    """Write the meeting pack (PDF or PowerPoint) of a covenant and year."""
    from dashboard.report.pack import check_request, file_name, make_pack, pack_choice

    chosen, language = pack_choice(fmt, lang)
    viewer = viewer_of(role, scope or (covenant if role in SCOPED_ROLES else None))
    settings = get_settings()
    _check_warehouse(settings.warehouse_path)
    check_request(definitions(), covenant, year)
    target = output or Path(file_name(covenant, year, language, chosen))
    with Progress(console=console) as bar:
        task = bar.add_task("Meeting pack", total=None)
        content = make_pack(settings.warehouse_path, viewer, definitions(), covenant=covenant,
                            year=year, lang=language, fmt=chosen,
                            progress=lambda done, total, what: bar.update(
                                task, completed=done, total=total, description=what))
    target.write_bytes(content)
    console.print(literal(f"Wrote {target} ({len(content) // 1024} KB, as {viewer.role})"))


def _show_usage_error(exc: click.ClickException | typer.TyperException) -> None:
    """Print a mistake on the command line as click does, with what was typed escaped."""
    context = getattr(exc, "ctx", None)
    if context is not None:
        console.print(literal(context.get_usage()))
        console.print(literal(f"Try '{context.command_path} --help' for help."), "\n")
    console.print(error_text(exc.format_message()))


def main() -> None:
    """Run the command line, turning errors into one clear line (a traceback with --debug)."""
    try:
        app(standalone_mode=False)
    except (click.ClickException, typer.TyperException) as exc:  # typer brings its own click
        _show_usage_error(exc)
        sys.exit(exc.exit_code)
    except (click.Abort, typer.Abort, KeyboardInterrupt):
        sys.exit(130)
    except Exception as exc:
        if state["debug"]:
            raise
        if isinstance(exc, ImvoError):
            console.print(error_text(exc.args[0], exc.hint))
        else:
            console.print(error_text(f"unexpected {type(exc).__name__}: {exc}",
                                     "run again with --debug for details"))
        sys.exit(1)
