"""Hand-written warehouse rows for the KPI engine tests, written with SQL, not through ingest.

The engine is tested on its own here: members, submissions and their rows go straight into the
tables, so each test states exactly what the warehouse holds.
"""

import random
from datetime import date

COUNTRIES = ["BD", "CN", "IN", "TR", "VN", None]
MATERIALS = ["cotton", "wool", "polyester", "gold"]
SIZES = ["small", "medium", "large"]


def add_members(conn, covenant, members, *, joined=date(2016, 1, 1)):
    """Register members: {member_id: size_class}."""
    conn.executemany("INSERT INTO members VALUES (?, ?, ?, ?, ?, NULL, NULL)",
                     [(covenant, m, f"Company {m}", size, joined) for m, size in members.items()])


def add_submission(conn, covenant, year, member, *, answers=None, sites=(), materials=()):
    """Store one current submission (superseding an earlier one) with its rows; return its id."""
    version = conn.execute("SELECT count(*) + 1 FROM submissions WHERE covenant = ? AND "
                           "member_id = ? AND year = ?", [covenant, member, year]).fetchone()[0]
    conn.execute("UPDATE submissions SET is_current = FALSE WHERE covenant = ? AND "
                 "member_id = ? AND year = ?", [covenant, member, year])
    sid = conn.execute("SELECT nextval('submission_ids')").fetchone()[0]
    conn.execute("INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, TRUE, now())",
                 [sid, covenant, member, year, f"sha-{sid}", version])
    _insert(conn, "answers", [{"submission_id": sid, **(answers or {})}])
    _insert(conn, "sites", [{"submission_id": sid, "row_number": i + 1, "site_id": f"S{i}", **r}
                            for i, r in enumerate(sites)])
    _insert(conn, "materials", [{"submission_id": sid, "row_number": i + 1, **r}
                                for i, r in enumerate(materials)])
    return sid


def _insert(conn, table, rows):
    for row in rows:
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(row.values()))


def site_row(rng):
    """Return a random site, sometimes with blank answers."""
    workers = rng.randint(10, 900)
    audits = rng.randint(0, 6)
    return {"country": rng.choice(COUNTRIES), "workers": workers if rng.random() > 0.05 else None,
            "workers_over_60h": rng.randint(0, workers // 4) if rng.random() > 0.1 else None,
            "dialogue_structure": rng.choice([True, False, None]), "audits": audits,
            "audits_joint": rng.randint(0, audits), "audits_public": rng.randint(0, audits),
            "disclosed": rng.random() > 0.3}


def material_row(rng, name):
    """Return a random raw material line."""
    bought = round(rng.uniform(1, 500), 1)
    return {"material": name, "purchased_volume": bought,
            "certified_volume": round(rng.uniform(0, bought), 1) if rng.random() > 0.1 else None}


def random_covenant_data(conn, covenant, years, *, members=12, seed=7):
    """Fill a covenant with seeded random members and submissions (some members skip a year)."""
    rng = random.Random(seed)
    ids = {f"{covenant[:3].upper()}{i:02d}": rng.choice(SIZES) for i in range(members)}
    add_members(conn, covenant, ids)
    for year in years:
        for member in ids:
            if rng.random() < 0.15:
                continue  # did not submit this year: coverage below 1
            answers = {"msi_member": rng.choice([True, False, None]),
                       "dd_report_published": rng.choice([True, False]),
                       "market_share_pct": round(rng.uniform(0, 5), 2),
                       "policy_oecd": rng.choice([True, False, None]),
                       "assets_total": round(rng.uniform(100, 900), 1)}
            answers["assets_covered"] = round(answers["assets_total"] * rng.random(), 1)
            sites = [site_row(rng) for _ in range(rng.randint(0, 6))]
            materials = [material_row(rng, m) for m in rng.sample(MATERIALS, rng.randint(0, 3))]
            add_submission(conn, covenant, year, member, answers=answers, sites=sites,
                           materials=materials)
