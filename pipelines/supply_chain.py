"""Synthetic supplier sites and raw materials of one member in one year."""

import random
from collections.abc import Sequence

from pipelines.calibration import Calibration
from pipelines.companies import Member, Site

Row = dict[str, object]
BLANK_RATE = 0.03
"""Share of answers a company leaves blank."""
BLANKABLE_SITE = ("workers_over_60h", "dialogue_structure", "audits_joint", "audits_public")
BLANKABLE_MATERIAL = ("certified_volume",)
AUDITS = ((0, 1, 2, 3, 4), (15, 35, 30, 15, 5))
"""Audits per site per year and how often each number occurs."""


def around(share: float, latent: float) -> float:
    """Return a share near `share` for a latent in [0, 1): equal on average, always in 0..1."""
    return share + (2 * latent - 1) * min(share, 1 - share) * 0.9


def allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split a whole number over weights exactly, by largest remainder."""
    if not weights or total <= 0:
        return [0] * len(weights)
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: counts[i] - exact[i])
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def blank(rng: random.Random, row: Row, fields: Sequence[str]) -> Row:
    """Leave one of the fields blank in a BLANK_RATE share of the cells, as companies do."""
    present = [f for f in fields if f in row]
    if present and rng.random() < BLANK_RATE * len(present):
        row[rng.choice(present)] = None
    return row


def new_site(rng: random.Random, cal: Calibration) -> Site:
    """Return the lasting traits of a new supplier site."""
    country = rng.choices(list(cal.countries), list(cal.countries.values()))[0]
    workers = max(5, round(cal.workers * rng.lognormvariate(0, 0.7)))
    audits = rng.choices(*AUDITS)[0]
    return Site(country, workers, audits, rng.random(), rng.random())


def binomial(rng: random.Random, n: int, share: float) -> int:
    """Return how many of n trials succeed with probability share."""
    return sum(rng.random() < share for _ in range(n))


def site_row(rng: random.Random, member: Member, index: int, disclosed: bool,
             rates: dict[str, float]) -> Row:
    """Return one site's answers in a year (all site fields)."""
    site = member.sites[index]
    workers = max(5, round(site.workers * rng.uniform(0.92, 1.08)))
    # A squared latent skews overtime: most sites have little, a few a lot; the mean stays on rate.
    over = min(workers, round(workers * min(1.0, 3 * rates.get("workers_over_60h", 0) *
                                            site.hours ** 2)))
    return {
        "site_id": f"{member.member_id}-{index + 1:04d}", "country": site.country,
        "workers": workers, "workers_over_60h": over,
        "dialogue_structure": site.dialogue < rates.get("dialogue_structure", 0),
        "audits": site.audits,
        "audits_joint": binomial(rng, site.audits, rates.get("audits_joint", 0)),
        "audits_public": binomial(rng, site.audits, rates.get("audits_public", 0)),
        "disclosed": disclosed,
    }


def site_rows(rng: random.Random, cal: Calibration, member: Member, counts: tuple[int, int],
              rates: dict[str, float], fields: set[str]) -> list[Row]:
    """Return a member's sites in a year: (count, disclosed) of its lasting sites, first first."""
    count, disclosed = counts
    while len(member.sites) < count:
        member.sites.append(new_site(rng, cal))
    rows = []
    for i in range(count):
        row = site_row(rng, member, i, i < disclosed, rates)
        rows.append(blank(rng, {k: v for k, v in row.items() if k in fields}, BLANKABLE_SITE))
    return rows


def material_rows(rng: random.Random, member: Member, share: float, growth: float,
                  fields: set[str]) -> list[Row]:
    """Return a member's purchases per raw material in a year, certified within purchased."""
    rows = []
    for name, tonnes, latent in member.materials:
        purchased = max(0.001, round(tonnes * growth * rng.uniform(0.9, 1.1), 3))
        certified = min(purchased, round(purchased * around(share, latent), 3))
        row: Row = {"material": name, "purchased_volume": purchased,
                    "certified_volume": certified}
        rows.append(blank(rng, {k: v for k, v in row.items() if k in fields}, BLANKABLE_MATERIAL))
    return rows
