"""The meeting-pack download on the covenant page: a form, a progress bar, and the file.

Pressing the button queues the pack (read for the viewer of that request) in a background
process; an interval then polls the job until the file is sent or the job failed.
"""

from typing import Any

import polars as pl
from dash import dcc, html, no_update
from dash.dcc.express import send_bytes

from dashboard.auth import audit
from dashboard.context import current_sources, current_viewer
from dashboard.report.jobs import PackRequest, job_state, start_job, take_file
from dashboard.report.pack import PackFormat
from dashboard.report.text import rt
from dashboard.text import Lang, parse_lang, t
from imvo.definitions.models import Covenant

POLL_MS = 700
FORMAT_LABELS: dict[PackFormat, str] = {"pdf": "PDF", "pptx": "PowerPoint"}
# Dict ids: the form exists only on a known covenant's page, and Dash checks plain ids of every
# callback against every page's layout, dict ids only where such components are present.
IDS: dict[str, dict[str, str]] = {
    name: {"type": "covenant-pack", "part": name} for name in
    ("year", "format", "make", "request", "job", "poll", "progress", "status", "download")}


def pack_year(values: pl.DataFrame, covenant: Covenant) -> int:
    """Return the year a pack is made for by default: the newest with submissions."""
    reported = values.filter((pl.col("members_submitted") > 0)
                             & pl.col("year").is_in(list(covenant.years)))
    years: list[int] = reported["year"].to_list()
    return max(years) if years else covenant.first_year


def pack_control(covenant: Covenant, *, year: int, lang: Lang) -> html.Section:
    """Return the meeting-pack form of a covenant: year, format, button, progress and status."""
    years = [{"label": str(y), "value": y} for y in covenant.years]
    formats = [{"label": label, "value": fmt} for fmt, label in FORMAT_LABELS.items()]
    return html.Section([
        html.H2(rt("pack", lang)),
        html.P(rt("control_intro", lang), className="muted small"),
        html.Div([
            html.Label([t("year", lang),  # the label holds its dropdown: no id to point at
                        dcc.Dropdown(id=IDS["year"], options=years, value=year, clearable=False,
                                     searchable=False, className="year-dropdown")],
                       className="pack-year"),
            dcc.RadioItems(id=IDS["format"], options=formats, value="pdf", inline=True,
                           className="pack-format"),
            html.Button(rt("make", lang), id=IDS["make"], n_clicks=0, className="export pack-make"),
        ], className="pack-form"),
        html.Progress(id=IDS["progress"], value="0", max="1", hidden=True),
        html.Div(id=IDS["status"], role="status", className="pack-status"),
        dcc.Store(id=IDS["request"], data={"covenant": covenant.slug, "lang": lang}),
        dcc.Store(id=IDS["job"]),
        dcc.Interval(id=IDS["poll"], interval=POLL_MS, disabled=True),
        dcc.Download(id=IDS["download"]),
    ], className="pack-control")


def start_pack(*, covenant: str, year: int, fmt: str, lang: str) -> str:
    """Queue the pack for the viewer of this request and return the job id."""
    sources = current_sources()
    chosen: PackFormat = "pptx" if fmt == "pptx" else "pdf"
    audit("export", f"meeting pack {covenant} {year} {chosen}")
    return start_job(PackRequest(sources.warehouse_path, sources.definitions_dir,
                                 current_viewer(), covenant, int(year), parse_lang(lang), chosen))


def pack_view(job: str | None, *, lang: str) -> list[Any]:
    """Return progress value, maximum, hidden, status text, download, poll off, button off."""
    language = parse_lang(lang)
    if not job:
        return ["0", "1", True, "", no_update, True, False]
    path, viewer = current_sources().warehouse_path, current_viewer()
    state = job_state(path, job, viewer)
    if state is None:
        return ["0", "1", True, rt("lost", language), no_update, True, False]
    if state.status == "failed":
        return ["0", "1", True, state.message, no_update, True, False]
    if state.status != "done":
        return [str(state.done), str(state.total), False, state.message, no_update, False, True]
    taken = take_file(path, job, viewer)
    if taken is None:
        return ["0", "1", True, rt("lost", language), no_update, True, False]
    name, content = taken
    download = send_bytes(content, name)  # type: ignore[no-untyped-call]
    return ["1", "1", False, state.message, download, True, False]

