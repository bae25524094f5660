"""What ingest tells about each file: its outcome, and the covenant-years it changed."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pipelines.current import Choice
from pipelines.grids import ROW, RawSubmission, data_rows
from pipelines.messages import Reject
from pipelines.register import RegisterResult
from pipelines.saved import Saved
from pipelines.validate import Prepared

Status = Literal["loaded", "unchanged", "rejected"]


@dataclass(frozen=True)
class IngestResult:
    """What happened to one file."""

    file_name: str
    sha256: str
    status: Status
    rows_in: int = 0
    rows_loaded: int = 0
    rejects: list[Reject] = field(default_factory=list)
    submission: tuple[str, str, int, int] | None = None  # covenant, member, year, version

    @property
    def rows_rejected(self) -> int:
        """Return the number of table rows that were quarantined."""
        return self.rows_in - self.rows_loaded

    @property
    def affected(self) -> frozenset[tuple[str, int]]:
        """Return the (covenant, year) whose KPI values this file changed."""
        if self.status != "loaded" or self.submission is None:
            return frozenset()
        return frozenset({(self.submission[0], self.submission[2])})


def affected_years(results: Iterable[IngestResult]) -> set[tuple[str, int]]:
    """Return the (covenant, year) pairs that the ingested files changed."""
    return {pair for result in results for pair in result.affected}


@dataclass(frozen=True)
class IngestRun:
    """The files and registers of one ingest, and which counts of a member-year's several files."""

    results: list[IngestResult]
    registers: list[RegisterResult]
    choices: list[Choice] = field(default_factory=list)

    @property
    def affected(self) -> set[tuple[str, int]]:
        """Return the (covenant, year) pairs whose KPI values must be computed again."""
        return affected_years(self.results) | {
            pair for register in self.registers for pair in register.affected}


@dataclass(frozen=True)
class Received:
    """A file as received: where it came from, its hash, size, archived copy and save date."""

    path: Path
    sha256: str
    size: int
    stored: Path
    retry: bool
    saved: Saved


@dataclass
class Outcome:
    """A received file, prepared for checking or rejected as a whole."""

    received: Received
    prepared: Prepared | None = None
    rejects: list[Reject] = field(default_factory=list)
    rows_in: int = 0


def raw_rows(raw: RawSubmission) -> int:
    """Return the number of data rows a read file holds."""
    stray = len({(r.sheet, r.row) for r in raw.extra if r.scope == "row"})
    return stray + sum(data_rows(t.frame, [c for c in t.frame.columns if c != ROW]).height
                       for t in raw.tables.values())
