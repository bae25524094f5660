"""Benchmark: ingest one new file into an empty warehouse and into one of 10,000 submissions.

The full warehouse is filled directly with SQL (10,000 current submissions of 200 sites each,
2 million site rows), then one new questionnaire is ingested into each warehouse, alternately,
over several rounds; the best round of each counts. The ratio says whether ingest cost grows
with the warehouse. The KPI recompute of only the covenant-year the file changed is timed too.

    python bench/incremental.py [--submissions 10000] [--rounds 5]
"""

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
FILL = """
INSERT INTO members SELECT 'textiel', 'TEX-' || lpad(i::VARCHAR, 5, '0'), 'Bedrijf ' || i,
    'large', DATE '2016-01-01', NULL, NULL FROM range(?) t(i);
INSERT INTO submissions SELECT s + 1, 'textiel', 'TEX-' || lpad((s // 5)::VARCHAR, 5, '0'),
    2016 + s % 5, sha256(s::VARCHAR), 1, TRUE, now() FROM range(?) t(s);
INSERT INTO files SELECT sha256(s::VARCHAR), 'f' || s || '.xlsx', 'archive', 20000, now(),
    'loaded', 202, 202, 0 FROM range(?) t(s);
INSERT INTO answers (submission_id, msi_member, dd_report_published, market_share_pct)
    SELECT s + 1, s % 2 = 0, TRUE, 1.5 FROM range(?) t(s);
INSERT INTO sites SELECT s + 1, n + 3, 'S' || n, 'BD', 100 + n, n % 7, n % 3 = 0, 2, 1, 0, TRUE
    FROM range(?) t(s), range(200) u(n);
INSERT INTO materials SELECT s + 1, 3, 'katoen', 100.0, 10.0 FROM range(?) t(s);
"""


def filled(path: Path, submissions: int) -> None:
    """Create a warehouse holding `submissions` current submissions, with their rows."""
    from imvo.definitions import definitions
    from warehouse.connection import connect_writer

    conn = connect_writer(path, definitions().catalogue)
    members = submissions // 5 + 1
    for statement, n in zip(FILL.strip().split(";\n"), [members] + [submissions] * 5,
                            strict=True):
        conn.execute(statement, [n])
    if submissions:
        conn.execute(f"SELECT setval('submission_ids', {submissions})").fetchall()
    conn.close()


def ingest_once(template: Path, new_file: Path, register: Path) -> tuple[float, float]:
    """Ingest one file into a copy of a warehouse; return ingest and recompute seconds."""
    from imvo.definitions import definitions
    from pipelines.ingest import run_ingest
    from pipelines.register import load_members
    from warehouse.compute import compute_kpis
    from warehouse.connection import connect_writer

    work = Path(tempfile.mkdtemp(prefix="imvo-bench-"))
    shutil.copyfile(template, work / "imvo.duckdb")
    defs = definitions()
    conn = connect_writer(work / "imvo.duckdb", defs.catalogue)
    load_members(conn, register, defs)
    start = time.perf_counter()
    run = run_ingest(conn, [new_file], defs, archive_dir=work / "archive")
    ingest = time.perf_counter() - start
    assert [r.status for r in run.results] == ["loaded"], run.results
    start = time.perf_counter()
    compute_kpis(conn, defs, only=run.affected)
    compute = time.perf_counter() - start
    conn.close()
    shutil.rmtree(work)
    return ingest, compute


def main() -> None:
    """Run the benchmark, print its figures and write them to bench/results/incremental.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--submissions", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    from imvo.definitions import definitions
    from pipelines.template import write_questionnaire

    root = Path(tempfile.mkdtemp(prefix="imvo-bench-incremental-"))
    filled(root / "empty.duckdb", 0)
    filled(root / "full.duckdb", args.submissions)
    register = root / "members.csv"
    register.write_text("covenant,member_id,name,size_class,joined\n"
                        "textiel,NEW-1,Nieuw,large,2016-01-01\n", encoding="utf-8")
    sites = [{"site_id": f"N{n}", "country": "BD", "workers": 50 + n, "workers_over_60h": 1,
              "dialogue_structure": True, "audits": 1, "audits_joint": 1, "audits_public": 0,
              "disclosed": True} for n in range(200)]
    new_file = write_questionnaire(root / "new.xlsx", definitions(), "textiel", 2019,
                                   member=("NEW-1", "Nieuw"), sites=sites,
                                   answers={"msi_member": True, "dd_report_published": True})
    times: dict[str, list[tuple[float, float]]] = {"empty": [], "full": []}
    ingest_once(root / "empty.duckdb", new_file, register)  # first-use costs, not counted
    for _ in range(args.rounds):
        for name in times:
            times[name].append(ingest_once(root / f"{name}.duckdb", new_file, register))
    shutil.rmtree(root)
    report(args, times)


def report(args: argparse.Namespace, times: dict[str, list[tuple[float, float]]]) -> None:
    """Print the figures and write them to bench/results/incremental.md."""
    best = {name: (min(t[0] for t in runs), min(t[1] for t in runs))
            for name, runs in times.items()}
    ratio = best["full"][0] / best["empty"][0]
    lines = [
        "# Incremental ingest benchmark", "",
        f"One new questionnaire (200 production locations) ingested into an empty warehouse and "
        f"into one holding {args.submissions:,} submissions ({args.submissions * 200:,} site "
        f"rows); best of {args.rounds} rounds after one warm-up, {time.strftime('%Y-%m-%d')}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}. Command: `make bench` (or "
        f"`python bench/incremental.py`).", "",
        "| warehouse | ingest (ms) | recompute of the changed covenant-year (ms) |",
        "|---|---:|---:|",
        *[f"| {name} | {1000 * i:.1f} | {1000 * c:.1f} |" for name, (i, c) in best.items()], "",
        f"- ingest into the full warehouse / into the empty one: **{ratio:.2f}×**",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    (BENCH / "results").mkdir(exist_ok=True)
    (BENCH / "results" / "incremental.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
