"""Entry mistakes as companies make them, for a demo whose quarantine is not empty.

Some first versions carry a typical slip (more workers above 60 hours than workers, a comma in
a head count, a country name misspelt, an Excel error value); some of those members send a
corrected version later, which supersedes the first one.
"""

import random
from dataclasses import replace
from typing import Any

from pipelines.assessments import Filled

Row = dict[str, Any]


def _hours_above_workers(row: Row) -> Row:
    return {**row, "workers_over_60h": (row.get("workers") or 0) + 7}


def _decimal_head_count(row: Row) -> Row:
    return {**row, "workers": f"{row.get('workers') or 0},5"}


def _misspelt_country(row: Row) -> Row:
    return {**row, "country": "Bangla Desh"}


def _excel_error(row: Row) -> Row:
    return {**row, "certified_volume": "#DIV/0!"}


SITE_SLIPS = (_hours_above_workers, _decimal_head_count, _misspelt_country)


def _with_slip(submission: Filled, rng: random.Random) -> Filled:
    """Return the submission with one slip in a site row, or in a material row."""
    if submission.sites:
        i = rng.randrange(len(submission.sites))
        sites = list(submission.sites)
        sites[i] = rng.choice(SITE_SLIPS)(sites[i])
        return replace(submission, sites=sites)
    if submission.materials:
        materials = [_excel_error(submission.materials[0]), *submission.materials[1:]]
        return replace(submission, materials=materials)
    return submission


def with_slips(submissions: list[Filled], *, seed: int, share: float = 0.03,
               ) -> tuple[list[Filled], list[Filled]]:
    """Return the submissions with slips in a share of them, and the corrections of half."""
    rng = random.Random(f"{seed}:slips")
    first: list[Filled] = []
    corrections: list[Filled] = []
    for submission in submissions:
        if (submission.sites or submission.materials) and rng.random() < share:
            first.append(_with_slip(submission, rng))
            if rng.random() < 0.5:
                corrections.append(submission)
        else:
            first.append(submission)
    return first, corrections
