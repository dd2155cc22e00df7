"""Typed settings, read once from `CADRE_*` environment variables."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


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
    action_modules: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Python modules that register agents' actions, comma-separated (each defines `register`).",
    )

    @field_validator("action_modules", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        # A comma-separated list is what people type in an environment variable.
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    llm_base_url: str | None = Field(
        default=None,
        description="OpenAI-compatible endpoint, e.g. `http://localhost:8000/v1`; unset: the offline engine.",
    )
    llm_model: str | None = Field(default=None, description="Model name to ask at `CADRE_LLM_BASE_URL`.")
    llm_api_key: SecretStr | None = Field(
        default=None, description="API key for `CADRE_LLM_BASE_URL`, if it needs one."
    )
    llm_timeout_s: float = Field(
        default=60.0, gt=0, description="Seconds one LLM request may take before it is retried."
    )
    llm_max_retries: int = Field(
        default=2, ge=0, description="Retries per endpoint (429, 5xx, timeouts, connection errors) before failover."
    )
    llm_fallback_base_url: str | None = Field(
        default=None, description="Second endpoint, asked when the first one fails after its retries."
    )
    llm_fallback_model: str | None = Field(
        default=None, description="Model name at the fallback endpoint; default: `CADRE_LLM_MODEL`."
    )
    llm_fallback_api_key: SecretStr | None = Field(
        default=None, description="API key for the fallback endpoint; the primary key is never sent there."
    )
    llm_on_failure: Literal["offline", "handoff"] = Field(
        default="offline", description="When every LLM endpoint fails: answer with the offline engine, or hand off."
    )
    llm_prices_path: Path | None = Field(
        default=None, description="YAML of USD per 1M tokens per model, replacing or adding to the shipped prices."
    )

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
