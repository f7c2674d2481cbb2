"""The Clinical-R1 authors' published reward rule (SCORING.md appendix), for `accuracy_mode=clinical_r1`.

Implemented from the description, not copied. The per-character English fraction is computed with
`str.translate` instead of a Python loop; `bench/authors_rule.py` keeps the literal per-character form
as the speed anchor, and the tests check both give identical values.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from reward_service.scoring.parse import EOS_MARKERS

_EOS_RE = re.compile("|".join(re.escape(m) for m in EOS_MARKERS))
_BOX_RE = re.compile(r"\\boxed{(.*?)}")
_FORMAT_RE = re.compile(r"^<think>.*?</think>\s*<answer>(.*?)</answer>$", re.DOTALL)
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


def accuracy(response: str, gold_letter: str) -> float:
    n = response.count("\\boxed")
    if n != 1:
        return float(-n)
    match = _BOX_RE.search(response)
    if match is None:
        return -1.0
    captured = match.group(1)
    if _LETTER_RE.fullmatch(captured):
        return 1.0 if captured == gold_letter else 0.0
    return -0.5


def format_score(response: str) -> float:
    match = _FORMAT_RE.match(response.strip())
    if match is None:
        return 0.0
    answer_part = match.group(1)
    boxes = _BOX_RE.findall(answer_part)
    only_box = _BOX_RE.sub("", answer_part).strip() == ""
    return 1.5 if len(boxes) == 1 and not only_box else 1.0


def english_fraction(response: str) -> float:
    if not response:
        return 0.0
    non_english = len(response.translate(_DELETE_ENGLISH))
    return (len(response) - non_english) / len(response)


def score_clinical_r1(response: str, gold_letter: str) -> ClinicalR1Result:
    text = preprocess(response)
    return ClinicalR1Result(accuracy(text, gold_letter), format_score(text), english_fraction(text))
