"""Lightweight ConText-style polarity for mentions in reasoning text (the scoring hot path).

A trigger vocabulary modelled on ConText (Chapman et al., 2007; the English rules shipped with
medspaCy, MIT) with inflections spelled out, because the hot path has no lemmatiser:
forward triggers scope over the words after them up to a terminator or ``MAX_SCOPE`` words;
backward triggers scope over the words before them; pseudo-triggers ("no change", "gram-negative",
"3-day history") block the trigger they overlap. Category precedence when several apply:
negated > family > hypothetical > historical > affirmed.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from reward_service.nlp.lang.en.context_triggers import (
    FAM_FORWARD,
    HIST_BACKWARD,
    HIST_FORWARD,
    HYPO_BACKWARD,
    HYPO_FORWARD,
    NEG_BACKWARD,
    NEG_FORWARD,
    PSEUDO,
    TERMINATE,
)
from reward_service.nlp.term_matcher import TermMatcher
from reward_service.nlp.types import Polarity

MAX_SCOPE = 12  # words

_TERM_PUNCT = re.compile(r"[;:—–()\[\]]| - ")


@dataclass(frozen=True, slots=True)
class _Trigger:
    start: int
    end: int
    cat: str  # neg|hypo|hist|fam|term|pseudo
    fwd: bool


_CATS: list[tuple[str, bool, list[str]]] = [
    ("pseudo", True, PSEUDO),
    ("neg", True, NEG_FORWARD),
    ("neg", False, NEG_BACKWARD),
    ("fam", True, FAM_FORWARD),
    ("hypo", True, HYPO_FORWARD),
    ("hypo", False, HYPO_BACKWARD),
    ("hist", True, HIST_FORWARD),
    ("hist", False, HIST_BACKWARD),
    ("term", True, TERMINATE),
]


#: "vaccine for X", "vaccinated against X": X is what the vaccine prevents, not a finding of the patient,
#: whatever negation surrounds it ("never received the vaccine for HPV").
_VACCINE_TARGET_RE = re.compile(r"\b(?:vaccin\w*|immuni[sz]\w*|shots?)\s+(?:for|against)\s+(?:the\s+)?$", re.I)


def is_vaccine_target(text: str, start: int) -> bool:
    return _VACCINE_TARGET_RE.search(text, max(0, start - 48), start) is not None


def _build_automaton() -> TermMatcher[tuple[int, bool, bool, tuple[tuple[str, bool], ...]]]:
    """One Aho-Corasick automaton over all trigger phrases (lower case); a phrase may carry
    several (category, direction) readings."""
    readings: dict[str, list[tuple[str, bool]]] = {}
    for cat, fwd, words in _CATS:
        for w in words:
            readings.setdefault(w.lower(), []).append((cat, fwd))
    return TermMatcher(
        (phrase, (len(phrase), phrase[0].isalnum(), phrase[-1].isalnum(), tuple(rs))) for phrase, rs in readings.items()
    )


_AUTOMATON = _build_automaton()
_WORD_RE = re.compile(r"\S+")


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or ch == "-"


_PRECEDENCE: dict[str, Polarity] = {"neg": "negated", "fam": "family", "hypo": "hypothetical", "hist": "historical"}
_ORDER = ("neg", "fam", "hypo", "hist")


def _triggers(sentence: str) -> list[_Trigger]:
    out: list[_Trigger] = []
    low = sentence.lower()
    n = len(low)
    for start, after, (_length, word_start, word_end, readings) in _AUTOMATON.matches_by_end(low):
        end_idx = after - 1
        if word_start and start > 0 and _is_word(low[start - 1]):
            continue
        if word_end and end_idx + 1 < n and (low[end_idx + 1].isalnum() or low[end_idx + 1] == "_"):
            continue
        for cat, fwd in readings:
            out.append(_Trigger(start, end_idx + 1, cat, fwd))
    for m in _TERM_PUNCT.finditer(sentence):
        out.append(_Trigger(m.start(), m.end(), "term", True))
    # pseudo-triggers knock out overlapping triggers; a trigger knocks out the punctuation
    # terminator it contains (": negative")
    pseudo = [(t.start, t.end) for t in out if t.cat == "pseudo"]
    if pseudo:
        out = [t for t in out if t.cat != "pseudo" and not any(t.start < pe and ps < t.end for ps, pe in pseudo)]
    words = [(t.start, t.end) for t in out if t.cat != "term"]
    out = [
        t
        for t in out
        if t.cat != "term"
        or (t.end - t.start > 1 and t.start != t.end)
        or not any(ws <= t.start and t.end <= we for ws, we in words)
    ]
    out.sort(key=lambda t: t.start)
    return out


class SentencePolarity:
    """Polarity of spans inside one sentence; triggers are computed once per sentence."""

    __slots__ = ("_bounds", "_text", "_triggers")

    def __init__(self, sentence: str) -> None:
        self._text = sentence
        self._triggers = _triggers(sentence)
        self._bounds: list[int] | None = None  # word starts, found when a trigger's scope is first measured

    def _words_between(self, a: int, b: int) -> int:
        bounds = self._bounds
        if bounds is None:
            bounds = self._bounds = [m.start() for m in _WORD_RE.finditer(self._text)]
        return bisect.bisect_left(bounds, b) - bisect.bisect_left(bounds, a)

    def polarity(self, start: int, end: int) -> Polarity:
        """Polarity of the span [start, end) given in sentence-relative offsets."""
        if is_vaccine_target(self._text, start):
            return "hypothetical"
        found: set[str] = set()
        trig = self._triggers
        # forward triggers before the span, nearest first, until a terminator
        for t in reversed([t for t in trig if t.end <= start]):
            if t.cat == "term":
                break
            if t.fwd and self._words_between(t.end, start) <= MAX_SCOPE:
                found.add(t.cat)
        # backward triggers after the span, nearest first, until a terminator
        for t in (t for t in trig if t.start >= end):
            if t.cat == "term":
                break
            if t.fwd:
                continue
            if self._words_between(end, t.start) <= MAX_SCOPE // 2:
                found.add(t.cat)
        for cat in _ORDER:
            if cat in found:
                return _PRECEDENCE[cat]
        return "affirmed"


def polarity_of(sentence: str, start: int, end: int) -> Polarity:
    return SentencePolarity(sentence).polarity(start, end)
