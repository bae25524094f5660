"""Parse whole text columns at once, with the rules of `pipelines.normalise`.

The common cells (what Excel stores for a typed number, ja/nee, an ISO code) take a vectorised
fast path whose result equals the scalar parser's for every text it accepts. Every other cell,
and so every cell that fails, goes through the scalar parser itself: the rules live in one place
and the two paths cannot disagree (a property test compares them on arbitrary text).
"""

import polars as pl

from imvo.definitions.models import FieldSpec
from pipelines.normalise import (
    EXCEL_ERRORS,
    FALSE_WORDS,
    TRUE_WORDS,
    Decimal,
    Invalid,
    country_names,
    parse_cell,
)

DECIMAL = "_decimal"
PLAIN_INTEGER = r"^-?[0-9]{1,15}$"
PLAIN_NUMBER = r"^-?[0-9]{1,15}(\.[0-9]{1,15})?$"
DOTTED_THOUSANDS = r"^-?[1-9][0-9]{0,2}\.[0-9]{3}$"
"""'1.234' reads both ways; the file's preferred decimal separator decides (see normalise)."""
ASCII_WORD = r"^[!-~]([ -~]*[!-~])?$"
"""Printable ASCII without spaces at either end: stripping and case-folding cannot change it."""
POLARS_TYPES: dict[str, pl.DataType] = {
    "boolean": pl.Boolean(), "integer": pl.Int64(), "number": pl.Float64(),
    "percent": pl.Float64(), "text": pl.String(), "country": pl.String(),
}


def _fast_number(text: pl.Expr, decimal: pl.Expr, *, percent: bool) -> pl.Expr:
    plain = text.str.contains(PLAIN_NUMBER) & ~(
        text.str.contains(DOTTED_THOUSANDS) & (decimal != "."))
    number = pl.when(plain).then(text.cast(pl.Float64, strict=False))
    if not percent:
        return number
    # A bare number in (0, 1] is ambiguous ('0,13': 13 % or 0,13 %; '1': 1 % or 100 %):
    # the scalar parser rejects it with its reason.
    return pl.when((number > 0) & (number <= 1)).then(None).otherwise(number)


def fast_parse(field_type: str, text: pl.Expr, decimal: pl.Expr) -> pl.Expr:
    """Return the value of every cell the fast path can read, and null for the rest."""
    word = text.str.contains(ASCII_WORD)
    lower = text.str.to_lowercase()
    if field_type == "integer":
        return pl.when(text.str.contains(PLAIN_INTEGER)).then(text.cast(pl.Int64, strict=False))
    if field_type in ("number", "percent"):
        return _fast_number(text, decimal, percent=field_type == "percent")
    if field_type == "boolean":
        return (pl.when(word & lower.is_in(sorted(TRUE_WORDS))).then(True)
                .when(word & lower.is_in(sorted(FALSE_WORDS))).then(False)
                .otherwise(None))
    if field_type == "country":
        return pl.when(word).then(
            lower.replace_strict(country_names(), default=None, return_dtype=pl.String))
    errors = sorted(EXCEL_ERRORS)
    formula = text.str.starts_with("=")
    return pl.when(word & ~formula & ~text.str.to_uppercase().is_in(errors)).then(text)


def _slow(field_type: str, texts: list[str | None],
          decimals: list[str | None]) -> tuple[list[object], list[str | None]]:
    values: list[object] = []
    rules: list[str | None] = []
    for text, decimal in zip(texts, decimals, strict=True):
        try:
            values.append(parse_cell(field_type, text, as_decimal(decimal)))
            rules.append(None)
        except Invalid as exc:
            values.append(None)
            rules.append(exc.rule)
    return values, rules


def as_decimal(value: str | None) -> Decimal:
    """Return a file's preferred decimal separator as stored in a text column."""
    return "," if value == "," else "." if value == "." else None


def parse_columns(frame: pl.DataFrame, specs: list[FieldSpec]) -> tuple[pl.DataFrame,
                                                                        pl.DataFrame]:
    """Return the parsed values of the spec columns and, per cell, the rule that failed."""
    decimal = pl.col(DECIMAL)
    fast = frame.select(
        [fast_parse(s.type, pl.col(s.id), decimal).cast(POLARS_TYPES[s.type]).alias(s.id)
         for s in specs])
    values: list[pl.Series] = []
    rules: list[pl.Series] = []
    for spec in specs:
        text, value = frame.get_column(spec.id), fast.get_column(spec.id)
        rule = pl.Series(spec.id, [None] * frame.height, dtype=pl.String)
        rows = (text.is_not_null() & value.is_null()).arg_true()
        if len(rows):
            slow, failed = _slow(spec.type, text.gather(rows).to_list(),
                                 frame.get_column(DECIMAL).gather(rows).to_list())
            value = value.scatter(rows, pl.Series(slow, dtype=POLARS_TYPES[spec.type]))
            rule = rule.scatter(rows, pl.Series(failed, dtype=pl.String))
        values.append(value)
        rules.append(rule)
    return pl.DataFrame(values), pl.DataFrame(rules)
