"""Pure figure builders: a frame and definitions in, a Plotly figure out."""

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
import polars as pl

from dashboard.formatting import (
    format_coverage,
    format_value,
    plotly_separators,
    unit_suffix,
)
from dashboard.text import Lang, reason_label, t
from imvo.definitions.models import KpiDefinition, PublishedFigure, Target
from warehouse.progress import ZERO_SUBSTITUTE

# Okabe-Ito colours: computed, target, published, suppressed.
COLOURS = {"observed": "#0072B2", "target": "#555555", "published": "#D55E00",
           "suppressed": "#000000"}
# White with light grid lines; a small template of our own, because Plotly copies a template into
# every figure it builds and its bundled ones are large (a covenant page builds a dozen figures).
TEMPLATE = go.layout.Template(layout={
    "plot_bgcolor": "#ffffff", "paper_bgcolor": "#ffffff", "colorway": list(COLOURS.values()),
    "xaxis": {"gridcolor": "#ebebeb", "linecolor": "#cccccc", "zeroline": False},
    "yaxis": {"gridcolor": "#ebebeb", "linecolor": "#cccccc", "zerolinecolor": "#cccccc"},
})
# Each trace's legendgroup names its kind, so tests and callers can find it in any language.
KINDS = ("observed", "target", "milestones", "trajectory", "published", "suppressed")
Trace = dict[str, Any]


def trace(kind: str, **props: Any) -> Trace:
    """Return a trace of a kind ('scatter', 'bar', ...) as plain properties."""
    return {"type": kind, **props}


def figure(traces: Sequence[Trace], layout: dict[str, Any]) -> go.Figure:
    """Return a figure of traces and a layout built here, without Plotly's property checks.

    The checks are most of a figure's build time (a covenant page builds a dozen figures);
    tests/test_dashboard_figures.py runs every builder's figures through them instead.
    """
    return go.Figure(data=list(traces), layout=layout, _validate=False)


def _hover(name: str) -> str:
    return "%{x}: %{customdata[0]}<br>%{customdata[1]}<extra>" + name + "</extra>"


def _observed(rows: pl.DataFrame, *, unit: str, lang: Lang) -> Trace:
    xs: list[float] = []
    ys: list[float | None] = []
    notes: list[list[str]] = []
    for year, value, coverage, broken in rows.select(
            "year", "value", "coverage", "series_break").iter_rows():
        if broken and xs:  # no line across a change of measurement
            xs.append(year - 0.5)
            ys.append(None)
            notes.append(["", ""])
        xs.append(year)
        ys.append(value)
        notes.append([format_value(value, unit, lang), format_coverage(coverage, lang)])
    name = t("trace_observed", lang)
    return trace("scatter", x=xs, y=ys, customdata=notes,
                 mode="lines+markers", name=name, legendgroup="observed",
                 line={"color": COLOURS["observed"], "width": 3}, connectgaps=False,
                 hovertemplate=_hover(name))


def _target(target: Target, *, unit: str, lang: Lang) -> list[Trace]:
    points = [target.baseline, *target.milestones]
    path_name, mark_name = t("trace_target", lang), t("trace_milestone", lang)
    path = trace(
        "scatter",
        x=[p.year for p in points], y=[p.value for p in points], mode="lines", name=path_name,
        legendgroup="target", line={"color": COLOURS["target"], "dash": "dash"},
        hoverinfo="skip")
    notes = [[format_value(p.value, unit, lang), t("target", lang)] for p in target.milestones]
    marks = trace(
        "scatter",
        x=[p.year for p in target.milestones], y=[p.value for p in target.milestones],
        customdata=notes, mode="markers", name=mark_name, legendgroup="milestones",
        marker={"symbol": "diamond", "size": 11, "color": COLOURS["target"]},
        hovertemplate=_hover(mark_name))
    return [path, marks]


def _published(figures: Sequence[PublishedFigure], *, unit: str, lang: Lang) -> Trace:
    name = t("trace_published", lang)
    notes = [[format_value(f.value, unit, lang), f.source] for f in figures]
    return trace(
        "scatter",
        x=[f.year for f in figures], y=[f.value for f in figures], customdata=notes,
        mode="markers", name=name, legendgroup="published", hovertemplate=_hover(name),
        marker={"symbol": "star", "size": 14, "color": COLOURS["published"],
                "line": {"color": "#000000", "width": 1}})


