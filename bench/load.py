"""Load test of the served dashboard: gunicorn workers browsed by many clients during an ingest.

In one run, on 127.0.0.1 only: the demo's synthetic submissions for all covenants are ingested
and computed (the corrections held back); `imvo serve` starts N gunicorn workers; C clients
browse for S seconds (the overview, a covenant page, a KPI page, the header, a CSV download
of the overview, which also tells when a client first saw the new data);
halfway, `imvo ingest` loads the corrections (and recomputes) into a copy of the warehouse and
publishes it. Reported: requests and failed requests (goal: 0; an error card or a lock message
counts as failed), throughput, latency before, during and after the ingest (during / before is
the ratio that matters on a shared machine), and when the clients first saw the new data.

    python bench/load.py [--workers 4] [--clients 32] [--seconds 60]

writes bench/results/load.md (and prints it). It stops by itself.
"""

import argparse
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from imvo.definitions import definitions  # noqa: E402
from pipelines.demo import write_demo_files  # noqa: E402
from pipelines.ingest import run_ingest  # noqa: E402
from tests.browser_support import free_port, router_body, wait_until_up  # noqa: E402
from warehouse.compute import compute_kpis  # noqa: E402
from warehouse.publish import staged_writer  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "load.md"
# An error card instead of a page, or DuckDB's words for a file another process holds.
FAILED_TEXT = ("De gegevens zijn niet te lezen", "The data cannot be read", "Conflicting lock",
               "Could not set lock", "cannot read the warehouse")


