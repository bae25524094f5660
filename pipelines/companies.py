"""Fictional member companies of a covenant: names, size, weight, and when they join and leave."""

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from imvo.definitions.models import Covenant
from imvo.errors import ImvoError
from pipelines.calibration import Calibration

# Syllables of invented Dutch-sounding surnames (Grohoven, Vlibeek, ...): no real companies.
HEADS = ("Ber", "Dal", "Ees", "Gro", "Hal", "Hol", "Kam", "Lin", "Mee", "Oos", "Rij", "Ste",
         "Vel", "Wes", "Zan", "Vli", "Bro", "Kor", "Mol", "Pel", "Ter", "Wil", "Aal", "Dui")
TAILS = ("dijk", "hoven", "veld", "brug", "kamp", "stee", "horst", "wijk", "berg", "laar",
         "beek", "rode", "mond", "dam", "sloot", "hage", "werf", "meer")
SIZES = ("small", "medium", "large")
SITE_FACTOR = {"small": 1.0, "medium": 2.5, "large": 6.0}
MISSING_WEIGHT = 0.05
"""Share of non-financial members whose turnover the register does not know."""


@dataclass
class Site:
    """The lasting traits of one supplier site; latent values in [0, 1) steer yearly answers."""

    country: str
    workers: int
    audits: int
    hours: float
    dialogue: float


@dataclass
class Member:
    """One fictional member with the latent traits that keep its answers consistent over years."""

    member_id: str
    name: str
    size_class: str
    joined: date
    weight: float
    listed_weight: float | None
    rank: dict[str, float]
    site_weight: float
    left_on: date | None = None
    materials: list[tuple[str, float, float]] = field(default_factory=list)
    sites: list[Site] = field(default_factory=list)

    def bound_in(self, year: int) -> bool:
        """Return whether the member was bound at some time in the year."""
        return self.joined <= date(year, 12, 31) and (
            self.left_on is None or self.left_on >= date(year, 1, 1))


def surname(rng: random.Random) -> str:
    """Return an invented Dutch-sounding surname."""
    return rng.choice(HEADS) + rng.choice(TAILS)


def company_name(rng: random.Random, cal: Calibration, used: set[str]) -> str:
    """Return a company name not in `used` (and add it)."""
    for _ in range(50):
        name = rng.choice(cal.names).format(s=surname(rng), s2=surname(rng))
        if name not in used:
            break
    else:
        name = f"{name} {len(used) + 1}"
    used.add(name)
    return name


def size_classes(rng: random.Random, n: int) -> list[str]:
    """Return n size classes with at least a few small and one large member, shuffled."""
    small = min(n, max(2, round(0.35 * n)))
    large = min(n - small, max(1, round(0.2 * n)))
    sizes = ["small"] * small + ["large"] * large + ["medium"] * (n - small - large)
    rng.shuffle(sizes)
    return sizes


def draw_weight(rng: random.Random, cal: Calibration, size: str) -> float:
    """Return a weight from the size class's third of the log-scaled weight range."""
    low, high = math.log(cal.weight[0]), math.log(cal.weight[1])
    third = (high - low) / 3
    start = low + SIZES.index(size) * third
    return round(math.exp(rng.uniform(start, start + third)), 1)


def pick_materials(rng: random.Random, cal: Calibration, weight: float,
                   size: str) -> list[tuple[str, float, float]]:
    """Return the member's materials as (name, base tonnes, latent certification rank)."""
    if not cal.materials:
        return []
    names = list(cal.materials)
    chosen: list[str] = []
    for _ in range(min(len(names), 1 + SIZES.index(size) * 2)):
        rest = [m for m in names if m not in chosen]
        chosen.append(rng.choices(rest, [cal.materials[m] for m in rest])[0])
    total = weight * cal.tonnes_per_meur
    shares = [cal.materials[m] * rng.uniform(0.5, 1.5) for m in chosen]
    return [(m, total * s / sum(shares), rng.random()) for m, s in zip(chosen, shares, strict=True)]


def new_member(rng: random.Random, cal: Calibration, *, number: int, joined: date, size: str,
               used: set[str], financial: bool) -> Member:
    """Return one member with its traits drawn from the calibration."""
    weight = draw_weight(rng, cal, size)
    listed = weight if financial or rng.random() >= MISSING_WEIGHT else None
    return Member(
        member_id=f"{cal.prefix}-{number:04d}", name=company_name(rng, cal, used),
        size_class=size, joined=joined, weight=weight, listed_weight=listed,
        rank={f: rng.random() for f in sorted(cal.rates)},
        site_weight=SITE_FACTOR[size] * rng.uniform(0.6, 1.4),
        materials=pick_materials(rng, cal, weight, size))


def flows(bound: list[int], churn: float) -> list[tuple[int, int]]:
    """Return (joiners, leavers) per year so that the bound counts come out exactly."""
    out: list[tuple[int, int]] = []
    for i, now in enumerate(bound):
        before = bound[i - 1] if i else 0
        left_before = out[i - 1][1] if i else 0
        leaving = max(round(churn * now), now - bound[i + 1]) if i + 1 < len(bound) else 0
        out.append((now - before + left_before, leaving))
    return out


def day_in(rng: random.Random, start: date, end: date) -> date:
    """Return a random date from start to end inclusive."""
    return start + timedelta(days=rng.randint(0, (end - start).days))


def may_leave(member: Member, year: int, signed: date) -> bool:
    """Return whether a member can leave in the year: bound since before it, or a founder."""
    founder = member.joined == signed and signed < date(year, 12, 1)
    return member.left_on is None and (member.joined.year < year or founder)


def make_members(rng: random.Random, cov: Covenant, cal: Calibration, scale: float,
                 financial: bool) -> list[Member]:
    """Return the covenant's members with join and leave dates matching the bound counts."""
    if len(cal.bound) != len(cov.years):
        raise ImvoError(f"the calibration of '{cov.slug}' has {len(cal.bound)} member counts "
                        f"for {len(cov.years)} reporting years",
                        hint="give one count per reporting year in pipelines/calibration.py")
    bound = [max(1, round(b * scale)) for b in cal.bound]
    plan = flows(bound, cal.churn)
    sizes = iter(size_classes(rng, sum(j for j, _ in plan)))
    members: list[Member] = []
    used: set[str] = set()
    for year, (joining, leaving) in zip(cov.years, plan, strict=True):
        for _ in range(joining):
            joined = cov.signed if year == cov.first_year else day_in(
                rng, date(year, 1, 1), date(year, 12, 31))
            members.append(new_member(rng, cal, number=len(members) + 1, joined=joined,
                                      size=next(sizes), used=used, financial=financial))
        stayers = [m for m in members if may_leave(m, year, cov.signed)]
        for m in rng.sample(stayers, min(leaving, len(stayers))):
            start = max(m.joined + timedelta(days=1), date(year, 7, 1))
            m.left_on = day_in(rng, start, date(year, 12, 31))
    return members
