"""Pure builders of the Compare page: the page's state from the URL, and its component tree."""

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import polars as pl
from dash import dcc, html

from dashboard.components import page_href
from dashboard.exports import chart_buttons, export_buttons
from dashboard.figures_compare import (
    Axis,
    panel_figure,
    parse_axis,
    shared_x_range,
    shared_y_range,
)
from dashboard.formatting import format_day
from dashboard.ranking import ranking_frame, ranking_table
from dashboard.text import Lang, parse_lang, t
from imvo.definitions.models import Covenant, Definitions, KpiDefinition, Target


def applying_covenants(kpi: str, covenants: Mapping[str, Covenant]) -> list[Covenant]:
    """Return the covenants a KPI applies to, the oldest signature first."""
    return sorted((c for c in covenants.values() if kpi in c.kpis), key=lambda c: c.signed)


def pick_kpi(asked: str | None, defs: Definitions) -> KpiDefinition:
    """Return the asked KPI when a covenant uses it, else the KPI that most covenants share."""
    counts = {k: len(applying_covenants(k, defs.covenants)) for k in defs.kpis}
    if asked and counts.get(asked):
        return defs.kpis[asked]
    return defs.kpis[max(counts, key=counts.__getitem__)]


def compare_search(kpi: str | None, axis: str | None, lang: str | None) -> str:
    """Return the query string that holds the Compare page's state."""
    return "?" + urlencode({"kpi": kpi or "", "axis": parse_axis(axis),
                            "lang": parse_lang(lang)})


def _data(**values: str) -> dict[str, Any]:
    """Return `data-*` attributes, by which tests and scripts find an element."""
    return {f"data-{key}": value for key, value in values.items()}


def _target(covenant: Covenant, kpi: KpiDefinition) -> Target | None:
    return next((target for target in covenant.targets if target.kpi == kpi.id), None)


def _controls(kpi: KpiDefinition, defs: Definitions, axis: Axis, lang: Lang) -> html.Div:
    counts = {k: len(applying_covenants(k, defs.covenants)) for k in defs.kpis}
    options = [{"label": f"{k.name.get(lang)} ({t('n_covenants', lang, n=counts[k.id])})",
                "value": k.id} for k in defs.kpis.values() if counts[k.id]]
    axes = [{"label": t(f"axis_{name}", lang), "value": name} for name in ("calendar", "covenant")]
    return html.Div([
        html.Div([html.Label("KPI", htmlFor="compare-kpi"),
                  dcc.Dropdown(id="compare-kpi", options=options, value=kpi.id,
                               clearable=False, className="compare-kpi")],
                 className="compare-control"),
        html.Fieldset([html.Legend(t("compare_axis", lang)),
                       dcc.RadioItems(id="compare-axis", options=axes, value=axis,
                                      inline=True, className="compare-axis")],
                      className="compare-control"),
    ], className="toolbar compare-controls")


def _panel(rows: pl.DataFrame, covenant: Covenant, *, kpi: KpiDefinition, axis: Axis,
           ranges: tuple[list[float], list[float]], lang: Lang) -> html.Section:
    figure = panel_figure(rows, kpi=kpi, covenant=covenant, target=_target(covenant, kpi),
                          axis=axis, x_range=ranges[0], y_range=ranges[1], lang=lang)
    facts = (f"{t('signed', lang)} {format_day(covenant.signed, lang)} · "
             f"{t('year_one', lang, year=covenant.first_year)}")
    return html.Section([
        html.H3(dcc.Link(covenant.name.get(lang),
                         href=page_href(f"/covenant/{covenant.slug}", lang))),
        html.P(facts, className="muted small"),
        dcc.Graph(id=f"compare-panel-{covenant.slug}", figure=figure, className="compare-chart",
                  config={"displaylogo": False, "displayModeBar": False}),
        chart_buttons(f"compare-panel-{covenant.slug}", lang=lang),
    ], className="compare-panel", **_data(covenant=covenant.slug))


def small_multiples(values: pl.DataFrame, *, kpi: KpiDefinition,
                    covenants: Sequence[Covenant], axis: Axis, lang: Lang) -> html.Div:
    """Return one small chart per covenant, all on the same x and y ranges."""
    targets = [target for c in covenants if (target := _target(c, kpi)) is not None]
    ranges = (shared_x_range(values, covenants, axis), shared_y_range(values, targets))
    panels = [_panel(values.filter(pl.col("covenant") == c.slug), c, kpi=kpi, axis=axis,
                     ranges=ranges, lang=lang) for c in covenants]
    return html.Div(panels, className="compare-grid")


def compare_controls(kpi: KpiDefinition, *, defs: Definitions, axis: Axis,
                     lang: Lang) -> html.Div:
    """Return the Compare page's title and controls, and the URL they write their state to."""
    return html.Div([
        html.H1(t("compare_title", lang)),
        html.P(t("compare_intro", lang)),
        _controls(kpi, defs, axis, lang),
        dcc.Location(id="compare-url", refresh="callback-nav"),
        dcc.Store(id="compare-lang", data=lang),
    ])


def compare_view(values: pl.DataFrame, progress: pl.DataFrame, *, kpi: KpiDefinition,
                 defs: Definitions, axis: Axis, lang: Lang) -> html.Div:
    """Return one KPI across covenants: the ranking and the small multiples."""
    covenants = applying_covenants(kpi.id, defs.covenants)
    values = values.filter(pl.col("kpi") == kpi.id,
                           pl.col("covenant").is_in([c.slug for c in covenants]))
    ranking = ranking_frame(values, progress, kpi=kpi, covenants=covenants)
    return html.Div([
        html.H2(kpi.name.get(lang), id="compare-kpi-name"),
        html.P(kpi.description.get(lang), className="muted"),
        html.H2(t("ranking_title", lang)),
        export_buttons("compare", lang=lang),
        ranking_table(ranking, kpi=kpi, covenants=defs.covenants, lang=lang),
        html.H2(t("panels_title", lang)),
        html.P(t("covenant_year_note", lang), className="covenant-year-note"),
        html.P(t("panels_key", lang), className="muted small"),
        small_multiples(values, kpi=kpi, covenants=covenants, axis=axis, lang=lang),
    ])
