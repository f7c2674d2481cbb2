"""The `comprehensiveness` objective ∈ [0, 1] (docs/scoring.md): did the reasoning cover the case and weigh
every option?

    DRC        = options weighed / options                       (see `options.py`)
    recall     = min(K, T) / T,  T = min(RECALL_CAP, #key facts)  (K: distinct key facts cited, as in faithfulness)
    behaviours = min(1, behaviours found / BEHAVIOURS_FOR_FULL)   (see `behaviours.py`)
    comprehensiveness = (W_DRC·DRC + W_RECALL·recall + W_BEHAVIOUR·behaviours) · repetition factor · layout factor

Weights 0.5 / 0.3 / 0.2 (DRC weighs most). Without options (free-text questions) DRC is left out and
the other weights are rescaled to sum to 1; likewise recall when the case has no key facts.
"""

from __future__ import annotations

from dataclasses import dataclass

from reward_service.nlp.common_words import FUNCTION_WORDS
from reward_service.scoring.context import ItemContext
from reward_service.scoring.evidence.analysis import ResponseAnalysis
from reward_service.scoring.evidence.behaviours import find_behaviours
from reward_service.scoring.evidence.claim_scope import is_keyword_list
from reward_service.scoring.objectives.registry import Outcome, objective
from reward_service.scoring.objectives.shared import analysis_of, layout_factor, repetition_factor
from schemas.details import ComprehensivenessDetails, OptionCoverage

W_DRC = 0.5
W_RECALL = 0.3
W_BEHAVIOUR = 0.2
RECALL_CAP = 6
BEHAVIOURS_FOR_FULL = 3


def _behaviour_content(analysis: ResponseAnalysis):
    """A behaviour cue counts in a sentence with an anchor that is not a list of terms: neither a bare list
    (`is_keyword_list`) nor terms woven into filler (`term_series.is_woven_list`: "Considering fever, cough
    and tachycardia, the picture fits the chosen answer" names them and relates none of them)."""
    reasons = analysis.reasons
    if reasons is None:
        return None

    def has_content(start: int, end: int) -> bool:
        sentence = analysis.text[start:end]
        return (
            reasons.has_content(start, end)
            and not is_keyword_list(sentence, FUNCTION_WORDS)
            and not analysis.is_woven_list(start, end)
        )

    return has_content


@dataclass(frozen=True, slots=True)
class ComprehensivenessParts:
    value: float
    drc: float | None  # distractor rejection coverage (None without options)
    recall: float | None  # key-fact recall (None without key facts)
    cited: list[str]
    behaviours: dict[str, list[str]]
    behaviour_score: float
    components: dict[str, float]


def comprehensiveness_parts(analysis: ResponseAnalysis, layout: float = 1.0) -> ComprehensivenessParts:
    options = analysis.options
    drc = sum(o.weighed for o in options) / len(options) if options else None
    cited = analysis.cited_key_facts
    target = min(RECALL_CAP, analysis.key_fact_count)
    recall = min(len(cited), target) / target if target else None
    behaviours = find_behaviours(
        analysis.text,
        analysis.sentences,
        sum(o.weighed for o in options),
        analysis.discounts.covers,
        analysis.lowered,
        _behaviour_content(analysis),
    )
    behaviour_score = min(1.0, sum(1 for v in behaviours.values() if v) / BEHAVIOURS_FOR_FULL)
    parts = {"drc": (drc, W_DRC), "key_fact_recall": (recall, W_RECALL), "behaviours": (behaviour_score, W_BEHAVIOUR)}
    present = {k: (v, w) for k, (v, w) in parts.items() if v is not None}
    total_weight = sum(w for _, w in present.values())
    combined = sum(v * w for v, w in present.values()) / total_weight
    value = round(min(1.0, max(0.0, combined * repetition_factor(analysis) * layout)), 6)
    components: dict[str, float] = {}
    for name, (v, w) in present.items():
        components[name] = float(v)
        components[f"{name}_weight"] = w / total_weight
    return ComprehensivenessParts(value, drc, recall, cited, behaviours, behaviour_score, components)


@objective("comprehensiveness")
def comprehensiveness_objective(ctx: ItemContext) -> Outcome:
    analysis = analysis_of(ctx)
    parts = comprehensiveness_parts(analysis, layout_factor(ctx))
    details = None
    if ctx.want_details:
        details = ComprehensivenessDetails(
            value=parts.value,
            drc=parts.drc if parts.drc is not None else 0.0,
            options=[
                OptionCoverage(
                    letter=o.letter,
                    status=o.status,
                    weighed=o.weighed,
                    verdict=o.verdict,
                    sentence=o.unit,
                    reasons=list(o.reasons),
                    note=o.note,
                )
                for o in analysis.options
            ],
            key_fact_recall=parts.recall if parts.recall is not None else 0.0,
            cited_key_facts=parts.cited,
            key_facts_total=analysis.key_fact_count,
            behaviours=parts.behaviours,
            behaviour_score=parts.behaviour_score,
            components=parts.components,
            discounted=[*analysis.discounted_spans(), *(f"claim: {c}" for c in analysis.discounted)],
        )
    return Outcome(parts.value, details)
