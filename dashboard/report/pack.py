"""The meeting pack of a covenant and year, read for a viewer and written as PDF or PPTX."""

from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Literal

import duckdb
import plotly.graph_objects as go
import polars as pl

from dashboard.report.appendix import (
    Block,
    CoverageLine,
    coverage_lines,
    definition_blocks,
    freshness,
    goal_blocks,
)
from dashboard.report.charts import pack_figures, render_charts
from dashboard.report.content import Cover, Fact, KpiPage, StatusLine, cover, kpi_sections
from dashboard.report.text import rt
from dashboard.text import Lang
from imvo.definitions.models import Covenant, Definitions
from imvo.errors import ImvoError
from warehouse import access
from warehouse.access import Viewer
from warehouse.connection import connect_reader

PackFormat = Literal["pdf", "pptx"]
FORMATS: tuple[PackFormat, ...] = ("pdf", "pptx")
Progress = Callable[[int, int, str], None]
"""Told (steps done, steps in all, what is being done) as the pack is made."""


@dataclass(frozen=True)
class Pack:
    """Everything a meeting pack shows, in one language, as the viewer may see it."""

    lang: Lang
    year: int
    cover: Cover
    status: list[StatusLine]
    kpis: list[KpiPage]
    figures: list[go.Figure]
    coverage: list[CoverageLine]
    coverage_threshold: float
    freshness: list[Fact]
    goals: list[Block]
    definitions: list[Block]


def pack_of(values: pl.DataFrame, progress: pl.DataFrame, defs: Definitions, *,
            covenant: Covenant, year: int, lang: Lang, viewer: Viewer,
            last_ingest: datetime | None, made_on: date) -> Pack:
    """Return the pack of a covenant and year from the frames the access layer gave a viewer."""
    status, pages = kpi_sections(values, progress, defs, covenant=covenant, year=year, lang=lang)
    return Pack(
        lang, year,
        cover(covenant, viewer=viewer, year=year, lang=lang, last_ingest=last_ingest,
              made_on=made_on),
        status, pages, pack_figures(values, defs, covenant=covenant, year=year, lang=lang),
        coverage_lines(values, covenant=covenant, year=year, lang=lang),
        covenant.coverage_threshold,
        freshness(values, defs, covenant=covenant, year=year, lang=lang),
        goal_blocks(covenant, defs, lang=lang),
        definition_blocks(defs, defs.catalogue, covenant=covenant, lang=lang))


def check_request(defs: Definitions, slug: str, year: int) -> Covenant:
    """Return the covenant of a pack request, or say why the request cannot be made."""
    covenant = defs.covenants.get(slug)
    if covenant is None:
        raise ImvoError(f"unknown covenant '{slug}'",
                        hint="choose one of: " + ", ".join(sorted(defs.covenants)))
    if year not in covenant.years:
        raise ImvoError(f"{year} is outside the period of {slug} "
                        f"({covenant.first_year}–{covenant.last_year})",
                        hint="choose a year in the period")
    return covenant


def read_pack(conn: duckdb.DuckDBPyConnection, viewer: Viewer, defs: Definitions, *,
              covenant: str, year: int, lang: Lang, made_on: date) -> Pack:
    """Return the pack of a covenant and year, read through the access layer for a viewer."""
    chosen = check_request(defs, covenant, year)
    values = access.kpi_values(conn, viewer, covenant=covenant)
    progress = access.progress(conn, viewer, covenant=covenant)
    return pack_of(values, progress, defs, covenant=chosen, year=year, lang=lang, viewer=viewer,
                   last_ingest=access.last_ingest(conn), made_on=made_on)


def write_pack(pack: Pack, fmt: PackFormat, *, progress: Progress | None = None) -> bytes:
    """Return the pack as a PDF (vector charts) or a PPTX (charts as high-resolution PNG)."""
    from dashboard.report.deck import pptx_bytes
    from dashboard.report.pdf import pdf_bytes

    total = len(pack.figures) + 1
    tell = progress or (lambda _done, _total, _what: None)

    def advance(done: int) -> None:
        """Tell that another chart is drawn."""
        tell(done, total, rt("stage_chart", pack.lang, n=done, total=len(pack.figures)))

    tell(0, total, rt("stage_draw", pack.lang))  # the chart renderer's browser starts first
    charts = render_charts(pack.figures, "svg" if fmt == "pdf" else "png", advance=advance)
    tell(total - 1, total, rt("stage_layout", pack.lang))
    content = pdf_bytes(pack, charts) if fmt == "pdf" else pptx_bytes(pack, charts)
    tell(total, total, rt("stage_layout", pack.lang))
    return content


def pack_choice(fmt: str, lang: str) -> tuple[PackFormat, Lang]:
    """Return the format and language named on a command line, or say which exist."""
    formats: dict[str, PackFormat] = {f: f for f in FORMATS}
    langs: dict[str, Lang] = {"nl": "nl", "en": "en"}
    if fmt not in formats or lang not in langs:
        raise ImvoError(f"unknown format '{fmt}' or language '{lang}'",
                        hint="use --format pdf or pptx, and --lang nl or en")
    return formats[fmt], langs[lang]


def make_pack(warehouse_path: Path, viewer: Viewer, defs: Definitions, *, covenant: str,
              year: int, lang: Lang, fmt: PackFormat, progress: Progress | None = None) -> bytes:
    """Return the pack file of a covenant and year, read from a warehouse for a viewer."""
    if fmt not in FORMATS:
        raise ImvoError(f"unknown format '{fmt}'", hint="choose pdf or pptx")
    if progress is not None:
        progress(0, 1, rt("stage_read", lang))
    with closing(connect_reader(warehouse_path)) as conn:
        pack = read_pack(conn, viewer, defs, covenant=covenant, year=year, lang=lang,
                         made_on=date.today())
    return write_pack(pack, fmt, progress=progress)


def file_name(covenant: str, year: int, lang: Lang, fmt: PackFormat) -> str:
    """Return the pack's file name, e.g. 'vergaderstuk-textiel-2019.pdf'."""
    return f"{rt('file_stem', lang)}-{covenant}-{year}.{fmt}"
