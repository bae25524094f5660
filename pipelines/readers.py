"""Read a submission file into text frames: every cell as text, parsed later by our own rules.

A workbook submission (xlsx, xlsm, xlsb, xls, ods: all read through calamine) is the
questionnaire of `pipelines.template` (`pipelines.sheets`). A csv, json or parquet submission
is one table with a `record` column saying what each row is (company, site or material; Dutch
words work too) and one column per field, headed by its code or its Dutch or English label
(`pipelines.records`). Any other file is rejected with what to do instead.
"""

from collections.abc import Callable
from pathlib import Path

from imvo.definitions.models import Catalogue
from pipelines.grids import ROW, RawSubmission, RawTable
from pipelines.messages import SubmissionRejected, file_reject
from pipelines.records import read_csv, read_json, read_parquet
from pipelines.sheets import read_xlsx

__all__ = ["READERS", "ROW", "RawSubmission", "RawTable", "check_type", "read_submission"]

READERS: dict[str, Callable[[Path, Catalogue], RawSubmission]] = {
    ".xlsx": read_xlsx, ".xlsm": read_xlsx, ".xlsb": read_xlsx, ".xls": read_xlsx,
    ".ods": read_xlsx, ".csv": read_csv, ".json": read_json, ".parquet": read_parquet,
}
LOCK_PREFIXES = ("~$", ".~lock.")
"""Names of the lock files Excel (~$) and LibreOffice (.~lock.) keep beside an open file."""


def check_type(path: Path) -> None:
    """Refuse a file no reader reads, saying what to send instead."""
    name = path.name
    lock = next((p for p in LOCK_PREFIXES if name.startswith(p)), None)
    if lock is not None:
        raise SubmissionRejected([file_reject("lock_file",
                                              value=name[len(lock):].removesuffix("#"))])
    suffix = path.suffix.lower()
    if suffix in READERS:
        return
    if not suffix:
        raise SubmissionRejected([file_reject("no_extension")])
    rule = "numbers_file" if suffix == ".numbers" else "wrong_type"
    raise SubmissionRejected([file_reject(rule, value=path.suffix)])


def read_submission(path: Path, catalogue: Catalogue) -> RawSubmission:
    """Read a workbook, csv, json or parquet submission by its extension."""
    check_type(path)
    return READERS[path.suffix.lower()](path, catalogue)
