"""The response cache: only read-only callbacks, never shared across viewers or data versions."""

import json

from dashboard.cache import ResponseCache, callback_outputs, data_version, request_key
from warehouse.access import Viewer

ROUTER = {"output": "..\u005fpages_content.children..._pages_store.data..", "inputs": []}
EXPORT = {"output": "shell-download.data", "inputs": []}


def body(payload):
    return json.dumps(payload).encode()


def test_outputs_of_single_and_multi_output_callbacks():
    assert callback_outputs("a.children") == ["a.children"]
    assert callback_outputs("..a.children...b.search..") == ["a.children", "b.search"]


def test_only_read_only_callbacks_get_a_key():
    assert request_key(body(EXPORT), Viewer(), "v1") is None
    assert request_key(b"not json", Viewer(), "v1") is None
    assert request_key(body(ROUTER), Viewer(), "v1") is not None


def test_keys_differ_per_role_covenant_and_data_version():
    keys = {request_key(body(ROUTER), viewer, version)
            for viewer in (Viewer(), Viewer("commission", "textiel"),
                           Viewer("commission", "banken"))
            for version in ("v1", "v2")}
    assert len(keys) == 6
    assert request_key(body(ROUTER), Viewer(), "v1") == request_key(body(ROUTER), Viewer(), "v1")


def test_cache_keeps_to_its_size_and_drops_the_least_recently_used():
    cache = ResponseCache(max_bytes=40)
    cache.put("a", b"x" * 10)
    cache.put("b", b"y" * 10)
    cache.put("c", b"z" * 10)
    assert cache.get("a") == b"x" * 10  # now the most recently used
    cache.put("d", b"w" * 10)
    cache.put("e", b"v" * 10)
    assert cache.get("b") is None and cache.get("a") is not None
    cache.put("huge", b"h" * 11)  # over a quarter of the bound: not kept
    assert cache.get("huge") is None


def test_data_version_changes_when_the_file_is_replaced(tmp_path):
    path = tmp_path / "imvo.duckdb"
    assert data_version(path) == "missing"
    path.write_bytes(b"one")
    first = data_version(path)
    replacement = tmp_path / "new.duckdb"
    replacement.write_bytes(b"two")
    replacement.replace(path)
    assert data_version(path) != first
