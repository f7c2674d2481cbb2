"""The `format` objective ∈ [0, 1]: does the response follow the requested layout (docs/scoring.md)?

Credit is the sum of four checks (README "Scoring" documents the same table):

| check | credit | full credit when |
| --- | --- | --- |
| structure | 0.4 | exactly one reasoning block, then exactly one conclusion block, all tags paired (0.2 when both kinds of block exist but counts, order or pairing are off) |
| clean | 0.2 | only whitespace outside the blocks (needs structure credit) |
| box | 0.3 | exactly one `\\boxed{…}` in the response, inside the conclusion (0.1 when several boxes, all inside the conclusion, name the same answer) |
| summary | 0.1 | the conclusion holds at least 4 words besides the box |
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reward_service.scoring.response.parse import ParsedResponse

STRUCTURE_CREDIT = 0.4
STRUCTURE_PARTIAL_CREDIT = 0.2
CLEAN_CREDIT = 0.2
BOX_CREDIT = 0.3
REPEATED_SAME_BOX_CREDIT = 0.1
SUMMARY_CREDIT = 0.1
SUMMARY_MIN_WORDS = 4

_WORD_RE = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True, slots=True)
class FormatResult:
    value: float
    checks: dict[str, float]


def _outside_blocks_is_blank(parsed: ParsedResponse) -> bool:
    spans = sorted((s.start, s.end) for s in (*parsed.reasoning_sections, *parsed.conclusion_sections))
    cursor = 0
    text = parsed.text
    for start, end in spans:
        if text[cursor:start].strip():
            return False
        cursor = max(cursor, end)
    return not text[cursor:].strip()


def _summary_words(parsed: ParsedResponse) -> int:
    if not parsed.conclusion_sections:
        return 0
    last = parsed.conclusion_sections[-1]
    pieces: list[str] = []
    cursor = last.text_start
    for box in parsed.boxes:
        if last.text_start <= box.start and box.end <= last.text_end:
            pieces.append(parsed.text[cursor : box.start])
            cursor = box.end
    pieces.append(parsed.text[cursor : last.text_end])
    return len(_WORD_RE.findall(" ".join(pieces)))


def score_format(parsed: ParsedResponse, boxes_agree: bool) -> FormatResult:
    """Score the layout. `boxes_agree`: all boxes resolve to the same answer (from accuracy)."""
    reasoning, conclusion = parsed.reasoning_sections, parsed.conclusion_sections
    all_closed = all(s.closed for s in (*reasoning, *conclusion))
    structure = 0.0
    if reasoning and conclusion:
        exact = (
            len(reasoning) == 1
            and len(conclusion) == 1
            and all_closed
            and parsed.stray_tags == 0
            and reasoning[0].end <= conclusion[0].start
        )
        structure = STRUCTURE_CREDIT if exact else STRUCTURE_PARTIAL_CREDIT
    clean = CLEAN_CREDIT if structure > 0 and _outside_blocks_is_blank(parsed) else 0.0

    boxes = parsed.boxes
    box = 0.0
    if boxes and all(parsed.box_in_conclusion(b) for b in boxes):
        if len(boxes) == 1 and boxes[0].content is not None:
            box = BOX_CREDIT
        elif len(boxes) > 1 and boxes_agree:
            box = REPEATED_SAME_BOX_CREDIT
    summary = SUMMARY_CREDIT if _summary_words(parsed) >= SUMMARY_MIN_WORDS else 0.0
    checks = {"structure": structure, "clean": clean, "box": box, "summary": summary}
    return FormatResult(value=round(structure + clean + box + summary, 6), checks=checks)
