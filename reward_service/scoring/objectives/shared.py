"""Helpers shared by the NLP-based objectives: the per-item analysis cache and the repetition factor."""

from __future__ import annotations

from reward_service.scoring.answer.format import STRUCTURE_CREDIT
from reward_service.scoring.context import ItemContext
from reward_service.scoring.evidence.analysis import ResponseAnalysis, analyse

#: Share of repeated text tolerated before faithfulness and comprehensiveness shrink.
REDUNDANCY_ALLOWANCE = 0.1
#: Faithfulness and comprehensiveness are judged on a reasoning block followed by a conclusion block.
#: When the layout is broken (missing, unpaired or misordered tags) the split between analysis and
#: conclusion, and so the answer-consistency check, is unreliable: both are multiplied by this factor.
LAYOUT_FACTOR = 0.9


def analysis_of(ctx: ItemContext) -> ResponseAnalysis:
    """The response's analysis, computed once per item and shared by the objectives."""
    cached = ctx.extras.get("analysis")
    if cached is None:
        cached = analyse(ctx.doc, ctx.question, ctx.item.options)
        ctx.extras["analysis"] = cached
    return cached


def repetition_factor(analysis: ResponseAnalysis) -> float:
    """1 − max(0, redundancy − allowance): repeating content never raises a score."""
    return 1.0 - max(0.0, analysis.redundancy - REDUNDANCY_ALLOWANCE)


def layout_factor(ctx: ItemContext) -> float:
    """1 for a well-formed layout (full structure credit in `format`), else LAYOUT_FACTOR."""
    return 1.0 if ctx.format.checks["structure"] == STRUCTURE_CREDIT else LAYOUT_FACTOR
