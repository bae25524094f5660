"""The access layer: every read of the KPI mart takes a viewer and returns only what it may see."""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import duckdb
import polars as pl

from imvo.errors import AccessDenied
from warehouse.connection import scalar

Role = Literal["public", "steering", "evaluator", "commission", "admin"]
ROLES: tuple[Role, ...] = ("public", "steering", "evaluator", "commission", "admin")
COMPANY_ROLES: frozenset[Role] = frozenset({"commission", "admin"})
SCOPED_ROLES: frozenset[Role] = frozenset({"steering", "commission"})
MASKED = ("value", "numerator", "denominator")


@dataclass(frozen=True)
class Viewer:
    """Who is looking: a role and, for covenant-bound roles, the covenant."""

    role: Role = "public"
    covenant: str | None = None

    def __post_init__(self) -> None:
        if self.role in SCOPED_ROLES and self.covenant is None:
            raise ValueError(f"a {self.role} viewer needs a covenant")

    def sees_unsuppressed(self, covenant: str) -> bool:
        """Return whether this viewer may see values below the disclosure threshold."""
        return self.role == "admin" or (self.role == "commission" and self.covenant == covenant)


PUBLIC = Viewer()


def _scope(covenant: str | None) -> tuple[str, list[str]]:
    # Every viewer may read every covenant's aggregates; masking decides, per covenant, which
    # suppressed numbers stay (a commission sees other covenants as the public does).
    return ("covenant = ?", [covenant]) if covenant else ("TRUE", [])


def _mask(frame: pl.DataFrame, viewer: Viewer) -> pl.DataFrame:
    """Blank suppressed numbers for viewers without company rights (the flag stays visible)."""
    if frame.is_empty():
        return frame
    allowed = pl.col("covenant").map_elements(viewer.sees_unsuppressed, return_dtype=pl.Boolean)
    hide = pl.col("suppressed") & ~allowed
    return frame.with_columns(
        pl.when(hide).then(None).otherwise(pl.col(c)).alias(c) for c in MASKED
    )


def kpi_values(conn: duckdb.DuckDBPyConnection, viewer: Viewer, *,
               covenant: str | None = None, kpi: str | None = None,
               breakdown: str | None = "total") -> pl.DataFrame:
    """Return KPI values per covenant, KPI, year (and category) that the viewer may see.

    By default the totals; `breakdown` 'country', 'material' or 'size_class' gives the values
    per category of that breakdown instead, None gives all rows.
    """
    where, params = _scope(covenant)
    if kpi:
        where, params = f"{where} AND kpi = ?", [*params, kpi]
    if breakdown:
        where, params = f"{where} AND breakdown = ?", [*params, breakdown]
    frame = conn.sql(
        f"SELECT * FROM kpi_values WHERE {where} ORDER BY covenant, kpi, year, breakdown, "
        "category", params=params
    ).pl()
    return _mask(frame, viewer)


COMPANY_VALUES = """
SELECT v.member_id, m.name, m.size_class, v.value, v.numerator, v.denominator, v.counted
FROM kpi_company_values v
LEFT JOIN members m ON m.covenant = v.covenant AND m.member_id = v.member_id
WHERE v.covenant = ? AND v.year = ? AND v.kpi = ?
ORDER BY v.member_id
"""


def company_values(conn: duckdb.DuckDBPyConnection, viewer: Viewer, *, covenant: str,
                   year: int, kpi: str) -> pl.DataFrame:
    """Return each reporting member's own contribution to a KPI; company rights required."""
    if not viewer.sees_unsuppressed(covenant):
        raise AccessDenied(f"company values of {covenant} are for its monitoring commission and "
                           "secretariat only", hint="sign in with a commission account of "
                           f"{covenant}, or look at the aggregated KPI values")
    frame: pl.DataFrame = conn.sql(COMPANY_VALUES, params=[covenant, year, kpi]).pl()
    return frame


def latest_values(conn: duckdb.DuckDBPyConnection, viewer: Viewer, *,
                  year: int | None = None) -> pl.DataFrame:
    """Return per covenant and KPI the value of the latest year (up to `year`) with submissions."""
    frame = kpi_values(conn, viewer)
    frame = frame.filter(pl.col("members_submitted") > 0)
    if year is not None:
        frame = frame.filter(pl.col("year") <= year)
    return frame.sort("year").group_by(["covenant", "kpi"], maintain_order=True).last()


def reported_years(conn: duckdb.DuckDBPyConnection, viewer: Viewer) -> list[int]:
    """Return the years, newest first, in which the viewer can see values with submissions."""
    # The same years for every viewer: every viewer reads every covenant's aggregates.
    rows = conn.execute(
        "SELECT DISTINCT year FROM kpi_values WHERE members_submitted > 0 "
        "AND breakdown = 'total' ORDER BY year DESC"
    ).fetchall()
    return [int(row[0]) for row in rows]


def progress(conn: duckdb.DuckDBPyConnection, viewer: Viewer, *,
             covenant: str | None = None) -> pl.DataFrame:
    """Return the progress assessment per covenant and KPI that the viewer may see."""
    where, params = _scope(covenant)
    frame: pl.DataFrame = conn.sql(
        f"SELECT * FROM kpi_progress WHERE {where} ORDER BY covenant, kpi", params=params
    ).pl()
    return frame


def last_ingest(conn: duckdb.DuckDBPyConnection) -> datetime | None:
    """Return when the newest file was loaded into the warehouse, if any."""
    value: datetime | None = scalar(conn, "SELECT max(ingested_at) FROM files")
    return value
