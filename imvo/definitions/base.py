"""The base of every declaration: strict, immutable, documented for editors."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Lang = Literal["nl", "en"]

SLUG = r"^[a-z][a-z0-9_-]*$"


class Strict(BaseModel):
    """Base of every declaration: unknown keys fail and values are immutable."""

    # Attribute docstrings become descriptions in the JSON schemas, so editors show them.
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Text(Strict):
    """A text in Dutch and English."""

    nl: str = Field(min_length=1)
    """The Dutch text."""
    en: str = Field(min_length=1)
    """The English text."""

    def get(self, lang: Lang) -> str:
        """Return the text in the given language."""
        return self.nl if lang == "nl" else self.en


class SeriesBreak(Strict):
    """A year from which a KPI is measured differently; earlier values form another series."""

    year: int = Field(ge=1990, le=2100)
    """The first year measured the new way."""
    reason: Text
    """What changed in the measurement, e.g. stricter evidence."""
