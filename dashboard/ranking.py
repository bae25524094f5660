"""Pure builders of the Compare page's ranking: the latest value per covenant, best first."""

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl
from dash import dcc, html

from dashboard.components import coverage_text, page_href, status_badge, value_text
from dashboard.figures_compare import covenant_year
from dashboard.text import Lang, method_label, reason_label, t
from imvo.definitions.models import Covenant, KpiDefinition

Row = Mapping[str, Any]
HIDDEN_FROM_READERS: dict[str, Any] = {"aria-hidden": "true"}
SCHEMA: dict[str, Any] = {
    "rank": pl.Int64, "covenant": pl.String, "year": pl.Int64, "covenant_year": pl.Int64,
    "value": pl.Float64, "suppressed": pl.Boolean, "suppression_reason": pl.String,
    "coverage": pl.Float64, "low_coverage": pl.Boolean, "members_submitted": pl.Int64,
    "members_bound": pl.Int64, "status": pl.String, "method": pl.String,
}


def _latest(values: pl.DataFrame) -> dict[str, dict[str, Any]]:
    reported = values.filter(pl.col("members_submitted") > 0).sort("year")
    # Later years overwrite earlier ones, so each covenant keeps its latest reported year.
    return {row["covenant"]: row for row in reported.iter_rows(named=True)}


def _rankable(row: Row | None) -> bool:
    return row is not None and not row["suppressed"] and row["value"] is not None


def _order(latest: Mapping[str, Row], covenants: Sequence[Covenant],
           direction: str) -> list[tuple[int | None, Covenant]]:
    """Return the covenants best first with their rank; ties share a rank, gaps are unranked."""
    sign = -1.0 if direction == "higher" else 1.0
    scores = {c.slug: sign * latest[c.slug]["value"] for c in covenants
              if _rankable(latest.get(c.slug))}
    ranked = sorted((c for c in covenants if c.slug in scores), key=lambda c: scores[c.slug])
    # Suppressed values come before covenants without any value; both keep the signing order.
    rest = sorted((c for c in covenants if c.slug not in scores),
                  key=lambda c: c.slug not in latest)
    ranks = [1 + sum(s < scores[c.slug] for s in scores.values()) for c in ranked]
    return [*zip(ranks, ranked, strict=True), *((None, c) for c in rest)]


def ranking_frame(values: pl.DataFrame, progress: pl.DataFrame, *, kpi: KpiDefinition,
                  covenants: Sequence[Covenant]) -> pl.DataFrame:
    """Return one row per covenant with its latest value, rank, coverage and status, best first."""
    latest = _latest(values.filter(pl.col("kpi") == kpi.id))
    states = {r["covenant"]: r for r in progress.filter(pl.col("kpi") == kpi.id)
              .iter_rows(named=True)}
    rows = []
    for rank, covenant in _order(latest, covenants, kpi.direction):
        row, state = latest.get(covenant.slug, {}), states.get(covenant.slug, {})
        year = row.get("year")
        rows.append({
            "rank": rank, "covenant": covenant.slug, "year": year,
            "covenant_year": covenant_year(year, covenant) if year else None,
            **{key: row.get(key) for key in ("value", "suppressed", "suppression_reason",
                                             "coverage", "low_coverage", "members_submitted",
                                             "members_bound")},
            "status": state.get("status"), "method": state.get("method"),
        })
    return pl.DataFrame(rows, schema=SCHEMA)


def _status(row: Row, covenant: Covenant, kpi: KpiDefinition, lang: Lang) -> html.Span:
    if row["status"] is None:
        has_target = any(target.kpi == kpi.id for target in covenant.targets)
        return html.Span(t("not_assessed" if has_target else "no_target", lang),
                         className="muted")
    title = f"{t('method', lang)}: {method_label(row['method'], lang)}"
    return status_badge(row["status"], lang=lang, title=title)


def _value_cell(row: Row, *, kpi: KpiDefinition, top: float, lang: Lang) -> html.Td:
    if row["year"] is None:
        return html.Td(html.Span(t("no_data", lang), className="muted"))
    parts: list[Any] = [value_text(row, unit=kpi.unit, lang=lang)]
    if row["suppressed"]:
        parts.append(html.Div(reason_label(row["suppression_reason"], lang),
                              className="suppression-reason small"))
    elif row["rank"] is not None:
        width = 100 * row["value"] / top if top > 0 else 0
        parts.append(html.Div(html.Div(className="rank-bar-fill", style={"width": f"{width:.0f}%"}),
                              className="rank-bar", **HIDDEN_FROM_READERS))
    return html.Td(parts, className="rank-value")


def _coverage_cell(row: Row, lang: Lang) -> html.Td:
    if row["year"] is None:
        return html.Td("—", className="muted")
    members = t("members_of", lang, submitted=row["members_submitted"],
                bound=row["members_bound"])
    low = (html.Div(t("low_coverage", lang), className="coverage low")
           if row["low_coverage"] else None)
    return html.Td([coverage_text(row, lang=lang), html.Div(members, className="muted small"),
                    low])


def _ranking_row(row: Row, covenant: Covenant, *, kpi: KpiDefinition, top: float,
                 lang: Lang) -> html.Tr:
    rank = (html.Td(str(row["rank"]), className="rank") if row["rank"] is not None else
            html.Td("—", className="rank muted", title=t("not_ranked", lang)))
    link = dcc.Link(covenant.name.get(lang), href=page_href(f"/covenant/{covenant.slug}", lang))
    data: dict[str, Any] = {"data-covenant": covenant.slug}
    year = (f"{row['year']} · {t('covenant_year_n', lang, n=row['covenant_year'])}"
            if row["year"] is not None else "—")
    return html.Tr([
        rank, html.Th(link, scope="row"), _value_cell(row, kpi=kpi, top=top, lang=lang),
        html.Td(year, className="rank-year"), html.Td(_status(row, covenant, kpi, lang)),
        _coverage_cell(row, lang),
    ], className="rank-row", **data)


def ranking_table(frame: pl.DataFrame, *, kpi: KpiDefinition,
                  covenants: Mapping[str, Covenant], lang: Lang) -> html.Div:
    """Return the ranking of a ranking frame: value with a bar, year, status and coverage."""
    ranked = frame.filter(pl.col("rank").is_not_null())["value"].to_list()
    top = max([0.0, *ranked])
    head = html.Tr([html.Th(t(key, lang), scope="col") for key in
                    ("rank", "covenant", "latest", "year", "status", "coverage_header")])
    body = [_ranking_row(row, covenants[row["covenant"]], kpi=kpi, top=top, lang=lang)
            for row in frame.iter_rows(named=True)]
    order = t("ranking_higher" if kpi.direction == "higher" else "ranking_lower", lang)
    return html.Div([
        html.P(order, className="muted"),
        html.Div(html.Table([html.Thead(head), html.Tbody(body)], className="ranking"),
                 className="ranking-scroll"),
    ])
