"""Wire models of `POST /v1/score` and its single-objective variants."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from crpo_core.objective import OBJECTIVE_ORDER, Objective
from schemas.answers import GoldAnswer
from schemas.details import ItemDetails
from schemas.monitors import ItemMonitors, RequestMonitors
from schemas.version import SPEC_VERSION

Profile = Literal["auto", "crpo", "r1"]
AccuracyMode = Literal["crpo", "clinical_r1"]
#: strict: only `\\boxed{}` answers count (what CRPO training rewards); lenient: for evaluating outputs in other
#: formats, the box first, then JSON answer fields, answer statements, a final option line, an option's text
AnswerExtraction = Literal["strict", "lenient"]
AdvantageMode = Literal["sum", "decoupled"]
ItemStatus = Literal["scored", "unscorable", "partial"]
#: The objectives in their summation order (defined once, in `crpo_core.objective`).
OBJECTIVES: tuple[Objective, ...] = OBJECTIVE_ORDER

FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
#: Option texts by letter. The letter rule (one of A-Z, either case, surrounding spaces allowed) is checked
#: by `ScoreItem`'s validator, which names the offending key; the schema states it as `propertyNames`.
OptionTexts = Annotated[
    dict[str, Annotated[str, Field(max_length=20_000)]],
    Field(json_schema_extra={"propertyNames": {"pattern": r"^\s*[A-Za-z]\s*$"}}),
]


class Weights(BaseModel):
    """Weights of the CRPO total: `total = Σ w_k · objective_k` over the objectives computed."""

    model_config = ConfigDict(extra="forbid")

    accuracy: FiniteFloat = 10.0
    faithfulness: FiniteFloat = 1.0
    comprehensiveness: FiniteFloat = 1.0
    format: FiniteFloat = 0.0


class WeightsOverride(BaseModel):
    """Per-request weights; any weight left out keeps the service default."""

    model_config = ConfigDict(extra="forbid")

    accuracy: FiniteFloat | None = None
    faithfulness: FiniteFloat | None = None
    comprehensiveness: FiniteFloat | None = None
    format: FiniteFloat | None = None

    def apply_to(self, base: Weights) -> Weights:
        return base.model_copy(update=self.model_dump(exclude_none=True))


class ScoreItem(BaseModel):
    """One generated response to score, with the question it answers and the gold answer."""

    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(max_length=512)] | None = None
    response: str
    question: Annotated[str, Field(max_length=200_000)] = ""
    options: OptionTexts | None = Field(
        default=None, max_length=26, description="Option texts by letter; letters are case-insensitive and unique."
    )
    answer: GoldAnswer | None = None
    group_id: Annotated[str, Field(max_length=512)] | None = None
    profile: Profile | None = Field(default=None, description="Overrides the request's profile for this item.")
    data_source: Annotated[str, Field(max_length=256)] | None = None
    prediction: Annotated[str, Field(max_length=2_000)] | None = Field(
        default=None,
        description="An answer already extracted from the response (a letter, an option label or an option's text, "
        "e.g. a source's own extraction); accuracy and answer consistency use it instead of extracting one.",
    )

    @field_validator("options")
    @classmethod
    def _option_letters(cls, options: dict[str, str] | None) -> dict[str, str] | None:
        if options is None:
            return None
        normalised: dict[str, str] = {}
        for key, text in options.items():
            letter = key.strip().upper()
            if len(letter) != 1 or not ("A" <= letter <= "Z"):
                raise ValueError(f"option key {key!r} is not a single letter A-Z")
            if letter in normalised:
                raise ValueError(f"option letter {letter!r} appears twice")
            normalised[letter] = text
        return dict(sorted(normalised.items()))


class ScoreRequest(BaseModel):
    """A batch of items; settings apply to every item (an item's own `profile` wins)."""

    model_config = ConfigDict(extra="forbid")

    items: list[ScoreItem]
    weights: WeightsOverride | None = None
    profile: Profile = "auto"
    accuracy_mode: AccuracyMode = "crpo"
    answer_extraction: AnswerExtraction = Field(
        default="strict",
        description="strict: only \\boxed{} answers count (CRPO training); lenient: also JSON answer fields, "
        "'Answer: C' / 'The answer is (C)' statements, a final option line and an option's text in the final "
        "sentence (evaluation of other formats). Ignored by accuracy_mode clinical_r1 (the published rule).",
    )
    details: bool = False
    advantages: AdvantageMode | None = Field(
        default=None,
        description="When set, items with a `group_id` also get a CRPO group-relative `advantage`.",
    )


class ScoreResult(BaseModel):
    """Scores of one item. An objective the service did not compute is `null`, never 0."""

    id: str | None = None
    status: ItemStatus = Field(
        default="scored",
        description="`scored`; `unscorable` (the numbers are not a reward: skip the sample); `partial` (a "
        "requested objective could not be computed)",
    )
    status_reason: str | None = Field(
        default=None,
        description="machine-readable: `gold_missing`, `no_options` (unscorable); `<objective>_not_computed` "
        "(partial); `empty_response` (scored at the bottom of the range)",
    )
    accuracy: float | None = None
    faithfulness: float | None = None
    comprehensiveness: float | None = None
    format: float | None = None
    total: float
    advantage: float | None = None
    details: ItemDetails | None = None
    monitors: ItemMonitors | None = Field(default=None, description="reward-hacking signals of this response")


class ScoreResponse(BaseModel):
    results: list[ScoreResult]
    weights: Weights
    spec_version: str = SPEC_VERSION
    config_hash: str = Field(
        default="",
        description="hash of the effective configuration (spec and lexicon versions, objectives, weights, "
        "accuracy mode, profile); also the `X-CRPO-Config-Hash` header",
    )
    accuracy_mode: AccuracyMode = "crpo"
    advantage_diagnostics: dict[str, Any] | None = None
    monitors: RequestMonitors | None = Field(default=None, description="reward-hacking signals of the request")
