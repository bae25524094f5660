"""One covenant's synthetic self-assessments, year by year, as `pipelines.calibration` says."""

import random
from dataclasses import dataclass
from functools import cached_property

from imvo.definitions.models import Covenant, FieldSpec
from imvo.errors import ImvoError
from pipelines.calibration import Calibration
from pipelines.companies import Member
from pipelines.supply_chain import BLANK_RATE, Row, allocate, around, material_rows, site_rows

SKIP_RATE = (0.08, 0.12)
"""Range of the share of bound members that do not submit in a year."""
GROWTH = 1.03
"""Yearly growth of purchased volumes and assets."""
RATIOS = (("workers_over_60h", "workers", 0), ("certified_volume", "purchased_volume", 3),
          ("assets_covered", "assets_total", 1))
"""(part, whole, decimals): volume-weighted shares that are set exactly to their calibrated rate."""


@dataclass(frozen=True)
class Filled:
    """One member's self-assessment for one year."""

    covenant: str
    year: int
    member_id: str
    company_name: str
    answers: dict[str, object]
    sites: list[dict[str, object]]
    materials: list[dict[str, object]]


@dataclass(frozen=True)
class Context:
    """What generating one covenant needs: its random stream, definitions and calibration."""

    rng: random.Random
    cov: Covenant
    cal: Calibration
    fields: list[FieldSpec]
    scale: float

    def position(self, year: int) -> float:
        """Return how far the year lies in the reporting period, from 0 to 1."""
        return (year - self.cov.first_year) / max(1, self.cov.last_year - self.cov.first_year)

    def rates(self, year: int) -> dict[str, float]:
        """Return every calibrated share in the year."""
        t = self.position(year)
        return {f: a + (b - a) * t for f, (a, b) in self.cal.rates.items()}

    def names(self, table: str) -> set[str]:
        """Return the ids of the template's fields in one table."""
        return {f.id for f in self.fields if f.table == table}

    @cached_property
    def financial(self) -> bool:
        """Return whether members report assets (banks, insurers, pension funds)."""
        return "assets_total" in self.names("answers")


@dataclass(frozen=True)
class YearPlan:
    """Who submits in a year and which company answers each submitter leaves blank."""

    year: int
    submitters: list[Member]
    blanks: dict[str, set[str]]


def plan_year(ctx: Context, members: list[Member], year: int) -> YearPlan:
    """Return the year's submitters (bound members, less a few) and their blank answers."""
    bound = [m for m in members if m.bound_in(year)]
    skipped = {m.member_id for m in
               ctx.rng.sample(bound, round(ctx.rng.uniform(*SKIP_RATE) * len(bound)))}
    submitters = [m for m in bound if m.member_id not in skipped]
    # A bound of another field (assets_total) is never blank, so no ratio loses its denominator.
    keep = {f.not_above for f in ctx.fields if f.not_above}
    optional = [f.id for f in ctx.fields if f.table == "answers" and f.id not in keep]
    blanks = {m.member_id: {f for f in optional if ctx.rng.random() < BLANK_RATE}
              for m in submitters}
    return YearPlan(year, submitters, blanks)


def share_factor(ctx: Context, plans: list[YearPlan]) -> float:
    """Return market share per EUR m turnover, so that the calibrated year sums to its figure."""
    if ctx.cal.market_share is None:
        return 0.0
    year, total = ctx.cal.market_share
    plan = next((p for p in plans if p.year == year), plans[-1])
    weight = sum(m.weight for m in plan.submitters
                 if "market_share_pct" not in plan.blanks[m.member_id])
    return total / weight if weight else 0.0


def booleans(ctx: Context, plan: YearPlan, field: str) -> dict[str, bool]:
    """Return each submitter's yes/no, with the calibrated share (or count) saying yes."""
    answered = [m for m in plan.submitters if field not in plan.blanks[m.member_id]]
    fixed = ctx.cal.counts.get(field, {}).get(plan.year)
    share = ctx.rates(plan.year).get(field, 0.5)
    yes_count = round(share * len(answered)) if fixed is None else min(
        len(answered), round(fixed * ctx.scale))
    # The members lowest on their latent rank say yes: a member that did so stays ahead.
    ranked = sorted(answered, key=lambda m: m.rank.get(field, 0.5))
    yes = {m.member_id for m in ranked[:yes_count]}
    return {m.member_id: m.member_id in yes for m in plan.submitters}


