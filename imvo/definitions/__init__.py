"""The declarations in kpi_definitions/ as validated models."""

from functools import lru_cache
from pathlib import Path

from imvo.definitions.loader import load_definitions
from imvo.definitions.models import Covenant, Definitions, FieldSpec, KpiDefinition, Text
from imvo.settings import get_settings

__all__ = ["Covenant", "Definitions", "FieldSpec", "KpiDefinition", "Text", "definitions",
           "load_definitions"]


@lru_cache(maxsize=4)
def _cached(folder: Path) -> Definitions:
    return load_definitions(folder)


def definitions(folder: Path | None = None) -> Definitions:
    """Return the definitions of a folder (the configured one by default), loaded once."""
    return _cached((folder or get_settings().definitions_dir).resolve())
