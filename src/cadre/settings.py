"""Typed settings, read once from `CADRE_*` environment variables."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything configurable about one Cadre installation."""

    model_config = SettingsConfigDict(env_prefix="CADRE_", env_file=None, extra="ignore")

    home: Path = Field(default=Path(".cadre"), description="Folder holding the embedded state.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the system of record; default: SQLite under `CADRE_HOME`.",
    )
    catalog_path: Path | None = Field(
        default=None, description="Semantic catalog YAML; default: `CADRE_HOME/catalog.yaml`."
    )
    policies_path: Path | None = Field(
        default=None, description="Governance policies YAML; default: `CADRE_HOME/policies.yaml`."
    )
    duckdb_memory_limit: str = Field(
        default="2GB", description="Memory DuckDB may use for federated queries before spilling to disk."
    )
    duckdb_threads: int = Field(default=2, ge=1, description="Threads DuckDB may use for federated queries.")

    @cached_property
    def resolved_home(self) -> Path:
        return self.home.expanduser().resolve()

    @property
    def sources_dir(self) -> Path:
        return self.resolved_home / "sources"

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.resolved_home / 'cadre.db'}"

    @property
    def catalog_file(self) -> Path:
        return self.catalog_path or self.resolved_home / "catalog.yaml"

    @property
    def policies_file(self) -> Path:
        return self.policies_path or self.resolved_home / "policies.yaml"


def load_settings() -> Settings:
    """Settings from the current environment (a fresh read each call, so tests can change it)."""
    return Settings()
