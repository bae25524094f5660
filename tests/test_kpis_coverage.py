"""Coverage with every value, flagged below the covenant's declared threshold; and the CLI.

Textile 2018: members A–E bound (A, B large; C, D, E small), A–D submit: coverage 4/5 = 0.8;
large 2/2 = 1.0, small 2/3 = 0.667.
"""

import re
import shutil
import subprocess
import sys

import pytest

from imvo.definitions import load_definitions
from imvo.settings import PROJECT_ROOT
from tests.mart_support import add_members, add_submission
from warehouse.access import Viewer, kpi_values
from warehouse.compute import compute_kpis
from warehouse.connection import connect_writer

ADMIN = Viewer("admin")


def _fill(conn):
    add_members(conn, "textiel", {"A": "large", "B": "large", "C": "small", "D": "small",
                                  "E": "small"})
    for member in "ABCD":
        add_submission(conn, "textiel", 2018, member, answers={"msi_member": member in "AC"})


def _coverage(conn, breakdown="total"):
    frame = kpi_values(conn, ADMIN, covenant="textiel", kpi="msi_share", breakdown=breakdown)
    return {r["category"]: (r["coverage"], r["low_coverage"])
            for r in frame.filter(year=2018).iter_rows(named=True)}


def test_coverage_is_flagged_below_the_declared_threshold(tmp_path, defs):
    with connect_writer(tmp_path / "default.duckdb", defs.catalogue) as conn:
        _fill(conn)
        compute_kpis(conn, defs)  # textile declares no threshold: the default 0.6
        assert _coverage(conn) == {"total": (pytest.approx(0.8), False)}
        assert _coverage(conn, "size_class") == {"large": (1.0, False),
                                                 "small": (pytest.approx(2 / 3), False)}
    folder = tmp_path / "defs"
    shutil.copytree(PROJECT_ROOT / "kpi_definitions", folder)
    cov = folder / "covenants" / "textiel.yaml"
    cov.write_text(cov.read_text() + "coverage_threshold: 0.85\n")
    strict = load_definitions(folder)
    with connect_writer(tmp_path / "strict.duckdb", strict.catalogue) as conn:
        _fill(conn)
        compute_kpis(conn, strict)
        assert _coverage(conn) == {"total": (pytest.approx(0.8), True)}
        assert _coverage(conn, "size_class") == {"large": (1.0, False),
                                                 "small": (pytest.approx(2 / 3), True)}


def test_compute_command_recomputes_and_summarises(tmp_path, defs):
    data = tmp_path / "data"
    with connect_writer(data / "imvo.duckdb", defs.catalogue) as conn:
        _fill(conn)
    done = subprocess.run([sys.executable, "-m", "imvo", "compute"], cwd=tmp_path,
                          env={"IMVO_DATA_DIR": str(data), "PATH": "/usr/bin:/bin",
                               "COLUMNS": "120"},
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    with connect_writer(data / "imvo.duckdb", defs.catalogue) as conn:
        total = conn.execute("SELECT count(*) FROM kpi_values").fetchone()[0]
        sizes = conn.execute("SELECT count(*) FROM kpi_values WHERE breakdown <> 'total' "
                             "AND covenant = 'textiel'").fetchone()[0]
    assert f"Computed {total} KPI values." in done.stderr
    assert sizes == 2  # only msi_share is answered: large (A, B) and small (C, D), 2 each
    assert re.search(r"suppressed: too few members\s*│\s*2\s", done.stderr)
