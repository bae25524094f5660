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
        f"{path}:2: missing key 'direction'\n"
        f"{path}:10: unknown key 'directon'\n"
        "Hint: fix the lines named above; the keys each file allows are in the README")


def test_all_problems_are_reported_at_once(folder):
    (folder / "kpis" / "broken.yaml").write_text(
        "id: broken\n"
        "name: {nl: Kapot, en: Broken}\n"
        "description: {nl: x, en: x}\n"
        "unit: percentage\n"
        "direction: higher\n"
        "weighting: volume\n"
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
    assert lines[2] == f"{broken}:7: numerator: give exactly one of count or sum"
    assert lines[3] == (f"{cov}:6: signed: Input should be a valid date or datetime, "
                        "invalid character in year")


def test_references_between_files_are_checked(folder):
    cov = folder / "covenants" / "banken.yaml"
    text = cov.read_text().replace("  - dd_reports\n", "  - dd_report\n")
    cov.write_text(text.replace("outcome_goal: human-rights-in-lending",
                                "outcome_goal: human-rights"))
    with pytest.raises(DefinitionError) as err:
        load_definitions(folder)
    assert str(err.value).splitlines()[1:3] == [
        f"{cov}:16: unknown KPI 'dd_report'",
        f"{cov}:23: unknown outcome goal 'human-rights'",
    ]


def test_unknown_field_in_a_kpi(folder):
    path = folder / "kpis" / "dialogue_structures.yaml"
    path.write_text(path.read_text().replace("field: dialogue_structure,", "field: dialog,"))
    expected = r"dialogue_structures.yaml:2: unknown field 'dialog'"
    with pytest.raises(DefinitionError, match=expected):
        load_definitions(folder)


def test_invalid_yaml_names_the_line(folder):
    path = folder / "kpis" / "msi_share.yaml"
    path.write_text("id: msi_share\nname: {nl: x\n")
    with pytest.raises(DefinitionError, match=r"msi_share.yaml:\d+: not valid YAML"):
        load_definitions(folder)


def _broken_kpi(folder, text):
    path = folder / "kpis" / "broken.yaml"
    path.write_text(text)
    with pytest.raises(DefinitionError) as err:
        load_definitions(folder)
    return path, str(err.value).splitlines()[1:-1]


HEAD = ("id: broken\n"
        "name: {nl: Kapot, en: Broken}\n"
        "description: {nl: x, en: x}\n"
        "unit: percent\n"
        "direction: higher\n")


def test_weighting_must_match_the_measures(folder):
    path, problems = _broken_kpi(folder, HEAD + (
        "numerator: {sum: workers_over_60h}\n"
        "denominator: {sum: workers}\n"
        "weighting: members\n"))
    assert problems == [f"{path}:8: weighting: a KPI that adds up a field or counts sites or "
                        "materials is weighted by volume; write weighting: volume"]
    path, problems = _broken_kpi(folder, HEAD + (
        "numerator: {count: members, where: [{field: msi_member, equals: true}]}\n"
        "denominator: {sum: workers}\n"
        "weighting: volume\n"))
    assert problems == [f"{path}:8: weighting: numerator and denominator must both count "
                        "members or both measure volume"]


def test_breakdown_needs_its_field_on_the_measured_sheet(folder):
    path, problems = _broken_kpi(folder, HEAD + (
        "weighting: volume\n"
        "numerator: {sum: certified_volume}\n"
        "denominator: {sum: purchased_volume}\n"
        "breakdowns: [size_class, country]\n"))
    assert problems == [f"{path}:9: breakdown 'country' needs the numerator and denominator "
                        "on the sites sheet"]


def test_a_measure_reads_one_sheet(folder):
    path, problems = _broken_kpi(folder, HEAD + (
        "weighting: volume\n"
        "numerator:\n"
        "  count: sites\n"
        "  where: [{field: msi_member, equals: true}]\n"))
    assert problems == [f"{path}:7: numerator reads the sheets answers, sites; "
                        "a measure reads one sheet"]


def test_register_count_stands_alone(folder):
    path, problems = _broken_kpi(folder, HEAD.replace("percent", "count") + (
        "weighting: members\n"
        "numerator: {count: bound_members}\n"
        "breakdowns: [size_class]\n"))
    assert problems == [f"{path}:8: breakdowns: count: bound_members stands alone, without "
                        "breakdowns"]


def test_covenant_may_only_tighten_disclosure_and_breaks_are_checked(folder):
    cov = folder / "covenants" / "goud.yaml"
    cov.write_text(cov.read_text() + (
        "disclosure:\n"
        "  min_contributors: 2\n"
        "  dominance: {top: 2, percent: 90}\n"
        "series_breaks:\n"
        "  - {year: 2017, kpis: [dd_reports], reason: {nl: x, en: x}}\n"
        "  - {year: 2019, kpis: [policy_share], reason: {nl: x, en: x}}\n"))
    start = len(cov.read_text().splitlines()) - 5
    with pytest.raises(DefinitionError) as err:
        load_definitions(folder)
    assert str(err.value).splitlines()[1:-1] == [
        f"{cov}:{start + 1}: disclosure.min_contributors: Input should be greater than or "
        "equal to 3",
        f"{cov}:{start + 2}: disclosure.dominance.percent: Input should be less than or "
        "equal to 85",
    ]
    cov.write_text(cov.read_text().replace("min_contributors: 2", "min_contributors: 5")
                   .replace("percent: 90", "percent: 80"))
    with pytest.raises(DefinitionError) as err:
        load_definitions(folder)
    assert str(err.value).splitlines()[1:-1] == [
        f"{cov}:{start + 4}: series break in 2017 must fall after the first year (2017) and "
        "not after the last year (2021)",
        f"{cov}:{start + 5}: series break in 2019 for KPI 'policy_share', which is not in "
        "this covenant's kpis",
    ]


def test_series_breaks_of_kpi_and_covenant_are_merged(folder):
    kpi = folder / "kpis" / "dd_reports.yaml"
    kpi.write_text(kpi.read_text() + "series_breaks:\n"
                   "  - {year: 2020, reason: {nl: strenger bewijs, en: stricter evidence}}\n")
    cov = folder / "covenants" / "goud.yaml"
    cov.write_text(cov.read_text() + "series_breaks:\n"
                   "  - {year: 2019, kpis: [dd_reports], reason: {nl: x, en: x}}\n")
    defs = load_definitions(folder)
    assert defs.series_breaks("goud", "dd_reports") == [2019, 2020]
    assert defs.series_breaks("textiel", "dd_reports") == [2020]
    assert defs.series_breaks("goud", "msi_share") == []
    assert defs.covenants["goud"].disclosure.min_contributors == 3
    assert defs.covenants["goud"].disclosure.dominance.top == 2
    assert defs.covenants["goud"].disclosure.dominance.percent == 85


def test_real_kpis_declare_member_and_volume_weighted_variants(defs):
    weights = {k.id: k.weighting for k in defs.kpis.values()}
    assert weights["policy_share"] == "members" and weights["policy_assets_share"] == "volume"
    assert weights["msi_share"] == "members" and weights["certified_share"] == "volume"
    assert {k.id for k in defs.kpis.values() if "country" in k.breakdowns} == {
        "excessive_hours_share", "dialogue_structures", "joint_audit_share",
        "public_audit_share", "production_locations"}
