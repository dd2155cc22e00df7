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

    @field_validator("action_modules", "cors_origins", mode="before")
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

    # --- outbound mail and the SDR workflow (cadre.sales)
    smtp_host: str = Field(default="127.0.0.1", description="SMTP server that delivers the agents' mail.")
    smtp_port: int = Field(default=25, ge=1, le=65535, description="Port of `CADRE_SMTP_HOST`.")
    smtp_user: str | None = Field(default=None, description="SMTP login, if the server needs one.")
    smtp_password: SecretStr | None = Field(default=None, description="Password for `CADRE_SMTP_USER`.")
    smtp_starttls: bool = Field(default=False, description="Upgrade the SMTP connection with STARTTLS.")
    smtp_timeout_s: float = Field(default=30.0, gt=0, description="Seconds one SMTP conversation may take.")
    smtp_retries: int = Field(default=3, ge=0, description="Retries of a refused or failed send, with backoff.")
    mail_from: str = Field(
        default="Halyard Cloud <sdr@halyard.example>", description="From address of the agents' outbound mail."
    )
    sales_sla_hours: float = Field(
        default=24.0,
        gt=0,
        description="A lead counts as covered when first touched within this many hours of "
        "its creation (or of the first SDR run, for leads older than that).",
    )
    sales_followup_days: Annotated[list[int], NoDecode] = Field(
        default_factory=lambda: [3, 7], description="Days after the first touch that follow-ups go out, e.g. `3,7`."
    )
    sales_quiet_start_hour: int = Field(
        default=20, ge=0, le=23, description="Hour (lead's local time) from which no e-mail is sent."
    )
    sales_quiet_end_hour: int = Field(
        default=8, ge=0, le=23, description="Hour (lead's local time) at which sending resumes."
    )
    sales_meeting_minutes: int = Field(default=30, ge=15, le=240, description="Length of a booked meeting.")

    @field_validator("sales_followup_days", mode="before")
    @classmethod
    def _days(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(part) for part in value.split(",") if part.strip()]
        return value

    # --- channels (cadre.channels)
    widget_secret: SecretStr | None = Field(
        default=None,
        description="Secret a web page signs its signed-in visitor's e-mail with (HMAC-SHA256 of the lower-cased "
        "e-mail, hex) in the widget's `data-user-hash`, so the visitor keeps one conversation across channels.",
    )
    support_mail_from: str | None = Field(
        default=None,
        description="From address of replies to customers' e-mail when their message does not say which mailbox "
        "they wrote to (a human's reply from the inbox); default: `CADRE_MAIL_FROM`.",
    )
    slack_bot_token: SecretStr | None = Field(
        default=None, description="Slack bot token (`xoxb-…`) the Slack channel posts with."
    )
    slack_signing_secret: SecretStr | None = Field(
        default=None, description="Slack app signing secret; `/slack/events` refuses requests not signed with it."
    )
    slack_api_url: str | None = Field(
        default=None, description="Slack Web API base URL; default `https://slack.com/api/` (tests point it at a fake)."
    )
    slack_agent: str = Field(default="seller_assistant", description="Agent that answers Slack mentions and DMs.")

    # --- the server and the console
    secret_key: SecretStr | None = Field(
        default=None,
        description="Signs console sessions; default: a random key generated once into `CADRE_HOME/secret_key`.",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["*"],
        description="Origins whose pages may call the API with a key (the web widget), comma-separated; `*`: any.",
    )
    secure_cookies: bool = Field(
        default=False, description="Send the console's session cookie over HTTPS only (set behind TLS)."
    )

    # --- the dashboard's figures (cadre.observability)
    observability_path: Path | None = Field(
        default=None,
        description="Costs and score weights of the dashboard (YAML); default: `CADRE_HOME/observability.yaml`.",
    )

    # --- traces (cadre.observability.tracing)
    otlp_endpoint: str | None = Field(
        default=None,
        description="OTLP/HTTP collector that every turn's trace is also sent to (e.g. `http://localhost:4318`; "
        "`/v1/traces` is added unless the URL ends with it); unset: traces are only stored for the console.",
    )

    # --- alerts, incidents and their notifications (cadre.observability.alerts, .incidents, .notify)
    alerts_path: Path | None = Field(
        default=None,
        description="Alert rules (YAML); default: `CADRE_HOME/alerts.yaml` when it exists, else the shipped rules.",
    )
    alert_interval_s: float = Field(
        default=60.0, gt=0, description="Seconds between two evaluations of the alert rules by the background worker."
    )
    alert_webhook_url: str | None = Field(
        default=None, description="URL each new incident is POSTed to as JSON, for rules that notify `webhook`."
    )
    alert_webhook_timeout_s: float = Field(
        default=5.0, gt=0, description="Seconds the alert webhook may take to answer before the attempt fails."
    )
    alert_email_to: str | None = Field(
        default=None,
        description="Comma-separated addresses each new incident is e-mailed to (through `CADRE_SMTP_HOST`), "
        "for rules that notify `email`.",
    )

    # --- limits: one caller can't take the server from everyone else
    rate_limit_key_per_minute: int = Field(
        default=600, ge=1, description="Requests one API key may make a minute (bursts up to as many); 429 past it."
    )
    rate_limit_conversation_per_minute: int = Field(
        default=30, ge=1, description="Messages one conversation may receive a minute over the API; 429 past it."
    )
    max_request_bytes: int = Field(
        default=1_000_000, ge=1024, description="Largest request body the server reads (raw e-mail: 5 MB); 413 past it."
    )

    # --- observability: live turns measured like suite cases
    live_score_share: float = Field(
        default=0.2,
        ge=0,
        le=1,
        description="Share of answered live turns scored for groundedness and relevancy in the background; 0: none.",
    )

    # --- background jobs (cadre.jobs)
    workers: Literal["inline", "external"] = Field(
        default="inline",
        description="Who runs background jobs: `inline` (inside `cadre serve`, the embedded default) or `external` "
        "(`cadre worker` processes sharing the queue in PostgreSQL).",
    )
    job_modules: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Python modules that register extra background jobs, comma-separated (each uses `cadre.jobs.job`).",
    )
    job_stalled_after_s: float = Field(
        default=60.0,
        ge=1,
        description="Seconds without a heartbeat after which a worker counts as dead and its running jobs are retried.",
    )

    @field_validator("job_modules", mode="before")
    @classmethod
    def _job_modules(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

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
