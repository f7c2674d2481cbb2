"""Wire models of `POST /v1/advantages`."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from schemas.score import AccuracyMode, AdvantageMode, FiniteFloat, Profile, ScoreItem, Weights, WeightsOverride
from schemas.version import SPEC_VERSION


class ScoredItem(BaseModel):
    """Already-scored components of one response (e.g. from an earlier `/v1/score`)."""

    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(max_length=512)] | None = None
    group_id: Annotated[str, Field(min_length=1, max_length=512)]
    accuracy: FiniteFloat | None = None
    faithfulness: FiniteFloat | None = None
    comprehensiveness: FiniteFloat | None = None
    format: FiniteFloat | None = None


class RawGroupItem(ScoreItem):
    """A raw scoring item (scored first); `group_id` is required here."""

    group_id: Annotated[str, Field(min_length=1, max_length=512)]


class AdvantageRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: AdvantageMode = "sum"
    weights: WeightsOverride | None = None
    scale_by_std: bool = Field(default=True, description="false: Dr.GRPO (no division by the group std) in sum mode")
    items: list[ScoredItem | RawGroupItem]
    profile: Profile = "auto"
    accuracy_mode: AccuracyMode = "crpo"


class AdvantageOut(BaseModel):
    id: str | None
    group_id: str
    advantage: float
    total: float


class AdvantageResponse(BaseModel):
    advantages: list[AdvantageOut]
    diagnostics: dict[str, Any]
    mode: AdvantageMode
    weights: Weights
    spec_version: str = SPEC_VERSION
