"""Which of several files of one member and year, ingested in one run, becomes current.

The order of files in a folder says nothing about which is the correction (a space sorts
before a dot, so `X.xlsx` comes after `X gecorrigeerd.xlsx`). What the files say does: the
one saved last counts, by the date in its document properties when every file has one (the
file system's date breaks a tie), else by the file system's date. When that cannot be told,
none of them becomes current, and every file's report says so. Every file stays in history.
"""

from dataclasses import dataclass
from datetime import datetime

from imvo.definitions.base import Text
from pipelines.messages import Reject, reject
from pipelines.saved import Saved, shown

BY = {"document": Text(nl="volgens de documenteigenschappen",
                       en="according to the document properties"),
      "mtime": Text(nl="volgens de bestandsdatum", en="according to the file date")}


@dataclass(frozen=True)
class Candidate:
    """A file of this run loaded as a submission of a member and year."""

    submission_id: int
    file_name: str
    sha256: str
    saved: Saved


@dataclass(frozen=True)
class Choice:
    """Which file of a member and year counts (None: cannot be told), and each file's notice."""

    key: tuple[str, str, int]
    current: Candidate | None
    notices: list[tuple[Candidate, Reject]]


def _when(candidate: Candidate, by: str) -> datetime:
    document = candidate.saved.document
    return document if by == "document" and document is not None else candidate.saved.mtime


def _ranked(candidates: list[Candidate]) -> tuple[list[Candidate], str]:
    """Return the candidates saved last first, and what decides between the first two."""
    if all(c.saved.document is not None for c in candidates):
        ranked = sorted(candidates, key=lambda c: (c.saved.document, c.saved.mtime),
                        reverse=True)
        differ = ranked[0].saved.document != ranked[1].saved.document
        return ranked, "document" if differ else "mtime"
    return sorted(candidates, key=lambda c: c.saved.mtime, reverse=True), "mtime"


def choose(key: tuple[str, str, int], candidates: list[Candidate]) -> Choice:
    """Return which of two or more files of one member and year counts, and why."""
    ranked, by = _ranked(candidates)
    best, label = ranked[0], BY[by]
    when = shown(_when(best, by))
    if _when(best, by) == _when(ranked[1], by):
        names = ", ".join(f"'{c.file_name}'" for c in ranked)
        return Choice(key, None, [(c, reject("undecided_in_run", sheet=None, row=None,
                                             column=None, value=when, limit=names, label=label,
                                             scope="version")) for c in ranked])
    others = ", ".join(f"'{c.file_name}' {shown(_when(c, by))}" for c in ranked[1:])
    notices = [(best, reject("current_in_run", sheet=None, row=None, column=None, value=when,
                             limit=others, label=label, scope="version"))]
    notices += [(c, reject("superseded_in_run", sheet=None, row=None, column=None, value=when,
                           limit=best.file_name, label=label, scope="version"))
                for c in ranked[1:]]
    return Choice(key, best, notices)
