"""The `faithfulness` objective ∈ [0, 1] (docs/scoring.md): is what the response says about this case true?

    grounding precision  GP = S / (S + 2·C + U)           (0 when there are no claims at all)
    evidence citation    EC = min(K, T) / T,  T = min(CITATION_TARGET, #key facts)
                         (K = distinct key facts supported; with no key facts EC = 1 if S > 0 else 0)
    faithfulness         F  = min(cap, (W_GP·GP² + W_EC·EC) · repetition factor · layout factor)

GP is squared so that one fabricated fact among many restated ones still costs visibly (with 14
supported claims and one contradicted, GP = 0.875 and GP² = 0.77). S, C, U count distinct supported, contradicted and unsupported claims (see `analysis.py`).
Answer consistency sets `cap`: CONTRADICTION_CAP when the boxed option is one the reasoning rejected
(its last verdict), ARGUED_ELSEWHERE_CAP when the reasoning accepted other options but not the boxed one,
no cap otherwise. The repetition factor is `1 − max(0, redundancy − REDUNDANCY_ALLOWANCE)` where
redundancy is the share of characters in repeated sentences; the layout factor is 1 for a well-formed
reasoning-then-conclusion layout, else 0.9 (see `shared.LAYOUT_FACTOR`).
"""

from __future__ import annotations

from dataclasses import dataclass

from reward_service.scoring.context import ItemContext
from reward_service.scoring.evidence.analysis import ResponseAnalysis
from reward_service.scoring.objectives.registry import Outcome, objective
from reward_service.scoring.objectives.shared import analysis_of, layout_factor, repetition_factor
from schemas.details import Claim, Consistency, FaithfulnessDetails

W_GP = 0.6
W_EC = 0.4
CITATION_TARGET = 4
CONTRADICTION_CAP = 0.2
ARGUED_ELSEWHERE_CAP = 0.5


def consistency(analysis: ResponseAnalysis, boxed: str | None) -> Consistency:
    accepted = [o.letter for o in analysis.options if o.last_verdict == "accepted"]
    rejected = [o.letter for o in analysis.options if o.last_verdict == "rejected"]
    cap: float | None = None
    if boxed is not None and boxed in rejected:
        cap = CONTRADICTION_CAP
    elif boxed is not None and accepted and boxed not in accepted:
        cap = ARGUED_ELSEWHERE_CAP
    return Consistency(boxed=boxed, argued_for=accepted, rejected=rejected, consistent=cap is None, cap=cap)


@dataclass(frozen=True, slots=True)
class FaithfulnessParts:
    value: float
    gp: float  # grounding precision
    ec: float  # evidence citation
    supported: int
    contradicted: int
    unsupported: int
    cited: list[str]
    target: int
    consistency: Consistency


def faithfulness_parts(analysis: ResponseAnalysis, boxed: str | None, layout: float = 1.0) -> FaithfulnessParts:
    counts = {"supported": 0, "contradicted": 0, "unsupported": 0}
    for claim in analysis.claims:
        counts[claim.status] += 1
    s, c, u = counts["supported"], counts["contradicted"], counts["unsupported"]
    gp = s / (s + 2 * c + u) if (s + c + u) else 0.0
    cited = analysis.cited_key_facts
    target = min(CITATION_TARGET, analysis.key_fact_count)
    ec = min(len(cited), target) / target if target else (1.0 if s else 0.0)
    check = consistency(analysis, boxed)
    value = (W_GP * gp**2 + W_EC * ec) * repetition_factor(analysis) * layout
    if check.cap is not None:
        value = min(value, float(check.cap))
    return FaithfulnessParts(round(min(1.0, max(0.0, value)), 6), gp, ec, s, c, u, cited, target, check)


@objective("faithfulness")
def faithfulness_objective(ctx: ItemContext) -> Outcome:
    analysis = analysis_of(ctx)
    boxed = ctx.accuracy.predicted if ctx.accuracy is not None and isinstance(ctx.accuracy.predicted, str) else None
    parts = faithfulness_parts(
        analysis, boxed if ctx.item.options and boxed in ctx.item.options else None, layout_factor(ctx)
    )
    details = None
    if ctx.want_details:
        details = FaithfulnessDetails(
            value=parts.value,
            describes_patient=analysis.describes_patient,
            claims=[
                Claim(
                    text=c.text,
                    kind=c.kind,
                    key=c.key,
                    status=c.status,
                    polarity=c.polarity,
                    sentence=analysis.sentence_text(c.sentence),
                    fact=c.fact_text,
                    reason=c.reason,
                    key_fact=c.key_fact,
                )
                for c in analysis.claims
            ],
            supported=parts.supported,
            contradicted=parts.contradicted,
            unsupported=parts.unsupported,
            grounding_precision=parts.gp,
            evidence_citation=parts.ec,
            cited_key_facts=parts.cited,
            citation_target=parts.target,
            consistency=parts.consistency,
            discounted=[*analysis.discounted_spans(), *(f"claim: {c}" for c in analysis.discounted)],
        )
    return Outcome(parts.value, details)
