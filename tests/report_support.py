"""Helpers of the meeting-pack tests: a warehouse from the real ingest, and the Debian tools."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from imvo.definitions.models import Definitions
from pipelines.ingest import ingest_paths
from tests.conftest import write_tiny_inputs
from warehouse.compute import compute_kpis
from warehouse.connection import connect_writer

TOOLS = {"pdftoppm": "poppler-utils", "pdftotext": "poppler-utils", "pdfinfo": "poppler-utils",
         "pdfimages": "poppler-utils", "soffice": "libreoffice-impress",
         "chromium": "chromium"}


def tiny_warehouse(folder: Path, defs: Definitions) -> Path:
    """Ingest the hand-worked input of tests/test_kpis.py into a warehouse; return its path."""
    path = folder / "imvo.duckdb"
    with connect_writer(path, defs.catalogue) as conn:
        ingest_paths(conn, write_tiny_inputs(folder / "in"), defs, archive_dir=folder / "archive")
        compute_kpis(conn, defs)
    return path


def require(*tools: str) -> None:
    """Skip loudly when a Debian tool is missing; under CI=true fail instead."""
    missing = sorted({TOOLS[tool] for tool in tools if shutil.which(tool) is None})
    if not missing:
        return
    reason = (f"missing Debian package(s) {', '.join(missing)}: apt-get install "
              f"{' '.join(missing)} to run the meeting-pack tests")
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(f"!!! SKIPPED: {reason}")


def run(*command: str | Path) -> str:
    """Run a command, fail the test with its output when it fails, and return its stdout."""
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True,
                          timeout=240, check=False)
    assert done.returncode == 0, f"{command[0]} failed: {done.stdout}{done.stderr}"
    return done.stdout


def pdf_pages(path: Path) -> int:
    """Return the number of pages of a PDF (pdfinfo)."""
    info = run("pdfinfo", path)
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_text(path: Path, page: int | None = None) -> str:
    """Return the text of a PDF, or of one of its pages (pdftotext, layout kept)."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return run("pdftotext", "-layout", *pages, path, "-")
