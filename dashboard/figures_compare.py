"""Pure figure builders of the Compare page: one small chart per covenant on shared axes."""

from collections.abc import Sequence
from typing import Any, Literal

import plotly.graph_objects as go
import polars as pl

from dashboard.figures import Trace, figure, trace
from dashboard.formatting import format_coverage, format_value, plotly_separators, unit_suffix
from dashboard.text import Lang, reason_label, t
from imvo.definitions.models import Covenant, KpiDefinition, Target

Axis = Literal["calendar", "covenant"]
AXES: tuple[Axis, ...] = ("calendar", "covenant")
# Okabe-Ito blue for computed values, grey for the target path, black for suppression marks.
COLOURS = {"observed": "#0072B2", "target": "#555555", "suppressed": "#000000"}
GRID = {"gridcolor": "#e5e5e5", "linecolor": "#8c8c8c", "zeroline": False, "showline": True}


def parse_axis(value: object) -> Axis:
    """Return the x-axis a query-string value asks for, calendar years when it names none."""
    return value if value in AXES else "calendar"


def covenant_year(year: int, covenant: Covenant) -> int:
    """Return the covenant year of a calendar year: 1 is the covenant's first reporting year."""
    return year - covenant.first_year + 1


def axis_x(years: Sequence[int], covenant: Covenant, axis: Axis) -> list[int]:
    """Return the x positions of calendar years on the chosen axis."""
    return [covenant_year(y, covenant) if axis == "covenant" else y for y in years]


def shared_x_range(values: pl.DataFrame, covenants: Sequence[Covenant],
                   axis: Axis) -> list[float]:
    """Return the x range every panel shares: all reporting years and all years with values."""
    xs: list[int] = []
    for covenant in covenants:
        data = values.filter(pl.col("covenant") == covenant.slug)["year"].to_list()
        xs += axis_x(sorted({*covenant.years, *data}), covenant, axis)
    return [min(xs) - 0.5, max(xs) + 0.5] if xs else [0.5, 1.5]


def shared_y_range(values: pl.DataFrame, targets: Sequence[Target]) -> list[float]:
    """Return the y range every panel shares, from zero to a little above the largest value."""
    points = [v for v in values["value"].to_list() if v is not None]
    points += [p.value for target in targets for p in (target.baseline, *target.milestones)]
    low, high = min([0.0, *points]), max([0.0, *points])
    return [low, high * 1.1 if high > 0 else 1.0]


def _hover(name: str) -> str:
    return "%{customdata[0]}: %{customdata[1]}<br>%{customdata[2]}<extra>" + name + "</extra>"


def _year_note(year: int, covenant: Covenant, lang: Lang) -> str:
    return f"{year} ({t('covenant_year_n', lang, n=covenant_year(year, covenant))})"


def _observed(rows: pl.DataFrame, covenant: Covenant, *, unit: str, axis: Axis,
              lang: Lang) -> Trace:
    low = rows["low_coverage"].to_list()
    notes = [[_year_note(y, covenant, lang), format_value(v, unit, lang),
              format_coverage(c, lang) + (f" ({t('trace_low_coverage', lang)})" if flag else "")]
             for y, v, c, flag in zip(rows["year"], rows["value"], rows["coverage"], low,
                                      strict=True)]
    name = t("trace_observed", lang)
    return trace(
        "scatter",
        x=axis_x(rows["year"].to_list(), covenant, axis), y=rows["value"].to_list(),
        customdata=notes, mode="lines+markers", name=name, legendgroup="observed",
        connectgaps=False, hovertemplate=_hover(name),
        line={"color": COLOURS["observed"], "width": 2.5},
        marker={"size": 8, "color": COLOURS["observed"], "line": {"width": 2},
                "symbol": ["circle-open" if flag else "circle" for flag in low]})


def _target_path(target: Target, covenant: Covenant, *, axis: Axis, lang: Lang) -> Trace:
    points = [target.baseline, *target.milestones]
    return trace(
        "scatter",
        x=axis_x([p.year for p in points], covenant, axis), y=[p.value for p in points],
        mode="lines", name=t("trace_target", lang), legendgroup="target", hoverinfo="skip",
        line={"color": COLOURS["target"], "dash": "dash", "width": 1.5})


def _suppressed(rows: pl.DataFrame, covenant: Covenant, *, axis: Axis, foot: float,
                lang: Lang) -> Trace:
    name = t("trace_suppressed", lang)
    notes = [[_year_note(y, covenant, lang), name, reason_label(r, lang)]
             for y, r in zip(rows["year"], rows["suppression_reason"], strict=True)]
    # At the foot of the shared axis, so a suppressed year never reads as a value of zero.
    return trace(
        "scatter",
        x=axis_x(rows["year"].to_list(), covenant, axis), y=[foot] * rows.height,
        customdata=notes, mode="markers", name=name, legendgroup="suppressed", cliponaxis=False,
        hovertemplate=_hover(name), marker={"symbol": "x", "size": 10,
                                            "color": COLOURS["suppressed"]})


def _layout(kpi: KpiDefinition, *, axis: Axis, x_range: list[float], y_range: list[float],
            empty: bool, lang: Lang) -> dict[str, Any]:
    note = [{"text": t("no_data", lang), "showarrow": False, "xref": "paper", "yref": "paper",
             "x": 0.5, "y": 0.5, "font": {"size": 14, "color": "#595959"}}] if empty else []
    title = t("axis_calendar" if axis == "calendar" else "axis_covenant", lang)
    # No template: Plotly's own plain defaults look alike, and a named template is most of a
    # small figure's build time and payload (a page draws up to eleven panels).
    return {
        "template": {}, "height": 220, "separators": plotly_separators(lang),
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        "showlegend": False, "margin": {"l": 56, "r": 12, "t": 8, "b": 44},
        "hovermode": "closest", "annotations": note,
        "font": {"family": "system-ui, sans-serif", "size": 12},
        "xaxis": {**GRID, "range": x_range, "dtick": 1, "tickformat": "d", "fixedrange": True,
                  "title": {"text": title, "standoff": 4}},
        "yaxis": {**GRID, "range": y_range, "fixedrange": True,
                  "ticksuffix": unit_suffix(kpi.unit, lang), "title": {"text": ""}},
    }


def panel_figure(rows: pl.DataFrame, *, kpi: KpiDefinition, covenant: Covenant,
                 target: Target | None, axis: Axis, x_range: list[float],
                 y_range: list[float], lang: Lang) -> go.Figure:
    """Return one covenant's small chart of a KPI on the axes all panels share."""
    rows = rows.sort("year")
    reported = rows.filter(pl.col("members_submitted") > 0)
    hidden = rows.filter(pl.col("suppressed"))
    traces: list[Trace] = []
    if target is not None:
        traces.append(_target_path(target, covenant, axis=axis, lang=lang))
    if reported.height:
        traces.append(_observed(reported, covenant, unit=kpi.unit, axis=axis, lang=lang))
    if hidden.height:
        traces.append(_suppressed(hidden, covenant, axis=axis, foot=y_range[0], lang=lang))
    layout = _layout(kpi, axis=axis, x_range=x_range, y_range=y_range,
                     empty=reported.is_empty(), lang=lang)
    return figure(traces, layout)
