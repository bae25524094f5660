"""Benchmark of the dashboard on an EU-scale warehouse, against a bare Flask endpoint.

The warehouse is generated and computed by bench/kpi_engine.py's phases (SQL straight into
DuckDB). In the same run:
  1. p95 latency of each page's main callback (the page router rendering the page, through
     Dash's `/_dash-update-component`), against a bare Flask endpoint that returns the same
     JSON payload (goal <= 2x), and the payload size of each response (goal <= 1 MB);
  2. the time until the overview is interactive in headless Chromium (the matrix and its year
     selector are on screen).

    python bench/dashboard.py [--members 10000] [--sites 500] [--years 10] [--requests 200]
                              [--data DIR]  (keeps the generated warehouse there for next time)

writes bench/results/dashboard.md (and prints it).
"""

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import flask  # noqa: E402

from dashboard.app import create_app  # noqa: E402
from tests.browser_support import chromium, router_body, serving, wait_for  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "dashboard.md"
PAGES = ["/", "/covenant/textiel", "/kpi/textiel/excessive_hours_share", "/compare"]
def _p95s(calls: list[Callable[[], object]], requests: int) -> list[float]:
    """Return the p95 latency of each call, the calls taking turns so that whatever else the
    machine does meanwhile weighs on each of them alike."""
    times: list[list[float]] = [[] for _ in calls]
    for _ in range(requests):
        for call, taken in zip(calls, times, strict=True):
            start = time.perf_counter()
            call()
            taken.append(time.perf_counter() - start)
    return [statistics.quantiles(taken, n=20)[-1] for taken in times]


@dataclass(frozen=True)
class PageTiming:
    """One page's p95 latencies (seconds), cached and uncached, and payload size (bytes)."""

    page: str
    dash: float
    uncached: float
    flask: float
    size: int


def measure_pages(warehouse: Path, requests: int) -> list[PageTiming]:
    """Return per page: p95 of the page callback, p95 of Flask serving the same bytes, size."""
    client = create_app(warehouse).server.test_client()
    uncached = create_app(warehouse, cache_bytes=0).server.test_client()
    bare = flask.Flask("bare")
    payloads: dict[str, bytes] = {}
    # Asked the same way as the page (a POST with the same JSON body), so only answering differs.
    bare.add_url_rule("/<int:i>", "payload", lambda i: flask.Response(
        payloads[PAGES[i]], mimetype="application/json"), methods=["POST"])
    bare_client = bare.test_client()
    rows = []
    for i, page in enumerate(PAGES):
        body = router_body(page, "?lang=nl")
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code == 200, (page, response.status_code)
        payloads[page] = response.data
        dash_p95, flask_p95 = _p95s([
            lambda b=body: client.post("/_dash-update-component", json=b),
            lambda i=i, b=body: bare_client.post(f"/{i}", json=b)], requests)
        [cold_p95] = _p95s([lambda b=body: uncached.post("/_dash-update-component", json=b)],
                           requests)
        rows.append(PageTiming(page, dash_p95, cold_p95, flask_p95, len(response.data)))
    return rows


def time_to_interactive(data_dir: Path) -> float:
    """Return the seconds from opening the overview until its matrix and year selector show."""
    from selenium.webdriver.common.by import By

    os.environ.setdefault("IMVO_SECRET_KEY", secrets.token_hex(32))
    with serving(data_dir) as url, chromium() as driver:
        driver.get(f"{url}/?lang=nl")  # warm the server's caches once
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".matrix td"), 120)
        start = time.perf_counter()
        driver.get(f"{url}/?lang=nl&year=")
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".matrix td")
                 and d.find_elements(By.ID, "overview-year"), 120)
        return time.perf_counter() - start


def report(args: argparse.Namespace, rows: list[PageTiming], tti: float) -> str:
    """Return the results as markdown."""
    lines = [
        "# Dashboard benchmark", "",
        f"Warehouse: {args.members:,} members x {args.sites} sites x {args.years} years "
        "(generated and computed by bench/kpi_engine.py, published as `imvo serve` reads it). "
        f"p95 over {args.requests} requests per page, in one process through Flask test clients "
        "(no network in either measurement), page and bare endpoint asked in turns, the bare "
        "endpoint with the same POST body. Load average "
        f"{os.getloadavg()[0]:.1f} at the end.", "",
        "| page | callback p95 (ms) | ratio | without the response cache p95 (ms) | ratio "
        "| bare Flask, same JSON p95 (ms) | payload (kB) |",
        "|---|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| `{r.page}` | {1000 * r.dash:.1f} | {r.dash / r.flask:.2f}x | "
              f"{1000 * r.uncached:.1f} | {r.uncached / r.flask:.1f}x | {1000 * r.flask:.2f} | "
              f"{r.size / 1000:,.0f} |" for r in rows]
    worst = max(r.size for r in rows)
    ratio = max(r.dash / r.flask for r in rows)
    lines += ["", f"- Largest payload: {worst / 1000:,.0f} kB (goal <= 1 MB: "
              f"{'met' if worst <= 1_000_000 else 'NOT met'}).",
              f"- Worst callback p95 against the bare endpoint: {ratio:.2f}x (goal <= 2x: "
              f"{'met' if ratio <= 2 else 'NOT met'}), served from the response cache (per "
              "viewer and warehouse version; the first request of a page after new data pays "
              "the uncached time).",
              f"- Overview interactive in headless Chromium after {tti:.2f} s."]
    return "\n".join(lines) + "\n"


def warehouse_at(folder: Path, args: argparse.Namespace) -> Path:
    """Generate and compute the warehouse in a folder (once) and publish it as `imvo serve` does."""
    from warehouse.publish import publish, staging_path

    db = folder / "imvo.duckdb"
    if db.exists():
        return db
    staged = staging_path(db)
    scale = ["--members", str(args.members), "--sites", str(args.sites),
             "--years", str(args.years), "--db", str(staged)]
    for phase in ("generate", "full"):
        subprocess.run([sys.executable, str(ROOT / "bench" / "kpi_engine.py"), "--phase",
                        phase, *scale], check=True, capture_output=True)
    publish(staged, db)
    return db


def main() -> None:
    """Generate and compute the warehouse, measure the pages and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--sites", type=int, default=500)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--data", type=Path, help="keep the generated warehouse in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dash-bench-") as scratch:
        folder = args.data or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        db = warehouse_at(folder, args)
        text = report(args, measure_pages(db, args.requests), time_to_interactive(folder))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
