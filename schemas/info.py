"""Wire models of the operational endpoints (`/v1/info`, errors)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from schemas.score import Weights


class Limits(BaseModel):
    max_items: int
    max_response_chars: int
    max_body_bytes: int
    max_inflight_items: int | None = Field(default=None, description="Items in flight per process (503 beyond)")
    request_timeout_s: float | None = Field(default=None, description="Time to answer a request (504 beyond)")


class InfoResponse(BaseModel):
    service: str = "crpo-reward"
    version: str
    api_version: str
    spec_version: str
    objectives: list[str]
    default_weights: Weights
    profiles: list[str]
    accuracy_modes: list[str]
    limits: Limits
    lexicon: dict[str, Any] | None = None


class ErrorItem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ErrorResponse(BaseModel):
    """Every 4xx/5xx body: `message` is one readable line; `detail` locates each problem."""

    message: str
    detail: list[ErrorItem] = []
