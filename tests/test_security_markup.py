"""Text that members typed stays text, and the web tier's DuckDB cannot reach other files.

The hostile input: a member whose id closes a Markdown link and opens an image tag, whose name
is a script tag, and whose file has a script tag as a number of workers (quarantined) and a
material name with markup. It goes through the real ingest.
"""

from urllib.parse import quote

import dash_ag_grid as dag
import duckdb
import plotly.graph_objects as go
import polars as pl
import pytest

from dashboard.app import create_app
from dashboard.tables import member_links
from pipelines.feedback import feedback, render
from pipelines.ingest import ingest_paths
from tests.auth_support import (
    EVIL_ID,
    EVIL_MATERIAL,
    EVIL_NAME,
    EVIL_VALUE,
    add_accounts,
    client_as,
    write_hostile_inputs,
)
from tests.dashboard_support import find, reset_dash, texts
from warehouse.compute import compute_kpis
from warehouse.connection import connect_reader, connect_writer


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, defs):
    folder = tmp_path_factory.mktemp("hostile")
    with connect_writer(folder / "imvo.duckdb", defs.catalogue) as conn:
        ingest_paths(conn, write_hostile_inputs(folder / "in"), defs,
                     archive_dir=folder / "archive")
        compute_kpis(conn, defs)
    add_accounts(folder / "users.sqlite")
    return folder


@pytest.fixture
def pages(hostile):
    reset_dash()
    app = create_app(hostile / "imvo.duckdb")
    yield app
    reset_dash()


def test_member_links_escape_markdown_and_encode_the_path():
    frame = pl.DataFrame({"member_id": [EVIL_ID, "TEX-0001"], "covenant": ["textiel"] * 2})
    assert member_links(frame, lang="en")["member_id"].to_list() == [
        r"[x\]\(https://evil.example/\)\[\<img src=x onerror=alert\(1\)\>]"
        "(/member/textiel/x%5D%28https%3A%2F%2Fevil.example%2F%29%5B%3Cimg%20src%3Dx%20"
        "onerror%3Dalert%281%29%3E?lang=en)",
        "[TEX-0001](/member/textiel/TEX-0001?lang=en)"]


def _page(app, role, path):
    client = client_as(app, role)
    response = client.post("/_dash-update-component", json={
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"},
                    {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                   {"id": "_pages_location", "property": "search", "value": "?lang=en"}],
        "changedPropIds": ["_pages_location.pathname"], "state": []})
    return response.get_json()["response"]["_pages_content"]["children"]


def _strings(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)
    elif isinstance(node, str):
        yield node


def _grid(node, grid_id):
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == grid_id:
            return node["props"]
        for value in node.values():
            if found := _grid(value, grid_id):
                return found
    if isinstance(node, list):
        for item in node:
            if found := _grid(item, grid_id):
                return found
    return None


def test_the_quarantine_shows_hostile_values_as_plain_cells(pages):
    grid = _grid(_page(pages, "commission-textiel", "/quality"), "quality-quarantine")
    markdown = [c["field"] for c in grid["columnDefs"] if c.get("cellRenderer") == "markdown"]
    assert markdown == ["member_id"]  # every other cell is text, whatever it holds
    row = next(r for r in grid["rowData"] if r["value"] == EVIL_VALUE)
    assert row["member_id"].startswith(r"[x\]\(https://evil.example/\)\[\<img")
    assert row["member_id"].endswith("?lang=en)")
    assert "](https://evil.example/)" not in row["member_id"]


def test_the_member_page_shows_the_hostile_id_as_text(pages):
    page = _page(pages, "commission-textiel", "/member/textiel/" + quote(EVIL_ID, safe=""))
    assert f"Member {EVIL_ID} (textiel)" in [n for n in _strings(page)]
    grid = _grid(page, "member-rejects")
    assert [r["value"] for r in grid["rowData"]].count(EVIL_VALUE) == 1
    assert not [c for c in grid["columnDefs"] if c.get("cellRenderer")]


def test_breakdown_labels_show_markup_as_typed(hostile, defs):
    from dashboard.detail import breakdown_figure

    cells = pl.DataFrame({"category": [EVIL_MATERIAL], "value": [20.0], "suppressed": [False],
                          "suppression_reason": [None]}, schema_overrides={
                              "suppression_reason": pl.String})
    figure: go.Figure = breakdown_figure(cells, kpi=defs.kpis["certified_share"], lang="en")
    assert list(figure.data[0].y) == ['&lt;a href="https://evil.example"&gt;cotton&lt;/a&gt;']


def test_the_feedback_report_escapes_what_the_file_held(hostile, defs):
    with connect_reader(hostile / "imvo.duckdb") as conn:
        sha = conn.execute("SELECT sha256 FROM files WHERE file_name = 'evil.csv'").fetchall()
        page = render(feedback(conn, sha[0][0], defs, "en"), "en")
    assert EVIL_VALUE not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page


def test_dash_renders_hostile_strings_as_text_nodes():
    from dash import html

    from dashboard.messages import message_card

    card = message_card(EVIL_NAME, EVIL_VALUE, lang="en")
    assert texts(card)[:2] == [EVIL_NAME, EVIL_VALUE]
    assert not find(card, dag.AgGrid) and isinstance(card, html.Div)


def test_the_web_tier_duckdb_cannot_read_other_files_or_attach(hostile, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    with connect_reader(hostile / "imvo.duckdb") as conn:
        with pytest.raises(duckdb.PermissionException, match="disabled by configuration"):
            conn.execute(f"SELECT * FROM read_csv('{secret}')").fetchall()
        with pytest.raises(duckdb.Error):
            conn.execute(f"ATTACH '{tmp_path / 'other.duckdb'}'").fetchall()
        with pytest.raises(duckdb.Error):
            conn.execute("CREATE TABLE x (a INT)").fetchall()
        with pytest.raises(duckdb.Error):
            conn.execute("SET enable_external_access = true").fetchall()
