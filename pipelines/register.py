"""The member register (`members.csv`): who is bound to which covenant, and since when.

A register is read the way Excel saves it: ',' or ';' separated, UTF-8 with or without BOM or
Windows-1252, a ';' file with Dutch decimals (`1.234,5`), dates as `2018-12-31`, `31-12-2018`
or `31/12/2018`. A value that cannot be read stops the register with one line naming its line
and column; a register is loaded whole or not at all.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from imvo.definitions.models import Definitions
from imvo.errors import IngestError

REGISTER_COLUMNS = {"covenant", "member_id", "name", "size_class", "joined"}
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")
NUMBER = {";": re.compile(r"-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?([eE][-+]?\d+)?"),
          ",": re.compile(r"-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?([eE][-+]?\d+)?")}
"""A weight in the convention of the separator: ';' files write Dutch numbers, ',' English."""
DATE_HINT = "write dates as 2018-12-31 or 31-12-2018"


@dataclass(frozen=True)
class RegisterResult:
    """A member register loaded (or why not), and the covenant-years its members count in."""

    file_name: str
    members: int
    affected: frozenset[tuple[str, int]]
    error: str | None = None
    """Why the register was not loaded (then nothing of it was)."""
    hint: str | None = None
    """What to do about it."""


def _columns(line: str) -> set[str]:
    return {c.strip().strip('"').lower() for c in line.replace(";", ",").split(",")}


def is_member_register(path: Path) -> bool:
    """Return whether a csv file is a member register rather than a submission."""
    if path.suffix.lower() != ".csv":
        return False
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        return _columns(handle.readline()) >= REGISTER_COLUMNS


def _text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _problem(path: Path, line: int, column: str, text: str, hint: str) -> IngestError:
    return IngestError(f"{path.name} line {line}, column {column}: {text}", hint=hint)


def _date(value: str, where: tuple[Path, int, str]) -> date:
    for form in DATE_FORMATS:
        try:
            return datetime.strptime(value, form).date()
        except ValueError:
            continue
    raise _problem(*where, f"'{value}' is not a date", DATE_HINT)


def _weight(value: str, sep: str, where: tuple[Path, int, str]) -> float:
    text = value.replace(" ", "").replace("\u00a0", "")
    if not NUMBER[sep].fullmatch(text):
        example = "1234,5" if sep == ";" else "1234.5"
        raise _problem(*where, f"'{value}' is not a number",
                       f"write the weight as a number, for example {example}")
    thousands, decimal = (".", ",") if sep == ";" else (",", ".")
    return float(text.replace(thousands, "").replace(decimal, "."))


def _record(path: Path, line: int, cells: dict[str, str], sep: str) -> dict[str, object]:
    record: dict[str, object] = {}
    for column in sorted(REGISTER_COLUMNS - {"joined"}):
        if not cells.get(column):
            raise _problem(path, line, column, "is empty",
                           f"give every member a {', '.join(sorted(REGISTER_COLUMNS))}")
        record[column] = cells[column]
    record["joined"] = _date(cells.get("joined", ""), (path, line, "joined"))
    left = cells.get("left_on")
    record["left_on"] = _date(left, (path, line, "left_on")) if left else None
    weight = cells.get("weight")
    record["weight"] = _weight(weight, sep, (path, line, "weight")) if weight else None
    return record


def read_register(path: Path) -> pl.DataFrame:
    """Read a member register as Excel saves it; a value it cannot read names line and column."""
    text = _text(path)
    first = text.split("\n", 1)[0]
    sep = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        header = [c.strip().lower() for c in next(reader, [])]
        missing = sorted(REGISTER_COLUMNS - set(header))
        if missing:
            raise _problem(path, 1, missing[0], "is missing from the header",
                           "name the columns " + ", ".join(sorted(REGISTER_COLUMNS)))
        records = []
        for row in reader:
            if any(c.strip() for c in row):
                cells = {h: c.strip() for h, c in zip(header, row, strict=False)}
                records.append(_record(path, reader.line_num, cells, sep))
    except csv.Error as exc:
        raise IngestError(f"{path.name} line {reader.line_num}: {exc}",
                          hint="save the register again from Excel as 'CSV UTF-8'") from exc
    schema = {"covenant": pl.String, "member_id": pl.String, "name": pl.String,
              "size_class": pl.String, "joined": pl.Date, "left_on": pl.Date,
              "weight": pl.Float64}
    return pl.DataFrame(records, schema=schema, orient="row")


def _check(path: Path, frame: pl.DataFrame, defs: Definitions) -> None:
    unknown = sorted(set(frame["covenant"]) - set(defs.covenants))
    if unknown:
        raise IngestError(f"{path.name}: unknown covenant(s) {', '.join(unknown)}",
                          hint="use the covenant codes of kpi_definitions/covenants")
    doubles = frame.filter(pl.struct("covenant", "member_id").is_duplicated())
    if doubles.height:
        raise IngestError(f"{path.name}: member {doubles['member_id'][0]} of "
                          f"{doubles['covenant'][0]} is listed more than once",
                          hint="keep one line per member")


def load_members(conn: duckdb.DuckDBPyConnection, path: Path,
                 defs: Definitions) -> RegisterResult:
    """Load or update a member register (covenant, member_id, name, size_class, joined, ...)."""
    frame = read_register(path)
    _check(path, frame, defs)
    conn.register("register", frame)
    try:
        conn.execute("INSERT OR REPLACE INTO members BY NAME SELECT covenant, member_id, name, "
                     "size_class, joined, left_on, weight FROM register")
    except duckdb.Error as exc:
        raise IngestError(f"{path.name}: the register cannot be loaded ({exc})",
                          hint="give every member a covenant, member_id, name, size_class "
                               "and joined date (YYYY-MM-DD)") from exc
    finally:
        conn.unregister("register")
    covenants = set(frame["covenant"])
    affected = frozenset((c, y) for c in covenants for y in defs.covenants[c].years)
    return RegisterResult(path.name, frame.height, affected)
