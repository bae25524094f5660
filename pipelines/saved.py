"""When a file was last saved: what its document properties say, and the file system's date.

Of two files of the same member and year in one ingest, the one saved last counts. A workbook
says when it was saved in its document properties (`dcterms:modified` in an xlsx's
`docProps/core.xml`, `dc:date` in an ods's `meta.xml`), which survives copying and mailing; the
file system's date (mtime) is used when not every file says it.
"""

import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

PROPERTIES = {".xlsx": "docProps/core.xml", ".xlsm": "docProps/core.xml",
              ".xlsb": "docProps/core.xml", ".ods": "meta.xml"}
SAVED = re.compile(rb"<(?:\w+:)?(?:modified|date)\b[^>]*>\s*([^<\s]+)\s*<")
MOST = 1 << 16
"""Bytes of the properties part read at most: the date is near its start."""


@dataclass(frozen=True)
class Saved:
    """When a file was last saved by its own account (if it says) and by the file system."""

    document: datetime | None
    mtime: datetime


def _document_date(path: Path) -> datetime | None:
    part = PROPERTIES.get(path.suffix.lower())
    if part is None:
        return None
    try:
        with zipfile.ZipFile(path) as book, book.open(part) as handle:
            found = SAVED.search(handle.read(MOST))
        if found is None:
            return None
        when = datetime.fromisoformat(found.group(1).decode("ascii"))
    except (KeyError, OSError, ValueError, UnicodeDecodeError, zipfile.BadZipFile,
            RuntimeError, NotImplementedError):
        return None  # no readable date: the file system's date decides
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def saved_at(path: Path) -> Saved:
    """Return when a file says it was last saved, and its file system date."""
    mtime = datetime.fromtimestamp(path.stat().st_mtime_ns / 1e9, UTC)
    return Saved(_document_date(path), mtime)


def shown(when: datetime) -> str:
    """Return a save date as people read it, in UTC to the second."""
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
