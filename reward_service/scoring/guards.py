"""Reward-hacking guards (SCORING.md §7): text that earns no faithfulness or comprehensiveness credit.

- Copied spans: runs of at least `COPY_MIN_TOKENS` consecutive word tokens that also occur, in the same
  order, in the question (stem and options). Quoting a short phrase of the case is citing it; pasting the
  stem is not.
- Repeats: a sentence (of at least `REPEAT_MIN_WORDS` words) whose normalised text already appeared counts
  once; later copies earn nothing. `redundancy` is the share of characters in such repeats.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick

from reward_service.nlp.textnorm import match_form

COPY_MIN_TOKENS = 12
REPEAT_MIN_WORDS = 5

_WORD_RE = re.compile(r"\S+")


class QuestionGrams:
    """An Aho-Corasick automaton over the question's `COPY_MIN_TOKENS`-token runs, as " t1 t2 … tn "."""

    def __init__(self, tokens: list[str]) -> None:
        self.automaton = ahocorasick.Automaton()
        for i in range(len(tokens) - COPY_MIN_TOKENS + 1):
            gram = " " + " ".join(tokens[i : i + COPY_MIN_TOKENS]) + " "
            self.automaton.add_word(gram, len(gram))
        self.empty = len(self.automaton) == 0
        if not self.empty:
            self.automaton.make_automaton()


@lru_cache(maxsize=4096)
def question_ngrams(question_text: str) -> QuestionGrams:
    return QuestionGrams(match_form(question_text).split())


def copied_spans(text: str, question: QuestionGrams, norm: str | None = None) -> list[tuple[int, int]]:
    """Character spans of `text` covered by runs copied from the question, merged.

    The response's tokens, joined by single spaces, go through the question's automaton in one C-level
    pass; token offsets are only computed when a copied run exists. `norm` may pass `match_form(text)`.
    """
    if question.empty:
        return []
    norm = norm if norm is not None else match_form(text)
    tokens = norm.split()
    joined = " " + " ".join(tokens) + " "
    hits = list(question.automaton.iter(joined))
    if not hits:
        return []
    runs: list[tuple[int, int]] = []
    position, index = 0, 0  # token index of a position in `joined` = spaces before it − 1
    for last, length in sorted(hits, key=lambda h: h[0] - h[1]):
        gram_start = last - length + 1
        index += joined.count(" ", position, gram_start + 1)
        position = gram_start + 1
        first = index - 1
        if runs and first <= runs[-1][1]:
            runs[-1] = (runs[-1][0], max(runs[-1][1], first + COPY_MIN_TOKENS))
        else:
            runs.append((first, first + COPY_MIN_TOKENS))
    bounds = [(m.start(), m.end()) for m in itertools.islice(_WORD_RE.finditer(norm), runs[-1][1])]
    return [(bounds[a][0], bounds[b - 1][1]) for a, b in runs]


def repeated_spans(text: str, sentences: Sequence[tuple[int, int]], norm: str | None = None) -> list[tuple[int, int]]:
    """Spans of sentences that repeat an earlier sentence (normalised), in order.

    `norm` may pass the text with punctuation as spaces and lower case (`match_form`), so a sentence's
    words are one `str.split` away.
    """
    norm = norm if norm is not None else match_form(text)
    seen: set[str] = set()
    repeats: list[tuple[int, int]] = []
    for start, end in sentences:
        words = norm[start:end].split()
        if len(words) < REPEAT_MIN_WORDS:
            continue
        key = " ".join(words)
        if key in seen:
            repeats.append((start, end))
        else:
            seen.add(key)
    return repeats


@dataclass(frozen=True)
class Discounts:
    """Sorted, merged character spans that earn nothing; `covers(pos)` is a binary search."""

    spans: tuple[tuple[int, int], ...]
    copied_chars: int
    repeated_chars: int
    copied: list[tuple[int, int]] = field(default_factory=list)
    repeated: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def build(cls, copied: list[tuple[int, int]], repeated: list[tuple[int, int]]) -> Discounts:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(copied + repeated):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return cls(
            tuple(merged),
            sum(e - s for s, e in copied),
            sum(e - s for s, e in repeated),
            copied,
            repeated,
        )

    def covers(self, pos: int) -> bool:
        index = bisect.bisect_right(self.spans, (pos, float("inf"))) - 1
        return index >= 0 and self.spans[index][0] <= pos < self.spans[index][1]

    def redundancy(self, total_chars: int) -> float:
        return self.repeated_chars / total_chars if total_chars else 0.0