def _suppressed(rows: pl.DataFrame, *, lang: Lang) -> Trace:
    name = t("trace_suppressed", lang)
    notes = [[name, reason_label(r, lang)] for r in rows["suppression_reason"]]
    # At the foot of the axis (which starts at 0), so a suppressed year never reads as a value.
    return trace(
        "scatter",
        x=rows["year"].to_list(), y=[0] * rows.height, customdata=notes, mode="markers",
        name=name, legendgroup="suppressed", cliponaxis=False, hovertemplate=_hover(name),
        marker={"symbol": "x", "size": 12, "color": COLOURS["suppressed"]})


def projected_path(baseline: tuple[int, float], latest: tuple[int, float],
                   until: int) -> list[tuple[int, float]]:
    """Return the values from the latest year to `until` at the growth observed since baseline.

    Zero is replaced by a small value, as the progress method does, so growth stays defined.
    """
    (y0, v0), (y1, v1) = baseline, latest
    if y1 <= y0 or until <= y1:
        return []
    start, end = v0 or ZERO_SUBSTITUTE, v1 or ZERO_SUBSTITUTE
    if (start > 0) != (end > 0):
        return []
    growth = (end / start) ** (1 / (y1 - y0))
    return [(year, v1 * growth ** (year - y1)) for year in range(y1, until + 1)]


def _trajectory(reported: pl.DataFrame, target: Target, *, unit: str,
                lang: Lang) -> list[Trace]:
    shown = reported.filter(~pl.col("suppressed") & pl.col("value").is_not_null())
    if shown.is_empty():
        return []
    latest = (shown["year"][-1], shown["value"][-1])
    path = projected_path((target.baseline.year, target.baseline.value), latest,
                          target.milestones[-1].year)
    if not path:
        return []
    name = t("trace_trajectory", lang)
    notes = [[format_value(v, unit, lang), name] for _, v in path]
    return [trace("scatter", x=[y for y, _ in path], y=[v for _, v in path], customdata=notes,
                  mode="lines", name=name, legendgroup="trajectory",
                  line={"color": COLOURS["observed"], "dash": "dot", "width": 2},
                  hovertemplate=_hover(name))]


def _span(traces: Sequence[Trace], years: range | None) -> list[float] | None:
    """Return the x range covering the covenant's years and every plotted year."""
    xs = [x for shown in traces for x in shown["x"]] + (list(years) if years else [])
    return [min(xs) - 0.5, max(xs) + 0.5] if xs else None


def _layout(kpi: KpiDefinition, *, lang: Lang, empty: bool,
            span: list[float] | None) -> dict[str, Any]:
    note = [{"text": t("no_data", lang), "showarrow": False, "xref": "paper", "yref": "paper",
             "x": 0.5, "y": 0.5, "font": {"size": 16, "color": "#666666"}}] if empty else []
    return {
        "template": TEMPLATE, "height": 300, "separators": plotly_separators(lang),
        "showlegend": not empty,
        "margin": {"l": 56, "r": 16, "t": 16, "b": 40}, "hovermode": "closest",
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        "xaxis": {"tickformat": "d", "dtick": 1, "title": {"text": ""},
                  "range": span},
        "yaxis": {"rangemode": "tozero", "ticksuffix": unit_suffix(kpi.unit, lang),
                  "title": {"text": ""}},
        "annotations": note, "font": {"family": "system-ui, sans-serif", "size": 13},
    }


def trend_figure(values: pl.DataFrame, *, kpi: KpiDefinition, target: Target | None,
                 published: Sequence[PublishedFigure], lang: Lang,
                 years: range | None = None) -> go.Figure:
    """Return a KPI's values per year with its target path, published figures and gaps."""
    rows = values.filter(pl.col("kpi") == kpi.id).sort("year")
    reported = rows.filter(pl.col("members_submitted") > 0)
    figures = [f for f in published if f.kpi == kpi.id]
    traces: list[Trace] = []
    if reported.height:
        traces.append(_observed(reported, unit=kpi.unit, lang=lang))
    if target is not None:
        traces += _target(target, unit=kpi.unit, lang=lang)
        traces += _trajectory(reported, target, unit=kpi.unit, lang=lang)
    if figures:
        traces.append(_published(figures, unit=kpi.unit, lang=lang))
    hidden = rows.filter(pl.col("suppressed"))
    if hidden.height:
        traces.append(_suppressed(hidden, lang=lang))
    layout = _layout(kpi, lang=lang, empty=not traces, span=_span(traces, years))
    built = figure(traces, layout)
    for year in rows.filter(pl.col("series_break"))["year"].unique().sort():
        # Drawn before the break year: values from that year on are measured differently.
        built.add_vline(x=year - 0.5, line={"dash": "dot", "color": "#000000", "width": 1},
                        annotation_text=t("series_break", lang), annotation_position="top")
    return built
