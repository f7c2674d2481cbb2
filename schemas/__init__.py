"""The v1 wire contract of the CRPO reward service (pydantic v2 models only; nothing heavy)."""

from schemas.advantages import AdvantageOut, AdvantageRequest, AdvantageResponse, RawGroupItem, ScoredItem
from schemas.answers import FreeTextAnswer, GoldAnswer, NumericAnswer
from schemas.info import ErrorItem, ErrorResponse, InfoResponse, Limits
from schemas.monitors import ItemMonitors, RequestMonitors
from schemas.score import (
    OBJECTIVES,
    AccuracyMode,
    AdvantageMode,
    ItemStatus,
    Objective,
    Profile,
    ScoreItem,
    ScoreRequest,
    ScoreResponse,
    ScoreResult,
    Weights,
    WeightsOverride,
)
from schemas.version import API_VERSION, SPEC_VERSION

__all__ = [
    "API_VERSION",
    "OBJECTIVES",
    "SPEC_VERSION",
    "AccuracyMode",
    "AdvantageMode",
    "AdvantageOut",
    "AdvantageRequest",
    "AdvantageResponse",
    "ErrorItem",
    "ErrorResponse",
    "FreeTextAnswer",
    "GoldAnswer",
    "InfoResponse",
    "ItemMonitors",
    "ItemStatus",
    "Limits",
    "NumericAnswer",
    "Objective",
    "Profile",
    "RawGroupItem",
    "RequestMonitors",
    "ScoreItem",
    "ScoreRequest",
    "ScoreResponse",
    "ScoreResult",
    "ScoredItem",
    "Weights",
    "WeightsOverride",
]
