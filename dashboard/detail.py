"""Pure builders of the KPI detail page: breakdowns with suppression marked, and distribution."""

import plotly.graph_objects as go
import polars as pl

from dashboard.figures import COLOURS, TEMPLATE, figure, trace
from dashboard.formatting import format_value, plotly_separators, unit_suffix
from dashboard.markup import plotly_text
from dashboard.text import Lang, reason_label, t
from imvo.definitions.models import KpiDefinition


def _base_layout(kpi: KpiDefinition, *, lang: Lang, height: int) -> dict[str, object]:
    return {"template": TEMPLATE, "height": height, "separators": plotly_separators(lang),
            "margin": {"l": 140, "r": 24, "t": 12, "b": 36}, "showlegend": False,
            "font": {"family": "system-ui, sans-serif", "size": 13}}


def breakdown_figure(cells: pl.DataFrame, *, kpi: KpiDefinition, lang: Lang) -> go.Figure:
    """Return a bar per category; a suppressed category is a labelled mark, never a bar of 0.

    A viewer with company rights sees suppressed values too, as hatched bars.
    """
    cells = cells.sort("category").with_columns(plotly_text("category"))  # members name them
    shown = cells.filter(pl.col("value").is_not_null())
    hidden = cells.filter(pl.col("suppressed") & pl.col("value").is_null())
    labels = [format_value(v, kpi.unit, lang) + (f" ({t('suppressed', lang)})" if s else "")
              for v, s in zip(shown["value"], shown["suppressed"], strict=True)]
    bars = trace(
        "bar",
        y=shown["category"].to_list(), x=shown["value"].to_list(), orientation="h",
        marker={"color": COLOURS["observed"],
                "pattern": {"shape": ["/" if s else "" for s in shown["suppressed"]]}},
        name=t("trace_observed", lang), text=labels, textposition="auto",
        hovertemplate="%{y}: %{text}<extra></extra>", legendgroup="observed")
    notes = [reason_label(r, lang) for r in hidden["suppression_reason"]]
    marks = trace(
        "scatter",
        y=hidden["category"].to_list(), x=[0] * hidden.height, mode="markers+text",
        marker={"symbol": "x", "size": 12, "color": COLOURS["suppressed"]},
        text=[t("suppressed", lang)] * hidden.height, textposition="middle right",
        customdata=notes, hovertemplate="%{y}: %{customdata}<extra></extra>",
        name=t("trace_suppressed", lang), legendgroup="suppressed", cliponaxis=False)
    layout = _base_layout(kpi, lang=lang, height=max(180, 34 * cells.height + 60))
    layout["xaxis"] = {"rangemode": "tozero", "ticksuffix": unit_suffix(kpi.unit, lang)}
    layout["yaxis"] = {"type": "category", "categoryorder": "array",
                       "categoryarray": cells["category"].to_list()[::-1]}
    return figure([bars, marks], layout)


def distribution_figure(members: pl.DataFrame, *, kpi: KpiDefinition, lang: Lang) -> go.Figure:
    """Return how the members' own values are spread (for viewers with company rights)."""
    values = members.filter(pl.col("counted") & pl.col("value").is_not_null())["value"]
    histogram = trace("histogram", x=values.to_list(),
                      nbinsx=min(20, max(5, values.len() // 2)),
                      marker={"color": COLOURS["observed"]}, name=t("members", lang),
                      hovertemplate="%{x}: %{y}<extra></extra>")
    layout = _base_layout(kpi, lang=lang, height=260)
    layout["margin"] = {"l": 48, "r": 16, "t": 12, "b": 40}
    layout["xaxis"] = {"ticksuffix": unit_suffix(kpi.unit, lang), "title": {"text": ""}}
    layout["yaxis"] = {"title": {"text": t("members", lang)}}
    return figure([histogram], layout)
