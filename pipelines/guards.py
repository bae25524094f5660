"""Refuse files that would cost too much to open, before any reader touches them.

An xlsx file is a zip archive: a few kilobytes can unpack to gigabytes (a zip bomb). Its
declared sizes are checked first, which costs nothing; when even the worst a deflate stream can
unpack (1032 times its packed size) could pass the limit, the members are unpacked in small
chunks and counted, so a header that lies about its size is caught too, with little memory.
"""

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from pipelines.messages import SubmissionRejected, file_reject

DEFLATE_MAX_RATIO = 1032
CHUNK = 1 << 16


@dataclass(frozen=True)
class Limits:
    """The largest file ingest opens, and how far an xlsx may unpack."""

    max_file_bytes: int = 50 * 2**20
    max_unpacked_bytes: int = 500 * 2**20
    max_ratio: float = 200.0
    """Largest compression ratio of one member above `ratio_from_bytes` unpacked."""
    ratio_from_bytes: int = 2**20
    max_members: int = 10_000


def _size(n: float) -> str:
    return f"{n / 2**20:.1f} MB"


def _refuse(rule: str, value: str, limit: str) -> SubmissionRejected:
    return SubmissionRejected([file_reject(rule, value=value, limit=limit)])


def check_size(path: Path, limits: Limits) -> None:
    """Refuse a file above the size limit."""
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise _refuse("file_too_large", _size(size), _size(limits.max_file_bytes))


def _check_declared(infos: list[zipfile.ZipInfo], packed_file: int, limits: Limits) -> None:
    if len(infos) > limits.max_members:
        raise _refuse("zip_bomb", f"{len(infos)} parts", f"{limits.max_members} parts")
    unpacked = sum(i.file_size for i in infos)
    if unpacked > limits.max_unpacked_bytes:
        raise _refuse("zip_bomb", _size(unpacked), _size(limits.max_unpacked_bytes))
    # Parts that share packed bytes (overlapping entries) are a known way to build a bomb.
    if sum(i.compress_size for i in infos) > packed_file:
        raise _refuse("zip_bomb", "overlapping parts", "parts that do not overlap")
    for info in infos:
        _check_ratio(info.file_size, info.compress_size, limits)


def _check_ratio(unpacked: int, packed: int, limits: Limits) -> None:
    if unpacked > limits.ratio_from_bytes and unpacked > limits.max_ratio * max(packed, 1):
        raise _refuse("zip_bomb", f"{unpacked / max(packed, 1):.0f}:1",
                      f"{limits.max_ratio:.0f}:1")


def _count_unpacked(book: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    total = 0
    for info in infos:
        size = 0
        with book.open(info) as member:
            while chunk := member.read(CHUNK):
                size += len(chunk)
                total += len(chunk)
                if total > limits.max_unpacked_bytes:
                    raise _refuse("zip_bomb", f"> {_size(total)}",
                                  _size(limits.max_unpacked_bytes))
        _check_ratio(size, info.compress_size, limits)


def check_xlsx(path: Path, limits: Limits) -> None:
    """Refuse an xlsx that is not a zip archive or that unpacks beyond the limits."""
    try:
        with zipfile.ZipFile(path) as book:
            infos = book.infolist()
            _check_declared(infos, path.stat().st_size, limits)
            worst = sum(i.compress_size * (DEFLATE_MAX_RATIO if i.compress_type else 1)
                        for i in infos)
            if worst > limits.max_unpacked_bytes:
                _count_unpacked(book, infos, limits)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            ValueError) as exc:
        raise SubmissionRejected([file_reject("not_xlsx", value=exc)]) from exc


def check_parquet(path: Path, limits: Limits) -> None:
    """Refuse a parquet file whose row groups unpack beyond the limit."""
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
    except Exception as exc:  # pyarrow raises several types (ArrowInvalid, OSError) for damage
        raise SubmissionRejected([file_reject("unreadable", value=exc)]) from exc
    unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if unpacked > limits.max_unpacked_bytes:
        raise _refuse("zip_bomb", _size(unpacked), _size(limits.max_unpacked_bytes))


def check_file(path: Path, limits: Limits) -> None:
    """Refuse a file that is too large, or that would unpack beyond the limits."""
    check_size(path, limits)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        check_xlsx(path, limits)
    elif suffix == ".parquet":
        check_parquet(path, limits)
