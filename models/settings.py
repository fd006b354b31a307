"""The one configuration class, read from the environment (and an optional `.env` file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every knob of the service. Unset service URLs select the embedded default."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{REPO_ROOT / 'var' / 'sidedecked.db'}",
        description="SQLAlchemy URL of the catalog database (SQLite file by default).",
    )
    opensearch_url: str | None = Field(
        default=None, description="OpenSearch URL; unset selects the embedded tantivy engine."
    )
    redis_url: str | None = Field(
        default=None, description="Redis URL for Celery and caches; unset runs jobs inline."
    )
    sidedecked_index_dir: Path = Field(
        default=REPO_ROOT / "var" / "index",
        description="Directory of the embedded (tantivy) search index.",
    )
    sidedecked_index_prefix: str = Field(
        default="sidedecked", description="Prefix of every OpenSearch index and alias name."
    )
    sidedecked_shared_data: Path = Field(
        default=REPO_ROOT.parent / "shared" / "data",
        description="Folder of the real upstream data used by tests, benchmarks and the demo.",
    )
    sidedecked_cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed by CORS (JSON list)."
    )
    sidedecked_events_secret: str | None = Field(
        default=None, description="Shared HMAC secret for POST /api/events."
    )
    sidedecked_match_max_upload_bytes: int = Field(
        default=26_214_400, description="Largest inventory file a matching job accepts (bytes)."
    )
    sidedecked_match_max_rows: int = Field(
        default=200_000, description="Most data rows a matching job accepts."
    )
    sidedecked_log_level: str = Field(default="INFO", description="Logging level.")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
