"""What makes the reason given for an option *specific*: content beyond a verdict.

A policy learns whatever the reward pays for. If any verdict phrase plus a few words counted as
weighing an option, one line per option — "B. <option text> — rejected, because it does not fit the
case." — would raise comprehensiveness on almost every response. So the unit that weighs an option
(see `options.py`) must carry at least one *anchor*, a piece of content that is neither a verdict nor
generic nor the options' own words:

- a case fact it names (a finding, measurement or demographic of the case facts, in any wording the
  mention finder accepts);
- a medical concept from the lexicon (disease, finding, drug or drug class, analyte, procedure,
  anatomy), unless every word of it is generic (`nlp/lang/en/generic.py`) or it is a curated generic
  finding ("pain", "swelling") that the case does not state;
- a distinctive word — rare in ordinary English (`nlp/common_words.py`, below `REASON_MAX_ZIPF`):
  "glomeruli", "ribosome", "placenta" — or a medical word that English also uses often ("kidney");
- a number with a unit or percent ("8 months", "40 mg", "90%").

The option's own words never count (restating the option is no reason). An anchor that only restates
the question's words (a case word pasted after a verdict: "B. Asthma — unlikely given the cough") is
a reason only with a word of the unit's own that says how it bears on the option (`new_words`); see
`options.assess_options` for the template check across options. `reason_text` is what remains of the unit once the verdict is read: its
content words minus stop words and option words, used to find the same reason reused for several
options (see `options.assess_options`).
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from reward_service.nlp.common_words import FUNCTION_WORDS, is_distinctive
from reward_service.nlp.lang.en.generic import DISCOURSE_WORDS, GENERIC_REASON_WORDS, MEDICAL_CONTENT_WORDS

STEM = 5
#: A word rarer than this (Zipf scale; "placenta" 3.1, "thrombosis" 2.9, "absorption" 3.7 excluded,
#: "compliance" 4.2 excluded) is distinctive enough to carry a reason.
REASON_MAX_ZIPF = 3.7
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*")
#: (`(?<![\w.])\d+...` with its first digit before the look-behind: the engine then scans for digits
#: instead of trying the look-behind at every character; same matches.)
_NUMBER_WITH_UNIT_RE = re.compile(
    r"\d(?<![\w.]\d)\d*(?:[.,]\d+)?(?:\s*(?:/\s*\d+(?:[.,]\d+)?))?\s*(?:%|[a-zA-Zµ°][\w/°µ^-]*)"
)


_TOKEN_RE = re.compile(r"[a-z][a-z'-]*|\d+(?:[.,]\d+)?")


#: Words that relate a case fact to the option ("it would not *cause* a bruise", "*lack* of discharge",
#: "*without* fever"): a reason of the question's words with one of them says how they bear on it.
RELATION_WORDS = frozenset(
    {
        *("cause", "causes", "caused", "causing", "explain", "explains", "explained", "produce", "produces"),
        *("produced", "lead", "leads", "result", "results", "present", "presents", "seen", "occur", "occurs"),
        *("associated", "lack", "lacks", "absence", "absent", "without", "no", "not", "never", "denies"),
        *("rule", "rules", "exclude", "excludes"),
    }
)


def question_stems_of(text: str) -> frozenset[str]:
    """5-letter stems of every word (and every number) of `text`, hyphenated words also by their parts."""
    tokens = _TOKEN_RE.findall(text.lower())
    tokens += [part for t in tokens if "-" in t for part in t.split("-") if part]
    return frozenset(sys.intern(t[:STEM]) for t in tokens)  # interned: one copy across cached questions


def stems_of(text: str) -> set[str]:
    """5-letter stems of the content words of `text` (lower case), hyphenated words also by their parts."""
    words = [w.lower() for w in _WORD_RE.findall(text)]
    words += [part for w in words if "-" in w for part in w.split("-") if part]
    return {w[:STEM] for w in words if w not in FUNCTION_WORDS}


@lru_cache(maxsize=1 << 16)
def _may_anchor(lower: str) -> bool:
    """Whether a lower-cased word can be a distinctive-word anchor whatever the unit (the option words
    aside): neither generic nor discourse, and medical or rare in English. Cached: a response's words
    repeat, and across responses the vocabulary is small."""
    if lower in GENERIC_REASON_WORDS or lower in DISCOURSE_WORDS:
        return False
    return lower in MEDICAL_CONTENT_WORDS or is_distinctive(lower, REASON_MAX_ZIPF)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str
    key: str
    case_fact: bool = False


@dataclass(frozen=True)
class OptionWords:
    """The options' own words, which never count as a reason: per option its stems, all of them, and the
    numbers the options contain. Built once per question (`question.Question.option_words`)."""

    stems: dict[str, set[str]]
    all_stems: set[str]
    numbers: set[str]

    @classmethod
    def of(cls, options: Mapping[str, str]) -> OptionWords:
        stems = {letter: stems_of(text) for letter, text in options.items()}
        numbers = {m.group(0) for t in options.values() for m in re.finditer(r"\d+(?:[.,]\d+)?", t)}
        return cls(stems, set().union(*stems.values()), numbers)


@dataclass
class ReasonFinder:
    """Finds the anchors of a unit of the analysed text.

    `lexicon_hits(spans)` returns lexicon concept hits as `Span`s inside the given character ranges;
    `case_spans` are the mentions of case facts in the whole text (found once by the analysis).
    """

    text: str
    options: Mapping[str, str]
    lexicon_hits: Callable[[list[tuple[int, int]]], Sequence[Span]]
    case_spans: Sequence[Span] = ()
    generic_keys: frozenset[str] = frozenset()
    option_words: OptionWords | None = None  # the options' `OptionWords`, when the caller keeps them
    question_stems: frozenset[str] = frozenset()  # `question_stems_of` the stem and options
    _stems: dict[str, set[str]] = field(init=False)

    def __post_init__(self) -> None:
        self.case_spans = sorted(self.case_spans, key=lambda span: span.start)
        self._case_starts = [span.start for span in self.case_spans]
        words = self.option_words if self.option_words is not None else OptionWords.of(self.options)
        self._stems = words.stems
        self._all_stems = words.all_stems
        self._option_numbers = words.numbers
        #: `anchors` results by (start, end, letters): a unit is often asked twice (a description, then a stance)
        self._anchors: dict[tuple[int, int, frozenset[str] | None], tuple[tuple[str, int, int], ...]] = {}

    @staticmethod
    def _own_content(words: Iterable[str], own: set[str]) -> list[str]:
        """The words that are neither function words, generic words nor any option's words."""
        out = []
        for word in words:
            lower = word.lower()
            if lower in FUNCTION_WORDS or lower in GENERIC_REASON_WORDS or lower[:STEM] in own:
                continue
            parts = [p for p in lower.split("-") if p] if "-" in lower else []
            if parts and all(p in FUNCTION_WORDS or p[:STEM] in own for p in parts):
                continue
            out.append(lower)
        return out

    def anchors(self, start: int, end: int, letters: Collection[str] | None = None) -> list[str]:
        """The anchors of the unit `text[start:end]` of the options `letters` (the option it weighs, or every
        option it names), in text order, each once. With `letters` None the words of every option are
        excluded (restating the options is no content)."""
        return [text for text, _, _ in self.anchor_spans(start, end, letters)]

    def anchor_spans(self, start: int, end: int, letters: Collection[str] | None = None) -> list[tuple[str, int, int]]:
        """`anchors` with where each first occurs: (text, start, end), in text order."""
        key = (start, end, None if letters is None else frozenset(letters))
        cached = self._anchors.get(key)
        if cached is None:
            cached = self._anchors[key] = tuple(self._find_anchors(start, end, letters))
        return list(cached)

    def _find_anchors(self, start: int, end: int, letters: Collection[str] | None) -> list[tuple[str, int, int]]:
        own = self._all_stems if letters is None else set().union(*(self._stems.get(x, set()) for x in letters))
        found: dict[str, tuple[int, int]] = {}
        covered = bytearray(max(0, end - start) + 1)  # characters of the unit already part of an anchor

        def cover(a: int, b: int) -> None:
            covered[max(0, a - start) : max(0, min(b, end) - start)] = b"\x01" * max(0, min(b, end) - max(a, start))

        def is_covered(pos: int) -> bool:
            return start <= pos < end and covered[pos - start] == 1

        first = bisect.bisect_left(self._case_starts, start)
        last = bisect.bisect_left(self._case_starts, end)
        for span in self.case_spans[first:last]:
            if span.end <= end and self._own_content(_WORD_RE.findall(span.text), own):
                found.setdefault(span.text.lower(), (span.start, span.end))
                cover(span.start, span.end)
        for span in self.lexicon_hits([(start, end)]):
            if is_covered(span.start) or span.key in self.generic_keys:
                continue
            if not self._own_content(_WORD_RE.findall(span.text), own):
                continue
            found.setdefault(span.text.lower(), (span.start, span.end))
            cover(span.start, span.end)
        for match in _WORD_RE.finditer(self.text, start, end):
            word = match.group(0)
            if is_covered(match.start()):
                continue
            lower = word.lower()
            if lower[:STEM] in own or not _may_anchor(lower):
                continue
            found.setdefault(lower, (match.start(), match.end()))
        for match in _NUMBER_WITH_UNIT_RE.finditer(self.text, start, end):
            if is_covered(match.start()):
                continue
            token = " ".join(match.group(0).lower().split())
            if re.match(r"\d+(?:[.,]\d+)?", token).group(0) not in self._option_numbers:  # type: ignore[union-attr]
                found.setdefault(token, (match.start(), match.end()))
        return [(text, a, b) for text, (a, b) in sorted(found.items(), key=lambda kv: kv[1])]

    def restates_question(self, anchor: str) -> bool:
        """Whether every word and number of `anchor` is one of the question's (a case word, restated)."""
        tokens = _TOKEN_RE.findall(anchor.lower())
        return bool(tokens) and all(t[:STEM] in self.question_stems for t in tokens)

    def new_words(self, unit: str, letters: Collection[str]) -> list[str]:
        """See `_new_words`; a relation word ("would not *cause* a bruise", "*lack* of discharge") counts."""
        return self._new_words(unit, letters)

    def _new_words(self, unit: str, letters: Collection[str]) -> list[str]:
        """The unit's content words that come from neither the question nor the options' words: what it
        adds to a restated case word ("would not cause a *bruise* on the *forehead*"). Function, generic
        and discourse words do not count; `unit` should have its verdict phrases removed."""
        own = set().union(*(self._stems.get(x, set()) for x in letters))
        out = []
        for word in _WORD_RE.findall(unit):
            lower = word.lower()
            if lower in RELATION_WORDS:
                out.append(lower)
                continue
            if lower in FUNCTION_WORDS or lower in GENERIC_REASON_WORDS or lower in DISCOURSE_WORDS:
                continue
            if lower[:STEM] in own or lower[:STEM] in self.question_stems or len(lower) < 3:
                continue
            out.append(lower)
        return out

    def has_content(self, start: int, end: int) -> bool:
        """Whether `text[start:end]` holds any anchor (used for behaviour cues as well)."""
        return bool(self.anchors(start, end))

    def reason_text(self, unit: str, letters: Collection[str]) -> str:
        """The unit's own words: lower-cased content words that are neither function words nor option words."""
        own = set().union(*(self._stems.get(x, set()) for x in letters))
        return " ".join(
            w.lower() for w in _WORD_RE.findall(unit) if w.lower() not in FUNCTION_WORDS and w.lower()[:STEM] not in own
        )
