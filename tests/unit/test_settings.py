from __future__ import annotations

from models.settings import REPO_ROOT, Settings


def test_defaults_select_the_embedded_stack(monkeypatch) -> None:
    for var in ("DATABASE_URL", "OPENSEARCH_URL", "REDIS_URL", "SIDEDECKED_INDEX_DIR"):
        monkeypatch.delenv(var, raising=False)
    settings = Settings(_env_file=None)
    assert settings.database_url == f"sqlite:///{REPO_ROOT / 'var' / 'sidedecked.db'}"
    assert settings.is_sqlite
    assert settings.opensearch_url is None
    assert settings.redis_url is None
    assert settings.sidedecked_index_dir == REPO_ROOT / "var" / "index"


def test_environment_overrides(monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u:p@h:5432/db")
    monkeypatch.setenv("OPENSEARCH_URL", "http://127.0.0.1:9200")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("SIDEDECKED_CORS_ORIGINS", '["https://shop.example"]')
    settings = Settings(_env_file=None)
    assert not settings.is_sqlite
    assert settings.opensearch_url == "http://127.0.0.1:9200"
    assert settings.redis_url == "redis://127.0.0.1:6379/0"
    assert settings.sidedecked_cors_origins == ["https://shop.example"]
