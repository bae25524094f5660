"""The meeting-pack download on the covenant page: a form, a progress bar, and the file.

Pressing the button queues the pack (read for the viewer of that request) in a background
process; an interval then polls the job until the file is sent or the job failed.
"""

from typing import Any

import polars as pl
from dash import dcc, html, no_update
from dash.dcc.express import send_bytes
from flask import has_request_context
from typing_extensions import TypedDict

from dashboard.auth import address, audit, signed_in_account
from dashboard.callback_checks import KnownCovenant
from dashboard.context import current_sources, current_viewer
from dashboard.report.jobs import PackRequest, owner_of, start_job
from dashboard.report.jobstore import JobsBusy, job_state, take_file
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


class PackStore(TypedDict):
    """What the pack form's store holds: the covenant and the page's language."""

    covenant: KnownCovenant
    lang: str


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


def current_owner() -> str:
    """Return who asks for a pack in this request: the account, else the visitor's address."""
    account = signed_in_account()
    return owner_of(current_viewer(), account.username if account else None,
                    address() if has_request_context() else None)


def start_pack(*, covenant: str, year: int, fmt: str, lang: str) -> tuple[Any, str]:
    """Queue the pack for the viewer of this request; return the job id and a status text.

    When too many packs are in the making, no job starts and the text says to try again.
    """
    sources, language = current_sources(), parse_lang(lang)
    chosen: PackFormat = "pptx" if fmt == "pptx" else "pdf"
    request = PackRequest(sources.warehouse_path, sources.definitions_dir, current_viewer(),
                          covenant, int(year), language, chosen, current_owner())
    try:
        job = start_job(request, sources.job_settings())
    except JobsBusy as busy:
        audit("export_refused", f"meeting pack {covenant} {year} {chosen}: busy")
        return no_update, rt("busy_you" if busy.mine else "busy_all", language)
    audit("export", f"meeting pack {covenant} {year} {chosen}")
    return job, rt("queued", language)


def pack_view(job: str | None, *, lang: str) -> list[Any]:
    """Return progress value, maximum, hidden, status text, download, poll off, button off."""
    language = parse_lang(lang)
    if not job:
        return ["0", "1", True, "", no_update, True, False]
    settings, owner = current_sources().job_settings(), current_owner()
    state = job_state(settings, job, owner)
    if state is None:
        return ["0", "1", True, rt("lost", language), no_update, True, False]
    if state.status == "failed":
        return ["0", "1", True, state.message, no_update, True, False]
    if state.status != "done":
        return [str(state.done), str(state.total), False, state.message, no_update, False, True]
    taken = take_file(settings, job, owner)
    if taken is None:
        return ["0", "1", True, rt("lost", language), no_update, True, False]
    name, content = taken
    download = send_bytes(content, name)  # type: ignore[no-untyped-call]
    return ["1", "1", False, state.message, download, True, False]

