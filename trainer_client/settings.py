"""Settings of a trainer's connection to the reward service: the `crpo` section of the trainer config.

One model serves the verl reward function, the reward manager, the trainer hook and `crpo-train`, so a
setting has one name and one default everywhere. The API key is never part of a config (configs are
printed and logged): it is read from the environment variable named by `api_key_env`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from schemas import OBJECTIVES, AccuracyMode, Profile
from trainer_client.client import AsyncRewardClient, RetryPolicy

FailurePolicy = Literal["raise", "drop"]


def plain(value: Any) -> Any:
    """Mappings and sequences as plain dicts and lists (OmegaConf nodes included), recursively."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [plain(v) for v in value]
    return value


class RewardSettings(BaseModel):
    """How to reach the reward service, how to batch and retry, and what to do when it fails."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reward_urls: Annotated[list[str], Field(min_length=1)]
    api_key_env: str = Field("CRPO_API_KEY", description="Environment variable holding the service's API key.")
    weights: dict[str, float] | None = Field(
        None, description="Objective weights sent with every request; None keeps the service defaults."
    )
    profile: Profile = "auto"
    accuracy_mode: AccuracyMode = "crpo"
    batch_size: int = Field(256, ge=1, description="Most items coalesced into one POST /v1/score.")
    batch_window_ms: float = Field(20.0, ge=0, description="How long the first item of a batch waits for others.")
    max_concurrency: int = Field(4, ge=1, description="Batches in flight at once per worker.")
    timeout_s: float = Field(120.0, gt=0)
    max_attempts: int = Field(6, ge=1, description="Tries per request (spread over the URLs) before failing.")
    backoff_s: float = Field(0.5, ge=0)
    max_backoff_s: float = Field(20.0, ge=0)
    on_reward_failure: FailurePolicy = Field(
        "raise",
        description="raise: a step with rollouts that got no reward stops training; drop: train on without them.",
    )

    @field_validator("reward_urls", mode="before")
    @classmethod
    def _split_urls(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [part for part in value.split(",") if part.strip()]
        return value

    @field_validator("reward_urls")
    @classmethod
    def _check_urls(cls, urls: list[str]) -> list[str]:
        cleaned = []
        for index, url in enumerate(urls):
            url = url.strip().rstrip("/")
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"reward_urls[{index}] {url!r} is not an http(s) URL")
            cleaned.append(url)
        return cleaned

    @field_validator("weights")
    @classmethod
    def _check_weights(cls, weights: dict[str, float] | None) -> dict[str, float] | None:
        if weights is not None:
            unknown = sorted(set(weights) - set(OBJECTIVES))
            if unknown:
                raise ValueError(f"unknown objective(s) {unknown} in weights; expected some of {list(OBJECTIVES)}")
        return weights

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> RewardSettings:
        """From a config section (a dict or an OmegaConf node)."""
        if values is None:
            raise ValueError("the reward settings (the config's `crpo` section) are missing; set crpo.reward_urls")
        return cls.model_validate(plain(values))

    @property
    def api_key(self) -> str | None:
        return os.environ.get(self.api_key_env) or None

    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(max_attempts=self.max_attempts, backoff=self.backoff_s, max_backoff=self.max_backoff_s)

    def async_client(self) -> AsyncRewardClient:
        return AsyncRewardClient(
            self.reward_urls,
            api_key=self.api_key,
            timeout=self.timeout_s,
            chunk_size=self.batch_size,
            max_concurrency=self.max_concurrency,
            retry=self.retry_policy(),
        )

    def score_options(self) -> dict[str, Any]:
        """Keyword arguments of `AsyncRewardClient.score` that every request carries."""
        return {"weights": self.weights, "profile": self.profile, "accuracy_mode": self.accuracy_mode}
