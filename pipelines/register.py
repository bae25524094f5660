"""The member register (`members.csv`): who is bound to which covenant, and since when."""

from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from imvo.definitions.models import Definitions
from imvo.errors import IngestError

REGISTER_COLUMNS = {"covenant", "member_id", "name", "size_class", "joined"}


@dataclass(frozen=True)
class RegisterResult:
    """A member register that was loaded, and the covenant-years its members count in."""

    file_name: str
    members: int
    affected: frozenset[tuple[str, int]]


def is_member_register(path: Path) -> bool:
    """Return whether a csv file is a member register rather than a submission."""
    if path.suffix.lower() != ".csv":
        return False
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        header = {c.strip().lower() for c in handle.readline().replace(";", ",").split(",")}
    return header >= REGISTER_COLUMNS


def _read(path: Path) -> pl.DataFrame:
    try:
        frame = pl.read_csv(path, try_parse_dates=True, infer_schema_length=None)
    except pl.exceptions.PolarsError as exc:
        raise IngestError(f"{path.name} is not a readable member register ({exc})",
                          hint="save it as csv with the columns " +
                          ", ".join(sorted(REGISTER_COLUMNS))) from exc
    if "left_on" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Date).alias("left_on"))
    if "weight" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Float64).alias("weight"))
    return frame


def load_members(conn: duckdb.DuckDBPyConnection, path: Path,
                 defs: Definitions) -> RegisterResult:
    """Load or update a member register (covenant, member_id, name, size_class, joined, ...)."""
    frame = _read(path)
    covenants = set(frame["covenant"].cast(pl.String).unique())
    unknown = sorted(str(c) for c in covenants - set(defs.covenants))
    if unknown:
        raise IngestError(f"{path.name}: unknown covenant(s) {', '.join(unknown)}",
                          hint="use the covenant codes of kpi_definitions/covenants")
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
    affected = frozenset((c, y) for c in covenants for y in defs.covenants[c].years)
    return RegisterResult(path.name, frame.height, affected)
