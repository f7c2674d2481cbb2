"""The `accuracy` objective (docs/scoring.md), in the project's own mode.

| outcome | MCQ | free text / numeric |
| --- | --- | --- |
| one answer (possibly boxed several times), correct | 1.0 | 1.0 |
| one answer, wrong (a valid other option / non-matching text or number) | 0.0 | 0.0 |
| boxed content that resolves to no option | -0.5 | 0.0 (no number / no text) |
| no `\\boxed{}` at all | -1.0 | -1.0 |
| boxes naming different answers | -1.0 | -1.0 |
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reward_service.scoring.answers import Gold, is_correct, resolve
from reward_service.scoring.parse import ParsedResponse

CORRECT = 1.0
WRONG = 0.0
UNRESOLVED_MCQ = -0.5
NO_BOX = -1.0
CONFLICTING = -1.0


@dataclass(frozen=True, slots=True)
class AccuracyResult:
    value: float
    reason: str  # correct | wrong | unresolved | no_box | conflicting_boxes
    predicted: str | float | None
    boxed: tuple[str | None, ...] = field(default=())
    resolved: tuple[str | float | None, ...] = field(default=())

    @property
    def boxes_agree(self) -> bool:
        """All boxes resolve to one and the same answer."""
        return bool(self.resolved) and None not in self.resolved and len(set(self.resolved)) == 1


def score_accuracy(parsed: ParsedResponse, gold: Gold) -> AccuracyResult:
    boxed = tuple(box.content for box in parsed.boxes)
    if not boxed:
        return AccuracyResult(NO_BOX, "no_box", None)
    resolved = tuple(resolve(content, gold) for content in boxed)
    distinct = {p for p in resolved if p is not None}
    if len(distinct) > 1:
        return AccuracyResult(CONFLICTING, "conflicting_boxes", None, boxed, resolved)
    if not distinct:
        value = UNRESOLVED_MCQ if gold.kind == "mcq" else WRONG
        return AccuracyResult(value, "unresolved", None, boxed, resolved)
    (prediction,) = distinct
    if is_correct(prediction, gold):
        return AccuracyResult(CORRECT, "correct", prediction, boxed, resolved)
    return AccuracyResult(WRONG, "wrong", prediction, boxed, resolved)
