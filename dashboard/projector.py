"""Pure builders of the projector mode: one KPI of a covenant per screen, in large type."""

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import plotly.graph_objects as go
import polars as pl
from dash import dcc, html

from dashboard.components import coverage_text, page_href, status_badge, value_text
from dashboard.figures import trend_figure
from dashboard.formatting import format_value
from dashboard.text import Lang, method_label, t
from imvo.definitions.models import Covenant, KpiDefinition, Target

Row = Mapping[str, Any]
DISABLED: dict[str, Any] = {"aria-disabled": "true"}


def projector_href(slug: str, kpi: str, lang: Lang) -> str:
    """Return the address of one KPI of a covenant in projector mode."""
    return f"/projector/{slug}?{urlencode({'kpi': kpi, 'lang': lang})}"


def projector_link(slug: str, *, lang: Lang) -> dcc.Link:
    """Return the link from a covenant's page to its projector mode."""
    return dcc.Link(f"▶ {t('projector_link', lang)}", href=page_href(f"/projector/{slug}", lang),
                    className="projector-link", id="covenant-projector")


def neighbours(kpis: Sequence[str], current: str) -> tuple[str | None, str | None]:
    """Return the KPIs before and after the current one, None at either end."""
    at = kpis.index(current)
    return (kpis[at - 1] if at > 0 else None, kpis[at + 1] if at + 1 < len(kpis) else None)


def projector_figure(values: pl.DataFrame, *, kpi: KpiDefinition, covenant: Covenant,
                     lang: Lang) -> go.Figure:
    """Return a KPI's trend chart for a projector: the covenant page's chart in large type."""
    target = next((target for target in covenant.targets if target.kpi == kpi.id), None)
    figure = trend_figure(values, kpi=kpi, target=target, published=covenant.published,
                          lang=lang, years=covenant.years)
    # No fixed height: the chart fills the screen space the stylesheet gives it.
    figure.layout.height = None
    figure.update_layout(font={"size": 22}, legend={"font": {"size": 20}},
                         margin={"l": 90, "r": 24, "t": 16, "b": 60})
    figure.update_traces(line={"width": 5}, marker={"size": 14}, selector={"mode": "lines+markers"})
    return figure


def _latest(values: pl.DataFrame, kpi: str) -> dict[str, Any] | None:
    rows = values.filter(pl.col("kpi") == kpi, pl.col("members_submitted") > 0).sort("year")
    return rows.row(-1, named=True) if rows.height else None


def _target_text(target: Target | None, unit: str, lang: Lang) -> str:
    if target is None:
        return t("no_target", lang)
    final = target.milestones[-1]
    return f"{t('target', lang)} {final.year}: {format_value(final.value, unit, lang)}"


def _status(state: Row | None, target: Target | None, lang: Lang) -> html.Div | None:
    if target is None:
        return None  # the target line already says there is none
    if state is None:
        return html.Div(t("not_assessed", lang), className="muted")
    method = f"{t('method', lang)}: {method_label(state['method'], lang)}"
    return html.Div([status_badge(state["status"], lang=lang, title=method),
                     html.Div(_pace(state, lang), className="projector-pace"),
                     html.Div(method, className="projector-method muted")])


def _pace(state: Row, lang: Lang) -> str | None:
    if state["status"] in ("target_met", "insufficient_data"):
        return None
    reached = state["year_reached"]
    return f"{t('reached_in', lang)} {reached}" if reached else t("not_at_pace", lang)


def _figures(values: pl.DataFrame, state: Row | None, *, kpi: KpiDefinition,
             target: Target | None, lang: Lang) -> html.Div:
    latest = _latest(values, kpi.id)
    value = (html.Div([value_text(latest, unit=kpi.unit, lang=lang),
                       html.Span(f" {latest['year']}", className="projector-year")],
                      className="projector-value")
             if latest else html.Div(t("no_data", lang), className="projector-value muted"))
    return html.Div([
        value,
        html.Div([_status(state, target, lang),
                  html.Div(_target_text(target, kpi.unit, lang), className="projector-target"),
                  coverage_text(latest, lang=lang) if latest else None],
                 className="projector-facts"),
    ], className="projector-figures")


def _step(kind: str, slug: str, kpi: str | None, lang: Lang) -> html.Span | dcc.Link:
    label = t(f"projector_{kind}", lang)
    text = f"← {label}" if kind == "prev" else f"{label} →"
    if kpi is None:
        return html.Span(text, className="projector-step disabled", **DISABLED)
    return dcc.Link(text, href=projector_href(slug, kpi, lang), id=f"projector-{kind}",
                    className="projector-step")


def _bar(covenant: Covenant, order: Sequence[str], kpi: str, lang: Lang) -> html.Div:
    before, after = neighbours(order, kpi)
    position = t("projector_position", lang, n=order.index(kpi) + 1, total=len(order))
    steps: dict[str, Any] = {"aria-label": t("projector_steps", lang)}
    return html.Div([
        dcc.Link(f"✕ {t('projector_back', lang)}", id="projector-back", className="projector-back",
                 href=page_href(f"/covenant/{covenant.slug}", lang)),
        html.Span(covenant.name.get(lang), className="projector-covenant"),
        html.Span(position, className="projector-position", id="projector-position"),
        html.Nav([_step("prev", covenant.slug, before, lang),
                  _step("next", covenant.slug, after, lang)], className="projector-nav", **steps),
    ], className="projector-bar")


def projector_view(values: pl.DataFrame, progress: pl.DataFrame, *, covenant: Covenant,
                   kpis: Sequence[KpiDefinition], kpi: KpiDefinition, lang: Lang) -> html.Div:
    """Return one KPI of a covenant for a projector: value, status, target, coverage, trend."""
    target = next((target for target in covenant.targets if target.kpi == kpi.id), None)
    states = progress.filter(pl.col("kpi") == kpi.id)
    state = states.row(0, named=True) if states.height else None
    figure = projector_figure(values, kpi=kpi, covenant=covenant, lang=lang)
    marks: dict[str, Any] = {"data-kpi": kpi.id}
    return html.Div([
        _bar(covenant, [k.id for k in kpis], kpi.id, lang),
        html.H1(kpi.name.get(lang), id="projector-kpi", **marks),
        _figures(values, state, kpi=kpi, target=target, lang=lang),
        dcc.Graph(id="projector-trend", figure=figure,
                  config={"displaylogo": False, "displayModeBar": False, "responsive": True},
                  className="projector-trend"),
        html.P(t("projector_keys", lang), className="projector-keys muted"),
    ], className="projector")
