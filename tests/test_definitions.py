"""The declarations in kpi_definitions/: real facts, and strict errors naming file and line."""

import shutil
from datetime import date
from pathlib import Path

import pytest

from imvo.definitions import load_definitions
from imvo.errors import DefinitionError
from imvo.settings import PROJECT_ROOT

REAL = PROJECT_ROOT / "kpi_definitions"


def test_all_eleven_covenants_with_signing_dates_from_the_seeds(defs):
    signed = {slug: c.signed for slug, c in defs.covenants.items()}
    assert len(signed) == 11
    assert signed["textiel"] == date(2016, 7, 4)
    assert signed["banken"] == date(2016, 10, 28)
    assert signed["hout"] == date(2017, 3, 22)
    assert signed["goud"] == date(2017, 6, 19)
    assert signed["plantaardige-eiwitten"] == date(2017, 9, 21)
    assert signed["voedingsmiddelen"] == date(2018, 6, 28)
    assert signed["metaal"] == date(2019, 5, 23)
    assert signed["sierteelt"] == date(2019, 7, 2)


def test_published_member_counts(defs):
    members = {(slug, f.year): f.value for slug, c in defs.covenants.items()
               for f in c.published if f.kpi == "members_count"}
    assert members == {("textiel", 2018): 93, ("banken", 2018): 11, ("hout", 2017): 23,
                       ("goud", 2017): 12, ("pensioenfondsen", 2019): 81}


def test_five_ser_kpis_apply_to_textile_and_policy_kpis_to_financial_covenants(defs):
    ser = {"msi_share", "certified_share", "excessive_hours_share", "dialogue_structures",
           "joint_audit_share"}
    assert ser <= set(defs.covenants["textiel"].kpis)
    for slug in ("banken", "verzekeringen", "pensioenfondsen"):
        assert {"policy_share", "assets_covered_share"} <= set(defs.covenants[slug].kpis)
        assert not {f.table for f in defs.template_fields(slug)} & {"sites", "materials"}


def test_every_covenant_has_a_target_linked_to_an_outcome_goal(defs):
    for cov in defs.covenants.values():
        goals = {g.id for g in cov.outcome_goals}
        assert cov.targets and all(t.outcome_goal in goals for t in cov.targets)


@pytest.fixture
def folder(tmp_path) -> Path:
    target = tmp_path / "defs"
    shutil.copytree(REAL, target)
    return target


def test_misspelt_key_names_file_and_line(folder):
    path = folder / "kpis" / "dd_reports.yaml"
    path.write_text(path.read_text().replace("direction:", "directon:"))
    with pytest.raises(DefinitionError) as err:
        load_definitions(folder)
    assert str(err.value) == (
        "2 problem(s) in the definitions:\n"
        f"{path}:1: missing key 'direction'\n"
        f"{path}:9: unknown key 'directon'\n"
        "Hint: fix the lines named above; the keys each file allows are in the README")


def test_all_problems_are_reported_at_once(folder):
    (folder / "kpis" / "broken.yaml").write_text(
        "id: broken\n"
        "name: {nl: Kapot, en: Broken}\n"
        "description: {nl: x, en: x}\n"
        "unit: percentage\n"
        "direction: higher\n"
        "numerator:\n"
        "  count: sites\n"
        "  sum: workers\n")
    cov = folder / "covenants" / "goud.yaml"
    cov.write_text(cov.read_text().replace("signed: 2017-06-19", "signed: 19-06-2017"))
    with pytest.raises(DefinitionError) as err:
        load_definitions(folder)
    lines = str(err.value).splitlines()
    assert lines[0] == "3 problem(s) in the definitions:"
    broken = folder / "kpis" / "broken.yaml"
    assert lines[1] == (f"{broken}:4: unit: Input should be 'percent', 'count' or 'number'")
    assert lines[2] == f"{broken}:6: numerator: give exactly one of count or sum"
    assert lines[3] == (f"{cov}:5: signed: Input should be a valid date or datetime, "
                        "invalid character in year")


def test_references_between_files_are_checked(folder):
    cov = folder / "covenants" / "banken.yaml"
    text = cov.read_text().replace("  - dd_reports\n", "  - dd_report\n")
    cov.write_text(text.replace("outcome_goal: human-rights-in-lending",
                                "outcome_goal: human-rights"))
    with pytest.raises(DefinitionError) as err:
        load_definitions(folder)
    assert str(err.value).splitlines()[1:3] == [
        f"{cov}:14: unknown KPI 'dd_report'",
        f"{cov}:21: unknown outcome goal 'human-rights'",
    ]


def test_unknown_field_in_a_kpi(folder):
    path = folder / "kpis" / "dialogue_structures.yaml"
    path.write_text(path.read_text().replace("field: dialogue_structure,", "field: dialog,"))
    expected = r"dialogue_structures.yaml:1: unknown field 'dialog'"
    with pytest.raises(DefinitionError, match=expected):
        load_definitions(folder)


def test_invalid_yaml_names_the_line(folder):
    path = folder / "kpis" / "msi_share.yaml"
    path.write_text("id: msi_share\nname: {nl: x\n")
    with pytest.raises(DefinitionError, match=r"msi_share.yaml:\d+: not valid YAML"):
        load_definitions(folder)
