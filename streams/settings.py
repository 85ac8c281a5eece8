"""All settings of the service, in one place. Nothing else reads the environment.

Every field can be set with an environment variable ``TOLLS_<FIELD>`` (for example
``TOLLS_BROKER=kafka://kafka:9092``); command-line flags override the environment.
The README lists them (``tolls settings`` prints them with their current values).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TOLLS_", frozen=True, extra="ignore")

    data_dir: Path = Field(
        default=Path("data"),
        description="Folder for the DuckDB file (tolls.duckdb), its snapshot, the worker's "
        "state and the embedded broker's address.",
    )
    broker: str | None = Field(
        default=None,
        description="Kafka bootstrap URL (kafka://host:port). Unset: start or re-attach to "
        "the embedded broker recorded in the data dir.",
    )
    role: Literal["all", "worker", "sink"] = Field(
        default="all",
        description="What this process runs. all: everything on one machine. worker: "
        "extraction only (articles -> claims; no database: run several on one Kafka). "
        "sink: event resolution, the DuckDB tables and the endpoint (one per set of topics).",
    )
    app_id: str = Field(
        default="tolls",
        description="Consumer group of the worker (--role all or sink); workers (--role "
        "worker) share the group APP_ID-workers.",
    )
    articles_topic: str = Field(
        default="articles", description="Input topic: one JSON article per message, key = id."
    )
    rejected_topic: str = Field(
        default="articles.rejected",
        description="Dead-letter topic: input that is not a valid article, with the reason.",
    )
    claims_topic: str = Field(
        default="claims",
        description="Internal topic: an article's mentions for one place, key = the place's "
        "group (and, from workers, the article rows the sink writes).",
    )
    partitions: int = Field(
        default=4, ge=1, description="Partitions of the topics the worker creates."
    )
    max_text_bytes: int = Field(
        default=1_000_000,
        ge=1_000,
        description="Longest article text accepted (UTF-8 bytes); longer ones are rejected.",
    )
    max_message_bytes: int = Field(
        default=2_000_000,
        ge=1_000,
        description="Largest message accepted on the articles topic; larger ones are rejected.",
    )
    horizon_days: int = Field(
        default=14,
        ge=0,
        description="How late a report may be and still be resolved against the events held "
        "in memory. Events whose last day is more than 4 weeks + this before the newest "
        "publication day are closed: their rows stay in DuckDB, and a later report about "
        "them reads the place's history back from it.",
    )
    batch_max: int = Field(
        default=200, ge=1, description="Most messages the worker handles in one micro-batch."
    )
    batch_seconds: float = Field(
        default=0.25,
        gt=0,
        le=5,
        description="Longest wait before a partial micro-batch is processed and written.",
    )
    fetch_wait_ms: int = Field(
        default=100,
        ge=1,
        le=5_000,
        description="Longest a consumer fetch may wait on the broker for new data "
        "(lower: less latency on brokers that hold fetches, like the embedded one).",
    )
    extract_processes: int = Field(
        default=1,
        ge=0,
        le=32,
        description="Processes that extract claims beside the worker, on other cores "
        "(0: extract inside the worker process).",
    )
    snapshot_seconds: float = Field(
        default=5.0,
        ge=0,
        description="How often the read-only snapshot file is refreshed while data changes "
        "(0: only at shutdown).",
    )
    http_host: str = Field(
        default="127.0.0.1",
        description="Address the read-only SQL endpoint and the page listen on (loopback by "
        "default; any other address needs TOLLS_HTTP_TOKEN).",
    )
    http_port: int = Field(
        default=0,
        ge=0,
        le=65535,
        description="Port of the read-only SQL endpoint; 0 picks a free one (recorded in the "
        "data dir for `tolls query`).",
    )
    http_token: str | None = Field(
        default=None,
        description="Bearer token the endpoint requires (Authorization: Bearer ...) for /query "
        "and /health. Required when TOLLS_HTTP_HOST is not a loopback address.",
    )
    query_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        description="Longest a query on the endpoint may run before it is stopped.",
    )
    query_max_rows: int = Field(
        default=10_000,
        ge=1,
        description="Most rows the endpoint returns for one query (the answer says when "
        "there were more).",
    )
    query_wait_seconds: float = Field(
        default=30.0,
        ge=0,
        description="How long `tolls query` waits for a worker that is starting (it answers "
        "once it has taken up the stream) before giving up.",
    )
    broker_retry_seconds: float = Field(
        default=60.0,
        ge=0,
        description="How long the worker retries an unreachable broker before giving up.",
    )
    log_level: Literal["debug", "info", "warning", "error"] = Field(
        default="info", description="Log level of the service (library logs stay at warning)."
    )
    log_format: Literal["auto", "console", "json"] = Field(
        default="auto",
        description="Log rendering: console on a terminal, JSON otherwise (auto).",
    )

    @property
    def db_path(self) -> Path:
        return self.data_dir / "tolls.duckdb"

    @property
    def snapshot_path(self) -> Path:
        return self.data_dir / "tolls.snapshot.duckdb"

    @property
    def endpoint_file(self) -> Path:
        return self.data_dir / "endpoint.json"
