"""The JSON schemas editors validate the YAML with: generated from the models and kept current."""

import json
import re

import pytest
import yaml
from jsonschema import Draft202012Validator

from imvo.definitions.json_schema import (
    MODELS,
    SCHEMA_DIR,
    json_schema,
    schema_path,
    stale_schemas,
    write_schemas,
)
from imvo.settings import PROJECT_ROOT

REAL = PROJECT_ROOT / "kpi_definitions"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


class TextDates(yaml.SafeLoader):
    """Read YAML as an editor's language server does: a date stays a string."""


TextDates.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _files():
    yield "fields", REAL / "fields.yaml"
    for path in sorted((REAL / "kpis").glob("*.yaml")):
        yield "kpi", path
    for path in sorted((REAL / "covenants").glob("*.yaml")):
        yield "covenant", path


FILES = list(_files())


def test_committed_schemas_are_current():
    assert stale_schemas() == [], (
        "the JSON schemas differ from the models; run: python -m imvo.definitions.json_schema")


def test_a_changed_or_missing_schema_is_reported(tmp_path):
    write_schemas(tmp_path)
    assert stale_schemas(tmp_path) == []
    schema_path("kpi", tmp_path).write_text("{}\n")
    schema_path("fields", tmp_path).unlink()
    assert stale_schemas(tmp_path) == ["kpi", "fields"]


@pytest.mark.parametrize(("kind", "path"), FILES, ids=[p.name for _, p in FILES])
def test_every_yaml_names_its_schema_and_validates_against_it(kind, path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = MODELINE.match(first)
    assert match, f"{path} must start with the yaml-language-server $schema comment"
    named = (path.parent / match.group(1)).resolve()
    assert named == (SCHEMA_DIR / f"{kind}.schema.json").resolve()
    schema = json.loads(named.read_text(encoding="utf-8"))
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=TextDates)
    assert list(Draft202012Validator(schema).iter_errors(data)) == []


def test_the_schema_catches_a_misspelt_key_as_the_loader_does():
    data = yaml.load((REAL / "kpis" / "dd_reports.yaml").read_text(), Loader=TextDates)
    data["directon"] = data.pop("direction")
    errors = sorted(e.message for e in Draft202012Validator(json_schema("kpi")).iter_errors(data))
    assert errors == ["'direction' is a required property",
                      "Additional properties are not allowed ('directon' was unexpected)"]


def test_schemas_carry_the_documentation_of_the_keys():
    kpi = json_schema("kpi")
    assert set(MODELS) == {"kpi", "covenant", "fields"}
    assert kpi["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert kpi["additionalProperties"] is False
    assert kpi["properties"]["weighting"]["enum"] == ["members", "volume"]
    assert kpi["properties"]["weighting"]["description"].startswith(
        "members: a count or share of members; volume:")
    disclosure = json_schema("covenant")["$defs"]["Disclosure"]["properties"]
    assert disclosure["min_contributors"]["minimum"] == 3
