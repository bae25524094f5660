"""A process keeps the published warehouse open and follows the link to each new version."""

import threading

from pipelines.ingest import ingest_paths
from tests.auth_support import tiny_warehouse
from tests.test_serving import COUNT, member_file
from warehouse import readers as readers_module
from warehouse.connection import connect_reader, connect_writer, scalar
from warehouse.publish import staged_writer, versions
from warehouse.readers import PublishedReaders


def publish_year(warehouse, defs, year):
    """Publish a new version that holds member E's submission for a year."""
    with staged_writer(warehouse, defs.catalogue) as conn:
        ingest_paths(conn, [member_file(warehouse.parent, "E", year)], defs,
                     archive_dir=warehouse.parent / "archive")


def test_a_published_version_is_opened_once_and_the_next_version_when_it_comes(
        tmp_path, defs, monkeypatch):
    warehouse, readers = tiny_warehouse(tmp_path, defs), PublishedReaders()
    publish_year(warehouse, defs, 2016)  # the plain file becomes a link to a version
    opened = []
    monkeypatch.setattr(readers_module, "connect_reader",
                        lambda file: opened.append(file.name) or connect_reader(file))
    with readers.read(warehouse) as first, readers.read(warehouse) as second:
        assert scalar(first, COUNT) == scalar(second, COUNT) == 7
        assert opened == [versions(warehouse)[-1].name]
        publish_year(warehouse, defs, 2017)
        publish_year(warehouse, defs, 2018)  # deletes the version `first` still reads
        with readers.read(warehouse) as newest:
            assert scalar(newest, COUNT) == 9
        assert scalar(first, COUNT) == 7  # a request finishes on the version it began with
    with readers.read(warehouse) as conn:
        assert scalar(conn, COUNT) == 9
    assert opened == [opened[0], versions(warehouse)[-1].name]


def test_a_plain_file_is_not_kept_open_so_it_can_still_be_written(tmp_path, defs):
    warehouse = tiny_warehouse(tmp_path, defs)
    plain = tmp_path / "plain.duckdb"
    plain.write_bytes(warehouse.resolve().read_bytes())
    readers = PublishedReaders()
    with readers.read(plain) as conn:
        assert scalar(conn, COUNT) == 6
    with connect_writer(plain, defs.catalogue) as conn:
        conn.execute("UPDATE submissions SET is_current = false WHERE member_id = 'A'")
    with readers.read(plain) as conn:
        assert scalar(conn, COUNT) == 5


def test_threads_read_at_once_while_new_versions_are_published(tmp_path, defs):
    warehouse, readers = tiny_warehouse(tmp_path, defs), PublishedReaders()
    seen, errors = [], []

    def read():
        for _ in range(30):
            try:
                with readers.read(warehouse) as conn:
                    seen.append(scalar(conn, COUNT))
            except Exception as exc:  # every failure is collected and shown by the assertion
                errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for year in (2016, 2017, 2018):
        publish_year(warehouse, defs, year)
    for thread in threads:
        thread.join()
    assert errors == []
    assert set(seen) <= {6, 7, 8, 9} and len(seen) == 120
    with readers.read(warehouse) as conn:
        assert scalar(conn, COUNT) == 9
