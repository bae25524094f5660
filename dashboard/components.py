"""Pure builders of the dashboard's components: frames and definitions in, component trees out."""

from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
import polars as pl
from dash import dcc, html

from dashboard.exports import chart_buttons
from dashboard.formatting import format_coverage, format_day, format_points, format_value
from dashboard.text import Lang, method_label, reason_label, status_label, t
from imvo.definitions.models import Covenant, KpiDefinition, Target

Row = Mapping[str, Any]
HIDDEN_FROM_READERS: dict[str, Any] = {"aria-hidden": "true"}

# Okabe-Ito colours (colour-blind safe); black text reads on each. Icons follow Eurostat's arrows.
STATUS_STYLE: dict[str, tuple[str, str]] = {
    "target_met": ("✓", "#009E73"),
    "on_track": ("↑", "#56B4E9"),
    "moderate": ("↗", "#F0E442"),
    "insufficient": ("→", "#E69F00"),
    "moving_away": ("↓", "#D55E00"),
    "insufficient_data": ("?", "#BBBBBB"),
}


def page_href(path: str, lang: Lang) -> str:
    """Return a link to a page of the app that keeps the language."""
    return f"{path}?lang={lang}"


def status_badge(status: str, *, lang: Lang, title: str | None = None) -> html.Span:
    """Return a progress status shown by an icon, a text and a colour together."""
    icon, colour = STATUS_STYLE.get(status, ("?", "#BBBBBB"))
    return html.Span(
        [html.Span(icon, className="status-icon", **HIDDEN_FROM_READERS),
         html.Span(status_label(status, lang))],
        className=f"status status-{status}", title=title,
        style={"backgroundColor": colour, "color": "#000000"},
    )


def value_text(row: Row, *, unit: str, lang: Lang) -> html.Span:
    """Return a KPI value, or 'suppressed' with the reason in its title; never a blank or 0."""
    if row["suppressed"]:
        marked = t("suppressed", lang)
        if row["value"] is not None:
            # The access layer leaves the value only to viewers with company rights: they see
            # it, marked as not published, as in their meeting pack and the breakdown charts.
            marked = f"{format_value(row['value'], unit, lang)} ({marked})"
        return html.Span(marked, className="value suppressed",
                         title=reason_label(row["suppression_reason"], lang))
    return html.Span(format_value(row["value"], unit, lang), className="value")


def coverage_text(row: Row, *, lang: Lang) -> html.Span:
    """Return the coverage of a value, marked when it is too low to trust the value."""
    low = bool(row["low_coverage"])
    title = t("low_coverage", lang) if low else t("coverage_title", lang)
    text = format_coverage(row["coverage"], lang) + (" ⚠" if low else "")
    return html.Span(text, className="coverage low" if low else "coverage", title=title)


def _rows(frame: pl.DataFrame, **equal: str) -> list[dict[str, Any]]:
    for column, wanted in equal.items():
        frame = frame.filter(pl.col(column) == wanted)
    return list(frame.iter_rows(named=True))


def _latest(values: pl.DataFrame, kpi: str) -> dict[str, Any] | None:
    rows = [r for r in _rows(values, kpi=kpi) if r["members_submitted"] > 0]
    return max(rows, key=lambda r: r["year"]) if rows else None


def _status(progress: Row | None, *, has_target: bool, lang: Lang) -> html.Span:
    if progress is None:
        key = "not_assessed" if has_target else "no_target"
        return html.Span(t(key, lang), className="muted")
    title = f"{t('method', lang)}: {method_label(progress['method'], lang)}"
    return status_badge(progress["status"], lang=lang, title=title)


def _cell(latest: Row | None, progress: Row | None, *, kpi: KpiDefinition, has_target: bool,
          lang: Lang, href: str) -> html.Td:
    if latest is None:
        return html.Td(html.Span(t("no_data", lang), className="muted"), className="cell")
    return html.Td([
        dcc.Link([value_text(latest, unit=kpi.unit, lang=lang),
                  html.Span(f" ({latest['year']})", className="muted")], href=href,
                 className="cell-link", title=kpi.name.get(lang)),
        html.Div(_status(progress, has_target=has_target, lang=lang)),
        html.Div(coverage_text(latest, lang=lang)),
    ], className="cell")


def _not_applicable(lang: Lang) -> html.Td:
    return html.Td("—", title=t("not_applicable", lang), className="cell not-applicable")


def _by_key(frame: pl.DataFrame) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["covenant"], r["kpi"]): r for r in frame.iter_rows(named=True)}


def _matrix_row(covenant: Covenant, columns: list[KpiDefinition], values: Mapping[Any, Row],
                states: Mapping[Any, Row], *, lang: Lang) -> html.Tr:
    link = dcc.Link(covenant.name.get(lang), href=page_href(f"/covenant/{covenant.slug}", lang))
    targets = {target.kpi for target in covenant.targets}
    cells = [
        _cell(values.get((covenant.slug, k.id)), states.get((covenant.slug, k.id)), kpi=k,
              has_target=k.id in targets, lang=lang,
              href=page_href(f"/kpi/{covenant.slug}/{k.id}", lang))
        if k.id in covenant.kpis else _not_applicable(lang)
        for k in columns
    ]
    return html.Tr([html.Th(link, scope="row"), *cells])