@dataclass
class Log:
    """What the clients saw: (start, seconds, ok) per request, and when data changed."""

    requests: list[tuple[float, float, bool]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    first_new: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


HEADER = {"output": "shell-header.children",
          "outputs": {"id": "shell-header", "property": "children"},
          "inputs": [{"id": "shell-url", "property": "pathname", "value": "/"},
                     {"id": "shell-url", "property": "search", "value": "?lang=en"}],
          "changedPropIds": ["shell-url.pathname"], "state": []}
EXPORT = {"output": "shell-download.data",
          "outputs": {"id": "shell-download", "property": "data"},
          "inputs": [[{"id": {"type": "export", "table": "overview", "format": "csv"},
                       "property": "n_clicks", "value": 1}]],
          "state": [{"id": "shell-url", "property": "pathname", "value": "/"},
                    {"id": "shell-url", "property": "search", "value": ""}],
          "changedPropIds": ['{"format":"csv","table":"overview","type":"export"}.n_clicks']}


def prepare(folder: Path) -> Path:
    """Write the demo's files, ingest all but the corrections, compute; return the corrections."""
    defs = definitions()
    files = write_demo_files(defs, folder)
    with staged_writer(folder / "imvo.duckdb", defs.catalogue) as conn:
        run_ingest(conn, [files.submissions], defs, archive_dir=folder / "archive")
        compute_kpis(conn, defs)
    return files.corrections


def _one(session: requests.Session, base: str, kind: str, body: object) -> tuple[bool, str]:
    if kind == "GET":
        answer = session.get(f"{base}/", timeout=60)
    else:
        answer = session.post(f"{base}/_dash-update-component", json=body, timeout=60)
    text = answer.text
    ok = answer.status_code in (200, 204) and not any(t in text for t in FAILED_TEXT)
    return ok, text if ok else f"{answer.status_code}: {text[:200]}"


def browse(base: str, pages: list[str], stop: threading.Event, log: Log, seed: int,
           before: str) -> None:
    """Request pages in a loop until told to stop, logging every request."""
    session, rng = requests.Session(), random.Random(seed)
    while not stop.is_set():
        for kind, body in (("GET", None), ("POST", router_body(rng.choice(pages), "?lang=en")),
                           ("POST", HEADER), ("POST", EXPORT)):
            start = time.monotonic()
            try:
                ok, text = _one(session, base, kind, body)
            except requests.RequestException as exc:
                ok, text = False, repr(exc)
            with log.lock:
                log.requests.append((start, time.monotonic() - start, ok))
                if not ok:
                    log.failures.append(text)
                elif body is EXPORT and text != before and log.first_new is None:
                    log.first_new = time.monotonic()


def pages_to_browse() -> list[str]:
    """Return the overview, every covenant page and one KPI page per covenant."""
    covenants = definitions().covenants.values()
    return ["/", "/compare", *(f"/covenant/{c.slug}" for c in covenants),
            *(f"/kpi/{c.slug}/{c.kpis[0]}" for c in covenants)]


def run(args: argparse.Namespace, folder: Path) -> dict[str, object]:
    """Serve, browse, ingest halfway; return the timings."""
    corrections = prepare(folder)
    port = free_port()
    env = {**os.environ, "IMVO_DATA_DIR": str(folder), "IMVO_PORT": str(port),
           "IMVO_SECRET_KEY": secrets.token_hex(32), "IMVO_WORKERS": str(args.workers)}
    server = subprocess.Popen([sys.executable, "-m", "imvo", "serve"], env=env, text=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base, stop, log = f"http://127.0.0.1:{port}", threading.Event(), Log()
    try:
        wait_until_up(f"{base}/", server, seconds=120)
        before = requests.post(f"{base}/_dash-update-component", json=EXPORT, timeout=60).text
        clients = [threading.Thread(target=browse, args=(base, pages_to_browse(), stop, log, i,
                                                         before)) for i in range(args.clients)]
        start = time.monotonic()
        for client in clients:
            client.start()
        time.sleep(args.seconds / 2)
        ingest_start = time.monotonic()
        ingest = subprocess.run([sys.executable, "-m", "imvo", "ingest", str(corrections)],
                                env=env, capture_output=True, text=True, timeout=args.seconds * 5)
        ingest_end = time.monotonic()
        # Browse on after the ingest: to the end, and a quarter of the time at least.
        time.sleep(max(args.seconds / 4, start + args.seconds - time.monotonic()))
        stop.set()
        for client in clients:
            client.join(timeout=120)
        end = time.monotonic()
    finally:
        stop.set()
        server.terminate()
        errors = server.communicate(timeout=60)[1]
    if ingest.returncode != 0:
        raise RuntimeError(f"imvo ingest failed: {ingest.stderr}")
    return {"log": log, "start": start, "end": end, "ingest": (ingest_start, ingest_end),
            "server_errors": [line for line in errors.splitlines() if "Error" in line]}


def _latency(rows: list[tuple[float, float, bool]]) -> tuple[int, float, float]:
    times = sorted(seconds for _, seconds, _ in rows)
    if not times:
        return 0, 0.0, 0.0
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    return len(times), statistics.median(times) * 1000, p95 * 1000


def report(args: argparse.Namespace, result: dict[str, object]) -> str:
    """Return the results as markdown."""
    log: Log = result["log"]  # type: ignore[assignment]
    start, end = result["start"], result["end"]
    ingest_start, ingest_end = result["ingest"]  # type: ignore[misc]
    phases = {"before the ingest": [r for r in log.requests if r[0] < ingest_start],
              "during the ingest": [r for r in log.requests if ingest_start <= r[0] < ingest_end],
              "after the ingest": [r for r in log.requests if r[0] >= ingest_end]}
    failed = sum(1 for r in log.requests if not r[2])
    lines = [
        "# Load test: serving while an ingest runs", "",
        f"{args.workers} gunicorn workers (4 threads each), {args.clients} clients, "
        f"{args.seconds} s on 127.0.0.1; the demo warehouse (all covenants), the demo's "
        f"corrections ingested with `imvo ingest` after {ingest_start - start:.0f} s "  # type: ignore[operator]
        f"(took {ingest_end - ingest_start:.1f} s, recomputing the changed covenant-years). "
        "Machine: 2 cores shared with other work; client and server on the same cores.", "",
        f"- Requests: **{len(log.requests)}**, failed: **{failed}** (goal: 0).",
        f"- Throughput: {len(log.requests) / (end - start):.1f} requests/s.",  # type: ignore[operator]
        f"- New data first seen by a client {log.first_new - ingest_end:+.1f} s after the "
        "ingest command ended (the switch happens when it publishes, before it exits)."
        if log.first_new else "- New data: not seen by the clients.",
        f"- Server log lines with an error: {len(result['server_errors'])}.", "",  # type: ignore[arg-type]
        "| phase | requests | median ms | p95 ms |", "|---|---:|---:|---:|"]
    for name, rows in phases.items():
        count, median, p95 = _latency(rows)
        lines.append(f"| {name} | {count} | {median:.0f} | {p95:.0f} |")
    _, before_median, before_p95 = _latency(phases["before the ingest"])
    _, during_median, during_p95 = _latency(phases["during the ingest"])
    if before_median and during_median:
        lines += ["", f"During / before the ingest: median **{during_median / before_median:.2f}x**"
                      f", p95 **{during_p95 / before_p95:.2f}x**."]
    if log.failures:
        lines += ["", "First failures:", *(f"- `{f[:160]}`" for f in log.failures[:5])]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Run the load test and write its results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="imvo-load-") as folder:
        result = run(args, Path(folder))
    text = report(args, result)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    log: Log = result["log"]  # type: ignore[assignment]
    sys.exit(1 if any(not ok for _, _, ok in log.requests) else 0)


if __name__ == "__main__":
    main()
