"""What the meeting pack says, page by page: pure functions of the viewer's KPI values."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import polars as pl

from dashboard.formatting import format_day, format_moment, format_share, format_value
from dashboard.report.assess import Progress, progress_as_of
from dashboard.report.text import role_label, rt
from dashboard.text import Lang, method_label, reason_label, status_label, t
from imvo.definitions.models import Covenant, Definitions, KpiDefinition, Target
from warehouse.access import Viewer

Fact = tuple[str, str]


@dataclass(frozen=True)
class StatusLine:
    """One KPI in the status overview."""

    name: str
    latest: str
    target: str
    status: str | None
    status_text: str
    coverage: str
    low_coverage: bool


@dataclass(frozen=True)
class KpiPage:
    """One KPI's page or slide, beside its trend chart."""

    kpi: str
    title: str
    description: str
    facts: list[Fact]
    notes: list[str]
    status: str | None


@dataclass(frozen=True)
class Cover:
    """The title page: the covenant, the year, for whom, and how current the data is."""

    title: str
    subtitle: str
    facts: list[Fact]
    edition: str
    confidential: bool


def _latest(rows: pl.DataFrame) -> dict[str, Any] | None:
    reported = rows.filter(pl.col("members_submitted") > 0).sort("year")
    return reported.row(-1, named=True) if reported.height else None


def value_text(row: dict[str, Any], *, unit: str, lang: Lang) -> str:
    """Return a value as the viewer may see it: suppressed ones say so, with the reason."""
    if row["suppressed"] and row["value"] is None:
        return f"{t('suppressed', lang)} ({reason_label(row['suppression_reason'], lang)})"
    return format_value(row["value"], unit, lang)


def _share(coverage: float | None, lang: Lang) -> str:
    return "—" if coverage is None else format_share(coverage, lang)


def _point(year: int, value: float, unit: str, lang: Lang) -> str:
    return f"{year}: {format_value(value, unit, lang)}"


def _status_text(state: Progress | None, target: Target | None, lang: Lang) -> str:
    if state is None:
        return t("no_target", lang) if target is None else t("not_assessed", lang)
    return status_label(state.status, lang)


def _pace(state: Progress | None, lang: Lang) -> str:
    if state is None or state.status in ("target_met", "insufficient_data"):
        return ""
    return (f"{t('reached_in', lang)} {state.year_reached}" if state.year_reached
            else t("not_at_pace", lang))


def status_line(rows: pl.DataFrame, state: Progress | None, *, kpi: KpiDefinition,
                target: Target | None, lang: Lang) -> StatusLine:
    """Return one KPI's line of the status overview."""
    latest = _latest(rows)
    shown = (f"{value_text(latest, unit=kpi.unit, lang=lang)} ({latest['year']})" if latest
             else t("no_data", lang))
    goal = (_point(state.target_year, state.target_value, kpi.unit, lang) if state
            else t("no_target", lang))
    return StatusLine(kpi.name.get(lang), shown, goal, state.status if state else None,
                      _status_text(state, target, lang),
                      _share(latest["coverage"], lang) if latest else "—",
                      bool(latest and latest["low_coverage"]))


def _notes(rows: pl.DataFrame, *, unit: str, lang: Lang) -> list[str]:
    notes = []
    for row in rows.filter(pl.col("suppressed")).sort("year").iter_rows(named=True):
        reason = reason_label(row["suppression_reason"], lang)
        notes.append(rt("suppressed_year", lang, year=row["year"], reason=reason)
                     if row["value"] is None else
                     rt("confidential_year", lang, year=row["year"], reason=reason,
                        value=format_value(row["value"], unit, lang)))
    return notes


def _target_facts(target: Target | None, state: Progress | None, *, unit: str,
                  lang: Lang) -> list[Fact]:
    if target is None:
        return [(t("target", lang), t("no_target", lang))]
    marks = " · ".join(_point(m.year, m.value, unit, lang) for m in target.milestones)
    base = state.baseline if state else (target.baseline.year, target.baseline.value)
    rebased = (" " + rt("rebased", lang, year=state.series_break)
               if state and state.series_break else "")
    facts = [(t("baseline", lang).capitalize(), _point(*base, unit, lang) + rebased),
             (rt("milestones", lang).capitalize(), marks)]
    if state is not None:
        facts += [(rt("status", lang), _status_text(state, target, lang)),
                  (t("target", lang), _point(state.target_year, state.target_value, unit, lang))]
        facts += [(rt("pace", lang), _pace(state, lang))] if _pace(state, lang) else []
        facts.append((t("method", lang), method_label(state.method, lang)))
    return facts


def kpi_page(rows: pl.DataFrame, state: Progress | None, *, kpi: KpiDefinition,
             target: Target | None, lang: Lang) -> KpiPage:
    """Return the facts and suppression notes beside one KPI's trend chart."""
    latest = _latest(rows)
    facts: list[Fact] = [(t("latest", lang), f"{value_text(latest, unit=kpi.unit, lang=lang)} "
                          f"({latest['year']})" if latest else t("no_data", lang))]
    facts += _target_facts(target, state, unit=kpi.unit, lang=lang)
    if latest:
        low = f" ({rt('low', lang)})" if latest["low_coverage"] else ""
        facts.append((rt("coverage", lang), _share(latest["coverage"], lang) + low))
    return KpiPage(kpi.id, kpi.name.get(lang), kpi.description.get(lang), facts,
                   _notes(rows, unit=kpi.unit, lang=lang), state.status if state else None)


def cover(covenant: Covenant, *, viewer: Viewer, year: int, lang: Lang,
          last_ingest: datetime | None, made_on: date) -> Cover:
    """Return the title page of a covenant's pack for a viewer."""
    confidential = viewer.sees_unsuppressed(covenant.slug)
    edition = (rt("confidential_edition", lang) if confidential
               else rt("public_edition", lang, n=covenant.disclosure.min_contributors,
                       top=covenant.disclosure.dominance.top,
                       percent=format_share(covenant.disclosure.dominance.percent / 100, lang)))
    facts = [(t("signed", lang), format_day(covenant.signed, lang)),
             (t("period", lang), f"{covenant.first_year}–{covenant.last_year}"),
             (t("secretariat", lang), covenant.secretariat),
             (rt("made_for", lang), role_label(viewer.role, lang)),
             (rt("made_on", lang), format_day(made_on, lang)),
             (t("last_ingest", lang),
              format_moment(last_ingest, lang) if last_ingest else t("never_ingested", lang))]
    return Cover(covenant.name.get(lang), rt("subtitle", lang, year=year), facts, edition,
                 confidential)


def kpi_sections(values: pl.DataFrame, stored: pl.DataFrame, defs: Definitions, *,
                 covenant: Covenant, year: int,
                 lang: Lang) -> tuple[list[StatusLine], list[KpiPage]]:
    """Return the status overview and the KPI pages of a covenant, with data up to `year`."""
    upto = values.filter(pl.col("year") <= year)
    states = progress_as_of(values, stored, defs, covenant=covenant, year=year)
    targets = {target.kpi: target for target in covenant.targets}
    lines, pages = [], []
    for kpi in defs.covenant_kpis(covenant.slug):
        rows = upto.filter(pl.col("kpi") == kpi.id)
        state, target = states.get(kpi.id), targets.get(kpi.id)
        lines.append(status_line(rows, state, kpi=kpi, target=target, lang=lang))
        pages.append(kpi_page(rows, state, kpi=kpi, target=target, lang=lang))
    return lines, pages
