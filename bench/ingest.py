"""Benchmark: ingest of filled questionnaires against the floor of reading them and a baseline.

In one run, on the same files: `pl.read_excel` of every sheet of every file (the floor: reading
alone), our whole ingest (guards, archive, parse, validate, load into DuckDB), and a
straightforward pandas + openpyxl ingest (bench/baselines/pandas_ingest.py). Each measurement
runs in a fresh process, so its peak memory (max RSS) is its own; floor and ingest alternate
over several rounds and the best round counts, which keeps other load on the machine out of
the ratio.

    python bench/ingest.py [--files 1000] [--sites 200] [--rounds 3] [--baseline-files 1000]
"""

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

BENCH = Path(__file__).resolve().parent
GOAL_FLOOR, GOAL_BASELINE = 1.3, 10.0
COUNTRIES = ["BD", "CN", "IN", "TR", "VN", "PK", "KH", "MM", "ET", "PT", "Turkije", "China"]


def _write(job: tuple[Path, str, int, int, int]) -> None:
    from imvo.definitions import definitions
    from pipelines.template import write_questionnaire

    path, member, year, sites, seed = job
    rng = random.Random(seed)
    rows = []
    for n in range(sites):
        workers, audits = rng.randint(20, 3000), rng.randint(0, 5)
        rows.append({"site_id": f"S{n:04d}", "country": rng.choice(COUNTRIES),
                     "workers": workers, "workers_over_60h": rng.randint(0, workers // 8),
                     "dialogue_structure": rng.random() < 0.4, "audits": audits,
                     "audits_joint": rng.randint(0, audits),
                     "audits_public": rng.randint(0, audits),
                     "disclosed": rng.random() < 0.8})
    materials = [{"material": m, "purchased_volume": round(rng.uniform(10, 900), 1),
                  "certified_volume": round(rng.uniform(0, 9), 1)} for m in ("katoen", "wol")]
    write_questionnaire(path, definitions(), "textiel", year, member=(member, f"Bedrijf {member}"),
                        answers={"msi_member": rng.random() < 0.5, "dd_report_published": True,
                                 "market_share_pct": round(rng.uniform(0.1, 3), 1)},
                        sites=rows, materials=materials)


def make_files(folder: Path, files: int, sites: int) -> list[Path]:
    """Write (once) a register and `files` questionnaires of 200 members over 5 years."""
    done = folder / "complete"
    members = [f"TEX-{i:04d}" for i in range(files // 5 + 1)]
    jobs = [(folder / f"{members[i // 5]}-{2016 + i % 5}.xlsx", members[i // 5], 2016 + i % 5,
             sites, i) for i in range(files)]
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "members.csv").write_text("covenant,member_id,name,size_class,joined\n" + "".join(
            f"textiel,{m},Bedrijf {m},large,2016-01-01\n" for m in members), encoding="utf-8")
        with ProcessPoolExecutor(2) as pool:
            list(pool.map(_write, jobs, chunksize=20))
        done.touch()
    return [path for path, *_ in jobs]


def measure(phase: str, folder: Path, files: int) -> tuple[float, float]:
    """Run one phase on the first `files` questionnaires here; return wall and CPU seconds."""
    import polars as pl

    from imvo.definitions import definitions
    from pipelines.ingest import ingest_paths
    from pipelines.register import load_members
    from warehouse.connection import connect_writer

    sys.path.insert(0, str(BENCH / "baselines"))
    from pandas_ingest import ingest

    paths = sorted(folder.glob("*.xlsx"))[:files]
    defs = definitions()
    work = Path(tempfile.mkdtemp(prefix="imvo-bench-"))
    conn = connect_writer(work / "imvo.duckdb", defs.catalogue)
    load_members(conn, folder / "members.csv", defs)
    start, cpu = time.perf_counter(), time.process_time()
    if phase == "floor":
        for path in paths:
            pl.read_excel(path, sheet_id=0)
    elif phase == "ours":
        results = ingest_paths(conn, paths, defs, archive_dir=work / "archive")
        assert all(r.status == "loaded" and r.rows_loaded == r.rows_in for r in results)
    else:
        ingest(conn, paths, defs)
    return time.perf_counter() - start, time.process_time() - cpu


def run(phase: str, folder: Path, files: int) -> tuple[float, float, float]:
    """Run a phase in a fresh process; return its wall and CPU seconds and peak memory (MB)."""
    child = subprocess.Popen([sys.executable, __file__, "--phase", phase, "--data", str(folder),
                              "--files", str(files)], stdout=subprocess.PIPE)
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    if status:
        raise SystemExit(f"the {phase} phase failed (status {status})")
    figures = json.loads(out)
    return figures["seconds"], figures["cpu"], usage.ru_maxrss / 1024


def main() -> None:
    """Run the benchmark, print its figures and write them to bench/results/ingest.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline-files", type=int, default=None)
    parser.add_argument("--phase", choices=["floor", "ours", "pandas"])
    parser.add_argument("--data", type=Path)
    args = parser.parse_args()
    if args.phase:
        seconds, cpu = measure(args.phase, args.data, args.files)
        print(json.dumps({"seconds": seconds, "cpu": cpu}))
        return
    folder = Path(tempfile.gettempdir()) / f"imvo-bench-ingest-{args.files}x{args.sites}"
    make_files(folder, args.files, args.sites)
    rounds = [(run("floor", folder, args.files), run("ours", folder, args.files))
              for _ in range(args.rounds)]
    baseline_files = args.baseline_files or args.files
    baseline = run("pandas", folder, baseline_files)
    report(args, rounds, baseline, baseline_files)


def report(args: argparse.Namespace, rounds: list[tuple[tuple[float, float, float], ...]],
           baseline: tuple[float, float, float], baseline_files: int) -> None:
    """Print the figures and write them to bench/results/ingest.md."""
    from pipelines.ingest import READING_THREADS

    floor = min(rounds, key=lambda r: r[0][0])[0]
    ours = min(rounds, key=lambda r: r[1][0])[1]
    per_file = baseline[0] / baseline_files
    ratio, speedup = ours[0] / floor[0], per_file * args.files / ours[0]

    def row(what: str, figures: tuple[float, float, float], files: int) -> str:
        return (f"| {what} | {figures[0]:.2f} | {figures[1]:.2f} | "
                f"{1000 * figures[0] / files:.2f} | {figures[2]:.0f} |")

    lines = [
        "# Ingest benchmark", "",
        f"{args.files} filled questionnaires (textiel, {args.sites} production locations and 2 "
        f"raw materials each), {time.strftime('%Y-%m-%d')}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end. "
        f"Command: `make bench` (or `python bench/ingest.py`). Best of {args.rounds} rounds.", "",
        "| what | wall seconds | CPU seconds | wall per file (ms) | peak memory (MB) |",
        "|---|---:|---:|---:|---:|",
        row("`pl.read_excel` of every sheet, one file after another (floor)", floor, args.files),
        row(f"our whole ingest ({READING_THREADS} reading threads)", ours, args.files),
        row(f"pandas + openpyxl ({baseline_files} files)", baseline, baseline_files), "",
        f"- ours / floor, wall: **{ratio:.2f}×** (goal ≤ {GOAL_FLOOR}×: "
        f"{'met' if ratio <= GOAL_FLOOR else 'NOT met'})",
        f"- ours / floor, CPU: {ours[1] / floor[1]:.2f}× (the work beyond reading: guards, hash, "
        "archive, parsing, checks, loading)",
        f"- pandas + openpyxl / ours, wall: **{speedup:.1f}×** (goal ≥ {GOAL_BASELINE}×: "
        f"{'met' if speedup >= GOAL_BASELINE else 'NOT met'})",
        "- rounds (floor s, ours s): " + ", ".join(
            f"({f[0]:.2f}, {o[0]:.2f})" for f, o in rounds),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    (BENCH / "results").mkdir(exist_ok=True)
    (BENCH / "results" / "ingest.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
