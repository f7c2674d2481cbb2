"""The `accuracy` objective (docs/scoring.md), in the project's own mode.

`strict` extraction (the default, what CRPO training rewards) reads only `\\boxed{}`:

| outcome | MCQ | free text / numeric |
| --- | --- | --- |
| one answer (possibly boxed several times), correct | 1.0 | 1.0 |
| one answer, wrong (a valid other option / non-matching text or number) | 0.0 | 0.0 |
| boxed content that resolves to no option | -0.5 | 0.0 (no number / no text) |
| no `\\boxed{}` at all | -1.0 | -1.0 |
| boxes naming different answers | -1.0 | -1.0 |

`lenient` extraction (for evaluating outputs in other formats) takes the box when it resolves, else the
rules of `extraction.py`; a prediction the caller gives (`ScoreItem.prediction`) replaces extraction in
both modes. Lenient outcomes besides correct / wrong / conflicting_boxes:

| outcome | MCQ | free text / numeric |
| --- | --- | --- |
| `ambiguous`: the answer names several options ("A or B") | -0.5 | - |
| `unresolved`: an answer naming no option (a letter that is not one, "none of the above") | -0.5 | 0.0 |
| `no_answer`: no box and no rule finds an answer | -1.0 | -1.0 |
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reward_service.scoring.answer.answers import Gold, is_correct, resolve
from reward_service.scoring.answer.extraction import Extraction, extract_given, extract_lenient
from reward_service.scoring.response.parse import ParsedResponse
from schemas.score import AnswerExtraction

CORRECT = 1.0
WRONG = 0.0
UNRESOLVED_MCQ = -0.5
NO_BOX = -1.0
CONFLICTING = -1.0
NO_ANSWER = -1.0


@dataclass(frozen=True, slots=True)
class AccuracyResult:
    value: float
    reason: str  # correct | wrong | unresolved | no_box | conflicting_boxes (+ lenient: ambiguous | no_answer)
    predicted: str | float | None
    boxed: tuple[str | None, ...] = field(default=())
    resolved: tuple[str | float | None, ...] = field(default=())
    rule: str | None = None  # the rule that found the answer: boxed | json | final_line | ... | given

    @property
    def boxes_agree(self) -> bool:
        """All boxes resolve to one and the same answer."""
        return bool(self.resolved) and None not in self.resolved and len(set(self.resolved)) == 1


def score_accuracy(
    parsed: ParsedResponse, gold: Gold, extraction: AnswerExtraction = "strict", prediction: str | None = None
) -> AccuracyResult:
    """The accuracy verdict; `strict` is the boxed-only rule, `lenient` falls back to `extraction.py`."""
    boxes = score_boxes(parsed, gold)
    if prediction is not None:
        return _from_extraction(extract_given(prediction, gold), gold, boxes)
    if extraction == "strict" or boxes.reason in ("correct", "wrong", "conflicting_boxes"):
        return boxes
    found = extract_lenient(parsed.text, parsed.conclusion, gold)
    if found.status == "none" and boxes.reason == "unresolved":
        return boxes  # a box that names no option, and nothing else
    return _from_extraction(found, gold, boxes)


def _from_extraction(found: Extraction, gold: Gold, boxes: AccuracyResult) -> AccuracyResult:
    """The verdict on an extracted answer; `boxed`/`resolved` still describe the boxes (format reads them)."""
    context = {"boxed": boxes.boxed, "resolved": boxes.resolved, "rule": found.rule}
    if found.status == "found" and found.answer is not None:
        if is_correct(found.answer, gold):
            return AccuracyResult(CORRECT, "correct", found.answer, **context)
        return AccuracyResult(WRONG, "wrong", found.answer, **context)
    if found.status == "none":
        return AccuracyResult(NO_ANSWER, "no_answer", None, **context)
    value = UNRESOLVED_MCQ if gold.kind == "mcq" else WRONG
    return AccuracyResult(value, found.status, None, **context)


def score_boxes(parsed: ParsedResponse, gold: Gold) -> AccuracyResult:
    """The strict rule: what the `\\boxed{}` answers say."""
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
        return AccuracyResult(CORRECT, "correct", prediction, boxed, resolved, "boxed")
    return AccuracyResult(WRONG, "wrong", prediction, boxed, resolved, "boxed")
