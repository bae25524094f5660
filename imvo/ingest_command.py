"""What `imvo ingest` shows and writes: a progress bar, a summary, and the feedback reports."""

from pathlib import Path

import duckdb
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table as RichTable

from imvo.definitions import definitions
from imvo.definitions.models import Definitions, Lang
from imvo.errors import ImvoError, IngestError
from imvo.terminal import escaped, literal
from pipelines.feedback import write_reports
from pipelines.ingest import IngestRun, expand_paths, own_files, run_ingest
from warehouse.compute import compute_kpis
from warehouse.publish import staged_writer


def file_table(run: IngestRun) -> RichTable:
    """Return one row per file found: what it held, what became of it, and its rows."""
    table = RichTable("file", "holds", "status", "rows in", "rows loaded", "rows quarantined",
                      title="Files")
    for register in run.registers:
        table.add_row(literal(register.file_name), "member register",
                      "rejected" if register.error else "loaded", str(register.members),
                      str(register.members), "")
    for result in run.results:
        holds = ("" if result.submission is None
                 else "{} {} {} v{}".format(*result.submission))
        table.add_row(literal(result.file_name), literal(holds), result.status,
                      str(result.rows_in), str(result.rows_loaded), str(result.rows_rejected))
    return table


def summary(run: IngestRun, found: int) -> RichTable:
    """Return the summary table of an ingest: files and rows per status."""
    loaded = sum(1 for r in run.registers if r.error is None)
    table = RichTable("status", "files", "rows in", "rows loaded", "rows quarantined",
                      title=f"Ingest: {found} file(s) found",
                      caption=f"{loaded} member register(s) loaded")
    for status in ("loaded", "unchanged", "rejected"):
        done = [r for r in run.results if r.status == status]
        table.add_row(status, str(len(done)), str(sum(r.rows_in for r in done)),
                      str(sum(r.rows_loaded for r in done)),
                      str(sum(r.rows_rejected for r in done)))
    return table


def rejected_lines(run: IngestRun, lang: Lang) -> list[str]:
    """Return one line per file not loaded: a register or a file rejected as a whole, and why."""
    lines = [f"register {r.file_name} not loaded: {r.error}"
             for r in run.registers if r.error]
    for result in [r for r in run.results if r.status == "rejected"]:
        first = result.rejects[0] if result.rejects else None
        reason = (first.message_nl if lang == "nl" else first.message_en) if first else ""
        lines.append(f"rejected {result.file_name}: {reason}")
    return lines


def choice_lines(run: IngestRun, lang: Lang) -> list[str]:
    """Return which file counts for each member-year that got several files in this run."""
    lines = []
    for choice in run.choices:
        candidate, notice = choice.notices[0]
        covenant, member, year = choice.key
        text = notice.message_nl if lang == "nl" else notice.message_en
        lines.append(f"{covenant} {member} {year}: {candidate.file_name}: {text}")
    return lines


def _run_with_bar(conn: duckdb.DuckDBPyConnection, files: list[Path], defs: Definitions,
                  archive_dir: Path, console: Console) -> IngestRun:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TimeRemainingColumn(),
               TextColumn("{task.fields[file]}", markup=False))
    with Progress(*columns, console=console) as bar:
        task = bar.add_task("Ingesting", total=len(files), file="")
        return run_ingest(conn, files, defs, archive_dir=archive_dir,
                          advance=lambda path: bar.update(task, advance=1,
                                                          file=escaped(path.name)))


def ingest_with_progress(paths: list[Path], *, warehouse: Path, archive_dir: Path,
                         report: Path | None, lang: str, compute: bool,
                         console: Console) -> None:
    """Ingest files and folders with a progress bar; write reports; compute what changed."""
    if lang not in ("nl", "en"):
        raise ImvoError(f"unknown language '{lang}'", hint="use --lang nl or --lang en")
    language: Lang = "nl" if lang == "nl" else "en"
    defs = definitions()
    with staged_writer(warehouse, defs.catalogue) as conn:
        files = expand_paths(paths, own_files(conn, archive_dir))
        run = _run_with_bar(conn, files, defs, archive_dir, console)
        console.print(file_table(run))
        console.print(summary(run, len(files)))
        for line in rejected_lines(run, language) + choice_lines(run, language):
            console.print(literal(f"  {line}"))
        if report is not None:
            written = write_reports(conn, [r.sha256 for r in run.results], defs, report,
                                    language)
            console.print(literal(f"Wrote {len(written)} feedback report(s) to {report}"))
        if compute and run.affected:
            values = compute_kpis(conn, defs, only=run.affected)
            console.print(f"Computed the KPIs of {len(run.affected)} covenant-year(s); the "
                          f"mart holds {values} values.")
        elif compute:
            console.print("No covenant-year changed; the KPI values stay as they were.")
    failed = [r for r in run.registers if r.error]
    if failed:  # the rest of the run is in the warehouse; the register must be fixed
        raise IngestError(failed[0].error or "", hint=failed[0].hint)
