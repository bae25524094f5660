"""Read a submission file into text frames: every cell as text, parsed later by our own rules.

An xlsx submission is the questionnaire of `pipelines.template` (`pipelines.sheets`). A csv,
json or parquet submission is one table with a `record` column saying what each row is
(company, site or material; Dutch words work too) and one column per field, headed by its code
or its Dutch or English label (`pipelines.records`).
"""

from collections.abc import Callable
from pathlib import Path

from imvo.definitions.models import Catalogue
from pipelines.grids import ROW, RawSubmission, RawTable
from pipelines.messages import SubmissionRejected, file_reject
from pipelines.records import read_csv, read_json, read_parquet
from pipelines.sheets import read_xlsx

__all__ = ["READERS", "ROW", "RawSubmission", "RawTable", "read_submission"]

READERS: dict[str, Callable[[Path, Catalogue], RawSubmission]] = {
    ".xlsx": read_xlsx, ".csv": read_csv, ".json": read_json, ".parquet": read_parquet,
}


def read_submission(path: Path, catalogue: Catalogue) -> RawSubmission:
    """Read an xlsx, csv, json or parquet submission by its extension."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise SubmissionRejected([file_reject("wrong_type", value=path.suffix)])
    return reader(path, catalogue)
