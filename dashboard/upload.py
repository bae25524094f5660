"""Upload of self-assessments in the browser, for the secretariat and administrators.

The commission role of a covenant acts as its secretariat. Files go through the same ingest as
`imvo ingest`, with the same size limit and zip-bomb guard, into a copy of the warehouse that is
published when done, and each file gets the same feedback report. A secretariat uploads for its
own covenant only: a file that names another covenant is refused before anything is written.
"""

import base64
import binascii
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, request
from werkzeug.utils import secure_filename

from dashboard.auth import audit, security, signed_in_account, users
from dashboard.context import current_definitions, current_sources, reader
from dashboard.text import parse_lang
from imvo.definitions.models import Definitions
from imvo.users import Account
from pipelines.feedback import feedback, render
from pipelines.guards import Limits, check_file
from pipelines.ingest import IngestRun, is_member_register, run_ingest
from pipelines.messages import SubmissionRejected
from pipelines.readers import LOCK_PREFIXES, read_submission
from pipelines.validate import parse_meta
from warehouse.compute import compute_kpis
from warehouse.connection import first_row
from warehouse.publish import staged_writer

UPLOADERS = frozenset({"commission", "admin"})

blueprint = Blueprint("upload", __name__)


@dataclass(frozen=True)
class Refusal:
    """A file refused before the ingest: its name, the text key of why, and what it names."""

    file_name: str
    reason: str
    detail: str = ""


def may_upload(account: Account | None) -> bool:
    """Return whether an account may upload submissions."""
    return account is not None and account.role in UPLOADERS


def covenant_named(path: Path, defs: Definitions, limits: Limits) -> str | None:
    """Return the covenant a submission names, or None when it cannot tell (the ingest says why)."""
    try:
        check_file(path, limits)
        return parse_meta(read_submission(path, defs.catalogue), defs).covenant
    except SubmissionRejected:
        return None


def screen(path: Path, name: str, account: Account, defs: Definitions,
           limits: Limits) -> Refusal | None:
    """Return why a saved upload may not be ingested for an account, or None when it may.

    A file of a type no reader reads is not refused here: the ingest records it as rejected,
    with what to send instead, and its report says so.
    """
    if is_member_register(path):
        return Refusal(name, "register_refused")
    if account.role == "admin":  # uploads for any covenant: no need to read the file here
        return None
    covenant = covenant_named(path, defs, limits)
    if covenant not in (None, account.covenant):
        return Refusal(name, "other_covenant", str(covenant))
    return None


def ingest_uploads(paths: list[Path], *, warehouse: Path, defs: Definitions,
                   limits: Limits) -> IngestRun:
    """Ingest files into a copy of the warehouse, compute what changed, and publish it."""
    with staged_writer(warehouse, defs.catalogue) as conn:
        run = run_ingest(conn, paths, defs, archive_dir=warehouse.parent / "archive",
                         limits=limits)
        if run.affected:
            compute_kpis(conn, defs, only=run.affected)
    return run


def _save(name: str, content: bytes, folder: Path, index: int) -> tuple[Path, str]:
    lock = next((p for p in LOCK_PREFIXES if name.startswith(p)), "")  # kept: it says what it is
    safe = lock + secure_filename(name[len(lock):]) or f"upload-{index}"
    target = folder / str(index) / safe
    target.parent.mkdir()
    target.write_bytes(content)
    # An upload has no file system date of its own: the date saved in the document decides.
    os.utime(target, (0, 0))
    return target, safe


def receive(files: list[tuple[str, bytes]], account: Account) -> tuple[list[str], list[Refusal]]:
    """Screen and ingest uploaded files; return the hashes ingested and the files refused."""
    defs, limits = current_definitions(), Limits(max_file_bytes=security().max_upload_bytes)
    folder = Path(tempfile.mkdtemp(prefix="imvo-upload-"))
    try:
        saved = [_save(name, content, folder, i) for i, (name, content) in enumerate(files)]
        checked = [(path, screen(path, name, account, defs, limits)) for path, name in saved]
        accepted = [path for path, refusal in checked if refusal is None]
        run = (ingest_uploads(accepted, warehouse=current_sources().warehouse_path, defs=defs,
                              limits=limits) if accepted else IngestRun([], []))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for result in run.results:
        users().record_upload(result.sha256, account.username)
        audit("upload", f"{result.file_name} {result.status} {result.sha256}")
    refused = [refusal for _, refusal in checked if refusal is not None]
    for refusal in refused:
        audit("upload_refused", f"{refusal.file_name} {refusal.reason} {refusal.detail}")
    return [result.sha256 for result in run.results], refused


def size_text(size: int) -> str:
    """Return a file size limit as people read it: in MB, or in KB below one MB."""
    return f"{size / 2**20:.0f} MB" if size >= 2**20 else f"{size // 1024} KB"


def unpack(name: str, contents: str, limit: int) -> tuple[str, bytes] | Refusal:
    """Return a file sent as a data URL as name and bytes, or why it is refused."""
    _, _, encoded = contents.partition(",")
    shown = size_text(limit)
    if len(encoded) * 3 // 4 > limit + 3:  # refused before decoding what is too large
        return Refusal(name, "file_too_large", shown)
    try:
        content = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        return Refusal(name, "wrong_type")
    return (name, content) if len(content) <= limit else Refusal(name, "file_too_large", shown)


def may_read_report(account: Account | None, sha: str, covenant: str | None) -> bool:
    """Return whether an account may read the feedback report of a file."""
    if account is None:
        return False
    return (account.role == "admin" or users().uploaded(sha, account.username)
            or (account.role == "commission" and covenant == account.covenant))


@blueprint.route("/upload/report/<sha>")
def report(sha: str) -> Any:
    """Show the feedback report of a file, to those who may read it."""
    lang, account = parse_lang(request.args.get("lang")), signed_in_account()
    with reader() as conn:
        row = first_row(conn, "SELECT any_value(covenant) FROM submissions "
                        "WHERE file_sha256 = ?", [sha])
        try:
            found = feedback(conn, sha, current_definitions(), lang)
        except KeyError:
            found = None
    if found is None or not may_read_report(account, sha, row[0] if row else None):
        return Response("Not found", status=404, mimetype="text/plain")
    audit("export", f"feedback report {sha}")
    return Response(render(found, lang), mimetype="text/html",
                    headers={"Cache-Control": "no-store"})
