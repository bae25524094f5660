"""The pack's back pages: coverage and freshness, outcome goals, and the KPI definitions."""

from dataclasses import dataclass

import polars as pl

from dashboard.formatting import format_share, format_value
from dashboard.report.content import Fact
from dashboard.report.text import rt, word
from dashboard.text import Lang, t
from imvo.definitions.models import Catalogue, Condition, Covenant, Definitions, Measure


@dataclass(frozen=True)
class CoverageLine:
    """Members bound and members that submitted in one year."""

    year: int
    bound: int
    submitted: int
    coverage: str
    low: bool


@dataclass(frozen=True)
class Block:
    """A titled block: an outcome goal with its targets, or a KPI definition."""

    title: str
    intro: str
    lines: list[Fact]


def coverage_lines(values: pl.DataFrame, *, covenant: Covenant, year: int,
                   lang: Lang) -> list[CoverageLine]:
    """Return per year of the covenant up to `year` how many members submitted of those bound."""
    years = (values.filter(pl.col("year") <= year).group_by("year")
             .agg(pl.col("members_bound").max(), pl.col("members_submitted").max())
             .sort("year"))
    lines = []
    for row in years.iter_rows(named=True):
        bound, submitted = row["members_bound"], row["members_submitted"]
        share = submitted / bound if bound else 0.0
        lines.append(CoverageLine(row["year"], bound, submitted, format_share(share, lang),
                                  share < covenant.coverage_threshold))
    return lines


def freshness(values: pl.DataFrame, defs: Definitions, *, covenant: Covenant, year: int,
              lang: Lang) -> list[Fact]:
    """Return per KPI the newest year up to `year` in which members reported on it."""
    reported = values.filter((pl.col("year") <= year) & (pl.col("members_submitted") > 0)
                             & (pl.col("value").is_not_null() | pl.col("suppressed")))
    newest = dict(reported.group_by("kpi").agg(pl.col("year").max()).iter_rows())
    return [(kpi.name.get(lang), str(newest.get(kpi.id, "—")))
            for kpi in defs.covenant_kpis(covenant.slug)]


def goal_blocks(covenant: Covenant, defs: Definitions, *, lang: Lang) -> list[Block]:
    """Return each outcome goal with the KPI targets that serve it and their sources."""
    blocks = []
    for goal in covenant.outcome_goals:
        lines: list[Fact] = []
        for target in (tg for tg in covenant.targets if tg.outcome_goal == goal.id):
            kpi = defs.kpis[target.kpi]
            base = target.baseline
            marks = " · ".join(f"{m.year}: {format_value(m.value, kpi.unit, lang)}"
                               for m in target.milestones)
            lines.append((kpi.name.get(lang), (
                f"{t('baseline', lang)} {base.year}: {format_value(base.value, kpi.unit, lang)}; "
                f"{rt('milestones', lang)} {marks} ({rt('source', lang)}: {target.source})")))
        blocks.append(Block(goal.name.get(lang), "" if lines else rt("no_targets", lang), lines))
    return blocks


def _condition(cond: Condition, lang: Lang) -> str:
    if cond.answered is not None:
        return f"{cond.field} {word('answered' if cond.answered else 'unanswered', lang)}"
    if cond.one_of is not None:
        return f"{cond.field} {word('one_of', lang)} {', '.join(cond.one_of)}"
    if cond.at_least is not None:
        return f"{cond.field} >= {cond.at_least:g}"
    if cond.at_most is not None:
        return f"{cond.field} <= {cond.at_most:g}"
    shown = word("yes" if cond.equals else "no", lang) if isinstance(cond.equals, bool) \
        else str(cond.equals)
    return f"{cond.field} = {shown}"


def measure_text(measure: Measure, lang: Lang) -> str:
    """Return a measure in words, e.g. 'number of members where msi_member = yes'."""
    base = (f"{word('sum', lang)} {measure.sum}" if measure.sum
            else word(str(measure.count), lang))
    if not measure.where:
        return base
    conditions = f" {word('and', lang)} ".join(_condition(c, lang) for c in measure.where)
    return f"{base} {word('where', lang)} {conditions}"


def _formula(numerator: Measure, denominator: Measure | None, lang: Lang) -> str:
    if denominator is None:
        return measure_text(numerator, lang)
    return (f"{measure_text(numerator, lang)}, {word('divided', lang)} "
            f"{measure_text(denominator, lang)}, {word('times_100', lang)}")


def definition_blocks(defs: Definitions, catalogue: Catalogue, *, covenant: Covenant,
                      lang: Lang) -> list[Block]:
    """Return the definition of every KPI of the covenant: what it counts and from which answers."""
    blocks = []
    for kpi in defs.covenant_kpis(covenant.slug):
        lines: list[Fact] = [
            (rt("unit", lang), word(kpi.unit, lang)),
            (rt("direction", lang), word(kpi.direction, lang)),
            (rt("formula", lang), _formula(kpi.numerator, kpi.denominator, lang)),
        ]
        lines.append((rt("weighting", lang), word(f"by_{kpi.weighting}", lang)))
        if kpi.breakdowns:
            lines.append((rt("breakdowns", lang),
                          ", ".join(word(b, lang) for b in kpi.breakdowns)))
        breaks = defs.series_breaks(covenant.slug, kpi.id)
        if breaks:
            lines.append((rt("series_breaks", lang), ", ".join(str(y) for y in breaks)))
        lines += [(rt("fields", lang) if i == 0 else "",
                   f"{f}: {catalogue.field(f).label.get(lang)}")
                  for i, f in enumerate(sorted(kpi.fields()))]
        blocks.append(Block(kpi.name.get(lang), kpi.description.get(lang), lines))
    return blocks