def number(ctx: Context, plan: YearPlan, member: Member, field: str, share: float,
           filled: Row) -> float:
    """Return a numeric company answer; `filled` holds the member's answers so far."""
    if field == "market_share_pct":
        return round(member.weight * share, 2)
    if field == "assets_total":
        growth = GROWTH ** (plan.year - ctx.cov.first_year)
        return round(member.weight * growth * ctx.rng.uniform(0.97, 1.03), 1)
    if field == "assets_covered":
        covered = as_float(filled["assets_total"]) * around(ctx.rates(plan.year)[field],
                                                            member.rank[field])
        return round(covered, 1)
    raise ImvoError(f"the synthetic generator has no values for field '{field}'",
                    hint="add the field to pipelines/assessments.py and pipelines/calibration.py")


def answers(ctx: Context, plan: YearPlan, share: float) -> dict[str, Row]:
    """Return the company answers of every submitter, blanks as None."""
    out: dict[str, Row] = {m.member_id: {} for m in plan.submitters}
    for f in (f for f in ctx.fields if f.table == "answers"):
        flags = booleans(ctx, plan, f.id) if f.type == "boolean" else {}
        for m in plan.submitters:
            row = out[m.member_id]
            value = flags[m.member_id] if f.type == "boolean" else number(ctx, plan, m, f.id,
                                                                          share, row)
            row[f.id] = None if f.id in plan.blanks[m.member_id] else value
    return out


def site_counts(ctx: Context, plan: YearPlan) -> list[tuple[int, int]]:
    """Return (sites, disclosed sites) per submitter, summing exactly to the year's totals."""
    share = ctx.rates(plan.year).get("disclosed", 0.5)
    fixed = ctx.cal.disclosed_totals.get(plan.year)
    if fixed is not None:
        disclosed = round(fixed * ctx.scale)
        total = round(disclosed / share)
    else:
        low, high = ctx.cal.sites
        total = round(len(plan.submitters) * (low + (high - low) * ctx.position(plan.year)))
        disclosed = round(total * share)
    # Members high on the latent disclosure rank disclose fewer of their sites.
    lead = [(m.site_weight, m.rank.get("disclosed", 0.5)) for m in plan.submitters]
    shown = allocate(disclosed, [w * (1.5 - r) for w, r in lead])
    hidden = allocate(total - disclosed, [w * (0.5 + r) for w, r in lead])
    return [(s + h, s) for s, h in zip(shown, hidden, strict=True)]


def as_float(value: object) -> float:
    """Return a generated number as float."""
    assert isinstance(value, int | float), value
    return float(value)


def rescale(rows: list[Row], part: str, whole: str, share: float, digits: int) -> None:
    """Scale a part field so that sum(part) / sum(whole) over the answered rows equals share."""
    answered = [r for r in rows if r.get(part) is not None and r.get(whole) is not None]
    got = sum(as_float(r[part]) for r in answered)
    if not got:
        return
    factor = share * sum(as_float(r[whole]) for r in answered) / got
    for r in answered:
        value = min(as_float(r[whole]), round(as_float(r[part]) * factor, digits))
        r[part] = int(value) if digits == 0 else value


def year_submissions(ctx: Context, plan: YearPlan, share: float) -> list[Filled]:
    """Return the submissions of one year, volume-weighted shares set to their rates."""
    company = answers(ctx, plan, share)
    rates = ctx.rates(plan.year)
    site_fields, material_fields = ctx.names("sites"), ctx.names("materials")
    counts = site_counts(ctx, plan) if site_fields else [(0, 0)] * len(plan.submitters)
    growth = GROWTH ** (plan.year - ctx.cov.first_year)
    out = []
    for m, count in zip(plan.submitters, counts, strict=True):
        sites = site_rows(ctx.rng, ctx.cal, m, count, rates, site_fields) if site_fields else []
        materials = material_rows(ctx.rng, m, rates.get("certified_volume", 0.0), growth,
                                  material_fields) if material_fields else []
        out.append(Filled(ctx.cov.slug, plan.year, m.member_id, m.name, company[m.member_id],
                          sites, materials))
    tables = {"answers": [s.answers for s in out], "sites": [r for s in out for r in s.sites],
              "materials": [r for s in out for r in s.materials]}
    table_of = {f.id: f.table for f in ctx.fields}
    for part, whole, digits in RATIOS:
        if part in table_of and part in rates:
            rescale(tables[table_of[part]], part, whole, rates[part], digits)
    return out


def covenant_submissions(ctx: Context, members: list[Member]) -> list[Filled]:
    """Return every submission of a covenant's members, year by year."""
    plans = [plan_year(ctx, members, y) for y in ctx.cov.years]
    share = share_factor(ctx, plans)
    return [s for plan in plans for s in year_submissions(ctx, plan, share)]
