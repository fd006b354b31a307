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
        default=None,
        description=(
            "OpenSearch URL, or a comma-separated list of a cluster's nodes (the client spreads "
            "requests over them and retries a failed one on another); unset selects the "
            "embedded tantivy engine."
        ),
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
    sidedecked_index_replicas: int = Field(
        default=0,
        ge=0,
        description=(
            "Replicas of each OpenSearch index (0 on one node; 1 or more on a cluster), applied "
            "when a rebuild's bulk load is done, before the alias swap."
        ),
    )
    sidedecked_rebuild_chunk_ids: int | None = Field(
        default=None,
        ge=1,
        description=(
            "Print ids per task of a queued (chunked) rebuild; unset: the indexer's default "
            "(25,000). Smaller in tests, to get several chunks from a small catalog."
        ),
    )
    sidedecked_task_visibility_timeout: int = Field(
        default=300,
        ge=5,
        description=(
            "Seconds before the Redis broker hands an unacknowledged task (its worker died) to "
            "another worker; every task is bounded well below it (see docs/workers.md)."
        ),
    )
    sidedecked_fault_pause: list[str] = Field(
        default_factory=list,
        description=(
            "Testing only: names of fault points (`models.faults`) where this process stops and "
            "waits to be killed (JSON list). Empty in every deployment."
        ),
    )
    sidedecked_fault_dir: Path | None = Field(
        default=None,
        description="Testing only: folder where a paused fault point writes its marker file.",
    )
    sidedecked_popularity_flush_s: float = Field(
        default=30.0,
        ge=0,
        description=(
            "Seconds between popularity flushes (views and searches into the SKU counters): the "
            "beat entry with Redis, the API's own thread without; 0 turns both off (the test "
            "suite, so counts never change a shared sample catalog)."
        ),
    )
    sidedecked_images_dir: Path = Field(
        default=REPO_ROOT / "var" / "images",
        description="Folder of the mirrored card images (the embedded store, served at /media).",
    )
    sidedecked_images_base_url: str = Field(
        default="/media",
        description=(
            "Public URL of the images folder as pages and API clients see it (the API serves it "
            "at /media; an absolute URL for a CDN or another host)."
        ),
    )
    sidedecked_s3_endpoint: str | None = Field(
        default=None,
        description=(
            "S3-compatible endpoint of the image store (SeaweedFS from `make services`, MinIO in "
            "docker-compose); unset keeps images in SIDEDECKED_IMAGES_DIR."
        ),
    )
    sidedecked_s3_bucket: str = Field(
        default="sidedecked-images", description="Bucket of the mirrored images."
    )
    sidedecked_s3_access_key: str | None = Field(default=None, description="S3 access key id.")
    sidedecked_s3_secret_key: str | None = Field(default=None, description="S3 secret key.")
    sidedecked_s3_region: str = Field(default="us-east-1", description="S3 signing region.")
    sidedecked_s3_public_url: str | None = Field(
        default=None,
        description=(
            "Public URL of the bucket for pages and clients (default: endpoint/bucket, which "
            "needs anonymous read on the bucket)."
        ),
    )
    sidedecked_images_host_concurrency: int = Field(
        default=2, ge=1, description="Image downloads at once from one upstream host."
    )
    sidedecked_images_host_rate: float = Field(
        default=8.0, gt=0, description="Image requests per second to one upstream host, at most."
    )
    sidedecked_log_level: str = Field(default="INFO", description="Logging level.")

    @property
    def opensearch_hosts(self) -> list[str]:
        """The nodes of `opensearch_url` (one URL or a comma-separated list), in order."""
        return opensearch_hosts(self.opensearch_url)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def opensearch_hosts(url: str | None) -> list[str]:
    """Split an `OPENSEARCH_URL` value into its node URLs (blank items dropped)."""
    return [part.strip().rstrip("/") for part in (url or "").split(",") if part.strip()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
