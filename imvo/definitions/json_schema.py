"""JSON schemas of the declarations, generated from the models so that editors check the YAML.

Each file in kpi_definitions/ names its schema in a first-line comment that the YAML language
server reads (`# yaml-language-server: $schema=...`). Regenerate the schemas after changing a
model with `python -m imvo.definitions.json_schema`; a test fails while they are out of date.
"""

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from imvo.definitions.models import Catalogue, Covenant, KpiDefinition

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
MODELS: dict[str, type[BaseModel]] = {"kpi": KpiDefinition, "covenant": Covenant,
                                      "fields": Catalogue}
"""Schema name -> the model of the files it validates (kpis/*.yaml, covenants/*.yaml,
fields.yaml)."""
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(name: str) -> dict[str, Any]:
    """Return the JSON schema of one kind of declaration file."""
    return {"$schema": DIALECT, **MODELS[name].model_json_schema()}


def schema_path(name: str, folder: Path = SCHEMA_DIR) -> Path:
    """Return where the schema of one kind of declaration file is kept."""
    return folder / f"{name}.schema.json"


def schema_text(name: str) -> str:
    """Return the schema as it is written to its file."""
    return json.dumps(json_schema(name), indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path = SCHEMA_DIR) -> list[Path]:
    """Write every schema into a folder; return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [schema_path(name, folder) for name in MODELS]
    for name, path in zip(MODELS, paths, strict=True):
        path.write_text(schema_text(name), encoding="utf-8")
    return paths


def stale_schemas(folder: Path = SCHEMA_DIR) -> list[str]:
    """Return the names of the schemas whose file is missing or differs from the models."""
    return [name for name in MODELS
            if not schema_path(name, folder).is_file()
            or schema_path(name, folder).read_text(encoding="utf-8") != schema_text(name)]


def main() -> None:
    """Regenerate the schema files next to this module."""
    for path in write_schemas():
        sys.stdout.write(f"Wrote {path}\n")


if __name__ == "__main__":
    main()
