"""Pieces of content a sentence relates, and sentences that only list terms.

"Considering fever, cough and tachycardia, the picture fits the chosen answer." names three case facts
and says nothing about how any of them bears on the answer: its content is one *series* of terms joined
by commas, "and", "together with". A policy that learns such sentences earns behaviour cues ("Considering"
reads as a differential, "fits" as a verification) and claims for every case word it weaves in.

`content_groups` groups a sentence's anchors (`option_reasons.ReasonFinder`: case facts, concepts,
distinctive words, numbers with units — and here the options' words too) into series: two neighbouring
anchors belong to one group when the text between them holds only punctuation, joining words
(`SERIES_JOINERS`) and the question's own content words, with a separator among them. A sentence relates
content when it has at least two groups ("fever and cough *suggest* pneumonia": the verb separates them).
A *woven list* (`is_woven_list`) has at most one group, inside one series of items with at least two
separators: its behaviour cues count for nothing, and where its items include words picked from the case
that are no fact ("Considering woman, medical and recurrent, ..."), neither do its claims
(`analysis.ResponseAnalysis.lists_terms`). See docs/scoring.md.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Sequence

from reward_service.nlp.common_words import FUNCTION_WORDS
from reward_service.nlp.lang.en.generic import (
    DISCOURSE_WORDS,
    GENERIC_QUESTION_WORDS,
    GENERIC_REASON_WORDS,
    SERIES_JOINERS,
)
from reward_service.scoring.evidence.option_reasons import RELATION_WORDS, STEM

#: At most this many words between two anchors of one series.
MAX_GAP_WORDS = 4
#: A sentence with at least this many series separators (",", "and", "or", "together with", ...) is a
#: woven list when its content forms one group (`is_woven_list`).
WOVEN_MIN_SEPARATORS = 2

_GAP_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+")
_GAP_PUNCT_RE = re.compile(r"[^\w\s,;/()\-–:'’&+]")
_SEPARATOR_RE = re.compile(r",|;|\b(?:and|or|plus|together with|along with|as well as)\b", re.IGNORECASE)


def joins(gap: str, question_stems: Collection[str]) -> bool:
    """Whether `gap` (the text between two anchors) only joins them as items of one series: punctuation,
    joining words and the question's content words, with a separator among them when it has any word
    ("fever *and* cough", "hypotension *together with* study *and* fever"; not "edema *suggest* failure",
    even where the question says "suggests")."""
    if _GAP_PUNCT_RE.search(gap):  # a full stop, "?", "=" or ">" ends a series
        return False
    words = _GAP_WORD_RE.findall(gap)
    if not words:
        return True
    if len(words) > MAX_GAP_WORDS or not _SEPARATOR_RE.search(gap):
        return False
    for word in words:
        lower = word.lower()
        if lower in SERIES_JOINERS:
            continue
        if lower in RELATION_WORDS or lower in FUNCTION_WORDS or len(lower) < 4 or lower[:STEM] not in question_stems:
            return False
    return True


def content_groups(
    text: str, anchors: Sequence[tuple[str, int, int]], question_stems: Collection[str]
) -> list[list[str]]:
    """The anchors `(text, start, end)` (in text order) grouped into series of terms."""
    groups: list[list[str]] = []
    last_end = -1
    for anchor, start, end in anchors:
        # overlapping anchors ("lung" inside "lung cancer") are one piece of content
        if groups and (start < last_end or joins(text[last_end:start], question_stems)):
            groups[-1].append(anchor)
        else:
            groups.append([anchor])
        last_end = max(last_end, end)
    return groups


#: A word, or a number with its unit ("90/60 mm Hg", "39.3 °C", "23.9 kg/m2", "155/min").
_ITEM_RE = re.compile(
    r"[A-Za-z][A-Za-z'-]*"
    r"|\d+(?:[.,]\d+)?(?:/\d+(?:[.,]\d+)?)?(?:\s?(?:°\s?[CF]|%|(?!(?:and|or|with|plus)\b)[a-zA-Zµ/][\w/]*)){0,2}"
)


def _list_items(text: str, start: int, end: int, question_stems: Collection[str]) -> list[tuple[int, int]]:
    """Spans of words in `text[start:end]` that a woven list may use as items without being anchors: the
    question's own words, generic words and numbers ("Considering *person*, *consuming* and weakness",
    "38.5°C, 101.3°F and *155/min*")."""
    return [(m.start(), m.end()) for m in _ITEM_RE.finditer(text, start, end) if _is_item(m.group(0), question_stems)]


def _is_item(word: str, question_stems: Collection[str]) -> bool:
    lower = word.lower()
    if word[0].isdigit() or lower in GENERIC_REASON_WORDS or lower in GENERIC_QUESTION_WORDS:
        return True
    if len(lower) < 4 or lower in FUNCTION_WORDS or lower in DISCOURSE_WORDS:
        return False
    return lower[:STEM] in question_stems


def is_woven_list(
    text: str, start: int, end: int, anchors: Sequence[tuple[str, int, int]], question_stems: Collection[str]
) -> bool:
    """Whether `text[start:end]` only lists terms with filler around them: its anchors form at most one
    group, and one series of items (anchors, the question's own words, generic words, numbers) that holds
    every anchor has at least `WOVEN_MIN_SEPARATORS` separators ("fever, cough and tachycardia"). A long
    sentence that names one thing and has commas elsewhere is no list."""
    return woven_series(text, start, end, anchors, question_stems) is not None


def has_loose_words(
    text: str, span: tuple[int, int], anchors: Sequence[tuple[str, int, int]], question_stems: Collection[str]
) -> bool:
    """Whether the series `span` has an item that is one of the question's words and no anchor at all
    ("Considering woman, *medical* and *recurrent*"): words picked from the case, not facts restated."""
    covered = Covered(anchors)
    for match in _ITEM_RE.finditer(text, *span):
        word = match.group(0)
        if word[0].isdigit() or word.lower() in GENERIC_REASON_WORDS or word.lower() in GENERIC_QUESTION_WORDS:
            continue
        if _is_item(word, question_stems) and not covered.holds(match.start()):
            return True
    return False


class Covered:
    """The characters the anchors `(text, start, end)` cover, as merged spans: `holds(pos)` in O(log n),
    so checking every word of a long sentence stays linear-logarithmic whatever its anchors."""

    def __init__(self, anchors: Sequence[tuple[str, int, int]]) -> None:
        merged: list[list[int]] = []
        for _, a, b in sorted(anchors, key=lambda x: x[1]):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self._starts = [a for a, _ in merged]
        self._ends = [b for _, b in merged]

    def holds(self, pos: int) -> bool:
        at = bisect.bisect_right(self._starts, pos) - 1
        return at >= 0 and pos < self._ends[at]


def woven_series(
    text: str, start: int, end: int, anchors: Sequence[tuple[str, int, int]], question_stems: Collection[str]
) -> tuple[int, int] | None:
    """The span of the series that makes `text[start:end]` a woven list (`is_woven_list`), or None."""
    if len(content_groups(text, anchors, question_stems)) > 1:
        return None
    items = sorted({(a, b) for _, a, b in anchors} | set(_list_items(text, start, end, question_stems)))
    anchor_starts = {a for _, a, _ in anchors}
    series: list[tuple[int, int]] = []  # (first item start, last item end) of each series
    holds: list[set[int]] = []  # the anchors (by start) in each series
    last_end = -1
    for a, b in items:
        if series and (a < last_end or joins(text[last_end:a], question_stems)):
            series[-1] = (series[-1][0], max(series[-1][1], b))
        else:
            series.append((a, b))
            holds.append(set())
        if a in anchor_starts:
            holds[-1].add(a)
        last_end = max(last_end, b)
    for i, (a, b) in enumerate(series):
        if len(holds[i]) == len(anchor_starts) and len(_SEPARATOR_RE.findall(text, a, b)) >= WOVEN_MIN_SEPARATORS:
            return (a, b)
    return None
