"""The explanation of every score (`"details": true`): what was found, and why it counted or not."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

ClaimStatus = Literal["supported", "contradicted", "unsupported"]


class AccuracyDetails(BaseModel):
    mode: Literal["crpo", "clinical_r1"]
    answer_type: Literal["mcq", "text", "numeric"] | None = None
    gold: str | None = None
    reason: str | None = Field(
        default=None,
        description="correct | wrong | unresolved | no_box | conflicting_boxes (mode crpo); lenient extraction "
        "also: ambiguous | no_answer",
    )
    predicted: str | float | None = None
    extraction_rule: str | None = Field(
        default=None,
        description="the rule that found the answer: boxed | json | final_line | answer_statement | option_text | given",
    )
    boxed: list[str | None] = Field(default_factory=list, description="raw content of every \\boxed{}")
    resolved: list[str | float | None] = Field(default_factory=list, description="what each box resolved to")
    # clinical_r1 mode: the published rule's other terms
    format: float | None = None
    english: float | None = None
    training_reward: float | None = None
    validation_reward: float | None = None


class FormatDetails(BaseModel):
    profile: Literal["crpo", "r1"] | None
    checks: dict[str, float] = Field(description="credit of each check: structure, clean, box, summary")
    reasoning_chars: int
    conclusion_chars: int
    boxes: int


class Claim(BaseModel):
    """A statement about this patient/case found in the response, judged against the case facts."""

    text: str = Field(description="the words of the response that make the claim")
    kind: Literal["measurement", "finding", "demographic", "medication", "premise"]
    key: str = Field(description="normalised concept or analyte key")
    status: ClaimStatus
    polarity: str | None = Field(default=None, description="affirmed | negated | hypothetical | …")
    sentence: str = Field(description="the sentence the claim is in")
    fact: str | None = Field(default=None, description="the case fact it matched (supported / contradicted)")
    reason: str | None = Field(default=None, description="why it is contradicted or unsupported")
    key_fact: bool = Field(default=False, description="the matched fact is a key fact of the case")


class Consistency(BaseModel):
    boxed: str | None = Field(description="the option the conclusion boxes")
    argued_for: list[str] = Field(description="options the reasoning accepts")
    rejected: list[str] = Field(description="options the reasoning explicitly rejects")
    consistent: bool
    cap: float | None = Field(default=None, description="cap applied to faithfulness when inconsistent")


class FaithfulnessDetails(BaseModel):
    value: float
    describes_patient: bool
    claims: list[Claim]
    supported: int
    contradicted: int
    unsupported: int
    grounding_precision: float
    evidence_citation: float
    cited_key_facts: list[str] = Field(description="distinct key facts supported by the response")
    citation_target: int = Field(description="key facts needed for full citation credit")
    consistency: Consistency
    discounted: list[str] = Field(default_factory=list, description="copied or repeated spans that earned nothing")


OptionStatus = Literal["specific", "vacuous", "mentioned", "absent"]


class OptionCoverage(BaseModel):
    letter: str
    status: OptionStatus = Field(
        description="specific: a verdict or reason with content (a case fact, medical concept, distinctive word "
        "or quantity beyond the options' own words); vacuous: a verdict with a content-free or reused reason; "
        "mentioned: referenced without a stance; absent: not referenced"
    )
    weighed: bool = Field(description="status == specific (what DRC counts)")
    verdict: Literal["accepted", "rejected", "considered"] | None = None
    sentence: str | None = Field(default=None, description="the sentence or bullet that decided the status")
    reasons: list[str] = Field(default_factory=list, description="the words that made the reason specific")
    note: str | None = Field(default=None, description="why a stance did not count (vacuous)")


class ComprehensivenessDetails(BaseModel):
    value: float
    drc: float = Field(description="distractor rejection coverage: fraction of options weighed")
    options: list[OptionCoverage]
    key_fact_recall: float
    cited_key_facts: list[str]
    key_facts_total: int
    behaviours: dict[str, list[str]] = Field(
        description="behaviour -> the snippets that showed it: differential, verification, backward_chaining, "
        "backtracking"
    )
    behaviour_score: float
    components: dict[str, float] = Field(description="each part's value and weight in the combination")
    discounted: list[str] = Field(default_factory=list, description="copied or repeated spans that earned nothing")


class ItemDetails(BaseModel):
    accuracy: AccuracyDetails | None = None
    format: FormatDetails | None = None
    faithfulness: FaithfulnessDetails | None = None
    comprehensiveness: ComprehensivenessDetails | None = None
