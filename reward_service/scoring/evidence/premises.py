"""Premises of questions that describe no patient (docs/scoring.md, e.g. MedMCQA one-liners).

Such a question's "case facts" are what it states: its concepts (from the clinical NLP layer, and its
distinctive words as a fallback for concepts the lexicon lacks), its options, and its quantities. Quantities bound to a substance or subject — "2% Lysol", "1-2% Cetrimide",
"0.5 mg atropine" — are extracted here, so a response that restates them with another value
("5% Lysol") is contradicting the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reward_service.nlp.common_words import FUNCTION_WORDS, is_distinctive
from reward_service.nlp.lang.en.generic import GENERIC_QUESTION_WORDS, GENERIC_REASON_WORDS

if TYPE_CHECKING:
    from reward_service.nlp.service import ClinicalNLP

# Possessive digits, and a match starts only where a number starts: backtracking through a long run of
# digits from every one of its positions was quadratic (20,000 zeros in an option: minutes).
_NUMBER = r"\d++(?:\.\d++)?+"
QUANTITY_RE = re.compile(
    rf"(?<!\d)(?P<low>{_NUMBER})(?:\s*(?:-|–|to)\s*(?P<high>{_NUMBER}))?\s*(?P<unit>%|mg|g|ml|mL|mcg|µg|IU|units?)"
    r"\s+(?:of\s+)?(?:(?:the|a|an|all|these|those)\s+)?(?P<subject>[A-Za-z][A-Za-z-]{2,})",
)
#: Words after a quantity that are not what it measures.
_NOT_A_SUBJECT = FUNCTION_WORDS | frozenset({"versus", "vs", "respectively", "and", "or", "with", "without"})
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
        if match.group("subject").lower() in _NOT_A_SUBJECT:
            continue  # "4.2% versus 0.8%", "100% for late infections": the word after binds nothing
        low = float(match.group("low"))
        high = float(match.group("high")) if match.group("high") else low
        unit = match.group("unit").lower().rstrip("s") if match.group("unit") != "%" else "%"
        subject = match.group("subject").lower()[:SUBJECT_STEM]
        out.append(Quantity(subject, unit, min(low, high), max(low, high), match.group(0), match.start(), match.end()))
    return out


_KEYWORD_RE = re.compile(r"[A-Za-z][A-Za-z-]{3,}")
KEYWORD_STOP = frozenset(
    [
        "which",
        "following",
        "true",
        "false",
        "except",
        "most",
        "least",
        "likely",
        "correct",
        "incorrect",
        "statement",
        "statements",
        "about",
        "regarding",
        "these",
        "those",
        "there",
        "their",
        "other",
        "with",
        "without",
        "from",
        "into",
        "than",
        "that",
        "this",
        "what",
        "when",
        "where",
        "while",
        "following",
        "used",
        "seen",
        "given",
        "best",
        "first",
        "common",
        "commonly",
        "usually",
        "often",
        "found",
        "shows",
        "show",
        "known",
        "called",
        "type",
        "types",
        "all",
        "none",
        "both",
        "either",
        "only",
        "also",
        "more",
        "less",
        "many",
        "much",
        "very",
        "have",
        "has",
        "had",
        "does",
        "done",
        "being",
        "been",
        "were",
        "was",
        "following:",
    ]
)
KEYWORD_STEM = 5
#: Zipf frequency from which a word is too common to be a premise (5.0: about once per 100,000 words).
KEYWORD_MAX_ZIPF = 5.0


def question_keywords(question: str) -> tuple[tuple[str, str], ...]:
    """Distinctive words a patient-less question states: (5-letter stem, the word), in order, no repeats.

    Only content words are premises: not function words, not the generic verbs and nouns of question
    writing (`GENERIC_QUESTION_WORDS`: "facilitates", "involves"), and less frequent in ordinary English
    than `KEYWORD_MAX_ZIPF` ("whether", "before", "study", "would" are more frequent; "valine",
    "glucagon", "maxillary", "hormone" are not).
    """
    words: dict[str, str] = {}
    for word in _KEYWORD_RE.findall(question):
        lower = word.lower()
        if (
            lower not in KEYWORD_STOP
            and lower not in GENERIC_QUESTION_WORDS
            and lower not in GENERIC_REASON_WORDS
            and is_distinctive(lower, KEYWORD_MAX_ZIPF)
        ):
            words.setdefault(lower[:KEYWORD_STEM], lower)
    return tuple(words.items())


def keyword_hits(text: str, keywords: tuple[tuple[str, str], ...]) -> list[tuple[str, int, int]]:
    """(stem, start, end) of every occurrence of each keyword (by its stem) in `text`: the claims keep the
    first one that earns credit (an occurrence in copied text or a vacuous verdict line earns none, so a
    later one must still be seen, whatever the order of the analyses)."""
    wanted = {stem for stem, _ in keywords}
    hits: list[tuple[str, int, int]] = []
    for match in _KEYWORD_RE.finditer(text):
        stem = match.group(0).lower()[:KEYWORD_STEM]
        if stem in wanted:
            hits.append((stem, match.start(), match.end()))
    return hits


@dataclass(frozen=True)
class Premises:
    """What a patient-less question states: concept keys and substance-bound quantities."""

    concepts: frozenset[str]
    quantities: tuple[Quantity, ...]
    options: tuple[tuple[str, str], ...]
    keywords: tuple[tuple[str, str], ...]  # (stem, word)

    def ids(self) -> dict[tuple[object, ...], str]:
        ids: dict[tuple[object, ...], str] = {("p", key): key for key in sorted(self.concepts)}
        ids.update({("k", stem): word for stem, word in self.keywords})
        ids.update({("o", letter): text for letter, text in self.options})
        for q in self.quantities:
            ids[("q", q.subject, q.unit, q.low, q.high)] = q.text
        return ids


def premises_of(question: str, options: tuple[tuple[str, str], ...], nlp: ClinicalNLP) -> Premises:
    """The premises of `question` (built once per question, see `question.Question`)."""
    text = "\n".join([question, *(text for _, text in options)])
    mentions = nlp.find_mentions(text, None)
    concepts = frozenset(
        m.key for m in mentions if m.kind in ("concept", "finding", "medication") and m.polarity != "hypothetical"
    )
    return Premises(concepts, tuple(find_quantities(text)), options, question_keywords(question))