def overview_table(latest: pl.DataFrame, progress: pl.DataFrame, *,
                   covenants: Mapping[str, Covenant], kpis: Mapping[str, KpiDefinition],
                   lang: Lang) -> html.Div:
    """Return the covenants × KPIs matrix of latest values, status against target and coverage."""
    rows = sorted(covenants.values(), key=lambda covenant: covenant.signed)
    columns = [kpis[k] for k in dict.fromkeys(k for c in rows for k in c.kpis)]
    head = html.Tr([html.Th(t("covenant", lang), scope="col")] + [
        html.Th(k.name.get(lang), scope="col", title=k.description.get(lang)) for k in columns])
    values, states = _by_key(latest), _by_key(progress)
    body = [_matrix_row(c, columns, values, states, lang=lang) for c in rows]
    table = html.Table([html.Thead(head), html.Tbody(body)], className="matrix")
    return html.Div(table, className="matrix-scroll")


def _target_text(target: Target | None, *, unit: str, lang: Lang) -> str:
    if target is None:
        return t("no_target", lang)
    final, base = target.milestones[-1], target.baseline
    return (f"{t('target', lang)} {final.year}: {format_value(final.value, unit, lang)} "
            f"({t('baseline', lang)} {base.year}: {format_value(base.value, unit, lang)})")


def _pace_text(progress: Row | None, *, lang: Lang) -> str:
    if progress is None or progress["status"] in ("target_met", "insufficient_data"):
        return ""
    reached = progress["year_reached"]
    return f"{t('reached_in', lang)} {reached}" if reached else t("not_at_pace", lang)


def change_text(values: pl.DataFrame, *, kpi: KpiDefinition, lang: Lang) -> str | None:
    """Return the change of the latest shown value on the year before, or None without both."""
    shown = {r["year"]: r["value"] for r in _rows(values, kpi=kpi.id)
             if r["value"] is not None and not r["suppressed"]}
    latest = max(shown, default=None)
    if latest is None or latest - 1 not in shown:
        return None
    diff = shown[latest] - shown[latest - 1]
    sign = "+" if diff > 0 else "−" if diff < 0 else "±"
    amount = (format_points(abs(diff), lang) if kpi.unit == "percent"
              else format_value(abs(diff), kpi.unit, lang))
    return f"{sign}{amount} {t('change', lang)}"


def _figures(values: pl.DataFrame, progress: Row | None, *, kpi: KpiDefinition,
             target: Target | None, lang: Lang) -> html.Div:
    latest = _latest(values, kpi.id)
    value = (html.Div([value_text(latest, unit=kpi.unit, lang=lang),
                       html.Span(f" {latest['year']}", className="muted")], className="kpi-value")
             if latest else html.Div(t("no_data", lang), className="kpi-value muted"))
    method = f"{t('method', lang)}: {method_label(progress['method'], lang)}" if progress else ""
    pace = _pace_text(progress, lang=lang)
    change = change_text(values, kpi=kpi, lang=lang)
    return html.Div([
        value,
        html.Div(change, className="kpi-change") if change else None,
        html.Div(_status(progress, has_target=True, lang=lang)) if target else None,
        html.Div(_target_text(target, unit=kpi.unit, lang=lang), className="kpi-target"),
        html.Div(coverage_text(latest, lang=lang)) if latest else None,
        html.Div(pace, className="muted") if pace else None,
        html.Div(method, className="muted small") if method else None,
    ], className="kpi-figures")


def kpi_card(values: pl.DataFrame, progress: pl.DataFrame, *, kpi: KpiDefinition,
             target: Target | None, lang: Lang, figure: go.Figure | None = None,
             detail_href: str | None = None) -> html.Section:
    """Return one KPI's card: latest value, change, status, target, coverage and its trend."""
    state = next(iter(_rows(progress, kpi=kpi.id)), None)
    graph_id = f"covenant-trend-{kpi.id}"
    graph = ([dcc.Graph(id=graph_id, figure=figure, className="trend",
                        config={"displaylogo": False, "displayModeBar": False}),
              chart_buttons(graph_id, lang=lang)]
             if figure is not None else [])
    link = dcc.Link(t("details", lang), href=detail_href) if detail_href else None
    return html.Section([
        html.H3(kpi.name.get(lang), title=kpi.description.get(lang)),
        html.P(kpi.description.get(lang), className="muted small"),
        _figures(values, state, kpi=kpi, target=target, lang=lang),
        *graph,
        link,
    ], className="kpi-card", id=f"kpi-{kpi.id}")


def goal_groups(covenant: Covenant, *, lang: Lang) -> list[tuple[str, list[str]]]:
    """Return the covenant's KPIs grouped under the outcome goal their target serves."""
    goal_of = {target.kpi: target.outcome_goal for target in covenant.targets}
    groups = [(goal.name.get(lang), [k for k in covenant.kpis if goal_of.get(k) == goal.id])
              for goal in covenant.outcome_goals]
    rest = [k for k in covenant.kpis if k not in goal_of]
    return [g for g in groups if g[1]] + ([(t("other_kpis", lang), rest)] if rest else [])


def covenant_header(covenant: Covenant, *, lang: Lang) -> html.Div:
    """Return a covenant's title with its signing date, period and secretariat."""
    facts = [(t("signed", lang), format_day(covenant.signed, lang)),
             (t("period", lang), f"{covenant.first_year}–{covenant.last_year}"),
             (t("secretariat", lang), covenant.secretariat)]
    goals = [html.Li(g.name.get(lang)) for g in covenant.outcome_goals]
    return html.Div([
        dcc.Link(f"← {t('back', lang)}", href=page_href("/", lang), className="back"),
        html.H1(covenant.name.get(lang)),
        html.Dl([part for key, value in facts for part in (html.Dt(key), html.Dd(value))],
                className="facts"),
        html.H2(t("outcome_goals", lang)), html.Ul(goals, className="goals"),
    ], className="covenant-header")
