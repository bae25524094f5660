"""Refuse files that would cost too much to open, before any reader touches them.

A workbook (xlsx, xlsm, xlsb, ods) is a zip archive: a few kilobytes can unpack to gigabytes (a zip
bomb). Its declared sizes are checked first, which costs nothing; then every part that could
unpack to more than a megabyte is unpacked in small chunks and counted, so the limits hold for
what is actually unpacked and a part that lies about its size is caught, with little memory.
A parquet file is judged by what it decodes to, not by the sizes it declares: its row and column
counts first, then its values decoded a batch at a time (a repeated value is counted as often
as it repeats, without writing it out). A csv or json file's cells are counted from its bytes.
"""

import copy
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pipelines.messages import SubmissionRejected, file_reject

DEFLATE_MAX_RATIO = 1032
CHUNK = 1 << 16
ZIP_TYPES = frozenset({".xlsx", ".xlsm", ".xlsb", ".ods"})
CELL_MARKS = {".csv": (b";", b",", b"\n"), ".json": (b":", b"{")}
"""Bytes that start a cell: counting them bounds a text file's cells from above, cheaply."""


@dataclass(frozen=True)
class Limits:
    """The largest file ingest opens, how far a workbook may unpack, and how many cells."""

    max_file_bytes: int = 50 * 2**20
    """Largest file, and largest text a parquet file may decode to (as a csv of it would be)."""
    max_unpacked_bytes: int = 500 * 2**20
    max_ratio: float = 200.0
    """Largest compression ratio of one part above `ratio_from_bytes` unpacked."""
    ratio_from_bytes: int = 2**20
    max_members: int = 10_000
    max_cells: int = 1_000_000
    """Most cells (rows times columns) of a csv, json or parquet file."""


def megabytes(n: float) -> str:
    """Return a size in MB with one decimal."""
    return f"{n / 2**20:.1f} MB"


def cells_text(n: int) -> str:
    """Return a count with a space between thousands, read alike in Dutch and English."""
    return f"{n:_}".replace("_", " ")


def refuse(rule: str, value: str, limit: str) -> SubmissionRejected:
    """Return the rejection of a whole file for one guard."""
    return SubmissionRejected([file_reject(rule, value=value, limit=limit)])


def check_size(path: Path, limits: Limits) -> None:
    """Refuse a file above the size limit."""
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise refuse("file_too_large", megabytes(size), megabytes(limits.max_file_bytes))


def _check_declared(infos: list[zipfile.ZipInfo], packed_file: int, limits: Limits) -> None:
    if len(infos) > limits.max_members:
        raise refuse("zip_bomb", f"{len(infos)} parts", f"{limits.max_members} parts")
    unpacked = sum(i.file_size for i in infos)
    if unpacked > limits.max_unpacked_bytes:
        raise refuse("zip_bomb", megabytes(unpacked), megabytes(limits.max_unpacked_bytes))
    # Parts that share packed bytes (overlapping entries) are a known way to build a bomb.
    if sum(i.compress_size for i in infos) > packed_file:
        raise refuse("zip_bomb", "overlapping parts", "parts that do not overlap")
    for info in infos:
        _check_ratio(info.file_size, info.compress_size, limits)


def _check_ratio(unpacked: int, packed: int, limits: Limits) -> None:
    if unpacked > limits.ratio_from_bytes and unpacked > limits.max_ratio * max(packed, 1):
        raise refuse("zip_bomb", f"{unpacked / max(packed, 1):.0f}:1",
                      f"{limits.max_ratio:.0f}:1")


def _raw(book: zipfile.ZipFile, info: zipfile.ZipInfo) -> IO[bytes]:
    """Open a part's packed bytes as they are stored, whatever its header says it unpacks to."""
    raw = copy.copy(info)
    raw.compress_type, raw.file_size = zipfile.ZIP_STORED, info.compress_size
    del raw.CRC  # the stored CRC is of the unpacked bytes: it is checked after unpacking
    return book.open(raw)


def _chunks(book: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """Yield a part's unpacked bytes in chunks of at most CHUNK (plus a short tail)."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise zipfile.BadZipFile(f"compression method {info.compress_type} of {info.filename!r}")
    inflate = zlib.decompressobj(-15) if info.compress_type else None
    with _raw(book, info) as packed:
        for data in iter(lambda: packed.read(CHUNK), b""):
            while inflate is not None and data:
                yield inflate.decompress(data, CHUNK)
                data = inflate.unconsumed_tail
            if data:
                yield data
    if inflate is not None:
        yield inflate.flush()


def _verify(book: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Unpack one part in chunks and refuse it when it is not what its header says."""
    size, crc = 0, 0
    for out in _chunks(book, info):
        crc = zlib.crc32(out[:max(info.file_size - size, 0)], crc)
        size += len(out)
        if size > info.file_size:  # stop as soon as it unpacks past its declared size
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {info.filename!r}" if crc != info.CRC
                                     else f"{info.filename!r} unpacks beyond its size")
    if size != info.file_size or crc != info.CRC:
        raise zipfile.BadZipFile(f"Bad CRC-32 for file {info.filename!r}")


def _worst(info: zipfile.ZipInfo) -> int:
    return info.compress_size * (DEFLATE_MAX_RATIO if info.compress_type else 1)


def check_zip(path: Path, limits: Limits) -> None:
    """Refuse a workbook that is not a zip archive or that unpacks beyond the limits."""
    try:
        with zipfile.ZipFile(path) as book:
            infos = book.infolist()
            _check_declared(infos, path.stat().st_size, limits)
            # A part that cannot unpack past the ratio's threshold needs no counting, unless
            # all of them together could pass the total limit.
            if sum(_worst(i) for i in infos) <= limits.max_unpacked_bytes:
                infos = [i for i in infos if _worst(i) > limits.ratio_from_bytes]
            for info in infos:  # the declared sizes passed: what unpacks must match them
                _verify(book, info)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            ValueError) as exc:
        raise SubmissionRejected([file_reject("not_xlsx", value=exc)]) from exc


def check_cells(path: Path, limits: Limits) -> None:
    """Refuse a csv or json file with more cells than the limit, counted a chunk at a time."""
    marks, cells = CELL_MARKS[path.suffix.lower()], 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            cells += sum(block.count(mark) for mark in marks)
    if cells > limits.max_cells:
        raise refuse("too_many_cells", cells_text(cells), cells_text(limits.max_cells))


def check_file(path: Path, limits: Limits) -> None:
    """Refuse a file that is too large, or that would unpack beyond the limits."""
    from pipelines.parquet_guard import check_parquet

    check_size(path, limits)
    suffix = path.suffix.lower()
    if suffix in ZIP_TYPES:
        check_zip(path, limits)
    elif suffix in CELL_MARKS:
        check_cells(path, limits)
    elif suffix == ".parquet":
        check_parquet(path, limits)
