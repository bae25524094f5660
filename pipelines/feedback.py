"""The feedback report a company gets for each file: accepted, rejected and why, in nl or en.

The report is built from what the warehouse holds for the file (so it can be written again for
a file ingested earlier) and rendered as one printable HTML page.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from babel.dates import format_datetime
from babel.numbers import format_decimal
from jinja2 import Environment, PackageLoader, select_autoescape

from imvo.definitions.models import Definitions, Lang
from pipelines.feedback_text import GROUPS, LOCALES, TEXT, status_of
from pipelines.hints import field_label
from pipelines.validate import needed_fields

REPORT = """
SELECT f.file_name, f.sha256, f.ingested_at, f.status, f.rows_in, f.rows_loaded,
    f.rows_rejected, s.covenant, s.member_id, s.year, s.version, s.is_current,
    s.submission_id, m.name
FROM files f LEFT JOIN submissions s ON s.file_sha256 = f.sha256
LEFT JOIN members m ON m.covenant = s.covenant AND m.member_id = s.member_id
WHERE f.sha256 = ?
"""
REJECTS = """
SELECT scope, sheet, row_number, column_name, value, message_nl, message_en FROM rejects
WHERE file_sha256 = ? ORDER BY sheet NULLS FIRST, row_number NULLS FIRST, column_name
"""


@dataclass(frozen=True)
class Feedback:
    """What one report shows, in one language."""

    file_name: str
    sha256: str
    received: str
    status_key: str
    status_class: str
    superseded: bool
    undecided: bool
    """Not current: several files of the member-year came at once, none known to be last."""
    covenant: str | None
    member: str | None
    year: int | None
    version: int | None
    rows_in: int
    rows_loaded: int
    rows_rejected: int
    groups: list[tuple[str, list[dict[str, Any]]]]
    answers: list[tuple[str, str]]
    tables: list[tuple[str, int]]


def _shown(value: Any, lang: Lang) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return TEXT[lang]["yes" if value else "no"]
    if isinstance(value, int | float):
        return format_decimal(value, locale=LOCALES[lang])
    return str(value)


def _label(defs: Definitions, column: str | None, lang: Lang) -> str:
    """Return a column or question as the company reads it: its label, never its code."""
    label = field_label(defs.catalogue, column)
    return label.get(lang) if label else column or ""


def _groups(conn: duckdb.DuckDBPyConnection, sha: str, defs: Definitions,
            lang: Lang) -> list[tuple[str, list[dict[str, Any]]]]:
    rows = conn.execute(REJECTS, [sha]).fetchall()
    groups: list[tuple[str, list[dict[str, Any]]]] = []
    for scope, title in GROUPS[lang]:
        items = [{"sheet": sheet or "", "row": row or "", "value": "" if value is None else value,
                  "column": _label(defs, column, lang),
                  "message": nl if lang == "nl" else en}
                 for kind, sheet, row, column, value, nl, en in rows if kind == scope]
        if items:
            groups.append((title, items))
    return groups


def _answers(conn: duckdb.DuckDBPyConnection, submission: int | None, covenant: str | None,
             defs: Definitions, lang: Lang) -> tuple[list[tuple[str, str]], list[tuple[str, int]]]:
    if submission is None or covenant is None:
        return [], []
    frame = conn.sql("SELECT * FROM answers WHERE submission_id = ?", params=[submission]).pl()
    row = frame.row(0, named=True) if frame.height else {}
    answers = [(f.label.get(lang), _shown(row.get(f.id), lang))
               for f in needed_fields(defs, covenant) if f.table == "answers" and f.id in row]
    tables = []
    for table in ("sites", "materials"):
        count = conn.execute(f"SELECT count(*) FROM {table} WHERE submission_id = ?",
                             [submission]).fetchall()[0][0]
        tables.append((defs.catalogue.tables[table].sheet.get(lang), int(count)))
    return answers, [t for t in tables if t[1]]


def feedback(conn: duckdb.DuckDBPyConnection, sha: str, defs: Definitions,
             lang: Lang) -> Feedback:
    """Return what the report of one file shows, from the warehouse."""
    found = conn.execute(REPORT, [sha]).fetchall()
    if not found:
        raise KeyError(sha)
    (name, sha, at, status, rows_in, rows_loaded, rows_rejected, covenant, member, year,
     version, current, submission, company) = found[0]
    key, css = status_of(status, rows_rejected, bool(conn.execute(
        "SELECT count(*) FROM rejects WHERE file_sha256 = ? AND scope = 'answer'",
        [sha]).fetchall()[0][0]))
    answers, tables = _answers(conn, submission, covenant, defs, lang)
    cov = defs.covenants.get(covenant) if covenant else None
    undecided = current is False and bool(conn.execute(
        "SELECT count(*) FROM rejects WHERE file_sha256 = ? AND rule = 'undecided_in_run'",
        [sha]).fetchall()[0][0])
    return Feedback(
        name, sha, format_datetime(at, format="medium", locale=LOCALES[lang]), key, css,
        current is False and not undecided, undecided, cov.name.get(lang) if cov else None,
        f"{member} — {company}" if company else member, year, version, rows_in, rows_loaded,
        rows_rejected, _groups(conn, sha, defs, lang), answers, tables)


TEMPLATES = Environment(loader=PackageLoader("pipelines"), autoescape=select_autoescape())


def render(report: Feedback, lang: Lang) -> str:
    """Return the report as a printable HTML page."""
    return TEMPLATES.get_template("feedback.html").render(fb=report, t=TEXT[lang], lang=lang)


def report_name(file_name: str, sha: str) -> str:
    """Return the report's file name: the submitted file's name and the start of its hash."""
    return f"{Path(file_name).stem}-{sha[:8]}.html"


def write_reports(conn: duckdb.DuckDBPyConnection, shas: list[str], defs: Definitions,
                  folder: Path, lang: Lang) -> list[Path]:
    """Write the feedback report of every given file into a folder; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for sha in dict.fromkeys(shas):
        report = feedback(conn, sha, defs, lang)
        path = folder / report_name(report.file_name, sha)
        path.write_text(render(report, lang), encoding="utf-8")
        written.append(path)
    return written
