"""Service settings, read from the environment with the prefix `CRPO_` (e.g. `CRPO_PORT=8000`).

Default weights: `CRPO_WEIGHTS='{"accuracy": 10, "faithfulness": 1}'` or one at a time with
`CRPO_WEIGHTS__FORMAT=0.5`.
"""

from __future__ import annotations

import json
import os
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from schemas import Weights


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CRPO_", env_nested_delimiter="__", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    workers: int = Field(default=0, ge=0, le=256, description="Worker processes; 0 = one per core, at most 8.")
    api_key: SecretStr | None = None
    max_items: int = Field(default=4096, ge=1, description="Items per request (413 beyond).")
    max_response_chars: int = Field(default=200_000, ge=1, description="Characters per response (413 beyond).")
    max_body_bytes: int = Field(default=128 * 1024 * 1024, ge=1024, description="Request body size (413 beyond).")
    max_inflight_items: int = Field(
        default=8192,
        ge=1,
        description="Items being parsed or scored at once per process; beyond, 503 with Retry-After. A request "
        "larger than this is admitted only when the process is idle.",
    )
    max_inflight_requests: int = Field(
        default=64, ge=1, description="Requests being read, queued or scored at once per process (503 beyond)."
    )
    request_timeout_s: float = Field(
        default=60.0,
        gt=0,
        description="Time to read a body (408 beyond), and then to answer it (504 beyond; the work stops too).",
    )
    retry_after_s: int = Field(default=1, ge=1, description="Retry-After (seconds) sent with 503 when overloaded.")
    scoring_threads: int = Field(default=2, ge=1, le=64, description="Threads per process that parse and score.")
    shutdown_timeout_s: float | None = Field(
        default=None,
        gt=0,
        description="On SIGTERM, time to finish in-flight requests (default: request timeout + 10 s).",
    )
    log_payloads: bool = Field(
        default=False, description="Log request bodies (response and question text may hold patient data)."
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Origins allowed by CORS (comma-separated or JSON list); none by default."
    )
    weights: Weights = Field(default_factory=Weights)
    log_level: str = "info"
    preload_nlp: bool = Field(
        default=True, description="Load the clinical NLP layer at start-up (/readyz waits for it)."
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [origin.strip() for origin in text.split(",") if origin.strip()]
        return value

    @property
    def graceful_shutdown_s(self) -> float:
        """How long SIGTERM waits for in-flight requests: longer than a request may take, unless set."""
        return self.shutdown_timeout_s or self.request_timeout_s + 10.0

    @property
    def worker_count(self) -> int:
        """Resolved number of worker processes (`workers=0` means one per available core, capped at 8)."""
        if self.workers:
            return self.workers
        try:
            cores = len(os.sched_getaffinity(0))
        except AttributeError:  # not on Linux
            cores = os.cpu_count() or 1
        return max(1, min(cores, 8))
