"""The pack's trend charts: the dashboard's figure, laid out for paper and slides, drawn by
kaleido in the machine's own Chromium (nothing is downloaded at run time)."""

import asyncio
import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

import plotly.graph_objects as go
import polars as pl

from dashboard.figures import trend_figure
from dashboard.text import Lang
from imvo.definitions.models import Covenant, Definitions
from imvo.errors import ImvoError

ChartFormat = Literal["svg", "png"]
# Debian and Ubuntu install Chromium here; Chrome's usual names come after it.
BROWSERS = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "chrome")
WIDTH, HEIGHT = 960, 420
PNG_SCALE = 2  # 1920 × 840 pixels: sharp on a projector and when printed from PowerPoint
RENDER_TIMEOUT = 60


def pack_figures(values: pl.DataFrame, defs: Definitions, *, covenant: Covenant, year: int,
                 lang: Lang) -> list[go.Figure]:
    """Return each KPI's trend chart with data and published figures up to `year`."""
    upto = values.filter(pl.col("year") <= year)
    published = [f for f in covenant.published if f.year <= year]
    targets = {target.kpi: target for target in covenant.targets}
    return [print_layout(trend_figure(upto, kpi=kpi, target=targets.get(kpi.id),
                                      published=published, lang=lang, years=covenant.years))
            for kpi in defs.covenant_kpis(covenant.slug)]


def print_layout(figure: go.Figure) -> go.Figure:
    """Return the figure sized and lettered for a printed page or a slide."""
    figure.update_layout(
        width=WIDTH, height=HEIGHT, margin={"l": 70, "r": 24, "t": 16, "b": 40},
        font={"family": "Helvetica, Arial, sans-serif", "size": 15},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        paper_bgcolor="#ffffff", plot_bgcolor="#ffffff")
    # a lone yearly value is a single marker: on paper it must be seen without hovering
    figure.update_traces(marker={"size": 10}, selector={"legendgroup": "observed"})
    return figure


def browser_path() -> str:
    """Return the Chrome or Chromium kaleido should drive: $BROWSER_PATH, else the system's."""
    chosen = os.environ.get("BROWSER_PATH")
    if chosen:
        if not Path(chosen).is_file():
            raise ImvoError(f"BROWSER_PATH names no file: {chosen}",
                            hint="point BROWSER_PATH at a Chrome or Chromium, or unset it")
        return chosen
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise ImvoError("no Chromium found to draw the charts of the meeting pack",
                    hint="install Debian's chromium (apt-get install chromium) "
                         "or set BROWSER_PATH to a Chrome or Chromium")


async def _render(figures: Sequence[go.Figure], fmt: ChartFormat,
                  advance: Callable[[int], None]) -> list[bytes]:
    import kaleido

    opts = {"format": fmt, "width": WIDTH, "height": HEIGHT,
            "scale": PNG_SCALE if fmt == "png" else 1}
    images = []
    # mathjax=False: kaleido would otherwise load MathJax from a CDN; plotly.js is the local one.
    async with kaleido.Kaleido(n=1, timeout=RENDER_TIMEOUT, mathjax=False,
                               path=browser_path()) as drawer:
        for number, figure in enumerate(figures, start=1):
            images.append(await drawer.calc_fig(figure, opts=opts))
            advance(number)
    return images


def render_charts(figures: Sequence[go.Figure], fmt: ChartFormat, *,
                  advance: Callable[[int], None] = lambda _: None) -> list[bytes]:
    """Return every figure drawn as SVG (vector, for the PDF) or PNG (for the slides)."""
    if not figures:
        return []
    try:
        return asyncio.run(_render(figures, fmt, advance))
    except ImvoError:
        raise
    except Exception as exc:
        raise ImvoError(f"the charts could not be drawn: {type(exc).__name__}: {exc}",
                        hint="check that Chromium starts (chromium --headless --version)") from exc
