"""The accuracy and format objectives (no NLP layer: read the parsed response and the gold answer)."""

from __future__ import annotations

from reward_service.scoring.answer import clinical_r1
from reward_service.scoring.context import ItemContext
from reward_service.scoring.objectives.registry import Outcome, objective
from schemas.details import AccuracyDetails, FormatDetails


@objective("accuracy")
def accuracy_objective(ctx: ItemContext) -> Outcome:
    if ctx.gold is None:
        return Outcome(None, AccuracyDetails(mode=ctx.accuracy_mode, reason="no_gold") if ctx.want_details else None)
    if ctx.accuracy_mode == "clinical_r1":
        gold_letter = ctx.gold.letter if ctx.gold.kind == "mcq" and ctx.gold.letter else ctx.gold.display
        result = clinical_r1.score_clinical_r1(ctx.item.response, gold_letter)
        details = None
        if ctx.want_details:
            details = AccuracyDetails(
                mode="clinical_r1",
                format=result.format,
                english=result.english,
                training_reward=result.training_reward,
                validation_reward=result.validation_reward,
            )
        return Outcome(result.accuracy, details)
    acc = ctx.accuracy
    assert acc is not None
    details = None
    if ctx.want_details:
        details = AccuracyDetails(
            mode="crpo",
            answer_type=ctx.gold.kind,
            gold=ctx.gold.display,
            reason=acc.reason,
            predicted=acc.predicted,
            extraction_rule=acc.rule,
            boxed=list(acc.boxed),
            resolved=list(acc.resolved),
        )
    return Outcome(acc.value, details)


@objective("format")
def format_objective(ctx: ItemContext) -> Outcome:
    result = ctx.format
    details = None
    if ctx.want_details:
        parsed = ctx.parsed
        details = FormatDetails(
            profile=parsed.profile,
            checks=result.checks,
            reasoning_chars=len(parsed.reasoning),
            conclusion_chars=len(parsed.conclusion),
            boxes=len(parsed.boxes),
        )
    return Outcome(result.value, details)
