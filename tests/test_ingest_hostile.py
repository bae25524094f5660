"""Hostile files cost little: refused on what they decode or unpack to, in little memory.

Each file is checked in a child process that reports how much its peak memory (max RSS) grew
while checking, past what the imports took.
"""

import json
import struct
import subprocess
import sys
import zipfile
import zlib

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

MB = 2**20
CHILD = """
import json, resource, sys
from pathlib import Path
import polars, pyarrow.parquet
from pipelines.guards import Limits, check_file
from pipelines.messages import SubmissionRejected
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    check_file(Path(sys.argv[1]), Limits())
    outcome = None
except SubmissionRejected as exc:
    outcome = [exc.rejects[0].rule, exc.rejects[0].message_en]
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"outcome": outcome, "grown_kb": grown}))
"""


def checked(path):
    """Check a file in a child process; return the rejection and how far its memory grew."""
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True,
                          text=True, timeout=300, check=True)
    answer = json.loads(done.stdout)
    return answer["outcome"], answer["grown_kb"] * 1024


def test_a_parquet_of_millions_of_identical_rows_is_refused_before_decoding(tmp_path):
    path = tmp_path / "rows.parquet"
    pl.select(record=pl.repeat("site", 2_000_000), site_id=pl.repeat("S1", 2_000_000),
              workers=pl.repeat(100, 2_000_000)).write_parquet(path)
    assert path.stat().st_size < 100 * 1024
    outcome, grown = checked(path)
    assert outcome == ["too_many_cells", "The file holds 6 000 000 cells; the limit is "
                       "1 000 000. Send only the questionnaire of one member and one year."]
    assert grown < 32 * MB


def test_a_parquet_whose_few_cells_decode_to_much_text_is_refused(tmp_path):
    path = tmp_path / "text.parquet"
    table = pa.table({"record": pa.DictionaryArray.from_arrays(
        pa.array([0] * 200_000, pa.int32()), pa.array(["x" * 1000]))})
    pq.write_table(table, path)
    outcome, grown = checked(path)
    assert outcome == ["decodes_too_large", "The file decodes to > 50.0 MB of text (limit "
                       "50.0 MB) and is not read. Send only the questionnaire of one member "
                       "and one year."]
    assert grown < 64 * MB


def lying_workbook(path, size, declared):
    """Write a zip whose sheet unpacks to `size` bytes of zeros but declares `declared` bytes,
    with the CRC of its first `declared` bytes: only unpacking on past the header finds it."""
    block = b"\0" * MB
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        with book.open("xl/worksheets/sheet1.xml", "w") as part:
            for _ in range(size // MB):
                part.write(block)
    data = bytearray(path.read_bytes())
    crc = zlib.crc32(b"\0" * declared)
    for signature, at_crc, at_size in ((b"PK\x03\x04", 14, 22), (b"PK\x01\x02", 16, 24)):
        at = data.find(signature)
        while at != -1:
            if struct.unpack_from("<I", data, at + at_size)[0] == size:
                struct.pack_into("<I", data, at + at_crc, crc)
                struct.pack_into("<I", data, at + at_size, declared)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    return path


def test_a_workbook_part_that_lies_about_its_size_is_caught_below_the_total_limit(tmp_path):
    path = lying_workbook(tmp_path / "lie.xlsx", 450 * MB, 1000)
    with zipfile.ZipFile(path) as book:
        assert [i.file_size for i in book.infolist()] == [8, 1000]
    outcome, grown = checked(path)
    assert outcome == ["not_xlsx", "This is not an xlsx file that can be opened "
                       "('xl/worksheets/sheet1.xml' unpacks beyond its size). Save it again "
                       "from Excel as .xlsx, without a password."]
    assert grown < 16 * MB
