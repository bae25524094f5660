"""Write examined files to the warehouse a batch at a time, each batch in one transaction.

Checking values and writing rows cost a fixed amount per call as well as per row; a batch
spends that once for many files. A batch is committed whole, so every file in it is either
fully present (submission, answers, rows, rejects and its `files` record) or fully absent.
"""

import time
from datetime import datetime
from typing import Any

import duckdb

from imvo.definitions.models import Definitions
from pipelines.batch import Checked, check_batch
from pipelines.current import Candidate, Choice, choose
from pipelines.results import IngestResult, Outcome
from pipelines.store import (
    add_files,
    add_rejects,
    add_rows,
    add_submissions,
    forget_files,
    set_current,
    stored_rejects,
)

BATCH_ROWS = 100_000
"""A batch is written once it holds this many rows, whatever the number of files."""
BATCH_SECONDS = 3.0
"""A batch is written once its first file waited this long, so a long run commits as it goes."""


def comparable(rows: list[tuple[Any, ...]]) -> list[tuple[str, ...]]:
    """Return reject rows as sorted text tuples, so that stored and new rejects compare."""
    return sorted(tuple("" if v is None else str(v) for v in row) for row in rows)


class Loader:
    """Collect examined files and write them a batch at a time; keep results in file order."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, defs: Definitions,
                 batch_files: int) -> None:
        self.conn, self.defs, self.batch_files = conn, defs, batch_files
        self.results: list[IngestResult | None] = []
        self.pending: list[tuple[int, Outcome]] = []
        self.rows = 0
        self.since = time.monotonic()
        self.candidates: dict[tuple[str, str, int], list[Candidate]] = {}
        self.choices: dict[tuple[str, str, int], Choice] = {}

    def unchanged(self, name: str, sha: str) -> None:
        """Record a file the warehouse already holds."""
        self.results.append(IngestResult(name, sha, "unchanged"))

    def add(self, outcome: Outcome) -> None:
        """Queue an examined file; write the batch when it is full."""
        if not self.pending:
            self.since = time.monotonic()
        self.pending.append((len(self.results), outcome))
        self.results.append(None)
        if outcome.prepared is not None:
            self.rows += sum(t.frame.height for t in outcome.prepared.raw.tables.values())
        if len(self.pending) >= self.batch_files or self.rows >= BATCH_ROWS or (
                time.monotonic() - self.since > BATCH_SECONDS):
            self.flush()

    def finish(self) -> list[IngestResult]:
        """Write what is queued and return the result of every file, in the order added."""
        self.flush()
        return [r for r in self.results if r is not None]

    def flush(self) -> None:
        """Check the queued files together and write them in one transaction."""
        pending, self.pending, self.rows = self.pending, [], 0
        for slot, outcome in pending:
            if self._rejected_again(outcome):
                self.results[slot] = IngestResult(outcome.received.path.name,
                                                  outcome.received.sha256, "unchanged")
        todo = [(slot, o) for slot, o in pending if self.results[slot] is None]
        if not todo:
            return
        ready = [o for _, o in todo if o.prepared is not None]
        checked = check_batch([o.prepared for o in ready if o.prepared], self.defs) if ready \
            else None
        results = self._write(todo, ready, checked)
        for (slot, _), result in zip(todo, results, strict=True):
            self.results[slot] = result

    def _rejected_again(self, outcome: Outcome) -> bool:
        """Return whether a file rejected before is rejected again for the same reasons."""
        if not outcome.received.retry or outcome.prepared is not None:
            return False
        new = [(r.sheet, r.row, r.column, r.value, r.rule, r.message_en) for r in outcome.rejects]
        return comparable(stored_rejects(self.conn, outcome.received.sha256)) == comparable(new)

    def _write(self, todo: list[tuple[int, Outcome]], ready: list[Outcome],
               checked: Checked | None) -> list[IngestResult]:
        now = datetime.now()
        self.conn.begin()
        try:
            forget_files(self.conn, [o.received.sha256 for _, o in todo if o.received.retry])
            ids, versions = self._submissions(ready, checked, now)
            results = [self._result(o, ready, checked, versions) for _, o in todo]
            add_files(self.conn, [(o.received.sha256, r.file_name, str(o.received.stored),
                                   o.received.size, now, r.status, r.rows_in, r.rows_loaded,
                                   r.rows_rejected) for (_, o), r in zip(todo, results,
                                                                         strict=True)])
            add_rejects(self.conn, [(r.sha256, r.file_name, r.rejects) for r in results])
            self._choose(ready, ids)
            self.conn.commit()
        except BaseException:
            self.conn.rollback()
            raise
        return results

    def _choose(self, ready: list[Outcome], ids: list[int]) -> None:
        """Decide which file counts for each member-year that this run got several files of."""
        touched = set()
        for outcome, submission in zip(ready, ids, strict=True):
            meta = outcome.prepared.meta  # type: ignore[union-attr]  # ready: all prepared
            key = (meta.covenant, meta.member_id, meta.year)
            self.candidates.setdefault(key, []).append(Candidate(
                submission, outcome.received.path.name, outcome.received.sha256,
                outcome.received.saved))
            touched.add(key)
        for key in sorted(touched):
            if len(self.candidates[key]) > 1:
                choice = self.choices[key] = choose(key, self.candidates[key])
                set_current(self.conn, choice)

    def _submissions(self, ready: list[Outcome], checked: Checked | None,
                     now: datetime) -> tuple[list[int], list[int]]:
        if checked is None:
            return [], []
        metas = [item.meta for item in checked.items]
        ids, versions = add_submissions(self.conn, metas,
                                        [o.received.sha256 for o in ready], now)
        add_rows(self.conn, "answers", checked.answers, ids)
        for table, frame in checked.tables.items():
            add_rows(self.conn, table, frame, ids)
        return ids, versions

    @staticmethod
    def _result(outcome: Outcome, ready: list[Outcome], checked: Checked | None,
                versions: list[int]) -> IngestResult:
        name, sha = outcome.received.path.name, outcome.received.sha256
        if outcome.prepared is None or checked is None:
            return IngestResult(name, sha, "rejected", outcome.rows_in, 0, outcome.rejects)
        i = next(n for n, o in enumerate(ready) if o is outcome)
        meta = outcome.prepared.meta
        return IngestResult(name, sha, "loaded", checked.rows_in[i], checked.rows_loaded[i],
                            checked.rejects[i],
                            (meta.covenant, meta.member_id, meta.year, versions[i]))
