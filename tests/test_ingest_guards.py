"""Size limit and zip-bomb checks: refused before parsing, with a clear error and little memory."""

import struct
import tracemalloc
import zipfile

import pytest

from pipelines.guards import Limits, check_file
from pipelines.ingest import ingest_file
from pipelines.messages import SubmissionRejected

MB = 2**20


def bomb(path, members, lie_to=None):
    """Write a zip of members (name, size in MB of zeros); `lie_to` rewrites declared sizes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        for name, size in members:
            book.writestr(name, b"\0" * (size * MB))
    if lie_to is not None:
        data = bytearray(path.read_bytes())
        for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
            at = data.find(signature)
            while at != -1:
                if struct.unpack_from("<I", data, at + offset)[0] >= MB:
                    struct.pack_into("<I", data, at + offset, lie_to)
                at = data.find(signature, at + 4)
        path.write_bytes(bytes(data))
    return path


def refused(path, limits):
    tracemalloc.start()
    try:
        with pytest.raises(SubmissionRejected) as err:
            check_file(path, limits)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    [reject] = err.value.rejects
    return reject, peak


def test_a_file_above_the_size_limit_is_refused(ingest_env, defs, tmp_path):
    conn, archive = ingest_env
    path = tmp_path / "big.csv"
    path.write_bytes(b"record;covenant\n" + b"x;y\n" * 400_000)
    result = ingest_file(conn, path, defs, archive_dir=archive,
                         limits=Limits(max_file_bytes=1 * MB))
    assert result.status == "rejected"
    [reject] = result.rejects
    assert (reject.scope, reject.rule) == ("file", "file_too_large")
    assert reject.message_en == ("The file is 1.5 MB; the limit is 1.0 MB. Send only the "
                                 "questionnaire, without images or extra sheets.")


def test_a_part_that_unpacks_far_beyond_its_size_is_refused(tmp_path):
    reject, peak = refused(bomb(tmp_path / "ratio.xlsx", [("xl/worksheets/sheet1.xml", 40)]),
                           Limits())
    assert reject.rule == "zip_bomb"
    assert reject.message_en.startswith("The file unpacks to 1")
    assert reject.message_en.endswith(":1 (limit 200:1) and is not opened. Save the "
                                      "questionnaire again from Excel.")
    assert peak < 2 * MB


def test_parts_that_together_unpack_beyond_the_limit_are_refused(tmp_path):
    path = bomb(tmp_path / "total.xlsx", [(f"xl/worksheets/sheet{i}.xml", 4) for i in range(3)])
    reject, _ = refused(path, Limits(max_unpacked_bytes=10 * MB, max_ratio=1e9))
    assert reject.message_en == ("The file unpacks to 12.0 MB (limit 10.0 MB) and is not "
                                 "opened. Save the questionnaire again from Excel.")


def test_a_part_that_lies_about_its_size_is_caught_while_unpacking(tmp_path):
    path = bomb(tmp_path / "lie.xlsx", [("xl/worksheets/sheet1.xml", 50)], lie_to=1000)
    reject, peak = refused(path, Limits(max_unpacked_bytes=10 * MB))
    # The declared sizes pass; unpacking in chunks finds the part does not match its header.
    assert reject.rule == "not_xlsx"
    assert "Bad CRC-32 for file 'xl/worksheets/sheet1.xml'" in reject.message_en
    assert peak < 2 * MB


def test_a_normal_questionnaire_passes_the_guards(tmp_path, defs):
    from pipelines.template import write_questionnaire

    path = write_questionnaire(tmp_path / "q.xlsx", defs, "textiel", 2018)
    check_file(path, Limits())
