"""Serving the dashboard under gunicorn: several worker processes, each with its own app.

Every worker opens the warehouse read-only per request (dashboard.context.reader), so an
ingest that publishes a new warehouse (warehouse.publish) reaches the next request of every
worker, without a lock between them.
"""

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.http import wsgi as gunicorn_wsgi

from dashboard.auth import WebSecurity
from dashboard.oidc_claims import OidcConfig, check_config
from dashboard.report.jobstore import JobSettings
from dashboard.throttle import limits_from_settings
from imvo.definitions import definitions
from imvo.errors import ImvoError
from imvo.settings import Settings
from warehouse.access import PUBLIC, Viewer

MIN_KEY = 32
KEY_HINT = ("set IMVO_SECRET_KEY to a long random value, e.g. the output of "
            "python -c 'import secrets; print(secrets.token_hex(32))'")


@dataclass(frozen=True)
class Workers:
    """Where to listen and how many processes and threads answer."""

    host: str
    port: int
    workers: int = 2
    threads: int = 4
    timeout: int = 120  # an upload ingests and computes inside its request


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, make: Callable[[], Any], options: dict[str, object]) -> None:
        self._make, self._options = make, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self._make()


class _QuietResponse(gunicorn_wsgi.Response):  # type: ignore[misc]
    """gunicorn's response without its Server header: the answer names no server software."""

    def default_headers(self) -> list[str]:
        """Return the status line and gunicorn's own headers, less Server."""
        headers: list[str] = super().default_headers()
        return [h for h in headers if not h.lower().startswith("server:")]


def hide_server_header() -> None:
    """Make gunicorn (in this process and the workers it forks) send no Server header."""
    gunicorn_wsgi.Response = _QuietResponse


def run_workers(make: Callable[[], Any], workers: Workers) -> None:
    """Serve the WSGI app that `make` returns (called in each worker) until interrupted."""
    hide_server_header()
    _Gunicorn(make, {
        "bind": f"{workers.host}:{workers.port}", "workers": workers.workers,
        "threads": workers.threads, "worker_class": "gthread", "timeout": workers.timeout,
        "graceful_timeout": 10, "preload_app": False, "accesslog": None, "errorlog": "-",
        "loglevel": "warning", "proc_name": "imvo-dashboard",
    }).run()


def oidc_from_settings(settings: Settings) -> OidcConfig | None:
    """Return the OpenID Connect configuration, None when it is off; refuse a partial one."""
    if not settings.oidc_issuer:
        return None
    if not (settings.oidc_client_id and settings.oidc_client_secret):
        raise ImvoError("IMVO_OIDC_ISSUER is set, but IMVO_OIDC_CLIENT_ID or "
                        "IMVO_OIDC_CLIENT_SECRET is not",
                        hint="set both (from the provider's client registration), or unset "
                        "IMVO_OIDC_ISSUER")
    config = OidcConfig(settings.oidc_issuer, settings.oidc_client_id,
                        settings.oidc_client_secret, settings.oidc_name,
                        settings.oidc_roles_claim, dict(settings.oidc_roles))
    check_config(config, set(definitions().covenants))
    return config


def security_from_settings(settings: Settings, *, demo_key: str | None = None) -> WebSecurity:
    """Return how the web tier protects sessions; a secret key is required outside the demo."""
    key = settings.secret_key or demo_key
    if not key:
        raise ImvoError("no secret key is set to sign the session cookies", hint=KEY_HINT)
    if len(key) < MIN_KEY:
        raise ImvoError(f"IMVO_SECRET_KEY is shorter than {MIN_KEY} characters", hint=KEY_HINT)
    return WebSecurity(
        secret_key=key, users_path=settings.accounts_path, session_hours=settings.session_hours,
        session_idle_minutes=settings.session_idle_minutes,
        cookie_secure=settings.cookie_secure, cookie_samesite=settings.cookie_samesite,
        proxy_hops=settings.proxy_hops, max_upload_bytes=int(settings.max_upload_mb * 2**20),
        oidc=oidc_from_settings(settings), limits=limits_from_settings(settings))


def jobs_from_settings(settings: Settings, warehouse_path: Path) -> JobSettings:
    """Return where meeting-pack jobs are kept (beside the warehouse unless configured)."""
    return JobSettings(settings.jobs_dir or warehouse_path.parent / "jobs",
                       per_owner=settings.pack_jobs_per_user, in_all=settings.pack_jobs_total,
                       keep_seconds=settings.pack_keep_minutes * 60)


def local_viewer(viewer: Viewer, host: str) -> Viewer:
    """Return the viewer for visitors who are not signed in; a fixed role only on loopback."""
    if viewer == PUBLIC:
        return viewer
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ImvoError(f"--role {viewer.role} shows every visitor the {viewer.role} view, so it "
                        f"is only served on this machine, not on {host}",
                        hint="serve on 127.0.0.1, or add accounts with 'imvo users add' and let "
                        "people sign in")
    return viewer
