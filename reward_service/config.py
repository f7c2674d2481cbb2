"""Service settings, read from the environment with the prefix `CRPO_` (e.g. `CRPO_PORT=8000`).

Default weights: `CRPO_WEIGHTS='{"accuracy": 10, "faithfulness": 1}'` or one at a time with
`CRPO_WEIGHTS__FORMAT=0.5`.
"""

from __future__ import annotations

import os

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

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
    weights: Weights = Field(default_factory=Weights)
    log_level: str = "info"

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
