"""Settings, declared once with a default and help text; read from IMVO_* environment variables."""

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Where the product keeps its data and how it serves it."""

    model_config = SettingsConfigDict(env_prefix="IMVO_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Folder for the warehouse and archived files.")
    definitions_dir: Path = Field(
        PROJECT_ROOT / "kpi_definitions", description="Folder with the KPI and covenant YAML."
    )
    host: str = Field("127.0.0.1", description="Address the dashboard listens on.")
    port: int = Field(8050, description="Port the dashboard listens on.")
    workers: int = Field(2, ge=1, description="Web worker processes of `imvo serve` (gunicorn).")
    threads: int = Field(4, ge=1, description="Threads per web worker.")
    secret_key: str | None = Field(
        None, description="Signs the session cookies; required by `imvo serve`. Make one with "
        "python -c 'import secrets; print(secrets.token_hex(32))'.")
    users_path: Path | None = Field(
        None, description="SQLite file of the accounts and the audit log "
        "(default: users.sqlite in the data folder).")
    session_hours: float = Field(
        8, gt=0, description="Longest a sign-in lasts, however active (absolute session time).")
    session_idle_minutes: float = Field(
        30, gt=0, description="A sign-in ends after this many minutes without a request "
        "(idle session time).")
    sign_in_limit_per_address: str = Field(
        "10 per minute; 30 per hour; 100 per day", description="Failed sign-ins from one "
        "address over all names; when a tier is full the address waits until it empties, so "
        "the wait grows with the failures.")
    sign_in_limit_per_name_address: str = Field(
        "5 per minute; 10 per hour; 20 per day",
        description="Failed sign-ins for one name from one address.")
    sign_in_limit_per_name: str = Field(
        "30 per hour; 100 per day", description="Failed sign-ins for one name from all "
        "addresses it has not signed in from in the last 90 days; from those the owner is "
        "never locked out by another's guesses.")
    sign_in_limit_storage: str = Field(
        "memory://", description="Where failed sign-ins are counted: memory:// in each worker "
        "process; a shared store (e.g. redis://host:6379) counts across workers and servers.")
    sign_in_checks: int = Field(
        2, ge=1, description="Password checks that run at once in a worker; a sign-in beyond "
        "them is asked to retry (503) at once, so pages stay fast during a sign-in flood.")
    cookie_secure: bool = Field(
        False, description="Send the session cookie over https only, also when a request "
        "arrives over http (set it when a TLS proxy sits in front).")
    cookie_samesite: Literal["Strict", "Lax"] = Field(
        "Lax", description="SameSite of the session cookie; Strict breaks OpenID Connect "
        "sign-in, which comes back from another site.")
    proxy_hops: int = Field(
        0, ge=0, description="Proxies in front whose X-Forwarded-* headers are trusted.")
    max_upload_mb: float = Field(50, gt=0, description="Largest file the upload page accepts.")
    jobs_dir: Path | None = Field(
        None, description="Private folder (0700) of the meeting-pack jobs and their files "
        "(default: jobs in the data folder).")
    pack_jobs_per_user: int = Field(
        2, ge=1, description="Meeting packs one account (or one visitor) may have in the making.")
    pack_jobs_total: int = Field(
        4, ge=1, description="Meeting packs the whole service makes at a time.")
    pack_keep_minutes: float = Field(
        10, gt=0, description="How long a made pack waits to be fetched before it is removed.")
    oidc_issuer: str | None = Field(
        None, description="OpenID Connect issuer URL; sign-in with it is offered when set.")
    oidc_client_id: str | None = Field(None, description="OpenID Connect client id.")
    oidc_client_secret: str | None = Field(None, description="OpenID Connect client secret.")
    oidc_name: str = Field("SSO", description="Name of the OpenID Connect provider on the "
                           "sign-in page.")
    oidc_roles_claim: str = Field(
        "groups", description="ID-token claim listing the groups (or roles) of a user.")
    oidc_roles: dict[str, str] = Field(
        default_factory=dict, description="JSON map from a claim value to 'role' or "
        "'role:covenant', e.g. {\"imvo-textiel\": \"commission:textiel\"}.")

    @property
    def warehouse_path(self) -> Path:
        """Return the path of the DuckDB warehouse file."""
        return self.data_dir / "imvo.duckdb"

    @property
    def accounts_path(self) -> Path:
        """Return the path of the SQLite file with the accounts and the audit log."""
        return self.users_path or self.data_dir / "users.sqlite"


def get_settings() -> Settings:
    """Return the settings as the environment gives them now."""
    return Settings()  # type: ignore[call-arg]  # every field has a default
