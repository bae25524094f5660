"""Adding a KPI is adding one YAML file: the README's example works and its error text is true.

The README's example, dialogue_workers_share, added to the textile covenant. Textile 2019:
    A: BD 100 workers, dialogue yes; BD 40 workers, dialogue not answered (not counted)
    B: BD 200 workers, dialogue no
    C: CN 50 workers, dialogue yes
    D: CN 150 workers, dialogue yes
-> (100 + 50 + 150) / (100 + 200 + 50 + 150) = 300 / 500 = 60 %, 4 contributing members.
The series break it declares (2019) marks 2019.
"""

import re
import shutil

import pytest

from imvo.definitions import load_definitions
from imvo.errors import DefinitionError
from imvo.settings import PROJECT_ROOT
from tests.mart_support import add_members, add_submission
from warehouse.access import Viewer, kpi_values
from warehouse.compute import compute_kpis
from warehouse.connection import connect_writer

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("## Adding a KPI"):]


def _block(opening):
    return re.search(rf"```{opening}(.*?)```", SECTION, re.DOTALL).group(1)


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "kpi_definitions"
    shutil.copytree(PROJECT_ROOT / "kpi_definitions", target)
    return target


def test_the_readme_example_is_one_file_that_adds_a_kpi(folder, tmp_path):
    (folder / "kpis" / "dialogue_workers_share.yaml").write_text(_block("yaml\n"))
    cov = folder / "covenants" / "textiel.yaml"
    cov.write_text(cov.read_text().replace("  - dd_reports\n",
                                           "  - dd_reports\n  - dialogue_workers_share\n"))
    defs = load_definitions(folder)
    assert defs.covenant_kpis("textiel")[-1].id == "dialogue_workers_share"
    with connect_writer(tmp_path / "w.duckdb", defs.catalogue) as conn:
        add_members(conn, "textiel", {m: "large" for m in "ABCD"})
        sites = {"A": [("BD", 100, True), ("BD", 40, None)], "B": [("BD", 200, False)],
                 "C": [("CN", 50, True)], "D": [("CN", 150, True)]}
        for member, rows in sites.items():
            add_submission(conn, "textiel", 2019, member, sites=[
                {"country": c, "workers": w, "dialogue_structure": d} for c, w, d in rows])
        compute_kpis(conn, defs)
        row = kpi_values(conn, Viewer("admin"), covenant="textiel",
                         kpi="dialogue_workers_share").filter(year=2019).row(0, named=True)
    assert (row["numerator"], row["denominator"], row["value"]) == (300, 500, 60.0)
    assert (row["contributors"], row["series_break"], row["suppressed"]) == (4, True, False)


def test_the_readme_shows_the_exact_error_of_a_misspelt_key(folder):
    path = folder / "kpis" / "dd_reports.yaml"
    path.write_text(path.read_text().replace("direction:", "directon:"))
    with pytest.raises(DefinitionError) as err:
        load_definitions(folder)
    shown = str(err.value).replace(str(folder.parent) + "/", "")
    assert "Error: " + shown + "\n" == _block("\n(?=Error)")
