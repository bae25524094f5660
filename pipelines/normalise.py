"""Parse cell text with our own rules, so that Dutch and English conventions both work.

Every parser returns the value, or raises `Invalid` with the rule that failed; it never guesses.
A number whose form reads both ways ('1,234' is 1234 or 1.234) takes the decimal separator the
file prefers (a ';'-separated CSV is Dutch, a ','-separated one English, Excel stores numbers
with a point); without a preference it is rejected.
"""

import math
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any, Literal

from babel import Locale

Decimal = Literal[",", "."] | None

EXCEL_ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA",
                "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!"}
TRUE_WORDS = {"ja", "j", "yes", "y", "x", "true", "waar", "1", "✓"}
FALSE_WORDS = {"nee", "n", "no", "false", "onwaar", "0", "-"}
SCIENTIFIC = re.compile(r"^[-+]?\d+(\.\d+)?[eE][-+]?\d+$")
LARGEST = 1e15
"""Whole numbers from this size on are rejected: no company counts workers or audits like that,
and larger ones would not survive the trip through a float exactly."""
THREE_DECIMALS = re.compile(r"^[-+]?[1-9]\d{0,2}[.,]\d{3}$")
GROUPED = {
    ",": re.compile(r"^[-+]?\d{1,3}(\.\d{3})+(,\d+)?$|^[-+]?\d+(,\d+)?$"),
    ".": re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$|^[-+]?\d+(\.\d+)?$"),
}


class Invalid(ValueError):
    """A cell that cannot be read; `rule` names the check that failed."""

    def __init__(self, rule: str) -> None:
        self.rule = rule
        super().__init__(rule)


def clean(text: str | None) -> str | None:
    """Return the text without stray spaces, or None for an empty cell.

    Excel errors are rejected, and so is a formula (its text, '=SUM(B2:B4)'): a cell holds it
    only when the file was written by a program that does not calculate, so no value was saved.
    """
    if text is None:
        return None
    value = text.replace("\u00a0", " ").strip()
    if value.upper() in EXCEL_ERRORS:
        raise Invalid("excel_error")
    if value.startswith("="):
        raise Invalid("formula_without_value")
    return value or None


def _decimal_separator(value: str, preferred: Decimal) -> str:
    commas, dots = value.count(","), value.count(".")
    if commas and dots:
        return "," if value.rfind(",") > value.rfind(".") else "."
    if not (commas or dots):
        return "."
    sep = "," if commas else "."
    if value.count(sep) > 1:
        return "." if sep == "," else ","
    if THREE_DECIMALS.match(value):
        if preferred is None:
            raise Invalid("ambiguous_number")
        return preferred
    return sep


def parse_number(text: str | None, *, decimal: Decimal = None) -> float | None:
    """Read '12,5', '12.5', '1.234,5', '1,234.5' or '1 234' as a number.

    `decimal` is the separator the file prefers for a form like '1.234' that reads both ways.
    """
    value = clean(text)
    if value is None:
        return None
    value = value.replace(" ", "").replace("\u202f", "")
    if SCIENTIFIC.match(value):
        number = float(value)
    else:
        sep = _decimal_separator(value, decimal)
        if not GROUPED[sep].match(value):
            raise Invalid("not_a_number")
        thousands = "." if sep == "," else ","
        number = float(value.replace(thousands, "").replace(sep, "."))
    if not math.isfinite(number):
        raise Invalid("not_a_number")
    return number


def parse_integer(text: str | None, *, decimal: Decimal = None) -> int | None:
    """Read a whole number; '1.250' and '1,250' are 1250 (the only whole reading), '12,5' fails."""
    value = clean(text)
    if value is not None and THREE_DECIMALS.match(value.replace(" ", "")):
        return int(re.sub(r"[ .,]", "", value))
    number = parse_number(value, decimal=decimal)
    if number is None:
        return None
    if not number.is_integer():
        raise Invalid("not_whole")
    if abs(number) >= LARGEST:
        raise Invalid("too_large")
    return int(number)


def parse_percent(text: str | None, *, decimal: Decimal = None) -> float | None:
    """Read '35%', '35 %' or '35' as 35 (percent).

    A bare number above 0 and at most 1 is rejected as ambiguous: '0,13' may be the fraction
    (13 %) or 0,13 %, and '1' may be 1 % or 100 %. A cell Excel formats as a percentage is
    handed over with its percent sign (`pipelines.sheetxml`), so it is not ambiguous.
    """
    value = clean(text)
    if value is None:
        return None
    if value.endswith("%"):
        number = parse_number(value[:-1], decimal=decimal)
        if number is None:
            raise Invalid("not_a_number")
        return number
    number = parse_number(value, decimal=decimal)
    assert number is not None
    if 0 < number <= 1:
        raise Invalid("ambiguous_percent")
    return number


def parse_boolean(text: str | None) -> bool | None:
    """Read ja/nee, yes/no, j/n, x (ticked), true/false as a yes or a no."""
    value = clean(text)
    if value is None:
        return None
    word = value.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise Invalid("not_yes_no")


# Names still in common use that the locale data no longer lists.
COUNTRY_ALIASES = {"turkey": "TR", "ivory coast": "CI", "burma": "MM", "czech republic": "CZ",
                   "swaziland": "SZ", "holland": "NL"}


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Return ISO codes by case-folded code and Dutch or English name."""
    names: dict[str, str] = dict(COUNTRY_ALIASES)
    for lang in ("en", "nl"):
        for code, name in Locale(lang).territories.items():
            if len(code) == 2 and code.isalpha():
                names[name.casefold()] = code
                names[code.casefold()] = code
    return names


def parse_country(text: str | None) -> str | None:
    """Read an ISO code ('BD') or a country name in Dutch or English ('Turkije') as an ISO code."""
    value = clean(text)
    if value is None:
        return None
    code = country_names().get(value.casefold())
    if code is None:
        raise Invalid("unknown_country")
    return code


def parse_text(text: str | None) -> str | None:
    """Return the cleaned text of a cell."""
    return clean(text)


def parse_cell(field_type: str, text: str | None, decimal: Decimal) -> Any:
    """Parse one cell by its field type; raise Invalid with the rule that failed."""
    parsers: dict[str, Callable[[str | None], Any]] = {
        "boolean": parse_boolean, "country": parse_country, "text": parse_text,
        "integer": lambda t: parse_integer(t, decimal=decimal),
        "number": lambda t: parse_number(t, decimal=decimal),
        "percent": lambda t: parse_percent(t, decimal=decimal),
    }
    return parsers[field_type](text)
