"""What a page needs per request: who is looking, the definitions, and a read-only warehouse."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import ParamSpec

import dash
import duckdb
from dash.development.base_component import Component
from flask import current_app, has_app_context

from dashboard.auth import signed_in_account
from dashboard.messages import error_card
from dashboard.report.jobstore import JobSettings
from dashboard.text import parse_lang
from imvo.definitions import Definitions, definitions
from imvo.errors import ImvoError
from warehouse import access
from warehouse.access import PUBLIC, Viewer
from warehouse.readers import READERS

CONFIG_KEY = "IMVO_SOURCES"
P = ParamSpec("P")


@dataclass(frozen=True)
class Sources:
    """Where the app reads from: the warehouse file and the definitions folder."""

    warehouse_path: Path
    definitions_dir: Path
    viewer: Viewer = PUBLIC
    """Who a visitor that is not signed in is: the public, or in the single-user local mode of
    `imvo serve --role` the role it was started for."""
    jobs: JobSettings | None = None
    """Where meeting-pack jobs are kept; by default in a folder `jobs` beside the warehouse."""

    def job_settings(self) -> JobSettings:
        """Return where the meeting-pack jobs of this app are kept and how many may run."""
        return self.jobs or JobSettings(self.warehouse_path.parent / "jobs")


def attach_sources(app: dash.Dash, sources: Sources) -> None:
    """Remember on the app where its pages read from."""
    app.server.config[CONFIG_KEY] = sources


def current_sources() -> Sources:
    """Return the sources of the running app: the one answering the request, if any."""
    # During a request Flask knows the app that answers it; Dash's own notion of the current
    # app is the one that last answered a layout request, in any thread.
    if has_app_context() and CONFIG_KEY in current_app.config:
        answering: Sources = current_app.config[CONFIG_KEY]
        return answering
    app = dash.get_app()  # type: ignore[no-untyped-call]
    sources: Sources = app.server.config[CONFIG_KEY]
    return sources


def current_viewer() -> Viewer:
    """Return who is looking: the signed-in account, else the app's visitor (the public)."""
    account = signed_in_account()
    return account.viewer if account is not None else current_sources().viewer


def current_definitions() -> Definitions:
    """Return the KPI and covenant definitions the app was started with."""
    return definitions(current_sources().definitions_dir)


@contextmanager
def reader() -> Iterator[duckdb.DuckDBPyConnection]:
    """Give one request a read-only connection to the published warehouse."""
    path = current_sources().warehouse_path
    with READERS.read(path) as conn:
        yield conn


def last_ingest() -> datetime | None:
    """Return when data was last loaded, or None when there is no readable warehouse."""
    try:
        with reader() as conn:
            return access.last_ingest(conn)
    except (ImvoError, duckdb.Error):
        return None


def shows_errors(build: Callable[P, Component]) -> Callable[P, Component]:
    """Wrap a layout or callback so a data problem shows an error card instead of a crash."""

    @wraps(build)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> Component:
        try:
            return build(*args, **kwargs)
        except (ImvoError, duckdb.Error) as exc:
            return error_card(exc, lang=parse_lang(kwargs.get("lang")))

    return guarded
