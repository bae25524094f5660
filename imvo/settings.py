"""Settings, declared once with a default and help text; read from IMVO_* environment variables."""

from pathlib import Path

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

    @property
    def warehouse_path(self) -> Path:
        """Return the path of the DuckDB warehouse file."""
        return self.data_dir / "imvo.duckdb"


def get_settings() -> Settings:
    """Return the settings as the environment gives them now."""
    return Settings()  # type: ignore[call-arg]  # every field has a default
