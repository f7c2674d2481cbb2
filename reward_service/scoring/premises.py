"""Premises of questions that describe no patient (SCORING.md §5, e.g. MedMCQA one-liners).

Such a question's "case facts" are what it states: its concepts (from the clinical NLP layer) and its
quantities. Quantities bound to a substance or subject — "2% Lysol", "1-2% Cetrimide",
"0.5 mg atropine" — are extracted here, so a response that restates them with another value
("5% Lysol") is contradicting the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = r"\d+(?:\.\d+)?"
QUANTITY_RE = re.compile(
    rf"(?P<low>{_NUMBER})(?:\s*(?:-|–|to)\s*(?P<high>{_NUMBER}))?\s*(?P<unit>%|mg|g|ml|mL|mcg|µg|IU|units?)"
    r"\s+(?:of\s+)?(?P<subject>[A-Za-z][A-Za-z-]{2,})",
)
SUBJECT_STEM = 6  # "chloroxylene" ~ "chloroxylenol", "cetrimide" ~ "cetrimide"


@dataclass(frozen=True, slots=True)
class Quantity:
    subject: str  # lower-case stem
    unit: str
    low: float
    high: float
    text: str
    start: int
    end: int

    def agrees_with(self, other: Quantity) -> bool:
        return self.unit == other.unit and self.low <= other.high + 1e-9 and other.low <= self.high + 1e-9


def find_quantities(text: str) -> list[Quantity]:
    out: list[Quantity] = []
    for match in QUANTITY_RE.finditer(text):
        low = float(match.group("low"))
        high = float(match.group("high")) if match.group("high") else low
        unit = match.group("unit").lower().rstrip("s") if match.group("unit") != "%" else "%"
        subject = match.group("subject").lower()[:SUBJECT_STEM]
        out.append(Quantity(subject, unit, min(low, high), max(low, high), match.group(0), match.start(), match.end()))
    return out
