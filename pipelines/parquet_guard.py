"""Judge a parquet file by what it decodes to, before the reader decodes it.

A parquet file can hold two million identical rows in a few kilobytes: its declared sizes say
little about the memory its values take once read as text. Its row and column counts are read
from the footer first; then its values are decoded a batch at a time with text columns kept as
dictionaries, so a value repeated a million times is counted a million times without being
written out a million times.
"""

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines.guards import Limits, cells_text, megabytes, refuse
from pipelines.messages import SubmissionRejected, file_reject

BATCH_ROWS = 16_384
TEXT_WIDTH = 24
"""Characters a number, date or truth value takes at most when written as text."""


def _unreadable(text: str) -> SubmissionRejected:
    return SubmissionRejected([file_reject("unreadable", value=text)])


def _text_bytes(column: pa.Array) -> int:
    """Return how many bytes a column takes once every value is written as text."""
    if pa.types.is_dictionary(column.type):
        lengths = pc.binary_length(column.dictionary.cast(pa.large_string()))
        return int(pc.sum(pc.take(lengths, column.indices)).as_py() or 0)
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type) or \
            pa.types.is_binary(column.type) or pa.types.is_large_binary(column.type):
        return int(pc.sum(pc.binary_length(column)).as_py() or 0)
    return TEXT_WIDTH * len(column)


def _open(path: Path) -> pq.ParquetFile:
    try:
        plain = pq.ParquetFile(path)
        text = [f.name for f in plain.schema_arrow
                if pa.types.is_string(f.type) or pa.types.is_binary(f.type)
                or pa.types.is_large_string(f.type) or pa.types.is_large_binary(f.type)]
        return pq.ParquetFile(path, read_dictionary=text) if text else plain
    except Exception as exc:  # pyarrow raises several types (ArrowInvalid, OSError) for damage
        raise _unreadable(f"not a parquet file that can be read: {exc}") from exc


def check_parquet(path: Path, limits: Limits) -> None:
    """Refuse a parquet file with too many cells, nested values, or too much text decoded."""
    book = _open(path)
    meta = book.metadata
    cells = meta.num_rows * max(meta.num_columns, 1)
    if cells > limits.max_cells:
        raise refuse("too_many_cells", cells_text(cells), cells_text(limits.max_cells))
    nested = [f.name for f in book.schema_arrow if pa.types.is_nested(f.type)]
    if nested:
        raise _unreadable(f"column {nested[0]} holds lists; give one value per cell")
    decoded = 0  # stops counting just past the limit
    try:
        for batch in book.iter_batches(batch_size=BATCH_ROWS):
            decoded += sum(_text_bytes(column) for column in batch.columns)
            if decoded > limits.max_file_bytes:
                raise refuse("decodes_too_large", f"> {megabytes(limits.max_file_bytes)}",
                              megabytes(limits.max_file_bytes))
    except (pa.ArrowException, OSError) as exc:
        raise _unreadable(f"not a parquet file that can be read: {exc}") from exc
