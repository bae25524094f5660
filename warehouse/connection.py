"""Opening the warehouse: one writer at a time, readers read-only."""

from pathlib import Path
from typing import Any

import duckdb

from imvo.definitions.models import Catalogue
from imvo.errors import WarehouseError
from warehouse.schema import create_schema


def connect_writer(path: Path, catalogue: Catalogue) -> duckdb.DuckDBPyConnection:
    """Open the warehouse for writing, creating the file and the schema when missing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = duckdb.connect(str(path))
    except duckdb.IOException as exc:
        raise WarehouseError(
            f"cannot open the warehouse {path} for writing: {exc}",
            hint="another imvo process is writing to it; wait until it has finished",
        ) from exc
    create_schema(conn, catalogue)
    return conn


def connect_reader(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only, without access to other files or the network."""
    if not path.is_file():
        raise WarehouseError(f"no warehouse at {path}",
                             hint="run 'imvo demo', or 'imvo ingest' and 'imvo compute' first")
    config: dict[str, str | bool | int | float | list[str]] = {"enable_external_access": False}
    # The published version's own file name (warehouse.publish): DuckDB reuses an open
    # database of the same name in this process, which would be the version before.
    try:
        return duckdb.connect(str(path.resolve()), read_only=True, config=config)
    except (duckdb.IOException, duckdb.PermissionException):
        # Resolved just before a switch: that version was deleted since, or the name was still
        # the file itself and is now the link (a path DuckDB refuses with external access off).
        return duckdb.connect(str(path.resolve()), read_only=True, config=config)


def scalar(conn: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    """Return the first value of a query's first row, or None; the result is read to the end."""
    rows = conn.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def first_row(conn: duckdb.DuckDBPyConnection, sql: str,
              params: list[Any] | None = None) -> tuple[Any, ...] | None:
    """Return a query's first row, or None; the result is read to the end."""
    rows = conn.execute(sql, params or []).fetchall()
    return tuple(rows[0]) if rows else None
