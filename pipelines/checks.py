"""Check parsed values with pandera schemas built from the field catalogue.

Parsing (`pipelines.columns`) turns text into typed columns and names the rule a cell broke;
the schema then checks types, ranges (`min`, `max`), parts not above their whole (`not_above`)
and the row key (present, not repeated within a file). One schema validates the rows of a whole
batch of files at once: pandera costs about ten milliseconds a call whatever the size, which a
call per file would spend on every submission.
"""

from collections.abc import Callable
from functools import lru_cache

import pandera.polars as pa
import polars as pl

from imvo.definitions.models import FieldSpec
from imvo.errors import IngestError
from pipelines.columns import POLARS_TYPES

FILE = "_file"
INDEX = "_index"
RULES = {"not_nullable": "missing_key"}
"""pandera's own check names, as our rules call them."""
PROBLEMS = {INDEX: pl.Int64, "column": pl.String, "rule": pl.String}


def _check(rule: str, passes: Callable[[str], pl.Expr]) -> pa.Check:
    return pa.Check(lambda data: data.lazyframe.select(passes(data.key)), name=rule)


def _column_checks(spec: FieldSpec, present: set[str], key: str | None) -> list[pa.Check]:
    checks: list[pa.Check] = []
    low, high, whole = spec.min, spec.max, spec.not_above
    if low is not None:
        checks.append(_check("below_min", lambda c: pl.col(c).is_null() | (pl.col(c) >= low)))
    if high is not None:
        checks.append(_check("above_max", lambda c: pl.col(c).is_null() | (pl.col(c) <= high)))
    if whole is not None and whole in present:
        checks.append(_check("above_other", lambda c: pl.col(c).is_null()
                             | pl.col(whole).is_null() | (pl.col(c) <= pl.col(whole))))
    if spec.id == key:
        checks.append(_check("duplicate_key", lambda c: pl.col(c).is_null()
                             | pl.col(c).is_first_distinct().over(FILE)))
    return checks


@lru_cache(maxsize=128)
def schema(specs: tuple[FieldSpec, ...], key: str | None) -> pa.DataFrameSchema:
    """Return the schema of parsed rows with these fields; `key` must be there and unique."""
    present = {s.id for s in specs}
    columns = {s.id: pa.Column(POLARS_TYPES[s.type], _column_checks(s, present, key),
                               nullable=s.id != key) for s in specs}
    return pa.DataFrameSchema({FILE: pa.Column(pl.Int32), **columns}, strict=False)


def check_values(values: pl.DataFrame, specs: list[FieldSpec],
                 key: str | None) -> pl.DataFrame:
    """Return the (row index, column, rule) of every parsed value that breaks a check."""
    try:
        schema(tuple(specs), key).validate(values, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases: pl.DataFrame = exc.failure_cases
    else:
        return pl.DataFrame(schema=PROBLEMS)
    if cases["index"].null_count():
        # Only a wrong column type fails without a row: parsing always gives the warehouse type.
        raise IngestError(f"parsed values do not have the warehouse types: "
                          f"{cases.filter(pl.col('index').is_null()).rows()}",
                          hint="report this with the file; it is a fault in imvo, not in it")
    return cases.select(pl.col("index").cast(pl.Int64).alias(INDEX), "column",
                        pl.col("check").replace(RULES).alias("rule"))


def parse_problems(rules: pl.DataFrame) -> pl.DataFrame:
    """Return the (row index, column, rule) of every cell that could not be parsed."""
    if not rules.width:
        return pl.DataFrame(schema=PROBLEMS)
    return (rules.with_row_index(INDEX).with_columns(pl.col(INDEX).cast(pl.Int64))
            .unpivot(index=INDEX, variable_name="column", value_name="rule")
            .drop_nulls("rule").select(list(PROBLEMS)))


def _part_of_a_bad_whole(problems: pl.DataFrame, specs: list[FieldSpec]) -> pl.DataFrame:
    """Return the 'part above its whole' problems whose whole has a problem of its own.

    A negative head count would otherwise also say that every part of it is too large: one
    message says what is wrong.
    """
    wholes = {s.id: s.not_above for s in specs if s.not_above}
    parts = problems.filter(pl.col("rule") == "above_other").with_columns(
        pl.col("column").replace_strict(wholes, default=None).alias("whole"))
    bad = problems.select(INDEX, pl.col("column").alias("whole"))
    return parts.join(bad, on=[INDEX, "whole"], how="semi").select(list(PROBLEMS))


def all_problems(values: pl.DataFrame, rules: pl.DataFrame, specs: list[FieldSpec],
                 key: str | None) -> pl.DataFrame:
    """Return every problem, in row order; a cell that failed to parse is not checked again."""
    parsed = parse_problems(rules)
    checked = check_values(values, specs, key).join(parsed, on=[INDEX, "column"], how="anti")
    found = pl.concat([parsed, checked])
    if found.height:
        found = found.join(_part_of_a_bad_whole(found, specs), on=list(PROBLEMS), how="anti")
    return found.sort(INDEX, maintain_order=True)
