"""The Clinical-R1 authors' published reward rule (docs/scoring.md appendix), for `accuracy_mode=clinical_r1`.

Implemented from the description, not copied. The per-character English fraction is computed with
`str.translate` instead of a Python loop; `bench/authors_rule.py` keeps the literal per-character form
as the speed anchor, and the tests check both give identical values.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from reward_service.scoring.response.parse import EOS_MARKERS

_EOS_RE = re.compile("|".join(re.escape(m) for m in EOS_MARKERS))
_BOX_OPEN = "\\boxed{"
# The published rule is `^<think>.*?</think>\s*<answer>(.*?)</answer>$` (DOTALL) on the stripped response.
# Matched as "ends with </answer>" plus this head within the rest, which is the same match in linear time
# (the one-regex form backtracks quadratically on repeated `</think><answer>`).
_FORMAT_HEAD_RE = re.compile(r"<think>.*?</think>\s*<answer>", re.DOTALL)
_ANSWER_CLOSE = "</answer>"
_LETTER_RE = re.compile(r"[A-Z]")
ENGLISH_CHARS = frozenset(string.ascii_letters + string.digits + " \n" + string.punctuation)
_DELETE_ENGLISH = {ord(c): None for c in ENGLISH_CHARS}


@dataclass(frozen=True, slots=True)
class ClinicalR1Result:
    accuracy: float
    format: float
    english: float

    @property
    def training_reward(self) -> float:
        return 10.0 * self.accuracy + self.format + 0.5 * self.english

    @property
    def validation_reward(self) -> float:
        return self.accuracy


def preprocess(response: str) -> str:
    match = _EOS_RE.search(response)
    if match:
        response = response[: match.start()]
    return response.replace("<\\think>", "</think>").replace("<\\answer>", "</answer>")


def box_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the matches of the published `\\boxed{(.*?)}` (no DOTALL), left to right, non-overlapping.

    The same spans as `re.finditer`, in linear time: the regex rescans to the end of the line for every
    unclosed `\\boxed{`, which is quadratic on a long line of them.
    """
    n = len(text)

    def find(char: str, start: int) -> int:
        found = text.find(char, start)
        return n if found < 0 else found

    spans: list[tuple[int, int]] = []
    close = newline = -1  # the first `}` / newline at or after the current box body (n: none); only move forward
    pos = 0
    while (start := text.find(_BOX_OPEN, pos)) >= 0:
        body = start + len(_BOX_OPEN)
        if close < body:
            close = find("}", body)
        if newline < body:
            newline = find("\n", body)
        if close < n and close < newline:
            spans.append((start, close + 1))
            pos = close + 1
        else:
            pos = start + 1
    return spans


def accuracy(response: str, gold_letter: str) -> float:
    n = response.count("\\boxed")
    if n != 1:
        return float(-n)
    spans = box_spans(response)
    if not spans:
        return -1.0
    start, end = spans[0]
    captured = response[start + len(_BOX_OPEN) : end - 1]
    if _LETTER_RE.fullmatch(captured):
        return 1.0 if captured == gold_letter else 0.0
    return -0.5


def format_score(response: str) -> float:
    text = response.strip()
    if not text.endswith(_ANSWER_CLOSE):
        return 0.0
    end = len(text) - len(_ANSWER_CLOSE)
    head = _FORMAT_HEAD_RE.match(text, 0, end)
    if head is None:
        return 0.0
    answer_part = text[head.end() : end]
    boxes = box_spans(answer_part)
    outside, cursor = [], 0
    for start, stop in boxes:
        outside.append(answer_part[cursor:start])
        cursor = stop
    outside.append(answer_part[cursor:])
    only_box = "".join(outside).strip() == ""
    return 1.5 if len(boxes) == 1 and not only_box else 1.0


def english_fraction(response: str) -> float:
    if not response:
        return 0.0
    non_english = len(response.translate(_DELETE_ENGLISH))
    return (len(response) - non_english) / len(response)


def score_clinical_r1(response: str, gold_letter: str) -> ClinicalR1Result:
    text = preprocess(response)
    return ClinicalR1Result(accuracy(text, gold_letter), format_score(text), english_fraction(text))
